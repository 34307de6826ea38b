package connectapi

import (
	"context"
	"fmt"
	"slices"

	"github.com/routesim/routesim/contact"
	"github.com/routesim/routesim/routing"
)

// GetCurrentUserData: per user, its status, routing profile, slots per channel and the
// contacts it holds. The Filters select users by one of Queues (users whose routing profile
// serves one of them), RoutingProfiles, Agents or UserHierarchyGroups (routesim has no
// hierarchy groups: no user belongs to one), at most one of the four, as the API reference
// says; none selects every user. ContactFilter.ContactStates keeps the users holding a
// contact in one of the states: routesim's contacts with an agent are CONNECTED (it models
// no ringing, hold or missed states), and a contact in after-contact work is not listed,
// though its slot counts as active.

// userDataFilters is the API's UserDataFilters.
type userDataFilters struct {
	Queues              []string
	ContactFilter       *struct{ ContactStates []string }
	RoutingProfiles     []string
	Agents              []string
	UserHierarchyGroups []string
}

var contactStates = []string{"INCOMING", "PENDING", "CONNECTING", "CONNECTED", "CONNECTED_ONHOLD", "MISSED", "ERROR", "ENDED", "REJECTED"}

// check validates the filters as the model states them and returns the one resource
// filter's name ("" for none).
func (f *userDataFilters) check() (string, error) {
	lists := []struct {
		name string
		ids  []string
		max  int
	}{{"Queues", f.Queues, 100}, {"RoutingProfiles", f.RoutingProfiles, 100}, {"Agents", f.Agents, 100}, {"UserHierarchyGroups", f.UserHierarchyGroups, 1}}
	which := ""
	for _, l := range lists {
		if l.ids == nil {
			continue
		}
		if n := len(l.ids); n < 1 || n > l.max {
			return "", invalidParam("Filters.%s lists %d IDs; 1..%d allowed", l.name, n, l.max)
		}
		if which != "" {
			return "", invalidParam("Filters.%s and Filters.%s: at most one of Queues, RoutingProfiles, Agents and UserHierarchyGroups may be given", which, l.name)
		}
		which = l.name
	}
	if cf := f.ContactFilter; cf != nil {
		if len(cf.ContactStates) > 9 {
			return "", invalidParam("Filters.ContactFilter.ContactStates lists %d states; at most 9", len(cf.ContactStates))
		}
		for i, s := range cf.ContactStates {
			if !slices.Contains(contactStates, s) {
				return "", invalidParam("Filters.ContactFilter.ContactStates[%d] %q is not one of %v", i, s, contactStates)
			}
		}
	}
	return which, nil
}

type refJSON struct {
	Id  string `json:"Id"`
	Arn string `json:"Arn"`
}

type agentContactJSON struct {
	ContactId                 string     `json:"ContactId"`
	Channel                   string     `json:"Channel"`
	InitiationMethod          string     `json:"InitiationMethod"`
	AgentContactState         string     `json:"AgentContactState"`
	StateStartTimestamp       *epochTime `json:"StateStartTimestamp,omitempty"`
	ConnectedToAgentTimestamp *epochTime `json:"ConnectedToAgentTimestamp,omitempty"`
	Queue                     refJSON    `json:"Queue"`
}

type userDataJSON struct {
	User           refJSON `json:"User"`
	RoutingProfile refJSON `json:"RoutingProfile"`
	Status         struct {
		StatusStartTimestamp *epochTime `json:"StatusStartTimestamp,omitempty"`
		StatusArn            string     `json:"StatusArn"`
		StatusName           string     `json:"StatusName"`
	} `json:"Status"`
	AvailableSlotsByChannel map[contact.Channel]int `json:"AvailableSlotsByChannel"`
	MaxSlotsByChannel       map[contact.Channel]int `json:"MaxSlotsByChannel"`
	ActiveSlotsByChannel    map[contact.Channel]int `json:"ActiveSlotsByChannel"`
	Contacts                []agentContactJSON      `json:"Contacts"`
}

