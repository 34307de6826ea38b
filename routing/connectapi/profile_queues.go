package connectapi

import (
	"context"
	"fmt"
	"slices"

	"github.com/routesim/routesim/contact"
	"github.com/routesim/routesim/routing"
)

// The request shapes of routing-profile queues and concurrency, and the operations that
// change them: Associate-, Disassociate- and UpdateRoutingProfileQueues,
// UpdateRoutingProfileConcurrency and UpdateRoutingProfileAgentAvailabilityTimer.

// queueConfigJSON is the API's RoutingProfileQueueConfig (every member required).
type queueConfigJSON struct {
	QueueReference *queueReferenceJSON
	Priority       *int32
	Delay          *int32
}

// queueReferenceJSON is the API's RoutingProfileQueueReference.
type queueReferenceJSON struct {
	QueueId *string
	Channel *string
}

// mediaConcurrencyJSON is the API's MediaConcurrency.
type mediaConcurrencyJSON struct {
	Channel              *string               `json:"Channel"`
	Concurrency          *int32                `json:"Concurrency"`
	CrossChannelBehavior *crossChannelBehavior `json:"CrossChannelBehavior,omitempty"`
}

type crossChannelBehavior struct {
	BehaviorType *string `json:"BehaviorType"`
}

// Cross-channel behaviours (the API's BehaviorType).
const (
	routeCurrentOnly = "ROUTE_CURRENT_CHANNEL_ONLY"
	routeAnyChannel  = "ROUTE_ANY_CHANNEL"
)

// toRef checks a RoutingProfileQueueReference, named f in errors.
func (r *queueReferenceJSON) toRef(f string) (routing.ProfileQueueRef, error) {
	if r == nil {
		return routing.ProfileQueueRef{}, invalidParam("%s is required", f)
	}
	q, err := requireID(f+".QueueId", r.QueueId, maxOtherID)
	if err != nil {
		return routing.ProfileQueueRef{}, err
	}
	if r.Channel == nil || !contact.Channel(*r.Channel).Valid() {
		return routing.ProfileQueueRef{}, invalidParam("%s.Channel must be VOICE, CHAT, TASK or EMAIL", f)
	}
	return routing.ProfileQueueRef{QueueID: resourceID(q), Channel: contact.Channel(*r.Channel)}, nil
}

// toEntries checks a RoutingProfileQueueConfigList (1..10 members when present, each
// complete; priorities and delays are the core's to check).
func toEntries(list []queueConfigJSON, required bool) ([]routing.ProfileQueueConfig, error) {
	if list == nil {
		if required {
			return nil, invalidParam("QueueConfigs is required")
		}
		return nil, nil
	}
	if n := len(list); n < 1 || n > 10 {
		return nil, invalidParam("QueueConfigs lists %d queues; 1..10 allowed per request", n)
	}
	out := make([]routing.ProfileQueueConfig, len(list))
	for i, c := range list {
		f := fmt.Sprintf("QueueConfigs[%d]", i)
		ref, err := c.QueueReference.toRef(f + ".QueueReference")
		if err != nil {
			return nil, err
		}
		switch {
		case c.Priority == nil:
			return nil, invalidParam("%s.Priority is required", f)
		case c.Delay == nil:
			return nil, invalidParam("%s.Delay is required", f)
		}
		out[i] = routing.ProfileQueueConfig{QueueID: ref.QueueID, Channel: ref.Channel, Priority: int(*c.Priority), DelaySeconds: int(*c.Delay)}
	}
	return out, nil
}

// toConcurrency checks MediaConcurrencies: each channel once, complete, with a valid
// behaviour; it returns the limits, and the channels listed with each behaviour.
func toConcurrency(list []mediaConcurrencyJSON) (map[contact.Channel]int, []contact.Channel, []contact.Channel, error) {
	conc := map[contact.Channel]int{}
	var anyCh, currentCh []contact.Channel
	for i, m := range list {
		f := fmt.Sprintf("MediaConcurrencies[%d]", i)
		switch {
		case m.Channel == nil || !contact.Channel(*m.Channel).Valid():
			return nil, nil, nil, invalidParam("%s.Channel must be VOICE, CHAT, TASK or EMAIL", f)
		case m.Concurrency == nil:
			return nil, nil, nil, invalidParam("%s.Concurrency is required", f)
		}
		ch := contact.Channel(*m.Channel)
		if _, dup := conc[ch]; dup {
			return nil, nil, nil, invalidParam("%s.Channel %s is listed twice", f, ch)
		}
		conc[ch] = int(*m.Concurrency)
		if b := m.CrossChannelBehavior; b != nil {
			switch {
			case b.BehaviorType == nil:
				return nil, nil, nil, invalidParam("%s.CrossChannelBehavior.BehaviorType is required", f)
			case *b.BehaviorType == routeAnyChannel:
				anyCh = append(anyCh, ch)
				continue
			case *b.BehaviorType != routeCurrentOnly:
				return nil, nil, nil, invalidParam("%s.CrossChannelBehavior.BehaviorType %q is not %s or %s", f, *b.BehaviorType, routeCurrentOnly, routeAnyChannel)
			}
		}
		currentCh = append(currentCh, ch)
	}
	return conc, anyCh, currentCh, nil
}

