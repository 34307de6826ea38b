package connectapi

import (
	"context"
	"encoding/json"
	"math"
	"time"

	"github.com/routesim/routesim/contact"
	"github.com/routesim/routesim/routing"
)

// empty is the body of operations that return nothing: {}.
type empty struct{}

// resolveFlow finds an instance's flow; the instance must exist in the service.
func (h *Handler) resolveFlow(instanceID, flowID string) (FlowConfig, *instanceAPI, error) {
	if _, ok := h.svc.Instance(instanceID); !ok {
		return FlowConfig{}, nil, notFound("instance %q not found", instanceID)
	}
	ia := h.insts[instanceID]
	if ia == nil {
		return FlowConfig{}, nil, notFound("contact flow %q not found in instance %q", flowID, instanceID)
	}
	f, ok := ia.flows[flowID]
	if !ok {
		return FlowConfig{}, nil, notFound("contact flow %q not found in instance %q", flowID, instanceID)
	}
	return f, ia, nil
}

// requireFlowIDs checks the InstanceId and ContactFlowId members the Start*Contact
// operations share.
func requireFlowIDs(inst, flow *string) (string, string, error) {
	i, err := requireID("InstanceId", inst, maxInstanceID)
	if err != nil {
		return "", "", err
	}
	f, err := requireID("ContactFlowId", flow, maxFlowID)
	if err != nil {
		return "", "", err
	}
	return i, f, nil
}

// startContact starts a contact through an instance's flow, once per ClientToken and
// operation: a token repeated within one operation returns the contact it started, as the
// service's idempotency does (the other parameters are not compared); the same token in
// another operation starts a contact of its own. Tokens are remembered for maxTokenAge of
// the service's clock, at most maxTokens per instance.
func (h *Handler) startContact(ctx context.Context, op, instanceID, flowID string, ch contact.Channel, token *string, kept *startTaskContactInput) (string, error) {
	f, ia, err := h.resolveFlow(instanceID, flowID)
	if err != nil {
		return "", err
	}
	ia.mu.Lock()
	defer ia.mu.Unlock()
	now := h.svc.Clock().Now()
	key := ""
	if token != nil && *token != "" {
		key = op + "\x00" + *token
		if id, ok := ia.tokens.get(key, now); ok {
			return id, nil
		}
	}
	in := &routing.StartContactInput{InstanceId: &instanceID, QueueId: &f.QueueID, Channel: ch}
	if f.Priority > 0 {
		in.QueuePriority = &f.Priority
	}
	if f.AgeAdjustmentSeconds != 0 {
		in.QueueTimeAdjustmentSeconds = &f.AgeAdjustmentSeconds
	}
	in.RoutingCriteria = f.RoutingCriteria
	if kept != nil {
		in.Name, in.Description, in.Attributes = kept.Name, kept.Description, kept.Attributes
	}
	out, err := h.svc.StartContact(ctx, in)
	if err != nil {
		return "", err
	}
	if key != "" {
		ia.tokens.put(key, *out.ContactId, now)
	}
	return *out.ContactId, nil
}

// startTaskContactInput holds the members of StartTaskContact that routesim reads.
type startTaskContactInput struct {
	InstanceId    *string
	ContactFlowId *string
	Name          *string
	Description   *string
	ClientToken   *string
	ScheduledTime json.RawMessage
	Attributes    map[string]string
}

type startContactOutput struct {
	ContactId string `json:"ContactId"`
}

func decodeStartTaskContact(h *Handler, _ params, body []byte) (call, error) {
	var in startTaskContactInput
	if err := decodeBody(body, &in); err != nil {
		return nil, err
	}
	inst, flow, err := requireFlowIDs(in.InstanceId, in.ContactFlowId)
	if err != nil {
		return nil, err
	}
	if in.Name == nil {
		return nil, invalidParam("Name is required")
	}
	if err := firstErr(checkLen("Name", *in.Name, maxTaskName),
		optionalLen("Description", in.Description, maxDescription),
		optionalLen("ClientToken", in.ClientToken, maxClientToken), checkAttributes(in.Attributes)); err != nil {
		return nil, err
	}
	if isSet(in.ScheduledTime) {
		return nil, invalidParam("ScheduledTime is not supported by routesim: a task enters its queue when started")
	}
	return func(ctx context.Context) (any, error) {
		id, err := h.startContact(ctx, "StartTaskContact", inst, flow, contact.Task, in.ClientToken, &in)
		if err != nil {
			return nil, err
		}
		return startContactOutput{ContactId: id}, nil
	}, nil
}

// startChatContactInput holds the members of StartChatContact that routesim reads.
type startChatContactInput struct {
	InstanceId         *string
	ContactFlowId      *string
	ClientToken        *string
	ParticipantDetails *struct{ DisplayName *string }
}

