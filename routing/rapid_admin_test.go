package routing_test

import (
	"fmt"
	"slices"

	"github.com/routesim/routesim/contact"
	"github.com/routesim/routesim/routing"
	"pgregory.net/rapid"
)

// adminActions are the runtime changes the reference router learns: profile queues
// associated, updated and disassociated, concurrency and cross-channel behaviour, the
// availability timer, agents moved between profiles and custom statuses.
func (m *machine) adminActions() map[string]func(*rapid.T) {
	return map[string]func(*rapid.T){
		"Associate":     m.associate,
		"UpdateEntry":   m.updateEntry,
		"Disassociate":  m.disassociate,
		"Move":          m.move,
		"Timer":         m.timer,
		"Concurrency":   m.concurrency,
		"SetStateAgain": m.setAnyState,
		"CreateAgent":   m.createAgent,
	}
}

func (m *machine) drawProfile(t *rapid.T) *routing.ProfileConfig {
	return m.ref.profile(rapid.SampledFrom(m.cfg.RoutingProfiles).Draw(t, "profile").ID)
}

func drawEntry(t *rapid.T, q string, ch contact.Channel) routing.ProfileQueueConfig {
	return entry(q, ch, rapid.IntRange(1, 3).Draw(t, "prio"), rapid.SampledFrom([]int{0, 0, 5, 7, 10}).Draw(t, "delay"))
}

func (m *machine) associate(t *rapid.T) {
	p := m.drawProfile(t)
	q := rapid.SampledFrom(m.cfg.Queues).Draw(t, "queue").ID
	ch := rapid.SampledFrom([]contact.Channel{voiceCh, chatCh}).Draw(t, "channel")
	e := drawEntry(t, q, ch)
	err := m.h.in.AssociateProfileQueues(p.ID, []routing.ProfileQueueConfig{e})
	if slices.ContainsFunc(p.Queues, func(o routing.ProfileQueueConfig) bool { return o.QueueID == q && o.Channel == ch }) {
		expectCode(t, fmt.Sprintf("AssociateProfileQueues(%s, %+v)", p.ID, e), err, "InvalidParameterException")
		return
	}
	expectCode(t, fmt.Sprintf("AssociateProfileQueues(%s, %+v)", p.ID, e), err, "")
	m.ref.setEntries(p, append(slices.Clone(p.Queues), e))
}

func (m *machine) updateEntry(t *rapid.T) {
	p := m.drawProfile(t)
	if len(p.Queues) == 0 {
		t.Skip("no entry")
	}
	i := rapid.IntRange(0, len(p.Queues)-1).Draw(t, "entry")
	e := drawEntry(t, p.Queues[i].QueueID, p.Queues[i].Channel)
	expectCode(t, fmt.Sprintf("UpdateProfileQueues(%s, %+v)", p.ID, e), m.h.in.UpdateProfileQueues(p.ID, []routing.ProfileQueueConfig{e}), "")
	es := slices.Clone(p.Queues)
	es[i] = e
	m.ref.setEntries(p, es)
}

func (m *machine) disassociate(t *rapid.T) {
	p := m.drawProfile(t)
	if len(p.Queues) == 0 {
		t.Skip("no entry")
	}
	i := rapid.IntRange(0, len(p.Queues)-1).Draw(t, "entry")
	ref := routing.ProfileQueueRef{QueueID: p.Queues[i].QueueID, Channel: p.Queues[i].Channel}
	expectCode(t, fmt.Sprintf("DisassociateProfileQueues(%s, %+v)", p.ID, ref), m.h.in.DisassociateProfileQueues(p.ID, []routing.ProfileQueueRef{ref}), "")
	m.ref.setEntries(p, slices.Delete(slices.Clone(p.Queues), i, i+1))
}

func (m *machine) move(t *rapid.T) {
	a := rapid.SampledFrom(m.ref.agents).Draw(t, "agent")
	p := m.drawProfile(t)
	expectCode(t, fmt.Sprintf("UpdateAgentRoutingProfile(%s, %s)", a.id, p.ID), m.h.in.UpdateAgentRoutingProfile(a.id, p.ID), "")
	m.ref.move(a, p)
}

func (m *machine) timer(t *rapid.T) {
	p := m.drawProfile(t)
	tm := rapid.SampledFrom([]string{routing.TimerLastActivity, routing.TimerLastInbound}).Draw(t, "timer")
	expectCode(t, "UpdateProfileAvailabilityTimer", m.h.in.UpdateProfileAvailabilityTimer(p.ID, tm), "")
	m.ref.setTimer(p, tm)
}

func (m *machine) concurrency(t *rapid.T) {
	p := m.drawProfile(t)
	chats := rapid.IntRange(1, 3).Draw(t, "chats")
	var anyCh []contact.Channel
	for _, ch := range []contact.Channel{voiceCh, chatCh} {
		if rapid.Bool().Draw(t, "any "+string(ch)) {
			anyCh = append(anyCh, ch)
		}
	}
	err := m.h.in.UpdateProfileConcurrency(p.ID, map[contact.Channel]int{contact.Chat: chats}, append([]contact.Channel{}, anyCh...))
	expectCode(t, "UpdateProfileConcurrency", err, "")
	m.ref.setConcurrency(p, chats, anyCh)
}

func (m *machine) setAnyState(t *rapid.T) {
	a := rapid.SampledFrom(m.ref.agents).Draw(t, "agent")
	st := rapid.SampledFrom([]routing.AgentState{routing.AgentOffline, routing.AgentAvailable, routing.AgentCustom}).Draw(t, "state")
	expectCode(t, "SetAgentState", m.h.in.SetAgentState(a.id, st), "")
	m.ref.setStateTo(a, st)
}

func (m *machine) createAgent(t *rapid.T) {
	if len(m.ref.agents) >= 8 {
		t.Skip("enough agents")
	}
	p := m.drawProfile(t)
	id := fmt.Sprint("a", len(m.ref.agents))
	expectCode(t, "CreateAgent", m.h.in.CreateAgent(routing.AgentConfig{ID: id, RoutingProfileID: p.ID}), "")
	m.ref.createAgent(id, p)
}
