package connectapi

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"regexp"
	"strings"
	"time"

	"github.com/routesim/routesim/contact"
	"github.com/routesim/routesim/routing"
)

// The contact operations of issue 19: TransferContact, UpdateContactAttributes,
// GetContactAttributes; StartTaskContact's Attributes and DescribeContact's extra members
// are in ops.go and described here.

// Contact attributes, as the admin guide states them: keys of letters, digits, dashes and
// underscores, up to 32,768 UTF-8 bytes over all keys and values of a contact.
const maxAttributesBytes = 32768

var attrKeyRE = regexp.MustCompile(`^[A-Za-z0-9_-]+$`)

func checkAttributes(attrs map[string]string) error {
	n := 0
	for k, v := range attrs {
		if !attrKeyRE.MatchString(k) {
			return invalidParam("attribute key %q must be 1 or more letters, digits, dashes or underscores", k)
		}
		n += len(k) + len(v)
	}
	if n > maxAttributesBytes {
		return invalidParam("Attributes hold %d bytes; the limit is %d over all keys and values", n, maxAttributesBytes)
	}
	return nil
}

// transferContactInput holds TransferContact's body.
type transferContactInput struct {
	InstanceId    *string
	ContactId     *string
	QueueId       *string
	UserId        *string
	ContactFlowId *string
	ClientToken   *string
}

type transferContactOutput struct {
	ContactId  string `json:"ContactId"`
	ContactArn string `json:"ContactArn"`
}

// asInvalidRequest turns an InvalidParameterException into the InvalidRequestException of
// operations whose model lists no InvalidParameterException (TransferContact,
// GetContactAttributes).
func asInvalidRequest(err error) error {
	var ip *routing.InvalidParameterException
	if errors.As(err, &ip) {
		return &routing.InvalidRequestException{Message: ip.Message}
	}
	return err
}

func decodeTransferContact(h *Handler, _ params, body []byte) (call, error) {
	var in transferContactInput
	if err := decodeBody(body, &in); err != nil {
		return nil, asInvalidRequest(err)
	}
	inst, flowID, err := requireFlowIDs(in.InstanceId, in.ContactFlowId)
	if err != nil {
		return nil, asInvalidRequest(err)
	}
	id, err := requireID("ContactId", in.ContactId, maxContactID)
	if err == nil {
		err = firstErr(optionalLen("QueueId", in.QueueId, maxOtherID), optionalLen("UserId", in.UserId, maxOtherID),
			optionalLen("ClientToken", in.ClientToken, maxClientToken))
	}
	if err != nil {
		return nil, asInvalidRequest(err)
	}
	switch {
	case in.QueueId != nil && in.UserId != nil:
		return nil, &routing.InvalidRequestException{Message: "QueueId and UserId may not both be given"}
	case in.UserId != nil:
		return nil, &routing.InvalidRequestException{Message: "UserId: routesim has no agent queues; transfer to a QueueId"}
	}
	return func(ctx context.Context) (any, error) {
		f, ia, err := h.resolveFlow(inst, flowID)
		if err != nil {
			return nil, err
		}
		in2, _ := h.svc.Instance(inst)
		queueID := f.QueueID
		if in.QueueId != nil {
			queueID = *in.QueueId
		}
		ia.mu.Lock()
		defer ia.mu.Unlock()
		now := h.svc.Clock().Now()
		token, request := "", id+"\x00"+queueID+"\x00"+flowID
		if in.ClientToken != nil && *in.ClientToken != "" {
			token = "TransferContact\x00" + *in.ClientToken
			if got, ok := ia.tokens.get(token, now); ok {
				made, was, _ := strings.Cut(got, "\x00")
				if was != request {
					return nil, &apiError{code: "IdempotencyException", status: http.StatusConflict,
						msg: fmt.Sprintf("ClientToken %q was used for another transfer", *in.ClientToken)}
				}
				return transferContactOutput{ContactId: made, ContactArn: h.arn(inst, "contact", made)}, nil
			}
		}
		spec := routing.TransferSpec{QueueID: queueID, Priority: f.Priority,
			AgeAdjustment: time.Duration(f.AgeAdjustmentSeconds) * time.Second, RoutingCriteria: f.RoutingCriteria,
			AfterContactWork: ia.acw}
		newID, err := in2.TransferContact(contact.ID(id), spec)
		if err != nil {
			return nil, asInvalidRequest(err)
		}
		if token != "" {
			ia.tokens.put(token, string(newID)+"\x00"+request, now)
		}
		return transferContactOutput{ContactId: string(newID), ContactArn: h.arn(inst, "contact", string(newID))}, nil
	}, nil
}

