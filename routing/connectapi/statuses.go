package connectapi

import (
	"context"
	"fmt"
	"slices"

	"github.com/routesim/routesim/routing"
)

// The agent-status operations: ListAgentStatuses, DescribeAgentStatus, CreateAgentStatus,
// and PutUserStatus's choice of routing state. An instance has a ROUTABLE status
// ("Available"), an OFFLINE one ("Offline") and CUSTOM ones from its configuration and
// CreateAgentStatus. An agent in a CUSTOM status takes no contact (routing.AgentCustom).

// agentStatusJSON is the API's AgentStatus.
type agentStatusJSON struct {
	AgentStatusARN     string            `json:"AgentStatusARN"`
	AgentStatusId      string            `json:"AgentStatusId"`
	Name               string            `json:"Name"`
	Description        string            `json:"Description,omitempty"`
	Type               string            `json:"Type"`
	DisplayOrder       *int32            `json:"DisplayOrder,omitempty"`
	State              string            `json:"State"`
	Tags               map[string]string `json:"Tags,omitempty"`
	LastModifiedTime   *epochTime        `json:"LastModifiedTime,omitempty"`
	LastModifiedRegion string            `json:"LastModifiedRegion"`
}

type agentStatusSummaryJSON struct {
	Id                 string     `json:"Id"`
	Arn                string     `json:"Arn"`
	Name               string     `json:"Name"`
	Type               string     `json:"Type"`
	LastModifiedTime   *epochTime `json:"LastModifiedTime,omitempty"`
	LastModifiedRegion string     `json:"LastModifiedRegion"`
}

var agentStatusTypes = []string{"ROUTABLE", "CUSTOM", "OFFLINE"}

func decodeListAgentStatuses(h *Handler, p params, _ []byte) (call, error) {
	types := p.query["AgentStatusTypes"]
	if len(types) > 3 {
		return nil, invalidParam("AgentStatusTypes lists %d types; at most 3", len(types))
	}
	for i, t := range types {
		if !slices.Contains(agentStatusTypes, t) {
			return nil, invalidParam("AgentStatusTypes[%d] %q is not ROUTABLE, CUSTOM or OFFLINE", i, t)
		}
	}
	return listAdmin(h, p, 1000, "AgentStatusSummaryList", func(inst string, s *adminState, _ *routing.Instance) []agentStatusSummaryJSON {
		var list []agentStatusSummaryJSON
		for _, d := range s.statuses {
			if len(types) == 0 || slices.Contains(types, d.typ) {
				list = append(list, agentStatusSummaryJSON{Id: d.id, Arn: h.arn(inst, "agent-state", d.id), Name: d.name,
					Type: d.typ, LastModifiedTime: epochPtr(d.modified), LastModifiedRegion: h.region})
			}
		}
		return list
	})
}

func decodeDescribeAgentStatus(h *Handler, p params, _ []byte) (call, error) {
	inst, err := pathID(p, "InstanceId", maxInstanceID)
	if err != nil {
		return nil, err
	}
	id, err := pathID(p, "AgentStatusId", maxOtherID)
	if err != nil {
		return nil, err
	}
	return func(context.Context) (any, error) {
		return h.withAdmin(inst, func(s *adminState, _ *routing.Instance) (any, error) {
			d := s.statusByID[resourceID(id)]
			if d == nil {
				return nil, notFound("agent status %q not found in instance %q", id, inst)
			}
			return struct {
				AgentStatus agentStatusJSON `json:"AgentStatus"`
			}{agentStatusJSON{AgentStatusARN: h.arn(inst, "agent-state", d.id), AgentStatusId: d.id, Name: d.name,
				Description: d.desc, Type: d.typ, DisplayOrder: d.order, State: d.state, Tags: d.tags,
				LastModifiedTime: epochPtr(d.modified), LastModifiedRegion: h.region}}, nil
		})
	}, nil
}

// createAgentStatusInput is CreateAgentStatus's body.
type createAgentStatusInput struct {
	Name         *string
	Description  *string
	State        *string
	DisplayOrder *int32
	Tags         map[string]string
}

func decodeCreateAgentStatus(h *Handler, p params, body []byte) (call, error) {
	inst, err := pathID(p, "InstanceId", maxInstanceID)
	if err != nil {
		return nil, err
	}
	var in createAgentStatusInput
	if err := decodeBody(body, &in); err != nil {
		return nil, err
	}
	name, err := requireID("Name", in.Name, maxStatusName)
	if err != nil {
		return nil, err
	}
	if in.Description != nil && *in.Description == "" {
		return nil, invalidParam("Description is empty; 1..%d characters allowed", maxStatusDesc)
	}
	if err := optionalLen("Description", in.Description, maxStatusDesc); err != nil {
		return nil, err
	}
	switch {
	case in.State == nil:
		return nil, invalidParam("State is required")
	case *in.State != "ENABLED" && *in.State != "DISABLED":
		return nil, invalidParam("State %q is not ENABLED or DISABLED", *in.State)
	case in.DisplayOrder != nil && (*in.DisplayOrder < 1 || *in.DisplayOrder > 50):
		return nil, invalidParam("DisplayOrder %d is out of range 1..50", *in.DisplayOrder)
	}
	if err := checkTags(in.Tags); err != nil {
		return nil, err
	}
	return func(context.Context) (any, error) {
		return h.withAdmin(inst, func(s *adminState, _ *routing.Instance) (any, error) {
			if slices.ContainsFunc(s.statuses, func(d *statusDef) bool { return d.name == name }) {
				return nil, &routing.DuplicateResourceException{Message: fmt.Sprintf("agent status %q already exists in instance %q", name, inst)}
			}
			if len(s.statuses) >= maxAgentStatuses {
				return nil, &routing.LimitExceededException{Message: fmt.Sprintf("instance %q has %d agent statuses; at most %d", inst, len(s.statuses), maxAgentStatuses)}
			}
			d := &statusDef{id: newUUID(), name: name, typ: "CUSTOM", state: *in.State, order: in.DisplayOrder,
				tags: in.Tags, modified: h.svc.Clock().Now(), routing: routing.AgentCustom}
			if in.Description != nil {
				d.desc = *in.Description
			}
			s.addStatus(d)
			return struct {
				AgentStatusARN string `json:"AgentStatusARN"`
				AgentStatusId  string `json:"AgentStatusId"`
			}{h.arn(inst, "agent-state", d.id), d.id}, nil
		})
	}, nil
}

// putUserStatus sets an agent's status: the routing state its type asks for (ROUTABLE:
// available, OFFLINE: offline, CUSTOM: custom, taking nothing), and the status the API
// reports from now on.
func (h *Handler) putUserStatus(ctx context.Context, inst, user, status string) (any, error) {
	return h.withAdmin(inst, func(s *adminState, _ *routing.Instance) (any, error) {
		d := s.statusByID[resourceID(status)]
		if d == nil {
			return nil, notFound("agent status %q not found in instance %q", status, inst)
		}
		if _, err := h.svc.SetAgentState(ctx, &routing.SetAgentStateInput{InstanceId: &inst, AgentId: &user, State: d.routing}); err != nil {
			return nil, err
		}
		if cur, ok := s.userStatus[user]; !ok || cur.id != d.id {
			s.userStatus[user] = userStatus{id: d.id, since: h.svc.Clock().Now()}
		}
		return empty{}, nil
	})
}
