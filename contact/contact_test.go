package contact_test

import (
	"errors"
	"math"
	"strings"
	"testing"
	"time"

	"github.com/routesim/routesim/contact"
)

// t0 is an arbitrary, representable instant the tests measure from.
var t0 = time.Date(2025, 3, 1, 9, 0, 0, 0, time.UTC)

func TestQueueWaitAndRoutingAge(t *testing.T) {
	tests := []struct {
		name      string
		enq       time.Time
		adj       time.Duration
		now       time.Time
		wantWait  time.Duration
		wantRoute time.Duration
	}{
		{"just arrived", t0, 0, t0, 0, 0},
		{"no adjustment", t0, 0, t0.Add(90 * time.Second), 90 * time.Second, 90 * time.Second},
		{"positive adjustment", t0, time.Minute, t0.Add(90 * time.Second), 90 * time.Second, 150 * time.Second},
		{"negative adjustment", t0, -2 * time.Minute, t0.Add(90 * time.Second), 90 * time.Second, -30 * time.Second},
		{"adjustment on arrival", t0, 10 * time.Minute, t0, 0, 10 * time.Minute},
		{"now before enqueue", t0, 0, t0.Add(-time.Second), -time.Second, -time.Second},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := &contact.Contact{ID: "c", EnqueuedAt: tt.enq, AgeAdjustment: tt.adj}
			if got := c.QueueWait(tt.now); got != tt.wantWait {
				t.Errorf("QueueWait(%v) = %v; want %v", tt.now, got, tt.wantWait)
			}
			if got := c.RoutingAge(tt.now); got != tt.wantRoute {
				t.Errorf("RoutingAge(%v) = %v; want %v", tt.now, got, tt.wantRoute)
			}
		})
	}
}

// TestRoutingKeyTimeInvariant checks the property DESIGN.md rests on: the difference between
// two contacts' routing ages equals the opposite difference of their keys, at any instant.
func TestRoutingKeyTimeInvariant(t *testing.T) {
	a := &contact.Contact{ID: "a", EnqueuedAt: t0, AgeAdjustment: 45 * time.Second}
	b := &contact.Contact{ID: "b", EnqueuedAt: t0.Add(-30 * time.Second)}
	wantDiff := a.RoutingKey() - b.RoutingKey()
	for _, dt := range []time.Duration{0, time.Second, time.Hour, 72 * time.Hour} {
		now := t0.Add(dt)
		got := int64(b.RoutingAge(now) - a.RoutingAge(now))
		if got != wantDiff {
			t.Errorf("at %v: RoutingAge(b)-RoutingAge(a) = %v; want key difference %v", dt, got, wantDiff)
		}
	}
	if got, want := a.RoutingKey(), t0.UnixNano()-int64(45*time.Second); got != want {
		t.Errorf("RoutingKey() = %d; want %d", got, want)
	}
}

func TestCheckAdjustment(t *testing.T) {
	epoch := time.Unix(0, 0)
	tests := []struct {
		name     string
		enq      time.Time
		adj      time.Duration
		d        time.Duration
		overflow bool
	}{
		{"zero", t0, 0, 0, false},
		{"ordinary positive", t0, time.Minute, time.Hour, false},
		{"ordinary negative", t0, time.Minute, -time.Hour, false},
		{"max adjustment from zero", epoch, 0, contact.MaxAgeAdjustment, false},
		{"min adjustment from zero", epoch, 0, -contact.MaxAgeAdjustment, false},
		{"one past max adjustment", epoch, 0, contact.MaxAgeAdjustment + 1, true},
		{"one past min adjustment", epoch, 0, -contact.MaxAgeAdjustment - 1, true},
		{"max duration from zero", epoch, 0, math.MaxInt64, true},
		{"min duration from zero", epoch, 0, math.MinInt64 + 1, true},
		{"sum overflows upward", epoch, 1, math.MaxInt64, true},
		{"sum overflows downward", epoch, -1, math.MinInt64, true},
		{"cumulative sum passes the bound", epoch, contact.MaxAgeAdjustment, 1, true},
		{"cumulative sum reaches the bound exactly", epoch, 1, contact.MaxAgeAdjustment - 1, false},
		// key = enq - sum: with enq late in int64's range and sum very negative, the key
		// overflows although the sum is within the bound.
		{"key overflows upward", time.Unix(0, math.MaxInt64-int64(time.Hour)), 0, -2 * time.Hour, true},
		{"key just fits upward", time.Unix(0, math.MaxInt64-int64(time.Hour)), 0, -time.Hour, false},
		// with enq early in int64's range and sum positive, the key overflows downward.
		{"key overflows downward", time.Unix(0, math.MinInt64+int64(time.Hour)), 0, 2 * time.Hour, true},
		{"key just fits downward", time.Unix(0, math.MinInt64+int64(time.Hour)), 0, time.Hour, false},
		{"opposite adjustment cancels", t0, contact.MaxAgeAdjustment, -contact.MaxAgeAdjustment, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := &contact.Contact{ID: "c1", EnqueuedAt: tt.enq, AgeAdjustment: tt.adj}
			before := *c
			err := c.CheckAdjustment(tt.d)
			if *c != before {
				t.Errorf("CheckAdjustment changed the contact: got %+v; want %+v", *c, before)
			}
			if !tt.overflow {
				if err != nil {
					t.Fatalf("CheckAdjustment(%v) with adjustment %v = %v; want nil", tt.d, tt.adj, err)
				}
				return
			}
			if err == nil {
				t.Fatalf("CheckAdjustment(%v) with adjustment %v = nil; want overflow error", tt.d, tt.adj)
			}
			if !errors.Is(err, contact.ErrInvalidUpdate) {
				t.Errorf("errors.Is(%v, ErrInvalidUpdate) = false; want true", err)
			}
			if !errors.Is(err, contact.ErrAdjustmentOverflow) {
				t.Errorf("errors.Is(%v, ErrAdjustmentOverflow) = false; want true", err)
			}
			if !strings.Contains(err.Error(), `"c1"`) {
				t.Errorf("error %q does not name the contact; want it to contain %q", err, `"c1"`)
			}
		})
	}
}

