package sim

import (
	"fmt"

	"github.com/routesim/routesim/contact"
	"github.com/routesim/routesim/routing"
)

// Flows: queue capacity, timed transfers and queued callbacks, as a Connect flow's
// "Transfer to queue" block (at-capacity branch), a queue flow's transfer and its callback
// option (CreateCallbackContact) give them. The figures they make are FlowFigures.
//
// Queue capacity. A scenario queue's maxContacts (routing.QueueConfig.MaxContacts) bounds
// the contacts waiting in it, all channels; the routing core refuses a contact that would
// exceed it. A contact so refused, on arrival, transfer or callback, takes its class's
// at-capacity branch (Class.AtCapacity): it enters that queue if it has room, and is
// otherwise blocked: it ends without entering any queue, counted in FlowFigures.Blocked
// of the queue that first refused it, never as abandoned, and is reported to no hook.
//
// Transfers. A rule with TransferTo moves a contact still waiting to that queue, as a
// queue flow's "Transfer to queue" does: a new contact segment. TASK and EMAIL contacts go
// through the core's TransferContact; the core transfers no VOICE or CHAT contact, so for
// those the simulator ends the contact and starts it in the new queue at the same instant
// with the same contact ID, which is the routing TransferContact documents (EndContact then
// StartContact): every channel gets the core's transfer semantics. The new segment's
// priority, age adjustment and routing criteria are the class's (the flow sets them again;
// routing age does not carry over), and its wait, as Connect reports it, starts at the
// transfer: Connect writes a contact record per segment, each with its own
// QueueInfo.EnqueueTimestamp, and its queue metrics (Contacts queued, Average queue answer
// time, Contacts transferred out) count segments. So do the figures: the old segment counts
// in its cells as offered and then as transferred out (in no wait figure), the new one as
// offered in the destination's cells, its wait from the transfer. The customer's patience
// still runs from the first arrival, and the class's later rules still fire at their
// After since the first arrival. A class has at most routing.MaxTransfers transfer rules
// (the core's limit along a chain).
//
// Queued callbacks. A rule with Callback offers a contact still waiting a callback; with
// probability Share it accepts: it leaves its queue, not counted as abandoned (as Connect's
// metrics: "contacts queued for callback are not counted as abandoned"), and after
// InitialCallDelaySeconds a callback contact, of the same channel, class and handle time,
// enters the callback queue (Callback.Queue, or the contact's queue) with the callback's
// priority and age adjustment. It never abandons and no later rule applies to it. When an
// agent takes it the customer is dialled: with ConnectProbability the call connects and the
// agent handles it (its handle time, its after-contact work); otherwise the agent is held
// for DialSeconds, then the callback waits RetryDelaySeconds and enters the queue again,
// up to MaximumConnectionAttempts attempts, after which it fails. A callback attempt that
// finds its queue and the at-capacity queue full fails too, counted as blocked there (but
// not in Totals.Blocked). Each attempt is a segment
// in the queue's figures (offered, then handled when an agent takes it).
//
// With none of this configured (no maxContacts, no at-capacity branch, no flow rule), none
// of it draws a number or schedules an event: the figures are those of a scenario written
// before flows existed, bit for bit.

