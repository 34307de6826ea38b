package connectapi

import (
	"fmt"
	"sync"
	"time"

	"github.com/routesim/routesim/routing"
)

// What the API keeps of an instance's users, agent statuses, security profiles and routing
// profiles beyond what routing needs: user names and the members CreateUser takes, status
// names and types, each user's status and since when, tags and modification times. The
// routing core holds the rest (profiles' queues, concurrency and timer; agents' profiles).

// Defaults of the API state.
const (
	// DefaultSecurityProfileID is the security profile an instance has when its
	// configuration lists none; its name is "Agent".
	DefaultSecurityProfileID = "security-profile-agent"
	// AvailableStatusName and OfflineStatusName are the names of the ROUTABLE and OFFLINE
	// statuses (AgentStatusConfig.Available and Offline).
	AvailableStatusName = "Available"
	OfflineStatusName   = "Offline"
)

// Limits of the API state. Amazon Connect's default quotas are 500 users and 50 agent
// statuses per instance (service quotas); routesim takes them as hard limits so that memory
// stays bounded under a stream of creates.
const (
	maxUsers           = 500
	maxAgentStatuses   = 50
	maxProfiles        = 500
	maxStatusName      = 127
	maxStatusDesc      = 250
	maxUsername        = 100
	maxProfileName     = 127
	maxProfileDesc     = 250
	maxSecurityProfIDs = 10
)

// adminState is the API state of one instance. Its lock is taken before the instance's.
type adminState struct {
	mu          sync.Mutex
	secProfiles []SecurityProfileConfig
	statuses    []*statusDef // available, offline, then custom in creation order
	statusByID  map[string]*statusDef
	userStatus  map[string]userStatus // by agent ID; absent: offline since start
	users       map[string]*userRecord
	userOrder   []string // agent IDs, configured then created
	usernames   map[string]string
	profiles    map[string]*profileRecord // created profiles' tags and times; configured ones absent
	started     time.Time
}

// statusDef is an agent status.
type statusDef struct {
	id, name, desc, typ, state string
	order                      *int32
	tags                       map[string]string
	modified                   time.Time
	routing                    routing.AgentState
}

// userStatus is the status a user last set, and when.
type userStatus struct {
	id    string
	since time.Time
}

// userRecord is what CreateUser keeps of a user (configured agents have only a Username,
// their ID).
type userRecord struct {
	in       createUserInput
	modified time.Time
}

// profileRecord is what CreateRoutingProfile keeps beyond routing.
type profileRecord struct {
	tags     map[string]string
	modified time.Time
}

// newAdminState builds the API state of a configured instance, at time now.
func newAdminState(ic *InstanceConfig, now time.Time) *adminState {
	s := &adminState{statusByID: map[string]*statusDef{}, userStatus: map[string]userStatus{},
		users: map[string]*userRecord{}, usernames: map[string]string{}, profiles: map[string]*profileRecord{}, started: now}
	s.secProfiles = ic.SecurityProfiles
	if len(s.secProfiles) == 0 {
		s.secProfiles = []SecurityProfileConfig{{ID: DefaultSecurityProfileID, Name: "Agent"}}
	}
	s.addStatus(&statusDef{id: ic.AgentStatuses.Available, name: AvailableStatusName, typ: "ROUTABLE", state: "ENABLED", routing: routing.AgentAvailable})
	s.addStatus(&statusDef{id: ic.AgentStatuses.Offline, name: OfflineStatusName, typ: "OFFLINE", state: "ENABLED", routing: routing.AgentOffline})
	for _, c := range ic.AgentStatuses.Custom {
		s.addStatus(&statusDef{id: c.ID, name: c.Name, typ: "CUSTOM", state: "ENABLED", routing: routing.AgentCustom})
	}
	for _, a := range ic.Agents {
		s.users[a.ID] = &userRecord{in: createUserInput{Username: &a.ID, RoutingProfileId: &a.RoutingProfileID}}
		s.usernames[a.ID] = a.ID
		s.userOrder = append(s.userOrder, a.ID)
	}
	return s
}

