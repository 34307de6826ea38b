package routing

import (
	"fmt"
	"maps"
	"time"

	"github.com/routesim/routesim/queue"
)

// QueueStatus is a queue's status: ENABLED or DISABLED (Connect's QueueStatus).
type QueueStatus string

// Queue statuses.
const (
	QueueEnabled  QueueStatus = "ENABLED"
	QueueDisabled QueueStatus = "DISABLED"
)

// Limits of queue administration.
const (
	// MaxQueues is how many queues an instance may hold: Amazon Connect's default quota of
	// queues per instance (5,000). CreateQueue beyond it is a LimitExceededException.
	MaxQueues = 5000
	// MaxQueueNameLen and MaxQueueDescriptionLen are the API model's limits
	// (CommonNameLength127, QueueDescription).
	MaxQueueNameLen        = 127
	MaxQueueDescriptionLen = 250
)

// queueAdmin is what a queue holds beyond its routing: status, capacity and the members
// the API reports.
type queueAdmin struct {
	gated       bool // disabled || maxContacts >= 0: the one test a start pays otherwise
	disabled    bool
	maxContacts int // -1: no limit
	desc, hours string
	tags        map[string]string
	modified    time.Time
}

// check returns the field and reason a queue configuration is invalid for, or "" and "".
func (qc *QueueConfig) check() (string, string) {
	switch {
	case qc.Status != "" && qc.Status != QueueEnabled && qc.Status != QueueDisabled:
		return "status", fmt.Sprintf("%q is not ENABLED or DISABLED", qc.Status)
	case qc.MaxContacts != nil && *qc.MaxContacts < 0:
		return "maxContacts", fmt.Sprintf("%d is negative", *qc.MaxContacts)
	case len(qc.Name) > 0 && len([]rune(qc.Name)) > MaxQueueNameLen:
		return "name", fmt.Sprintf("longer than %d characters", MaxQueueNameLen)
	case len([]rune(qc.Description)) > MaxQueueDescriptionLen:
		return "description", fmt.Sprintf("longer than %d characters", MaxQueueDescriptionLen)
	}
	return "", ""
}

// addQueue builds a queue from a checked configuration and adds it, modified at now.
func (in *Instance) addQueue(qc QueueConfig, now time.Time) *queueState {
	qs := &queueState{id: qc.ID, name: qc.Name}
	for ch := range qs.lanes {
		qs.lanes[ch] = &lane{q: qs, ch: ch, all: queue.NewHeap()}
	}
	qs.adm = queueAdmin{disabled: qc.Status == QueueDisabled, maxContacts: -1, desc: qc.Description,
		hours: qc.HoursOfOperationID, tags: maps.Clone(qc.Tags), modified: now}
	if qc.MaxContacts != nil {
		qs.adm.maxContacts = *qc.MaxContacts
	}
	qs.adm.regate()
	in.queues[qc.ID] = qs
	in.qorder = append(in.qorder, qs)
	return qs
}

func (a *queueAdmin) regate() { a.gated = a.disabled || a.maxContacts >= 0 }

// waiting counts the contacts waiting in the queue, all channels. O(lanes + groups).
func (qs *queueState) waiting() int {
	n := 0
	for _, l := range qs.lanes {
		n += l.all.Len()
		for _, g := range l.glist {
			n += g.all.len()
		}
	}
	return n
}

// admit returns why the queue refuses a new contact, or nil; leaving counts contacts of the
// queue that leave it as the new one arrives (a transfer within the queue). It is
// *InvalidRequestException wrapping ErrQueueDisabled for a DISABLED queue, and
// *ServiceQuotaExceededException wrapping ErrQueueAtCapacity for a full one. O(1) for a
// queue without status or limit, else O(lanes + groups).
func (qs *queueState) admit(leaving int) error {
	if !qs.adm.gated {
		return nil
	}
	if qs.adm.disabled {
		return &InvalidRequestException{Message: fmt.Sprintf("queue %q is DISABLED: it takes no new contacts", qs.id),
			Cause: ErrQueueDisabled}
	}
	if n := qs.waiting() - leaving; n >= qs.adm.maxContacts {
		return &ServiceQuotaExceededException{Message: fmt.Sprintf("queue %q is at capacity: %d contacts waiting, MaxContacts %d",
			qs.id, n, qs.adm.maxContacts), Cause: ErrQueueAtCapacity}
	}
	return nil
}

// QueueInfo describes a queue, as DescribeQueue reports it.
type QueueInfo struct {
	ID, Name, Description, HoursOfOperationID string
	Status                                    QueueStatus
	// MaxContacts is nil when the queue has no limit.
	MaxContacts *int
	Tags        map[string]string
	// LastModified is when the queue was created or last changed at run time; zero for a
	// queue of the configuration never changed.
	LastModified time.Time
	// Waiting counts the contacts waiting in it, all channels.
	Waiting int
}

func (qs *queueState) info() QueueInfo {
	qi := QueueInfo{ID: qs.id, Name: qs.name, Description: qs.adm.desc, HoursOfOperationID: qs.adm.hours,
		Status: QueueEnabled, Tags: maps.Clone(qs.adm.tags), LastModified: qs.adm.modified, Waiting: qs.waiting()}
	if qs.adm.disabled {
		qi.Status = QueueDisabled
	}
	if m := qs.adm.maxContacts; m >= 0 {
		qi.MaxContacts = &m
	}
	return qi
}

