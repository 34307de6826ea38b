package routing

import (
	"slices"

	"github.com/routesim/routesim/contact"
)

// MetricsQuery selects what CurrentMetrics counts: the lanes (queue, channel) of QueueIDs
// (every queue when empty) on Channels (all four when empty) that one of ProfileIDs serves
// (any profile when empty); and the agents of the profiles, among ProfileIDs when given, that
// serve one of those lanes.
type MetricsQuery struct {
	QueueIDs   []string
	ProfileIDs []string
	Channels   []contact.Channel
}

// CurrentMetrics are the real-time metrics of a MetricsQuery: QueueMetrics' counts plus the
// agent and slot counts below. Agents are counted once however many selected lanes they serve.
type CurrentMetrics struct {
	QueueMetrics
	// AgentsStaffed counts agents available, on contact or in after-contact work
	// (AGENTS_STAFFED): online and not in a non-productive status.
	AgentsStaffed int
	// AgentsNonProductive counts agents online in a status that is neither available nor
	// offline, a custom status (AGENTS_NON_PRODUCTIVE), that hold no contact.
	AgentsNonProductive int
	// AgentsError counts agents in an error status (AGENTS_ERROR). routesim offers a contact
	// to an agent only when it takes it, so no agent misses or rejects one: always 0.
	AgentsError int
	// SlotsActive counts the slots, on the selected channels, that hold a contact or its
	// after-contact work (SLOTS_ACTIVE).
	SlotsActive int
	// SlotsAvailable counts the free slots, on the selected channels, of available agents
	// that could be offered a contact of that channel now (SLOTS_AVAILABLE): an agent busy on
	// another channel has none unless its profile is cross-channel.
	SlotsAvailable int
}

// CurrentMetrics returns the real-time metrics of the lanes and agents q selects (see
// MetricsQuery). Waiting contacts and the oldest real wait come from the selected lanes; a
// profile-only query selects the lanes its profiles serve on the channels. QueueID is set when
// QueueIDs names one queue. Errors: *ResourceNotFoundException for an unknown queue or
// profile, *InvalidParameterException for an invalid channel. The cost is O(q·(c·r + p·e) + a)
// for q queues, c channels, r profiles serving a lane, p profiles of e entries each and a
// agents counted.
func (in *Instance) CurrentMetrics(q MetricsQuery) (CurrentMetrics, error) {
	now := in.lock()
	defer in.mu.Unlock()
	sel, err := in.selectFor(q.QueueIDs, q.ProfileIDs, q.Channels)
	if err != nil {
		return CurrentMetrics{}, err
	}
	want, qss, named := sel.want, sel.queues, sel.profiles
	var m CurrentMetrics
	if len(q.QueueIDs) > 0 && len(qss) == 1 {
		m.QueueID = qss[0].id
	}
	var lanes []*lane
	var profiles []*profile
	for _, qs := range qss {
		for _, p := range qs.profiles {
			if (len(named) > 0 && !slices.Contains(named, p)) || slices.Contains(profiles, p) {
				continue
			}
			if servesAny(p, qs, want) {
				profiles = append(profiles, p)
			}
		}
		for ch, l := range qs.lanes {
			if want[ch] && (len(named) == 0 || servedBy(l, named)) {
				lanes = append(lanes, l)
			}
		}
	}
	for _, l := range lanes {
		m.addLane(l, now)
	}
	for _, p := range profiles {
		for _, a := range p.agents {
			m.countAgent(a)
			m.countMore(a, want)
		}
	}
	return m, nil
}

// selection is what a metrics filter names: the channels wanted, the queues (every queue
// when the filter names none) and the profiles named.
type selection struct {
	want     [len(contact.Channels)]bool
	queues   []*queueState
	profiles []*profile
}

// selectFor resolves a filter of queues, profiles and channels; in.mu is held. Errors:
// *ResourceNotFoundException for an unknown queue or profile, *InvalidParameterException for
// an invalid channel. The cost is O(q + p + c) for the IDs and channels named (every queue
// when none is).
func (in *Instance) selectFor(queueIDs, profileIDs []string, channels []contact.Channel) (selection, error) {
	var sel selection
	var err error
	if sel.want, err = wantChannels(channels); err != nil {
		return selection{}, err
	}
	if sel.queues, err = in.queueStates(queueIDs); err != nil {
		return selection{}, err
	}
	if sel.profiles, err = in.profileStates(profileIDs); err != nil {
		return selection{}, err
	}
	return sel, nil
}