func (s *adminState) addStatus(d *statusDef) {
	s.statuses = append(s.statuses, d)
	s.statusByID[d.id] = d
}

// status returns a user's status and since when (offline since the start by default).
func (s *adminState) status(agentID string) (*statusDef, time.Time) {
	us, ok := s.userStatus[agentID]
	if !ok {
		return s.statuses[1], s.started
	}
	return s.statusByID[us.id], us.since
}

// instanceWithAPI returns a configured instance and its API state (an empty one for an
// instance added to the service after NewHandler), or ResourceNotFoundException.
func (h *Handler) instanceWithAPI(inst string) (*routing.Instance, *instanceAPI, error) {
	in, ok := h.svc.Instance(inst)
	if !ok {
		return nil, nil, notFound("instance %q not found", inst)
	}
	ia := h.insts[inst]
	if ia == nil {
		ia = &instanceAPI{}
	}
	return in, ia, nil
}

// adminOf returns the API state of an instance the emulator was configured with.
func (h *Handler) adminOf(inst string) (*adminState, *routing.Instance, error) {
	in, ok := h.svc.Instance(inst)
	ia := h.insts[inst]
	if !ok || ia == nil {
		return nil, nil, notFound("instance %q not found", inst)
	}
	return ia.admin, in, nil
}

// validateUsersConfig checks the security profiles and custom statuses of an instance.
func (in *InstanceConfig) validateUsersConfig(f string) error {
	ids, names := map[string]bool{}, map[string]bool{}
	for i, sp := range in.SecurityProfiles {
		g := fmt.Sprintf("%s.securityProfiles[%d]", f, i)
		switch {
		case sp.ID == "" || len(sp.ID) > maxOtherID:
			return configErr(g+".id", "must be 1..%d characters", maxOtherID)
		case sp.Name == "" || len(sp.Name) > maxOtherID:
			return configErr(g+".name", "must be 1..%d characters", maxOtherID)
		case ids[sp.ID]:
			return configErr(g+".id", "duplicate security profile id %q", sp.ID)
		case names[sp.Name]:
			return configErr(g+".name", "duplicate security profile name %q", sp.Name)
		}
		ids[sp.ID], names[sp.Name] = true, true
	}
	ids = map[string]bool{in.AgentStatuses.Available: true, in.AgentStatuses.Offline: true}
	names = map[string]bool{AvailableStatusName: true, OfflineStatusName: true}
	for i, c := range in.AgentStatuses.Custom {
		g := fmt.Sprintf("%s.agentStatuses.custom[%d]", f, i)
		switch {
		case c.ID == "" || len(c.ID) > maxOtherID:
			return configErr(g+".id", "must be 1..%d characters", maxOtherID)
		case c.Name == "" || len([]rune(c.Name)) > maxStatusName:
			return configErr(g+".name", "must be 1..%d characters", maxStatusName)
		case ids[c.ID]:
			return configErr(g+".id", "duplicate agent status id %q", c.ID)
		case names[c.Name]:
			return configErr(g+".name", "duplicate agent status name %q", c.Name)
		}
		ids[c.ID], names[c.Name] = true, true
	}
	if n := len(in.AgentStatuses.Custom) + 2; n > maxAgentStatuses {
		return configErr(f+".agentStatuses.custom", "%d statuses in all; at most %d", n, maxAgentStatuses)
	}
	return nil
}

// withAdmin runs f on an instance's API state and routing instance, under the state's
// lock (taken before the instance's own), and returns what f returns; an instance the
// emulator was not configured with is a ResourceNotFoundException. The cost is f's.
func (h *Handler) withAdmin(inst string, f func(s *adminState, ri *routing.Instance) (any, error)) (any, error) {
	s, ri, err := h.adminOf(inst)
	if err != nil {
		return nil, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	return f(s, ri)
}