func TestParseChannel(t *testing.T) {
	tests := []struct {
		in      string
		want    contact.Channel
		wantErr bool
	}{
		{"VOICE", contact.Voice, false},
		{"CHAT", contact.Chat, false},
		{"TASK", contact.Task, false},
		{"EMAIL", contact.Email, false},
		{"voice", "", true},
		{"", "", true},
		{" VOICE", "", true},
		{"SMS", "", true},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := contact.ParseChannel(tt.in)
			if got != tt.want {
				t.Errorf("ParseChannel(%q) = %q; want %q", tt.in, got, tt.want)
			}
			if gotErr := err != nil; gotErr != tt.wantErr {
				t.Fatalf("ParseChannel(%q) error = %v; want error: %v", tt.in, err, tt.wantErr)
			}
			if err == nil {
				return
			}
			if !errors.Is(err, contact.ErrInvalidChannel) {
				t.Errorf("errors.Is(%v, ErrInvalidChannel) = false; want true", err)
			}
			if want := `"` + tt.in + `"`; !strings.Contains(err.Error(), want) {
				t.Errorf("error %q does not name the input; want it to contain %s", err, want)
			}
		})
	}
}

func TestChannelIndex(t *testing.T) {
	for i, ch := range contact.Channels {
		if got := ch.Index(); got != i {
			t.Errorf("%s.Index() = %d; want %d", ch, got, i)
		}
		if !ch.Valid() {
			t.Errorf("%s.Valid() = false; want true", ch)
		}
	}
	for _, ch := range []contact.Channel{"", "chat", "SMS"} {
		if got := ch.Index(); got != -1 {
			t.Errorf("%q.Index() = %d; want -1", ch, got)
		}
		if ch.Valid() {
			t.Errorf("%q.Valid() = true; want false", ch)
		}
	}
}

func TestLess(t *testing.T) {
	mk := func(prio int64, enq time.Time, adj time.Duration) *contact.Contact {
		return &contact.Contact{Priority: prio, EnqueuedAt: enq, AgeAdjustment: adj}
	}
	tests := []struct {
		name        string
		a           *contact.Contact
		aSeq        uint64
		b           *contact.Contact
		bSeq        uint64
		want        bool
		wantSwapped bool
	}{
		{"lower priority number first", mk(1, t0, 0), 2, mk(2, t0.Add(-time.Hour), 0), 1, true, false},
		{"higher priority number later", mk(9, t0.Add(-time.Hour), time.Hour), 1, mk(5, t0, 0), 2, false, true},
		{"same priority, older first", mk(5, t0.Add(-time.Second), 0), 2, mk(5, t0, 0), 1, true, false},
		{"age adjustment makes older", mk(5, t0, time.Minute), 2, mk(5, t0.Add(-30*time.Second), 0), 1, true, false},
		{"negative adjustment makes younger", mk(5, t0.Add(-time.Minute), -2*time.Minute), 1, mk(5, t0, 0), 2, false, true},
		{"equal key, arrival breaks tie", mk(5, t0, time.Minute), 1, mk(5, t0.Add(-time.Minute), 0), 2, true, false},
		{"equal everything, arrival breaks tie", mk(5, t0, 0), 7, mk(5, t0, 0), 8, true, false},
		{"same contact and seq is not less", mk(5, t0, 0), 3, mk(5, t0, 0), 3, false, false},
		{"max priority last", mk(contact.MaxPriority, t0.Add(-time.Hour), 0), 1, mk(contact.MinPriority, t0, 0), 2, false, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := contact.Less(tt.a, tt.aSeq, tt.b, tt.bSeq); got != tt.want {
				t.Errorf("Less(a, %d, b, %d) = %v; want %v", tt.aSeq, tt.bSeq, got, tt.want)
			}
			if got := contact.Less(tt.b, tt.bSeq, tt.a, tt.aSeq); got != tt.wantSwapped {
				t.Errorf("Less(b, %d, a, %d) = %v; want %v", tt.bSeq, tt.aSeq, got, tt.wantSwapped)
			}
		})
	}
}

func TestPriorityConstants(t *testing.T) {
	// Values from the Amazon Connect API model: QueuePriority is a long in
	// 1..9223372036854775807, default 5 (DESIGN.md, "Priority and routing age").
	if contact.DefaultPriority != 5 {
		t.Errorf("DefaultPriority = %d; want 5", contact.DefaultPriority)
	}
	if contact.MinPriority != 1 {
		t.Errorf("MinPriority = %d; want 1", contact.MinPriority)
	}
	if contact.MaxPriority != 9223372036854775807 {
		t.Errorf("MaxPriority = %d; want 9223372036854775807", contact.MaxPriority)
	}
}