// wantChannels returns the set of channels given, all four when none is.
func wantChannels(chs []contact.Channel) ([len(contact.Channels)]bool, error) {
	var want [len(contact.Channels)]bool
	if len(chs) == 0 {
		return [len(contact.Channels)]bool{true, true, true, true}, nil
	}
	for _, ch := range chs {
		if !ch.Valid() {
			return want, invalidParam("channel %q is not VOICE, CHAT, TASK or EMAIL", ch)
		}
		want[ch.Index()] = true
	}
	return want, nil
}

// queueStates returns the queues of ids without repeats, every queue for none.
func (in *Instance) queueStates(ids []string) ([]*queueState, error) {
	if len(ids) == 0 {
		return in.qorder, nil
	}
	qss := make([]*queueState, 0, len(ids))
	for _, id := range ids {
		qs, ok := in.queues[id]
		if !ok {
			return nil, notFound("queue %q not found in instance %q", id, in.id)
		}
		if !slices.Contains(qss, qs) {
			qss = append(qss, qs)
		}
	}
	return qss, nil
}

// countMore counts a in the fields CurrentMetrics adds to QueueMetrics.
func (m *CurrentMetrics) countMore(a *agent, want [len(contact.Channels)]bool) {
	switch st := a.status(); {
	case st == StatusOnContact || st == StatusAfterContactWork || st == StatusAvailable:
		m.AgentsStaffed++
	case a.state != AgentOffline && a.state != AgentAvailable: // a custom status, idle
		m.AgentsNonProductive++
	}
	for ch := range a.used {
		if !want[ch] {
			continue
		}
		m.SlotsActive += a.used[ch]
		if a.canTake(ch) {
			m.SlotsAvailable += a.p.conc[ch] - a.used[ch]
		}
	}
}

// servedBy reports whether one of ps serves lane l.
func servedBy(l *lane, ps []*profile) bool {
	for _, ref := range l.refs {
		if slices.Contains(ps, ref.p) {
			return true
		}
	}
	return false
}

// ServedQueues returns the IDs of the queues among queueIDs (every queue, in configuration
// order, when empty) that have a lane on one of channels (all four when empty) served by one
// of profileIDs; with no profileIDs, every such queue, served or not. Errors:
// *ResourceNotFoundException for an unknown queue or profile, *InvalidParameterException for
// an invalid channel. The cost is O(q·c·r) for q queues, c channels and r profiles serving
// a lane.
func (in *Instance) ServedQueues(queueIDs, profileIDs []string, channels []contact.Channel) ([]string, error) {
	in.mu.Lock()
	defer in.mu.Unlock()
	sel, err := in.selectFor(queueIDs, profileIDs, channels)
	if err != nil {
		return nil, err
	}
	want, qss, named := sel.want, sel.queues, sel.profiles
	var ids []string
	for _, qs := range qss {
		if len(named) == 0 || slices.ContainsFunc(qs.lanes[:], func(l *lane) bool { return want[l.ch] && servedBy(l, named) }) {
			ids = append(ids, qs.id)
		}
	}
	return ids, nil
}

// ServingProfiles returns the IDs of profileIDs, or, when empty, of the profiles that serve
// one of queueIDs (every queue when empty) on one of channels (all four when empty), in the
// order of the queues and of each queue's profiles. Errors: as ServedQueues. The cost is
// O(q·p·e) for q queues, p profiles serving each and e entries per profile.
func (in *Instance) ServingProfiles(queueIDs, profileIDs []string, channels []contact.Channel) ([]string, error) {
	in.mu.Lock()
	defer in.mu.Unlock()
	sel, err := in.selectFor(queueIDs, profileIDs, channels)
	if err != nil {
		return nil, err
	}
	want, qss, named := sel.want, sel.queues, sel.profiles
	if len(named) > 0 {
		ids := make([]string, len(named))
		for i, p := range named {
			ids[i] = p.id
		}
		return ids, nil
	}
	var ids []string
	for _, qs := range qss {
		for _, p := range qs.profiles {
			if servesAny(p, qs, want) && !slices.Contains(ids, p.id) {
				ids = append(ids, p.id)
			}
		}
	}
	return ids, nil
}

// profileStates returns the profiles of ids without repeats.
func (in *Instance) profileStates(ids []string) ([]*profile, error) {
	var ps []*profile
	for _, id := range ids {
		p, ok := in.profiles[id]
		if !ok {
			return nil, notFound("routing profile %q not found in instance %q", id, in.id)
		}
		if !slices.Contains(ps, p) {
			ps = append(ps, p)
		}
	}
	return ps, nil
}