// DescribeQueue returns a queue's configuration and status. Error:
// *ResourceNotFoundException. The cost is O(lanes + groups + tags).
func (in *Instance) DescribeQueue(queueID string) (QueueInfo, error) {
	in.lock()
	defer in.mu.Unlock()
	qs, ok := in.queues[queueID]
	if !ok {
		return QueueInfo{}, notFound("queue %q not found in instance %q", queueID, in.id)
	}
	return qs.info(), nil
}

// Queues returns every queue of the instance in creation order (configuration first). The
// cost is O(q) for q queues.
func (in *Instance) Queues() []QueueInfo {
	in.lock()
	defer in.mu.Unlock()
	out := make([]QueueInfo, len(in.qorder))
	for i, qs := range in.qorder {
		out[i] = qs.info()
	}
	return out
}

// CreateQueue adds a queue at run time, served by no routing profile until one lists it.
// Errors: *InvalidParameterException for an empty ID or an invalid field (naming it),
// *DuplicateResourceException for an ID or a non-empty name already in use,
// *LimitExceededException beyond MaxQueues. A failed call changes nothing. The cost is
// O(q) for q queues (the name check).
func (in *Instance) CreateQueue(qc QueueConfig) error {
	now := in.lock()
	defer in.mu.Unlock()
	if qc.ID == "" {
		return invalidParam("queue ID must not be empty")
	}
	if field, msg := qc.check(); msg != "" {
		return invalidParam("queue %s: %s", field, msg)
	}
	if _, dup := in.queues[qc.ID]; dup {
		return &DuplicateResourceException{Message: fmt.Sprintf("queue %q already exists in instance %q", qc.ID, in.id)}
	}
	if err := in.nameFree(qc.Name, nil); err != nil {
		return err
	}
	if len(in.qorder) >= MaxQueues {
		return &LimitExceededException{Message: fmt.Sprintf("instance %q has %d queues; the limit is %d", in.id, len(in.qorder), MaxQueues)}
	}
	in.addQueue(qc, now)
	return nil
}

// nameFree reports a DuplicateResourceException when another queue than self has name.
func (in *Instance) nameFree(name string, self *queueState) error {
	if name == "" {
		return nil
	}
	for _, qs := range in.qorder {
		if qs != self && qs.name == name {
			return &DuplicateResourceException{Message: fmt.Sprintf("a queue named %q already exists in instance %q (%s)", name, in.id, qs.id)}
		}
	}
	return nil
}

// UpdateQueueName sets a queue's name and/or description (nil leaves one as it is).
// Errors: *ResourceNotFoundException, *InvalidParameterException when both are nil or one
// is out of bounds (name 1..MaxQueueNameLen, description 1..MaxQueueDescriptionLen
// characters), *DuplicateResourceException for a name another queue has. A failed call
// changes nothing. The cost is O(q) for q queues.
func (in *Instance) UpdateQueueName(queueID string, name, description *string) error {
	now := in.lock()
	defer in.mu.Unlock()
	qs, ok := in.queues[queueID]
	switch {
	case !ok:
		return notFound("queue %q not found in instance %q", queueID, in.id)
	case name == nil && description == nil:
		return invalidParam("UpdateQueueName needs Name or Description")
	case name != nil && (*name == "" || len([]rune(*name)) > MaxQueueNameLen):
		return invalidParam("Name %q must be 1..%d characters", *name, MaxQueueNameLen)
	case description != nil && (*description == "" || len([]rune(*description)) > MaxQueueDescriptionLen):
		return invalidParam("Description must be 1..%d characters", MaxQueueDescriptionLen)
	}
	if name != nil {
		if err := in.nameFree(*name, qs); err != nil {
			return err
		}
		qs.name = *name
	}
	if description != nil {
		qs.adm.desc = *description
	}
	qs.adm.modified = now
	return nil
}

// UpdateQueueStatus enables or disables a queue. A DISABLED queue takes no new contacts or
// transfers; the contacts waiting in it stay and are routed as before, so routing changes
// nothing. Errors: *ResourceNotFoundException, *InvalidParameterException for a status
// other than ENABLED or DISABLED. The cost is O(1).
func (in *Instance) UpdateQueueStatus(queueID string, st QueueStatus) error {
	now := in.lock()
	defer in.mu.Unlock()
	qs, ok := in.queues[queueID]
	switch {
	case !ok:
		return notFound("queue %q not found in instance %q", queueID, in.id)
	case st != QueueEnabled && st != QueueDisabled:
		return invalidParam("Status %q is not ENABLED or DISABLED", st)
	}
	qs.adm.disabled = st == QueueDisabled
	qs.adm.regate()
	qs.adm.modified = now
	return nil
}

// UpdateQueueMaxContacts sets how many contacts may wait in a queue; nil removes the limit.
// Contacts already waiting beyond a lowered limit stay. Errors: *ResourceNotFoundException,
// *InvalidParameterException for a negative limit. The cost is O(1).
func (in *Instance) UpdateQueueMaxContacts(queueID string, maxContacts *int) error {
	now := in.lock()
	defer in.mu.Unlock()
	qs, ok := in.queues[queueID]
	switch {
	case !ok:
		return notFound("queue %q not found in instance %q", queueID, in.id)
	case maxContacts != nil && *maxContacts < 0:
		return invalidParam("MaxContacts %d is negative", *maxContacts)
	}
	qs.adm.maxContacts = -1
	if maxContacts != nil {
		qs.adm.maxContacts = *maxContacts
	}
	qs.adm.regate()
	qs.adm.modified = now
	return nil
}
