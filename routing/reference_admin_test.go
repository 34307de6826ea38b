package routing_test

import (
	"fmt"
	"slices"
	"time"

	"pgregory.net/rapid"

	"github.com/routesim/routesim/contact"
	"github.com/routesim/routesim/routing"
)

// refAdmin is the reference's model of queue administration and transfers, written from
// the godoc of UpdateQueueStatus, UpdateQueueMaxContacts, StartContact and TransferContact:
// a DISABLED queue refuses new contacts and transfers, a queue holding MaxContacts waiting
// contacts (all channels) refuses them too, the contact leaving by the transfer not
// counted; only TASK and EMAIL contacts that have not ended may be transferred, at most
// routing.MaxTransfers times along a chain; a transfer is EndContact (reason Transferred)
// then StartContact of a new contact in the destination.
type refAdmin struct {
	disabled  map[string]bool
	max       map[string]int // absent: no limit
	transfers map[string]int // by contact ID, along its chain
}

func newRefAdmin() *refAdmin {
	return &refAdmin{disabled: map[string]bool{}, max: map[string]int{}, transfers: map[string]int{}}
}

// admit returns the exception code a start into queue gets, or "".
func (q *refAdmin) admit(r *refRouter, queue, leaving string) string {
	if q.disabled[queue] {
		return "InvalidRequestException"
	}
	limit, ok := q.max[queue]
	if !ok {
		return ""
	}
	n := 0
	for _, c := range r.contacts {
		if c.state == routing.Waiting && c.queue == queue && c.id != leaving {
			n++
		}
	}
	if n >= limit {
		return "ServiceQuotaExceededException"
	}
	return ""
}

// transferCode returns the exception code TransferContact(id, queue) gets, or "".
func (q *refAdmin) transferCode(r *refRouter, id, queue string) string {
	c, ok := r.contacts[id]
	switch {
	case !ok:
		return "ResourceNotFoundException"
	case c.state == routing.Ended, c.ch != contact.Task && c.ch != contact.Email:
		return "InvalidRequestException"
	case q.transfers[id] >= routing.MaxTransfers:
		return "ServiceQuotaExceededException"
	}
	leaving := ""
	if c.state == routing.Waiting {
		leaving = id
	}
	return q.admit(r, queue, leaving)
}

// transfer moves contact id, which transferCode allows, to queue as newID, with criteria rc
// (nil for none).
func (q *refAdmin) transfer(r *refRouter, id, newID, queue string, prio int64, acw time.Duration, rc *routing.RoutingCriteriaInput) {
	c := r.contacts[id]
	wasWith := c.state == routing.WithAgent
	c.state, c.reason, c.endedAt = routing.Ended, routing.Transferred, r.now
	if wasWith {
		a := r.agent(c.agent)
		a.contacts = slices.DeleteFunc(a.contacts, func(s string) bool { return s == id })
		if acw > 0 {
			a.acw++
			r.addTimer(refTimer{at: r.now + acw, agent: a, ch: c.ch})
		} else {
			a.held[c.ch]--
			a.lastAct, a.lastIn = r.now, r.now
			r.takeAll(a)
		}
	}
	q.transfers[newID] = q.transfers[id] + 1
	r.startWith(newID, queue, c.ch, prio, 0, rc)
}

// queueStatus enables or disables a queue, in the instance and the reference.
func (m *machine) queueStatus(t *rapid.T) {
	q := rapid.SampledFrom(m.cfg.Queues).Draw(t, "queue").ID
	off := rapid.IntRange(0, 3).Draw(t, "disable") == 0
	st := routing.QueueEnabled
	if off {
		st = routing.QueueDisabled
	}
	expectCode(t, "UpdateQueueStatus", m.h.in.UpdateQueueStatus(q, st), "")
	m.adm.disabled[q] = off
}

// queueMax sets or removes a queue's limit.
func (m *machine) queueMax(t *rapid.T) {
	q := rapid.SampledFrom(m.cfg.Queues).Draw(t, "queue").ID
	n := rapid.IntRange(-1, 3).Draw(t, "max")
	var p *int
	delete(m.adm.max, q)
	if n >= 0 {
		p = &n
		m.adm.max[q] = n
	}
	expectCode(t, "UpdateQueueMaxContacts", m.h.in.UpdateQueueMaxContacts(q, p), "")
}

// transfer transfers a contact, in any state, to a queue.
func (m *machine) transfer(t *rapid.T) {
	id := rapid.SampledFrom(m.contactIDs(true)).Draw(t, "contact")
	q := rapid.SampledFrom(m.cfg.Queues).Draw(t, "queue").ID
	prio := rapid.SampledFrom([]int64{0, 1, 3}).Draw(t, "priority")
	acw := sec(rapid.SampledFrom([]int{0, 0, 5}).Draw(t, "acw"))
	got, err := m.h.in.TransferContact(contact.ID(id), routing.TransferSpec{QueueID: q, Priority: prio, AfterContactWork: acw})
	code := m.adm.transferCode(m.ref, id, q)
	expectCode(t, fmt.Sprintf("TransferContact(%s, %s)", id, q), err, code)
	if code == "" {
		m.adm.transfer(m.ref, id, string(got), q, prio, acw, nil)
	}
}