// Callback is a rule's queued-callback offer, with the parameters of Connect's
// CreateCallbackContact flow action (its limits: delays of 1 .. 259,200 s, at least one
// attempt). The zero value is invalid: InitialCallDelaySeconds and
// MaximumConnectionAttempts are required.
type Callback struct {
	// Share is the probability that the contact accepts the offer, in [0, 1].
	Share float64 `json:"share"`
	// Queue is the queue the callback contact is routed with; the contact's queue when
	// empty (CreateCallbackContact's QueueId, whose default is the current queue).
	Queue string `json:"queue,omitempty"`
	// Priority is the callback contact's QueuePriority; the class's when 0.
	Priority int64 `json:"priority,omitempty"`
	// AgeAdjustment is the callback contact's routing-age adjustment; setting it to the
	// time the contact had waited keeps its place in line.
	AgeAdjustment Duration `json:"ageAdjustment,omitempty"`
	// InitialCallDelaySeconds is the time before the callback contact is queued: a whole
	// number of seconds, 1 .. 259,200 (three days), as CreateCallbackContact requires.
	InitialCallDelaySeconds int `json:"initialCallDelaySeconds"`
	// MaximumConnectionAttempts is how many times the customer is dialled at most; at
	// least 1.
	MaximumConnectionAttempts int `json:"maximumConnectionAttempts"`
	// RetryDelaySeconds is the time between an unanswered attempt and the callback's
	// return to the queue, 1 .. 259,200; required when MaximumConnectionAttempts > 1.
	RetryDelaySeconds int `json:"retryDelaySeconds,omitempty"`
	// ConnectProbability is the probability that a dial connects, in [0, 1]; 1 when nil.
	ConnectProbability *float64 `json:"connectProbability,omitempty"`
	// DialSeconds is how long an unanswered dial holds the agent (whole seconds, >= 0).
	DialSeconds int `json:"dialSeconds,omitempty"`
}

// maxCallbackDelay is CreateCallbackContact's bound on InitialCallDelaySeconds and
// RetryDelaySeconds: three days.
const maxCallbackDelay = 259200

// isFlow reports whether the rule is a transfer or a callback offer.
func (r *Rule) isFlow() bool { return r.TransferTo != "" || r.Callback != nil }

func (sc *Scenario) hasQueue(id string) bool {
	for _, q := range sc.Queues {
		if q.ID == id {
			return true
		}
	}
	return false
}

// validateFlows checks the fields of this file; it runs after the centre and the classes
// are checked.
func (sc *Scenario) validateFlows() error {
	for i := range sc.Classes {
		c := &sc.Classes[i]
		f := fmt.Sprintf("classes[%d]", i)
		if c.AtCapacity != "" && !sc.hasQueue(c.AtCapacity) {
			return fieldErr(f+".atCapacity", "unknown queue %q", c.AtCapacity)
		}
		transfers := 0
		for j := range c.Rules {
			r := &c.Rules[j]
			if !r.isFlow() {
				continue
			}
			g := fmt.Sprintf("%s.rules[%d]", f, j)
			if r.SetPriority != nil || r.AddAge != nil || r.SetRoutingCriteria != nil || (r.TransferTo != "" && r.Callback != nil) {
				return fieldErr(g, "a rule with transferTo or callback sets nothing else")
			}
			if r.TransferTo != "" {
				if !sc.hasQueue(r.TransferTo) {
					return fieldErr(g+".transferTo", "unknown queue %q", r.TransferTo)
				}
				if transfers++; transfers > routing.MaxTransfers {
					return fieldErr(g+".transferTo", "more than %d transfer rules in one class (the routing core's limit along a chain)", routing.MaxTransfers)
				}
				continue
			}
			if err := sc.validateCallback(r.Callback, g+".callback"); err != nil {
				return err
			}
		}
	}
	return nil
}

