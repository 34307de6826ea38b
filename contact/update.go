package contact

import (
	"fmt"
	"time"
)

// RoutingUpdate is a change to a waiting contact's routing, as UpdateContactRoutingData makes
// it: exactly one of Priority (set the QueuePriority) and AgeAdjustment (add to the routing
// age) must be set.
//
// The zero value sets neither and is invalid.
type RoutingUpdate struct {
	// Priority, when set, replaces the contact's QueuePriority; it must be in
	// [MinPriority, MaxPriority].
	Priority *int64
	// AgeAdjustment, when set, is added to the contact's cumulative AgeAdjustment; it may be
	// negative.
	AgeAdjustment *time.Duration
}

// SetPriority returns an update that sets the QueuePriority to p.
func SetPriority(p int64) RoutingUpdate {
	return RoutingUpdate{Priority: &p}
}

// AdjustAge returns an update that adds d to the routing age.
func AdjustAge(d time.Duration) RoutingUpdate {
	return RoutingUpdate{AgeAdjustment: &d}
}

// Validate reports whether u is a valid update: exactly one field set and a priority in
// range. The error wraps ErrInvalidUpdate and names the problem. The cost is O(1).
func (u RoutingUpdate) Validate() error {
	switch {
	case u.Priority != nil && u.AgeAdjustment != nil:
		return fmt.Errorf("%w: both priority (%d) and age adjustment (%v) are set; set exactly one",
			ErrInvalidUpdate, *u.Priority, *u.AgeAdjustment)
	case u.Priority == nil && u.AgeAdjustment == nil:
		return fmt.Errorf("%w: neither priority nor age adjustment is set; set exactly one", ErrInvalidUpdate)
	case u.Priority != nil && *u.Priority < MinPriority:
		return fmt.Errorf("%w: priority %d is out of range [%d, %d]",
			ErrInvalidUpdate, *u.Priority, MinPriority, MaxPriority)
	}
	return nil
}

// Apply applies u to c: it sets c.Priority, or adds to c.AgeAdjustment. It returns the
// error Validate returns for an invalid u, or the one CheckAdjustment returns for an
// adjustment that would overflow the routing key; a rejected update changes nothing. A
// caller that holds c in an ordered structure applies the update through that structure
// (queue.Queue.Update), or re-sorts c afterwards (queue.Heap.Fix). The cost is O(1).
func (c *Contact) Apply(u RoutingUpdate) error {
	if err := u.Validate(); err != nil {
		return err
	}
	if u.AgeAdjustment != nil {
		if err := c.CheckAdjustment(*u.AgeAdjustment); err != nil {
			return err
		}
		c.AgeAdjustment += *u.AgeAdjustment
		return nil
	}
	c.Priority = *u.Priority
	return nil
}

// String describes the update for logs and error messages.
func (u RoutingUpdate) String() string {
	switch {
	case u.Priority != nil && u.AgeAdjustment != nil:
		return fmt.Sprintf("priority=%d ageAdjustment=%v", *u.Priority, *u.AgeAdjustment)
	case u.Priority != nil:
		return fmt.Sprintf("priority=%d", *u.Priority)
	case u.AgeAdjustment != nil:
		return fmt.Sprintf("ageAdjustment=%v", *u.AgeAdjustment)
	}
	return "empty"
}
