package routing

import (
	"fmt"
	"time"

	"github.com/routesim/routesim/contact"
)

// MaxTransfers is how many times a contact chain may be transferred (the TransferContact
// API reference: "A contact cannot be transferred more than 11 times").
const MaxTransfers = 11

// TransferSpec says where TransferContact sends a contact and how the new contact starts
// there: the transfer flow's "Set routing priority / age" and "Set routing criteria" blocks.
type TransferSpec struct {
	// QueueID names the destination queue; required. It may be the contact's own queue.
	QueueID string
	// Priority is the new contact's QueuePriority; 0 means contact.DefaultPriority.
	Priority int64
	// AgeAdjustment is the new contact's routing-age adjustment.
	AgeAdjustment time.Duration
	// RoutingCriteria, when not nil, are the new contact's criteria, step 1 active from the
	// transfer.
	RoutingCriteria *RoutingCriteriaInput
	// AfterContactWork holds the agent's slot that long when the contact was with an agent.
	AfterContactWork time.Duration
}

// TransferContact moves an active TASK or EMAIL contact, waiting or with an agent, to a
// queue, as Amazon Connect's TransferContact does with a transfer-to-queue flow: the
// contact ends (reason Transferred) and a new contact, with a new ID that is returned,
// enters the destination queue, linked to it (ContactInfo.PreviousContactID,
// InitialContactID) and sharing its name, description and attributes.
//
// The new contact is a new segment: its EnqueuedAt, hence its real wait, its reported wait
// and the destination's queue metrics, start at the transfer; its QueuePriority, routing-age
// adjustment and routing criteria are spec's (the transfer flow's), not the old contact's.
// An agent holding the old contact keeps its slot for spec.AfterContactWork. Routing is
// that of EndContact followed by StartContact at the same instant: the freed agent takes
// what waits for it first, then the new contact is offered.
//
// Errors: *ResourceNotFoundException for an unknown contact or queue;
// *InvalidRequestException wrapping ErrNotTransferable for a contact that has ended or is
// not TASK or EMAIL, wrapping ErrQueueDisabled for a DISABLED destination;
// *ServiceQuotaExceededException wrapping ErrTransferLimit after MaxTransfers transfers,
// wrapping ErrQueueAtCapacity for a full destination (the old contact, if it waits there,
// does not count); *InvalidParameterException for a negative priority or after-contact
// work, an overflowing age adjustment or bad criteria. A failed call changes nothing.
//
// The cost is EndContact's plus StartContact's.
func (in *Instance) TransferContact(id contact.ID, spec TransferSpec) (contact.ID, error) {
	now := in.lock()
	defer in.mu.Unlock()
	r, ok := in.contacts.get(id)
	if !ok {
		return "", notFound("contact %q not found in instance %q", id, in.id)
	}
	m := in.meta[r]
	if err := in.checkTransfer(r, m, &spec, now); err != nil {
		return "", err
	}
	p, err := in.criteriaFor(&ContactSpec{RoutingCriteria: spec.RoutingCriteria})
	if err != nil {
		return "", err
	}
	newID := in.newID()
	next := &contactMeta{prev: r.c.ID, initial: r.c.ID, transfers: 1}
	if m != nil {
		next.name, next.desc, next.attrs, next.transfers = m.name, m.desc, m.attrs, m.transfers+1
		if m.initial != "" {
			next.initial = m.initial
		}
	}
	tag, ch := r.tag, r.c.Channel
	if p != nil {
		// Held across the old contact's end: its release, or that of a contact its agent
		// then takes, could free an expr p names.
		in.ref(p)
	}
	in.endForTransfer(r, spec.AfterContactWork, now)
	got, err := in.start(ContactSpec{ID: newID, QueueID: spec.QueueID, Channel: ch, Priority: spec.Priority,
		AgeAdjustment: spec.AgeAdjustment, Tag: tag, Criteria: p}, now)
	if err != nil { // checkTransfer has ruled out every failure of start
		panic(fmt.Sprintf("routing: internal error: transfer checked but start failed: %v", err))
	}
	if p != nil {
		in.unref(p) // the new contact holds them now
	}
	in.attachMeta(got, next)
	return got, nil
}

// checkTransfer returns why r cannot be transferred as spec says, or nil.
func (in *Instance) checkTransfer(r *record, m *contactMeta, spec *TransferSpec, now time.Time) error {
	switch {
	case r.state == Ended:
		return &InvalidRequestException{Message: fmt.Sprintf("contact %q has ended (%s): only active contacts can be transferred",
			r.c.ID, r.reason), Cause: ErrNotTransferable}
	case r.c.Channel != contact.Task && r.c.Channel != contact.Email:
		return &InvalidRequestException{Message: fmt.Sprintf("contact %q is %s: only TASK and EMAIL contacts can be transferred",
			r.c.ID, r.c.Channel), Cause: ErrNotTransferable}
	case m != nil && m.transfers >= MaxTransfers:
		return &ServiceQuotaExceededException{Message: fmt.Sprintf("contact %q has been transferred %d times; the limit is %d",
			r.c.ID, m.transfers, MaxTransfers), Cause: ErrTransferLimit}
	case spec.Priority < 0:
		return invalidParam("priority %d is out of range %d..%d", spec.Priority, contact.MinPriority, contact.MaxPriority)
	case spec.AfterContactWork < 0:
		return invalidParam("after-contact work %v is negative", spec.AfterContactWork)
	}
	qs, ok := in.queues[spec.QueueID]
	if !ok {
		return notFound("queue %q not found in instance %q", spec.QueueID, in.id)
	}
	probe := contact.Contact{ID: r.c.ID, EnqueuedAt: now}
	if err := probe.CheckAdjustment(spec.AgeAdjustment); err != nil {
		return invalidParam("%v", err)
	}
	leaving := 0
	if r.state == Waiting && r.lane.q == qs {
		leaving = 1
	}
	return qs.admit(leaving)
}

// endForTransfer ends r, waiting or with an agent, with reason Transferred, as EndContact
// does: a waiting contact's criteria release their exprs.
func (in *Instance) endForTransfer(r *record, acw time.Duration, now time.Time) {
	a := r.agent
	waiting := r.state == Waiting
	if waiting {
		in.unqueue(r, r.lane, nil, nil)
	} else {
		in.release(a, r, acw, now)
	}
	if in.hist != nil {
		in.contactEnded(r, waiting, Transferred, acw, now)
	}
	r.state, r.reason, r.endedAt = Ended, Transferred, now
	in.emitContact(ContactEnded, r, now)
	if waiting && r.hasCrit {
		in.unref(r.cs.crit) // before retire, which may recycle the record and its cs
	}
	in.retire(r)
	if a != nil && acw <= 0 {
		in.offerAgent(a, now)
	}
}