type startChatContactOutput struct {
	ContactId        string `json:"ContactId"`
	ParticipantId    string `json:"ParticipantId"`
	ParticipantToken string `json:"ParticipantToken"`
}

func decodeStartChatContact(h *Handler, _ params, body []byte) (call, error) {
	var in startChatContactInput
	if err := decodeBody(body, &in); err != nil {
		return nil, err
	}
	inst, flow, err := requireFlowIDs(in.InstanceId, in.ContactFlowId)
	if err != nil {
		return nil, err
	}
	if in.ParticipantDetails == nil {
		return nil, invalidParam("ParticipantDetails is required")
	}
	if _, err := requireID("ParticipantDetails.DisplayName", in.ParticipantDetails.DisplayName, maxOtherID); err != nil {
		return nil, err
	}
	if err := optionalLen("ClientToken", in.ClientToken, maxClientToken); err != nil {
		return nil, err
	}
	return func(ctx context.Context) (any, error) {
		id, err := h.startContact(ctx, "StartChatContact", inst, flow, contact.Chat, in.ClientToken, nil)
		if err != nil {
			return nil, chatQuota(err)
		}
		return startChatContactOutput{ContactId: id, ParticipantId: id + "-customer",
			ParticipantToken: "routesim-participant-token-" + id}, nil
	}, nil
}

// updateContactRoutingDataInput holds the body members of UpdateContactRoutingData.
type updateContactRoutingDataInput struct {
	QueuePriority              *int64
	QueueTimeAdjustmentSeconds *int32
	RoutingCriteria            *routing.RoutingCriteriaInput
}

func decodeUpdateContactRoutingData(h *Handler, p params, body []byte) (call, error) {
	inst, id, err := instanceAndContact(p)
	if err != nil {
		return nil, err
	}
	var in updateContactRoutingDataInput
	if err := decodeBody(body, &in); err != nil {
		return nil, err
	}
	// RoutingCriteria are checked by the routing core: against the instance's attributes
	// and agents, and with the contact's state, atomically.
	return func(ctx context.Context) (any, error) {
		_, err := h.svc.UpdateContactRoutingData(ctx, &routing.UpdateContactRoutingDataInput{
			InstanceId: &inst, ContactId: &id, QueuePriority: in.QueuePriority,
			QueueTimeAdjustmentSeconds: in.QueueTimeAdjustmentSeconds, RoutingCriteria: in.RoutingCriteria})
		if err != nil {
			return nil, err
		}
		return empty{}, nil
	}, nil
}

func instanceAndContact(p params) (string, string, error) {
	inst, err := pathID(p, "InstanceId", maxInstanceID)
	if err != nil {
		return "", "", err
	}
	id, err := pathID(p, "ContactId", maxContactID)
	return inst, id, err
}

// describeContactOutput is DescribeContact's response.
type describeContactOutput struct {
	Contact contactJSON `json:"Contact"`
}

type contactJSON struct {
	Arn                        string         `json:"Arn"`
	Id                         string         `json:"Id"`
	Channel                    string         `json:"Channel"`
	InitiationMethod           string         `json:"InitiationMethod"`
	InitiationTimestamp        *epochTime     `json:"InitiationTimestamp,omitempty"`
	DisconnectTimestamp        *epochTime     `json:"DisconnectTimestamp,omitempty"`
	QueueInfo                  *queueInfoJSON `json:"QueueInfo,omitempty"`
	AgentInfo                  *agentInfoJSON `json:"AgentInfo,omitempty"`
	QueuePriority              int64          `json:"QueuePriority"`
	QueueTimeAdjustmentSeconds int32          `json:"QueueTimeAdjustmentSeconds"`
	RoutingCriteria            *criteriaJSON  `json:"RoutingCriteria,omitempty"`
	// Members of issue 19 (contacts.go).
	Name                *string           `json:"Name,omitempty"`
	Description         *string           `json:"Description,omitempty"`
	LastUpdateTimestamp *epochTime        `json:"LastUpdateTimestamp,omitempty"`
	DisconnectReason    string            `json:"DisconnectReason,omitempty"`
	PreviousContactId   string            `json:"PreviousContactId,omitempty"`
	InitialContactId    string            `json:"InitialContactId,omitempty"`
	Attributes          map[string]string `json:"Attributes,omitempty"`
}

type queueInfoJSON struct {
	Id               string     `json:"Id"`
	EnqueueTimestamp *epochTime `json:"EnqueueTimestamp,omitempty"`
}

type agentInfoJSON struct {
	Id                        string     `json:"Id"`
	ConnectedToAgentTimestamp *epochTime `json:"ConnectedToAgentTimestamp,omitempty"`
}

