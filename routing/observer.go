package routing

import (
	"time"

	"github.com/routesim/routesim/contact"
)

// EventKind says what changed.
type EventKind uint8

// The kinds of event an Observer receives.
const (
	// ContactQueued: a contact entered its queue.
	ContactQueued EventKind = iota + 1
	// ContactUpdated: UpdateContactRoutingData changed a waiting contact's priority or age.
	ContactUpdated
	// ContactRouted: a waiting contact went to an agent (Event.AgentID).
	ContactRouted
	// ContactEnded: a contact ended (Event.Reason); if it was with an agent, the agent's
	// after-contact work starts now.
	ContactEnded
	// AfterContactWorkEnded: an agent finished the after-contact work of Event.ContactID and
	// its slot is free again.
	AfterContactWorkEnded
	// AgentStateChanged: an agent went available or offline (Event.AgentState).
	AgentStateChanged
)

// String returns the kind's name.
func (k EventKind) String() string {
	switch k {
	case ContactQueued:
		return "ContactQueued"
	case ContactUpdated:
		return "ContactUpdated"
	case ContactRouted:
		return "ContactRouted"
	case ContactEnded:
		return "ContactEnded"
	case AfterContactWorkEnded:
		return "AfterContactWorkEnded"
	case AgentStateChanged:
		return "AgentStateChanged"
	}
	return "EventKind(?)"
}

// Event describes one change in an instance. Fields that do not apply to the kind are zero.
type Event struct {
	Kind EventKind
	// Time is the clock's time of the change.
	Time time.Time
	// ContactID, QueueID, Channel, Tag, EnqueuedAt, Priority and AgeAdjustment describe the
	// contact, as it is after the change.
	ContactID     contact.ID
	QueueID       string
	Channel       contact.Channel
	Tag           int
	EnqueuedAt    time.Time
	Priority      int64
	AgeAdjustment time.Duration
	// AgentID is the agent that took or held the contact, or whose state changed.
	AgentID string
	// Reason is why a contact ended.
	Reason EndReason
	// AgentState is the agent's requested state after an AgentStateChanged.
	AgentState AgentState
	// JoinedStep, for a ContactRouted, is the 1-based index of the routing-criteria step the
	// contact joined at; 0 when no step restricted it (it has no criteria, or every step had
	// expired).
	JoinedStep int
}

// Observer is told of every change in an instance, synchronously and in order, while the
// instance's lock is held: an Observer must not call back into the instance, and should be
// quick. The simulator's metrics and the emulator's views hang off it.
type Observer interface {
	Observe(Event)
}

// EventFilter may be implemented by an Observer that wants only some kinds of event. An
// instance asks once per kind, when it is built, and then neither builds nor delivers the
// kinds its observer does not want: each event not built saves tens of nanoseconds on the
// call that would have reported it. An Observer without Wants receives every kind.
type EventFilter interface {
	// Wants reports whether the observer wants events of kind k.
	Wants(k EventKind) bool
}

// kindMask returns the set of kinds obs receives, as bits 1<<kind.
func kindMask(obs Observer) uint64 {
	if obs == nil {
		return 0
	}
	f, filtered := obs.(EventFilter)
	var m uint64
	for k := ContactQueued; k <= AgentStateChanged; k++ {
		if !filtered || f.Wants(k) {
			m |= 1 << k
		}
	}
	return m
}

// ObserverFunc adapts a function to Observer.
type ObserverFunc func(Event)

// Observe calls f(e).
func (f ObserverFunc) Observe(e Event) { f(e) }
