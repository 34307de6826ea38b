package sim

import (
	"github.com/routesim/routesim/contact"
	"github.com/routesim/routesim/routing"
)

// What a replication gives back: per-contact records, hooks to watch it, and its totals.

// ContactRecord describes one contact of a replication, from arrival to the end of its
// life, for per-contact metrics computed outside the engine (the engine keeps none). Times
// are since the start of the replication; Routed and Ended are -1 when that did not happen
// before the horizon.
type ContactRecord struct {
	// Seq numbers the replication's contacts in order of arrival, from 0.
	Seq uint64
	// Arrival is when the contact entered its queue.
	Arrival Duration
	// Queue, Channel and Class say where it waited and what it was; QueueIndex and
	// ClassIndex index Result.Queues and Result.Classes.
	Queue      string
	QueueIndex int
	Channel    contact.Channel
	Class      string
	ClassIndex int
	// Priority is the initial QueuePriority.
	Priority int64
	// Routed is when it went to an agent; Agent and Group name the agent (AgentIndex indexes
	// Replication.Agents, -1 when never routed).
	Routed     Duration
	Agent      string
	AgentIndex int
	Group      string
	// HandleTime is the time an agent spends on it (drawn at arrival, or the trace's).
	HandleTime Duration
	// Ended is when it completed or abandoned.
	Ended Duration
	// AfterContactWork is the after-contact work its agent did after it completed (drawn
	// for the agent's group); 0 otherwise.
	AfterContactWork Duration
	// Reason is routing.Completed, routing.Abandoned, or routing.NotEnded for a contact
	// still waiting or with an agent at the horizon.
	Reason routing.EndReason
	// Warmup is true for a contact that arrived before the warm-up ended; the figures leave
	// it out.
	Warmup bool
	// Overtook counts the contacts of its queue and channel that arrived before it and were
	// still waiting when it was routed (its order inversions).
	Overtook int
	// Step is the step of its routing criteria that was active when an agent took it, from
	// 1; the number of steps + 1 when every step had expired; 0 when it carried no criteria
	// then or was never routed.
	Step int
	// Redial is true for a contact that is a redial of an abandoned one (Arrivals.Redial).
	Redial bool
	// Initiation is how its last queue segment began, as a Connect contact record's
	// InitiationMethod: "QUEUE_TRANSFER" after a transfer rule, "CALLBACK" for a queued
	// callback, "" for an arrival (flows.go). The record describes that segment: Arrival
	// is when it entered its queue.
	Initiation string
}

// Wait returns the real time the contact waited in queue: until it was routed, until it
// abandoned, or, still waiting, until end.
func (r *ContactRecord) Wait(end Duration) Duration {
	switch {
	case r.Routed >= 0:
		return r.Routed - r.Arrival
	case r.Ended >= 0:
		return r.Ended - r.Arrival
	}
	return end - r.Arrival
}

// Hooks let a caller watch one replication. A nil hook is skipped.
type Hooks struct {
	// OnContact is called once per contact when its life ends (completed or abandoned) and,
	// at the horizon, for every contact still waiting or with an agent, in order of
	// arrival. Calls come from the replication's goroutine, one at a time.
	OnContact func(ContactRecord)
	// Progress is called now and then with the fraction of the horizon simulated.
	Progress func(fraction float64)
}

// Totals counts every contact of a replication, warm-up included, by where it was at the
// horizon: Arrived = Completed + Abandoned + Waiting + InService + Blocked + CallbacksFailed
// always (the last two are 0 without flows). A callback waiting for its delay is Waiting.
type Totals struct {
	Arrived   int64 `json:"arrived"`
	Completed int64 `json:"completed"`
	Abandoned int64 `json:"abandoned"`
	Waiting   int64 `json:"waiting"`
	InService int64 `json:"inService"`
	// Blocked counts the contacts a full queue refused and no at-capacity branch took;
	// CallbacksFailed those whose callback used every attempt (see flows.go). Both add to
	// the sum above.
	Blocked         int64 `json:"blocked,omitempty"`
	CallbacksFailed int64 `json:"callbacksFailed,omitempty"`
}

// AgentTotals is one agent's time over the measured part of a replication (after the
// warm-up): Staffed is time on duty or still busy after going off duty, Busy time holding at
// least one contact or after-contact work, Staffed - Busy idle. Handled counts the contacts
// it took.
type AgentTotals struct {
	ID      string   `json:"id"`
	Group   string   `json:"group"`
	Handled int64    `json:"handled"`
	Staffed Duration `json:"staffed"`
	Busy    Duration `json:"busy"`
}

// Replication is the outcome of one replication.
type Replication struct {
	// Index is the replication's index in its run.
	Index     int              `json:"index"`
	Overall   Figures[float64] `json:"overall"`
	Queues    []Keyed[float64] `json:"queues"`
	Classes   []Keyed[float64] `json:"classes"`
	Intervals []Keyed[float64] `json:"intervals"`
	// Steps are the routing-criteria figures of the classes with criteria, in class order.
	Steps  []ClassSteps[float64] `json:"steps,omitempty"`
	Groups []Group[float64]      `json:"groups"`
	Agents []AgentTotals         `json:"agents"`
	Totals Totals                `json:"totals"`
	// Attempts, when a stream redials, break the figures down by attempt: "first" and
	// "redial".
	Attempts []Keyed[float64] `json:"attempts,omitempty"`
	// QueueIntervals, ClassIntervals and GroupIntervals, with RunOptions.IntervalDetail,
	// break each queue's, class's and agent group's figures down by interval of the cycle.
	QueueIntervals []Breakdown[Keyed[float64]] `json:"queueIntervals,omitempty"`
	ClassIntervals []Breakdown[Keyed[float64]] `json:"classIntervals,omitempty"`
	GroupIntervals []Breakdown[Group[float64]] `json:"groupIntervals,omitempty"`
	// DemandFactor is the replication's busyness factor when Scenario.DemandCV is
	// positive; 0 otherwise.
	DemandFactor float64 `json:"demandFactor,omitempty"`
	// Flows are the queue-capacity, transfer and callback figures (flows.go); nil for a
	// scenario without them.
	Flows *Flows[float64] `json:"flows,omitempty"`
	// Events counts the events the engine processed.
	Events uint64 `json:"events"`
}
