package connectapi

import (
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"time"

	"github.com/routesim/routesim/routing"
)

// The API layer's state of an instance in a snapshot: users, agent statuses (those
// CreateAgentStatus made included), each user's status and since when, created routing
// profiles' tags and every profile's modification time, and the times the configuration's
// objects report as made. The routing core's part (queues, profiles, agents, contacts) is in
// routing.InstanceState and the configuration.

// AdminSnapshot is what the API keeps of an instance beyond routing.
type AdminSnapshot struct {
	// Started is when the instance was built: configured users that never set a status
	// are OFFLINE since then. Created is the LastModifiedTime the configuration's queues
	// and hours of operation report.
	Started time.Time `json:"started"`
	Created time.Time `json:"created"`
	// AgentStatuses are every agent status: the ROUTABLE and OFFLINE ones, then the CUSTOM
	// ones of the configuration and of CreateAgentStatus, in creation order.
	AgentStatuses []AgentStatusSnapshot `json:"agentStatuses"`
	// Users are every user in creation order (configured ones first).
	Users []UserSnapshot `json:"users"`
	// Profiles holds the routing profiles changed or created through the API: tags and
	// LastModifiedTime.
	Profiles []ProfileRecordSnapshot `json:"profiles,omitempty"`
}

// AgentStatusSnapshot is one agent status.
type AgentStatusSnapshot struct {
	ID          string `json:"id"`
	Name        string `json:"name"`
	Description string `json:"description,omitempty"`
	// Type is ROUTABLE, OFFLINE or CUSTOM; State ENABLED or DISABLED.
	Type         string            `json:"type"`
	State        string            `json:"state"`
	DisplayOrder *int32            `json:"displayOrder,omitempty"`
	Tags         map[string]string `json:"tags,omitempty"`
	Modified     time.Time         `json:"modified"`
}

// UserSnapshot is one user: the members CreateUser took (as DescribeUser returns them;
// the password is never kept), when it was last changed, and the status it last set.
type UserSnapshot struct {
	ID string `json:"id"`
	// User is CreateUser's body as kept: Username, IdentityInfo, PhoneConfig,
	// SecurityProfileIds, RoutingProfileId, Tags and the rest.
	User     json.RawMessage `json:"user"`
	Modified time.Time       `json:"modified"`
	// StatusID and StatusSince are the status the user last set and when; empty for a
	// user that never set one (OFFLINE since Started).
	StatusID    string     `json:"statusId,omitempty"`
	StatusSince *time.Time `json:"statusSince,omitempty"`
}

// ProfileRecordSnapshot is a routing profile's API-side record.
type ProfileRecordSnapshot struct {
	ID       string            `json:"id"`
	Tags     map[string]string `json:"tags,omitempty"`
	Modified time.Time         `json:"modified"`
}

var statusTypes = map[string]routing.AgentState{"ROUTABLE": routing.AgentAvailable, "OFFLINE": routing.AgentOffline,
	"CUSTOM": routing.AgentCustom}

// snapshot returns the API state; s.mu is held. The cost is O(users + statuses + profiles).
func (s *adminState) snapshot(created time.Time) AdminSnapshot {
	as := AdminSnapshot{Started: s.started.UTC(), Created: created.UTC()}
	for _, d := range s.statuses {
		as.AgentStatuses = append(as.AgentStatuses, AgentStatusSnapshot{ID: d.id, Name: d.name, Description: d.desc, Type: d.typ,
			State: d.state, DisplayOrder: d.order, Tags: maps.Clone(d.tags), Modified: d.modified.UTC()})
	}
	for _, id := range s.userOrder {
		rec := s.users[id]
		b, err := json.Marshal(rec.in)
		if err != nil {
			panic(fmt.Sprintf("connectapi: internal error: encoding user %q: %v", id, err)) // plain data
		}
		u := UserSnapshot{ID: id, User: b, Modified: rec.modified.UTC()}
		if us, ok := s.userStatus[id]; ok {
			since := us.since.UTC()
			u.StatusID, u.StatusSince = us.id, &since
		}
		as.Users = append(as.Users, u)
	}
	for _, id := range slices.Sorted(maps.Keys(s.profiles)) {
		rec := s.profiles[id]
		as.Profiles = append(as.Profiles, ProfileRecordSnapshot{ID: id, Tags: maps.Clone(rec.tags), Modified: rec.modified.UTC()})
	}
	return as
}

