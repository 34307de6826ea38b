package contact_test

import (
	"errors"
	"math"
	"strings"
	"testing"
	"time"

	"github.com/routesim/routesim/contact"
)

func ptr[T any](v T) *T { return &v }

func TestRoutingUpdateValidate(t *testing.T) {
	tests := []struct {
		name    string
		u       contact.RoutingUpdate
		wantErr string // substring the message must contain; "" means valid
	}{
		{"priority only", contact.SetPriority(3), ""},
		{"age only", contact.AdjustAge(time.Minute), ""},
		{"negative age", contact.AdjustAge(-time.Hour), ""},
		{"zero age", contact.AdjustAge(0), ""},
		{"MinPriority ok", contact.SetPriority(contact.MinPriority), ""},
		{"MaxPriority ok", contact.SetPriority(contact.MaxPriority), ""},
		{"both set", contact.RoutingUpdate{Priority: ptr[int64](2), AgeAdjustment: ptr(time.Second)}, "both"},
		{"neither set", contact.RoutingUpdate{}, "neither"},
		{"priority 0", contact.SetPriority(0), "priority 0 is out of range"},
		{"negative priority", contact.SetPriority(-4), "priority -4 is out of range"},
		{"MinInt64 priority", contact.SetPriority(math.MinInt64), "out of range"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.u.Validate()
			if tt.wantErr == "" {
				if err != nil {
					t.Errorf("Validate(%v) = %v; want nil", tt.u, err)
				}
				return
			}
			if err == nil {
				t.Fatalf("Validate(%v) = nil; want error containing %q", tt.u, tt.wantErr)
			}
			if !errors.Is(err, contact.ErrInvalidUpdate) {
				t.Errorf("errors.Is(%v, ErrInvalidUpdate) = false; want true", err)
			}
			if !strings.Contains(err.Error(), tt.wantErr) {
				t.Errorf("Validate(%v) = %q; want it to contain %q", tt.u, err, tt.wantErr)
			}
			if !strings.HasPrefix(err.Error(), "contact: ") {
				t.Errorf("Validate(%v) = %q; want the prefix %q", tt.u, err, "contact: ")
			}
		})
	}
}

func TestRoutingUpdateConstructors(t *testing.T) {
	p := contact.SetPriority(7)
	if p.Priority == nil || *p.Priority != 7 || p.AgeAdjustment != nil {
		t.Errorf("SetPriority(7) = %v; want priority=7 only", p)
	}
	a := contact.AdjustAge(-3 * time.Second)
	if a.AgeAdjustment == nil || *a.AgeAdjustment != -3*time.Second || a.Priority != nil {
		t.Errorf("AdjustAge(-3s) = %v; want ageAdjustment=-3s only", a)
	}
	// Each call owns its value: two updates never share a pointer.
	q := contact.SetPriority(7)
	if p.Priority == q.Priority {
		t.Errorf("SetPriority returned a shared pointer; want a fresh one per call")
	}
}

func TestRoutingUpdateString(t *testing.T) {
	tests := []struct {
		u    contact.RoutingUpdate
		want string
	}{
		{contact.SetPriority(2), "priority=2"},
		{contact.AdjustAge(90 * time.Second), "ageAdjustment=1m30s"},
		{contact.RoutingUpdate{Priority: ptr[int64](1), AgeAdjustment: ptr(-time.Second)}, "priority=1 ageAdjustment=-1s"},
		{contact.RoutingUpdate{}, "empty"},
	}
	for _, tt := range tests {
		t.Run(tt.want, func(t *testing.T) {
			if got := tt.u.String(); got != tt.want {
				t.Errorf("String() = %q; want %q", got, tt.want)
			}
		})
	}
}

// TestContactApply: a valid update changes exactly the field it names; an invalid one, or an
// adjustment that overflows the routing key, changes nothing and says why.
func TestContactApply(t *testing.T) {
	enq := time.Date(2026, 1, 1, 9, 0, 0, 0, time.UTC)
	base := contact.Contact{ID: "c", EnqueuedAt: enq, Priority: 5, AgeAdjustment: time.Minute}
	tests := []struct {
		name    string
		u       contact.RoutingUpdate
		want    contact.Contact
		wantErr []error
	}{
		{"priority", contact.SetPriority(2), contact.Contact{ID: "c", EnqueuedAt: enq, Priority: 2, AgeAdjustment: time.Minute}, nil},
		{"age adds", contact.AdjustAge(-3 * time.Minute), contact.Contact{ID: "c", EnqueuedAt: enq, Priority: 5, AgeAdjustment: -2 * time.Minute}, nil},
		{"neither", contact.RoutingUpdate{}, base, []error{contact.ErrInvalidUpdate}},
		{"priority 0", contact.SetPriority(0), base, []error{contact.ErrInvalidUpdate}},
		{"overflow", contact.AdjustAge(math.MaxInt64), base, []error{contact.ErrInvalidUpdate, contact.ErrAdjustmentOverflow}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := base
			err := c.Apply(tt.u)
			for _, want := range tt.wantErr {
				if !errors.Is(err, want) {
					t.Errorf("Apply(%v) = %v; want an error wrapping %v", tt.u, err, want)
				}
			}
			if tt.wantErr == nil && err != nil {
				t.Errorf("Apply(%v) = %v; want nil", tt.u, err)
			}
			if c != tt.want {
				t.Errorf("after Apply(%v): %+v; want %+v", tt.u, c, tt.want)
			}
		})
	}
}
