package connectapi

import (
	"context"

	"github.com/routesim/routesim/routing"
)

// The queue operations: ListQueues, DescribeQueue, CreateQueue, UpdateQueueName,
// UpdateQueueStatus, UpdateQueueMaxContacts. Every queue is STANDARD: routesim has no agent
// queues.

type queueSummaryJSON struct {
	Id                 string     `json:"Id"`
	Arn                string     `json:"Arn"`
	Name               string     `json:"Name,omitempty"`
	QueueType          string     `json:"QueueType"`
	LastModifiedTime   *epochTime `json:"LastModifiedTime,omitempty"`
	LastModifiedRegion string     `json:"LastModifiedRegion"`
}

type listQueuesOutput struct {
	QueueSummaryList []queueSummaryJSON `json:"QueueSummaryList"`
	NextToken        *string            `json:"NextToken,omitempty"`
}

func decodeListQueues(h *Handler, p params, _ []byte) (call, error) {
	inst, err := pathID(p, "InstanceId", maxInstanceID)
	if err != nil {
		return nil, err
	}
	types := p.query["queueTypes"]
	if len(types) > 2 {
		return nil, invalidParam("QueueTypes has %d members; at most 2", len(types))
	}
	standard := len(types) == 0
	for _, t := range types {
		switch t {
		case "STANDARD":
			standard = true
		case "AGENT":
		default:
			return nil, invalidParam("QueueTypes member %q is not STANDARD or AGENT", t)
		}
	}
	pg, err := queryPage(p, 1000)
	if err != nil {
		return nil, err
	}
	return func(ctx context.Context) (any, error) {
		in, ia, err := h.instanceWithAPI(inst)
		if err != nil {
			return nil, err
		}
		var all []queueSummaryJSON
		if standard {
			for _, q := range in.Queues() {
				all = append(all, queueSummaryJSON{Id: q.ID, Arn: h.arn(inst, "queue", q.ID), Name: q.Name,
					QueueType: "STANDARD", LastModifiedTime: ia.modified(q), LastModifiedRegion: h.region})
			}
		}
		page, next, err := cutPage(all, pg)
		if err != nil {
			return nil, err
		}
		return listQueuesOutput{QueueSummaryList: page, NextToken: next}, nil
	}, nil
}

// modified is a queue's LastModifiedTime: when it was last changed at run time, else when
// the configuration made it.
func (ia *instanceAPI) modified(q routing.QueueInfo) *epochTime {
	if q.LastModified.IsZero() {
		return epochPtr(ia.created)
	}
	return epochPtr(q.LastModified)
}

type queueJSON struct {
	Name               string            `json:"Name,omitempty"`
	QueueArn           string            `json:"QueueArn"`
	QueueId            string            `json:"QueueId"`
	Description        string            `json:"Description,omitempty"`
	HoursOfOperationId string            `json:"HoursOfOperationId,omitempty"`
	MaxContacts        *int              `json:"MaxContacts,omitempty"`
	Status             string            `json:"Status"`
	Tags               map[string]string `json:"Tags,omitempty"`
	LastModifiedTime   *epochTime        `json:"LastModifiedTime,omitempty"`
	LastModifiedRegion string            `json:"LastModifiedRegion"`
}

func decodeDescribeQueue(h *Handler, p params, _ []byte) (call, error) {
	inst, qid, err := instanceAndQueue(p)
	if err != nil {
		return nil, err
	}
	return func(ctx context.Context) (any, error) {
		in, ia, err := h.instanceWithAPI(inst)
		if err != nil {
			return nil, err
		}
		q, err := in.DescribeQueue(qid)
		if err != nil {
			return nil, err
		}
		return struct {
			Queue queueJSON `json:"Queue"`
		}{queueJSON{Name: q.Name, QueueArn: h.arn(inst, "queue", q.ID), QueueId: q.ID, Description: q.Description,
			HoursOfOperationId: q.HoursOfOperationID, MaxContacts: q.MaxContacts, Status: string(q.Status), Tags: q.Tags,
			LastModifiedTime: ia.modified(q), LastModifiedRegion: h.region}}, nil
	}, nil
}

func instanceAndQueue(p params) (string, string, error) {
	inst, err := pathID(p, "InstanceId", maxInstanceID)
	if err != nil {
		return "", "", err
	}
	q, err := pathID(p, "QueueId", maxOtherID)
	return inst, q, err
}

// createQueueInput holds CreateQueue's body. OutboundCallerConfig, OutboundEmailConfig and
// EmailAddressesConfig are accepted and ignored: routesim places no outbound contacts.
type createQueueInput struct {
	Name               *string
	Description        *string
	HoursOfOperationId *string
	MaxContacts        *int32
	QuickConnectIds    []string
	Tags               map[string]string
}