func decodeGetCurrentUserData(h *Handler, p params, body []byte) (call, error) {
	inst, err := pathID(p, "InstanceId", maxInstanceID)
	if err != nil {
		return nil, err
	}
	var in struct {
		Filters    *userDataFilters
		NextToken  *string
		MaxResults *int32
	}
	if err := decodeBody(body, &in); err != nil {
		return nil, err
	}
	if in.Filters == nil {
		return nil, invalidParam("Filters is required")
	}
	which, err := in.Filters.check()
	if err != nil {
		return nil, err
	}
	pg, err := newPage(in.MaxResults, in.NextToken, 100)
	if err != nil {
		return nil, err
	}
	return func(context.Context) (any, error) {
		return h.withAdmin(inst, func(s *adminState, ri *routing.Instance) (any, error) {
			users, err := h.selectUsers(s, ri, which, in.Filters)
			if err != nil {
				return nil, err
			}
			page, next, err := cutPage(users, pg)
			if err != nil {
				return nil, err
			}
			return struct {
				NextToken             *string        `json:"NextToken,omitempty"`
				UserDataList          []userDataJSON `json:"UserDataList"`
				ApproximateTotalCount int64          `json:"ApproximateTotalCount"`
			}{next, page, int64(len(users))}, nil
		})
	}, nil
}

// selectUsers returns the user data of the users the filters select, in user order; s.mu
// is held.
func (h *Handler) selectUsers(s *adminState, ri *routing.Instance, which string, f *userDataFilters) ([]userDataJSON, error) {
	var served map[string][]string // profile ID -> its queue IDs, for a Queues filter
	if which == "Queues" {
		served = map[string][]string{}
		for _, info := range ri.RoutingProfiles() {
			for _, e := range info.Queues {
				served[info.ID] = append(served[info.ID], e.QueueID)
			}
		}
	}
	ids := func(l []string) []string {
		out := make([]string, len(l))
		for i, v := range l {
			out[i] = resourceID(v)
		}
		return out
	}
	var states []string
	if f.ContactFilter != nil {
		states = f.ContactFilter.ContactStates
	}
	var out []userDataJSON
	for _, id := range s.userOrder {
		load, err := ri.AgentLoad(id)
		if err != nil {
			return nil, fmt.Errorf("connectapi: internal error: user %q: %w", id, err)
		}
		keep := true
		switch which {
		case "Queues":
			keep = slices.ContainsFunc(ids(f.Queues), func(q string) bool { return slices.Contains(served[load.RoutingProfileID], q) })
		case "RoutingProfiles":
			keep = slices.Contains(ids(f.RoutingProfiles), load.RoutingProfileID)
		case "Agents":
			keep = slices.Contains(ids(f.Agents), id)
		case "UserHierarchyGroups":
			keep = false
		}
		if len(states) > 0 && (len(load.Contacts) == 0 || !slices.Contains(states, "CONNECTED")) {
			keep = false
		}
		if keep {
			out = append(out, h.userData(s, ri.ID(), id, load))
		}
	}
	return out, nil
}

func (h *Handler) userData(s *adminState, inst, id string, load routing.AgentLoad) userDataJSON {
	u := userDataJSON{User: refJSON{id, h.arn(inst, "agent", id)},
		RoutingProfile:          refJSON{load.RoutingProfileID, h.arn(inst, "routing-profile", load.RoutingProfileID)},
		AvailableSlotsByChannel: load.Available, MaxSlotsByChannel: load.Max, ActiveSlotsByChannel: load.Active,
		Contacts: []agentContactJSON{}}
	st, since := s.status(id)
	u.Status.StatusArn, u.Status.StatusName, u.Status.StatusStartTimestamp = h.arn(inst, "agent-state", st.id), st.name, epochPtr(since)
	for _, c := range load.Contacts {
		method := "API"
		if c.PreviousContactID != "" {
			method = "TRANSFER" // as DescribeContact reports it
		}
		u.Contacts = append(u.Contacts, agentContactJSON{ContactId: string(c.ID), Channel: string(c.Channel),
			InitiationMethod: method, AgentContactState: "CONNECTED", StateStartTimestamp: epochPtr(c.RoutedAt),
			ConnectedToAgentTimestamp: epochPtr(c.RoutedAt), Queue: refJSON{c.QueueID, h.arn(inst, "queue", c.QueueID)}})
	}
	return u
}