func (sc *Scenario) validateCallback(cb *Callback, f string) error {
	switch {
	case !(cb.Share >= 0 && cb.Share <= 1):
		return fieldErr(f+".share", "%v is not in [0, 1]", cb.Share)
	case cb.Queue != "" && !sc.hasQueue(cb.Queue):
		return fieldErr(f+".queue", "unknown queue %q", cb.Queue)
	case cb.Priority < 0:
		return fieldErr(f+".priority", "%d is out of range %d..%d", cb.Priority, contact.MinPriority, contact.MaxPriority)
	case cb.AgeAdjustment > maxTime || cb.AgeAdjustment < -maxTime:
		return fieldErr(f+".ageAdjustment", "%v is beyond ±100 years", cb.AgeAdjustment)
	case cb.InitialCallDelaySeconds < 1 || cb.InitialCallDelaySeconds > maxCallbackDelay:
		return fieldErr(f+".initialCallDelaySeconds", "%d is out of range 1..%d", cb.InitialCallDelaySeconds, maxCallbackDelay)
	case cb.MaximumConnectionAttempts < 1:
		return fieldErr(f+".maximumConnectionAttempts", "%d is below 1", cb.MaximumConnectionAttempts)
	case cb.MaximumConnectionAttempts > 1 && (cb.RetryDelaySeconds < 1 || cb.RetryDelaySeconds > maxCallbackDelay):
		return fieldErr(f+".retryDelaySeconds", "%d is out of range 1..%d", cb.RetryDelaySeconds, maxCallbackDelay)
	case cb.RetryDelaySeconds < 0 || cb.RetryDelaySeconds > maxCallbackDelay:
		return fieldErr(f+".retryDelaySeconds", "%d is out of range 1..%d", cb.RetryDelaySeconds, maxCallbackDelay)
	case cb.ConnectProbability != nil && !(*cb.ConnectProbability >= 0 && *cb.ConnectProbability <= 1):
		return fieldErr(f+".connectProbability", "%v is not in [0, 1]", *cb.ConnectProbability)
	case cb.DialSeconds < 0 || cb.DialSeconds > maxCallbackDelay:
		return fieldErr(f+".dialSeconds", "%d is out of range 0..%d", cb.DialSeconds, maxCallbackDelay)
	}
	return nil
}

// flowRule is a compiled transfer or callback rule: exactly one of transfer >= 0 and cb.
type flowRule struct {
	transfer int // destination queue, or -1
	cb       *callbackModel
}

// callbackModel is a compiled Callback; index numbers the scenario's callback rules (its
// random streams).
type callbackModel struct {
	index              int
	share, connect     float64
	queue              int // -1: the contact's queue
	prio               int64
	adj                int64
	delay, retry, dial int64
	attempts           int
}

// flowRuleOf compiles r's transfer or callback, nil for another rule; it marks m.flows.
func (m *model) flowRuleOf(r *Rule) *flowRule {
	switch {
	case r.TransferTo != "":
		m.flows = true
		return &flowRule{transfer: m.queueIdx[r.TransferTo]}
	case r.Callback != nil:
		cb := r.Callback
		m.flows, m.callbacks = true, true
		cm := &callbackModel{index: m.nCallbacks, share: cb.Share, connect: 1, queue: -1, prio: cb.Priority,
			adj: int64(cb.AgeAdjustment), delay: int64(cb.InitialCallDelaySeconds) * 1e9,
			retry: int64(cb.RetryDelaySeconds) * 1e9, dial: int64(cb.DialSeconds) * 1e9, attempts: cb.MaximumConnectionAttempts}
		if cb.ConnectProbability != nil {
			cm.connect = *cb.ConnectProbability
		}
		if cb.Queue != "" {
			cm.queue = m.queueIdx[cb.Queue]
		}
		m.nCallbacks++
		return &flowRule{transfer: -1, cb: cm}
	}
	return nil
}

// compileFlows compiles the at-capacity branches and marks m.flows when a queue has a
// capacity; every (queue, channel) a flow may move a contact to gets a lane. It runs
// after the classes and streams are compiled.
func (m *model) compileFlows() {
	sc := m.sc
	m.atCap = make([]int, len(m.classes))
	for i := range m.atCap {
		m.atCap[i] = -1
	}
	for _, c := range sc.Classes {
		if c.AtCapacity != "" {
			m.atCap[m.classIdx[c.ID]] = m.queueIdx[c.AtCapacity]
			m.flows = true
		}
	}
	for _, q := range sc.Queues {
		m.flows = m.flows || q.MaxContacts != nil
	}
	if m.flows {
		for q := range m.queues {
			for _, ch := range []contact.Channel{contact.Voice, contact.Chat, contact.Task, contact.Email} {
				m.lane(q, ch)
			}
		}
	}
}