func decodeCreateQueue(h *Handler, p params, body []byte) (call, error) {
	inst, err := pathID(p, "InstanceId", maxInstanceID)
	if err != nil {
		return nil, err
	}
	var in createQueueInput
	if err := decodeBody(body, &in); err != nil {
		return nil, err
	}
	name, err := requireID("Name", in.Name, routing.MaxQueueNameLen)
	if err != nil {
		return nil, err
	}
	hours, err := requireID("HoursOfOperationId", in.HoursOfOperationId, maxOtherID)
	if err != nil {
		return nil, err
	}
	if err := firstErr(checkDescription(in.Description), checkMaxContacts(in.MaxContacts), checkTags(in.Tags)); err != nil {
		return nil, err
	}
	if in.QuickConnectIds != nil && (len(in.QuickConnectIds) < 1 || len(in.QuickConnectIds) > 50) {
		return nil, invalidParam("QuickConnectIds has %d members; it must have 1..50", len(in.QuickConnectIds))
	}
	return func(ctx context.Context) (any, error) {
		rin, ia, err := h.instanceWithAPI(inst)
		if err != nil {
			return nil, err
		}
		if _, ok := ia.hoursByID(hours); !ok {
			return nil, notFound("hours of operation %q not found in instance %q", hours, inst)
		}
		if len(in.QuickConnectIds) > 0 { // routesim has no quick connects
			return nil, notFound("quick connect %q not found in instance %q", in.QuickConnectIds[0], inst)
		}
		qc := routing.QueueConfig{ID: newUUID(), Name: name, HoursOfOperationID: hours, Tags: in.Tags}
		if in.Description != nil {
			qc.Description = *in.Description
		}
		if in.MaxContacts != nil {
			m := int(*in.MaxContacts)
			qc.MaxContacts = &m
		}
		if err := rin.CreateQueue(qc); err != nil {
			return nil, err
		}
		return struct {
			QueueArn string `json:"QueueArn"`
			QueueId  string `json:"QueueId"`
		}{h.arn(inst, "queue", qc.ID), qc.ID}, nil
	}, nil
}

func checkDescription(d *string) error {
	if d != nil && (*d == "" || len([]rune(*d)) > routing.MaxQueueDescriptionLen) {
		return invalidParam("Description must be 1..%d characters", routing.MaxQueueDescriptionLen)
	}
	return nil
}

func checkMaxContacts(m *int32) error {
	if m != nil && *m < 0 {
		return invalidParam("MaxContacts %d is negative; it must be >= 0", *m)
	}
	return nil
}

// updateQueueNameInput holds UpdateQueueName's body.
type updateQueueNameInput struct {
	Name        *string
	Description *string
}

func decodeUpdateQueueName(h *Handler, p params, body []byte) (call, error) {
	inst, qid, err := instanceAndQueue(p)
	if err != nil {
		return nil, err
	}
	var in updateQueueNameInput
	if err := decodeBody(body, &in); err != nil {
		return nil, err
	}
	if in.Name != nil && (*in.Name == "" || len([]rune(*in.Name)) > routing.MaxQueueNameLen) {
		return nil, invalidParam("Name must be 1..%d characters", routing.MaxQueueNameLen)
	}
	if err := checkDescription(in.Description); err != nil {
		return nil, err
	}
	return h.onQueue(inst, func(rin *routing.Instance) error { return rin.UpdateQueueName(qid, in.Name, in.Description) }), nil
}

// onQueue is the call of an update that answers {}.
func (h *Handler) onQueue(inst string, f func(*routing.Instance) error) call {
	return func(ctx context.Context) (any, error) {
		rin, _, err := h.instanceWithAPI(inst)
		if err != nil {
			return nil, err
		}
		if err := f(rin); err != nil {
			return nil, err
		}
		return empty{}, nil
	}
}

func decodeUpdateQueueStatus(h *Handler, p params, body []byte) (call, error) {
	inst, qid, err := instanceAndQueue(p)
	if err != nil {
		return nil, err
	}
	var in struct{ Status *string }
	if err := decodeBody(body, &in); err != nil {
		return nil, err
	}
	st, err := requireID("Status", in.Status, maxOtherID)
	if err != nil {
		return nil, err
	}
	if st != string(routing.QueueEnabled) && st != string(routing.QueueDisabled) {
		return nil, invalidParam("Status %q is not ENABLED or DISABLED", st)
	}
	return h.onQueue(inst, func(rin *routing.Instance) error {
		return rin.UpdateQueueStatus(qid, routing.QueueStatus(st))
	}), nil
}

func decodeUpdateQueueMaxContacts(h *Handler, p params, body []byte) (call, error) {
	inst, qid, err := instanceAndQueue(p)
	if err != nil {
		return nil, err
	}
	var in struct{ MaxContacts *int32 }
	if err := decodeBody(body, &in); err != nil {
		return nil, err
	}
	if err := checkMaxContacts(in.MaxContacts); err != nil {
		return nil, err
	}
	var m *int
	if in.MaxContacts != nil {
		v := int(*in.MaxContacts)
		m = &v
	}
	return h.onQueue(inst, func(rin *routing.Instance) error { return rin.UpdateQueueMaxContacts(qid, m) }), nil
}