func decodeAssociateRoutingProfileQueues(h *Handler, p params, body []byte) (call, error) {
	inst, id, err := profileRequest(p)
	if err != nil {
		return nil, err
	}
	var in struct {
		QueueConfigs                 []queueConfigJSON
		ManualAssignmentQueueConfigs []any
	}
	if err := decodeBody(body, &in); err != nil {
		return nil, err
	}
	if in.ManualAssignmentQueueConfigs != nil {
		return nil, invalidParam("ManualAssignmentQueueConfigs is not supported by routesim: it models no manual assignment")
	}
	entries, err := toEntries(in.QueueConfigs, true)
	if err != nil {
		return nil, err
	}
	return func(context.Context) (any, error) {
		return h.profileChange(inst, id, func(ri *routing.Instance) error { return ri.AssociateProfileQueues(id, entries) })
	}, nil
}

func decodeDisassociateRoutingProfileQueues(h *Handler, p params, body []byte) (call, error) {
	inst, id, err := profileRequest(p)
	if err != nil {
		return nil, err
	}
	var in struct {
		QueueReferences                 []queueReferenceJSON
		ManualAssignmentQueueReferences []any
	}
	if err := decodeBody(body, &in); err != nil {
		return nil, err
	}
	if in.ManualAssignmentQueueReferences != nil {
		return nil, invalidParam("ManualAssignmentQueueReferences is not supported by routesim: it models no manual assignment")
	}
	if in.QueueReferences == nil {
		return nil, invalidParam("QueueReferences is required")
	}
	refs := make([]routing.ProfileQueueRef, len(in.QueueReferences))
	for i := range in.QueueReferences {
		if refs[i], err = in.QueueReferences[i].toRef(fmt.Sprintf("QueueReferences[%d]", i)); err != nil {
			return nil, err
		}
	}
	return func(context.Context) (any, error) {
		return h.profileChange(inst, id, func(ri *routing.Instance) error { return ri.DisassociateProfileQueues(id, refs) })
	}, nil
}

func decodeUpdateRoutingProfileQueues(h *Handler, p params, body []byte) (call, error) {
	inst, id, err := profileRequest(p)
	if err != nil {
		return nil, err
	}
	var in struct{ QueueConfigs []queueConfigJSON }
	if err := decodeBody(body, &in); err != nil {
		return nil, err
	}
	entries, err := toEntries(in.QueueConfigs, true)
	if err != nil {
		return nil, err
	}
	return func(context.Context) (any, error) {
		return h.profileChange(inst, id, func(ri *routing.Instance) error { return ri.UpdateProfileQueues(id, entries) })
	}, nil
}

func decodeUpdateRoutingProfileConcurrency(h *Handler, p params, body []byte) (call, error) {
	inst, id, err := profileRequest(p)
	if err != nil {
		return nil, err
	}
	var in struct{ MediaConcurrencies []mediaConcurrencyJSON }
	if err := decodeBody(body, &in); err != nil {
		return nil, err
	}
	if in.MediaConcurrencies == nil {
		return nil, invalidParam("MediaConcurrencies is required")
	}
	conc, anyCh, currentCh, err := toConcurrency(in.MediaConcurrencies)
	if err != nil {
		return nil, err
	}
	return func(context.Context) (any, error) {
		return h.profileChange(inst, id, func(ri *routing.Instance) error {
			info, err := ri.DescribeRoutingProfile(id)
			if err != nil {
				return err
			}
			// Channels not listed keep their behaviour.
			keep := slices.DeleteFunc(info.RouteAnyChannel, func(ch contact.Channel) bool {
				return slices.Contains(currentCh, ch) || slices.Contains(anyCh, ch)
			})
			return ri.UpdateProfileConcurrency(id, conc, append(keep, anyCh...))
		})
	}, nil
}

func decodeUpdateRoutingProfileAgentAvailabilityTimer(h *Handler, p params, body []byte) (call, error) {
	inst, id, err := profileRequest(p)
	if err != nil {
		return nil, err
	}
	var in struct{ AgentAvailabilityTimer *string }
	if err := decodeBody(body, &in); err != nil {
		return nil, err
	}
	timer, err := requireID("AgentAvailabilityTimer", in.AgentAvailabilityTimer, maxOtherID)
	if err != nil {
		return nil, err
	}
	if timer != routing.TimerLastActivity && timer != routing.TimerLastInbound {
		return nil, invalidParam("AgentAvailabilityTimer %q is not %s or %s", timer, routing.TimerLastActivity, routing.TimerLastInbound)
	}
	return func(context.Context) (any, error) {
		return h.profileChange(inst, id, func(ri *routing.Instance) error { return ri.UpdateProfileAvailabilityTimer(id, timer) })
	}, nil
}