// updateContactAttributesInput holds UpdateContactAttributes' body.
type updateContactAttributesInput struct {
	InitialContactId *string
	InstanceId       *string
	Attributes       map[string]string
}

func decodeUpdateContactAttributes(h *Handler, _ params, body []byte) (call, error) {
	var in updateContactAttributesInput
	if err := decodeBody(body, &in); err != nil {
		return nil, err
	}
	inst, err := requireID("InstanceId", in.InstanceId, maxInstanceID)
	if err != nil {
		return nil, err
	}
	id, err := requireID("InitialContactId", in.InitialContactId, maxContactID)
	if err != nil {
		return nil, err
	}
	if in.Attributes == nil {
		return nil, invalidParam("Attributes is required")
	}
	if err := checkAttributes(in.Attributes); err != nil {
		return nil, err
	}
	return func(ctx context.Context) (any, error) {
		rin, ok := h.svc.Instance(inst)
		if !ok {
			return nil, notFound("instance %q not found", inst)
		}
		if err := rin.UpdateContactAttributes(contact.ID(id), in.Attributes); err != nil {
			return nil, err
		}
		return empty{}, nil
	}, nil
}

func decodeGetContactAttributes(h *Handler, p params, _ []byte) (call, error) {
	inst, err := pathID(p, "InstanceId", maxInstanceID)
	if err != nil {
		return nil, asInvalidRequest(err)
	}
	id, err := pathID(p, "InitialContactId", maxContactID)
	if err != nil {
		return nil, asInvalidRequest(err)
	}
	return func(ctx context.Context) (any, error) {
		rin, ok := h.svc.Instance(inst)
		if !ok {
			return nil, notFound("instance %q not found", inst)
		}
		attrs, err := rin.ContactAttributes(contact.ID(id))
		if err != nil {
			return nil, err
		}
		return struct {
			Attributes map[string]string `json:"Attributes"`
		}{attrs}, nil
	}, nil
}

// chatQuota answers a full queue with the LimitExceededException StartChatContact's model
// lists, in place of the ServiceQuotaExceededException it does not.
func chatQuota(err error) error {
	var sq *routing.ServiceQuotaExceededException
	if errors.As(err, &sq) {
		return &routing.LimitExceededException{Message: sq.Message}
	}
	return err
}

// disconnectReason is DescribeContact's DisconnectReason for an ended contact: the contact
// record's code for how it ended (AGENT_DISCONNECT for an agent completing it,
// CUSTOMER_DISCONNECT for an abandon, API for StopContact, TRANSFER for TransferContact,
// routesim's choice for the last), "" while it is active.
func disconnectReason(r routing.EndReason) string {
	switch r {
	case routing.Completed:
		return "AGENT_DISCONNECT"
	case routing.Abandoned:
		return "CUSTOMER_DISCONNECT"
	case routing.Stopped:
		return "API"
	case routing.Transferred:
		return "TRANSFER"
	}
	return ""
}

// lastUpdate is DescribeContact's LastUpdateTimestamp: the latest of the contact's
// initiation, connection to an agent, disconnection and attribute update.
func lastUpdate(c routing.ContactInfo) time.Time {
	t := c.EnqueuedAt
	for _, u := range []time.Time{c.RoutedAt, c.EndedAt, c.AttributesUpdated} {
		if u.After(t) {
			t = u
		}
	}
	return t
}