// restoreAdmin checks as against the instance's fresh API state s and its configuration ic,
// and returns the state to install; s is not changed. Errors name the field.
func restoreAdmin(s *adminState, as *AdminSnapshot, ic *InstanceConfig) (*adminState, error) {
	n := &adminState{secProfiles: s.secProfiles, statusByID: map[string]*statusDef{}, userStatus: map[string]userStatus{},
		users: map[string]*userRecord{}, usernames: map[string]string{}, profiles: map[string]*profileRecord{}, started: as.Started}
	names := map[string]bool{}
	for i, st := range as.AgentStatuses {
		f := fmt.Sprintf("agentStatuses[%d]", i)
		rs, ok := statusTypes[st.Type]
		switch {
		case st.ID == "" || n.statusByID[st.ID] != nil:
			return nil, fmt.Errorf("%s.id: %q is empty or appears twice", f, clipInput(st.ID))
		case st.Name == "" || names[st.Name]:
			return nil, fmt.Errorf("%s.name: %q is empty or appears twice", f, clipInput(st.Name))
		case !ok:
			return nil, fmt.Errorf("%s.type: %q is not ROUTABLE, OFFLINE or CUSTOM", f, clipInput(st.Type))
		case st.State != "ENABLED" && st.State != "DISABLED":
			return nil, fmt.Errorf("%s.state: %q is not ENABLED or DISABLED", f, clipInput(st.State))
		case i < 2 && st.ID != s.statuses[i].id:
			return nil, fmt.Errorf("%s.id: %q where the configuration's %s status is %q", f, clipInput(st.ID), s.statuses[i].typ, s.statuses[i].id)
		case i < 2 && st.Type != s.statuses[i].typ, i >= 2 && st.Type != "CUSTOM":
			return nil, fmt.Errorf("%s.type: %s in place %d", f, st.Type, i)
		}
		names[st.Name] = true
		n.addStatus(&statusDef{id: st.ID, name: st.Name, desc: st.Description, typ: st.Type, state: st.State, order: st.DisplayOrder,
			tags: maps.Clone(st.Tags), modified: st.Modified, routing: rs})
	}
	if len(n.statuses) < len(s.statuses) || len(n.statuses) > maxAgentStatuses {
		return nil, fmt.Errorf("agentStatuses: %d statuses; the configuration has %d, the limit is %d", len(n.statuses), len(s.statuses), maxAgentStatuses)
	}
	for _, d := range s.statuses {
		if n.statusByID[d.id] == nil {
			return nil, fmt.Errorf("agentStatuses: the configuration's status %q is missing", d.id)
		}
	}
	agents := make([]string, len(ic.Agents))
	for i, a := range ic.Agents {
		agents[i] = a.ID
	}
	if len(as.Users) != len(agents) {
		return nil, fmt.Errorf("users: %d users for %d agents", len(as.Users), len(agents))
	}
	for i, u := range as.Users {
		f := fmt.Sprintf("users[%d]", i)
		if u.ID != agents[i] {
			return nil, fmt.Errorf("%s.id: %q where the agents' order has %q", f, clipInput(u.ID), agents[i])
		}
		var in createUserInput
		if err := json.Unmarshal(u.User, &in); err != nil || in.Username == nil || *in.Username == "" {
			return nil, fmt.Errorf("%s.user: not a user with a Username: %v", f, err)
		}
		if n.usernames[*in.Username] != "" {
			return nil, fmt.Errorf("%s.user.Username: %q appears twice", f, clipInput(*in.Username))
		}
		n.users[u.ID] = &userRecord{in: in, modified: u.Modified}
		n.usernames[*in.Username] = u.ID
		n.userOrder = append(n.userOrder, u.ID)
		if u.StatusID != "" {
			if n.statusByID[u.StatusID] == nil || u.StatusSince == nil {
				return nil, fmt.Errorf("%s.statusId: %q is not a status of the snapshot, or has no statusSince", f, clipInput(u.StatusID))
			}
			n.userStatus[u.ID] = userStatus{id: u.StatusID, since: *u.StatusSince}
		}
	}
	for i, p := range as.Profiles {
		if !slices.ContainsFunc(ic.RoutingProfiles, func(pc routing.ProfileConfig) bool { return pc.ID == p.ID }) || n.profiles[p.ID] != nil {
			return nil, fmt.Errorf("profiles[%d].id: %q is not a routing profile of the instance, or appears twice", i, clipInput(p.ID))
		}
		n.profiles[p.ID] = &profileRecord{tags: maps.Clone(p.Tags), modified: p.Modified}
	}
	return n, nil
}