func decodeDescribeContact(h *Handler, p params, _ []byte) (call, error) {
	inst, id, err := instanceAndContact(p)
	if err != nil {
		return nil, err
	}
	return func(ctx context.Context) (any, error) {
		out, err := h.svc.DescribeContact(ctx, &routing.DescribeContactInput{InstanceId: &inst, ContactId: &id})
		if err != nil {
			return nil, err
		}
		return describeContactOutput{Contact: h.contactJSON(inst, out.Contact)}, nil
	}, nil
}

func (h *Handler) contactJSON(inst string, c routing.ContactInfo) contactJSON {
	j := contactJSON{
		Arn: h.arn(inst, "contact", string(c.ID)), Id: string(c.ID), Channel: string(c.Channel),
		InitiationMethod: "API", InitiationTimestamp: epochPtr(c.EnqueuedAt),
		DisconnectTimestamp: epochPtr(c.EndedAt),
		QueueInfo:           &queueInfoJSON{Id: c.QueueID, EnqueueTimestamp: epochPtr(c.EnqueuedAt)},
		QueuePriority:       c.Priority,
		// The API's member is an integer; a cumulative adjustment beyond it is clamped.
		QueueTimeAdjustmentSeconds: int32(min(max(c.AgeAdjustment.Seconds(), math.MinInt32), math.MaxInt32)),
		RoutingCriteria:            toCriteriaJSON(c.RoutingCriteria),
	}
	if c.AgentID != "" {
		j.AgentInfo = &agentInfoJSON{Id: c.AgentID, ConnectedToAgentTimestamp: epochPtr(c.RoutedAt)}
	}
	if c.Name != "" {
		j.Name = &c.Name
	}
	if c.Description != "" {
		j.Description = &c.Description
	}
	j.LastUpdateTimestamp = epochPtr(lastUpdate(c))
	j.DisconnectReason = disconnectReason(c.Reason)
	j.PreviousContactId, j.InitialContactId = string(c.PreviousContactID), string(c.InitialContactID)
	if c.PreviousContactID != "" {
		j.InitiationMethod = "TRANSFER"
	}
	j.Attributes = c.Attributes
	return j
}

// stopContactInput holds the members of StopContact that routesim reads.
type stopContactInput struct {
	InstanceId       *string
	ContactId        *string
	DisconnectReason *struct{ Code *string }
}

func decodeStopContact(h *Handler, _ params, body []byte) (call, error) {
	var in stopContactInput
	if err := decodeBody(body, &in); err != nil {
		return nil, err
	}
	inst, err := requireID("InstanceId", in.InstanceId, maxInstanceID)
	if err != nil {
		return nil, err
	}
	id, err := requireID("ContactId", in.ContactId, maxContactID)
	if err != nil {
		return nil, err
	}
	if in.DisconnectReason != nil {
		if err := optionalLen("DisconnectReason.Code", in.DisconnectReason.Code, maxOtherID); err != nil {
			return nil, err
		}
	}
	// A waiting contact stopped counts as abandoned in the history (the customer left the
	// queue) unless DisconnectReason.Code says another reason.
	reason := routing.Stopped
	if in.DisconnectReason != nil && in.DisconnectReason.Code != nil && *in.DisconnectReason.Code != "CUSTOMER_DISCONNECT" {
		reason = routing.Removed
	}
	return func(ctx context.Context) (any, error) {
		_, err := h.svc.EndContact(ctx, &routing.EndContactInput{InstanceId: &inst, ContactId: &id,
			Reason: reason, AfterContactWork: h.insts[inst].acwOrZero()})
		if err != nil {
			return nil, err
		}
		return empty{}, nil
	}, nil
}

// acwOrZero returns the instance's after-contact work, 0 for an instance without API
// configuration.
func (ia *instanceAPI) acwOrZero() time.Duration {
	if ia == nil {
		return 0
	}
	return ia.acw
}

// putUserStatusInput holds PutUserStatus's body.
type putUserStatusInput struct {
	AgentStatusId *string
}

func decodePutUserStatus(h *Handler, p params, body []byte) (call, error) {
	inst, err := pathID(p, "InstanceId", maxInstanceID)
	if err != nil {
		return nil, err
	}
	user, err := pathID(p, "UserId", maxOtherID)
	if err != nil {
		return nil, err
	}
	var in putUserStatusInput
	if err := decodeBody(body, &in); err != nil {
		return nil, err
	}
	status, err := requireID("AgentStatusId", in.AgentStatusId, maxOtherID)
	if err != nil {
		return nil, err
	}
	return func(ctx context.Context) (any, error) {
		return h.putUserStatus(ctx, inst, user, status)
	}, nil
}

// isSet reports whether an optional raw member is present and not null.
func isSet(raw json.RawMessage) bool {
	return len(raw) > 0 && string(raw) != "null"
}

func firstErr(errs ...error) error {
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	return nil
}
