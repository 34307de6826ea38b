package connectapi

import (
	"cmp"
	"slices"
	"time"

	"github.com/routesim/routesim/contact"
	"github.com/routesim/routesim/routing"
)

// StateView is what GET /_routesim/state answers: the time and, per instance, what waits
// where, what agents do and which timers are pending. It is for reading; a snapshot is for
// restoring.
type StateView struct {
	Time      time.Time      `json:"time"`
	Clock     string         `json:"clock"`
	Instances []InstanceView `json:"instances"`
}

// InstanceView is one instance in a StateView.
type InstanceView struct {
	ID     string         `json:"id"`
	Queues []QueueView    `json:"queues"`
	Agents []AgentView    `json:"agents"`
	Timers []TimerView    `json:"timers"`
	Ended  int            `json:"endedRetained"`
	Counts map[string]int `json:"contacts"`
}

// QueueView is a queue's waiting contacts, in routing order (QueuePriority, routing age,
// arrival) across channels.
type QueueView struct {
	ID      string        `json:"id"`
	Waiting []WaitingView `json:"waiting"`
}

// WaitingView is one waiting contact. RoutingAgeSeconds is the real wait plus the age
// adjustments; WaitSeconds the real wait. ActiveStep is the 1-based active step of its
// routing criteria, absent without criteria or once every step has expired.
type WaitingView struct {
	ContactID         contact.ID      `json:"contactId"`
	Channel           contact.Channel `json:"channel"`
	QueuePriority     int64           `json:"queuePriority"`
	RoutingAgeSeconds float64         `json:"routingAgeSeconds"`
	WaitSeconds       float64         `json:"waitSeconds"`
	ActiveStep        int             `json:"activeStep,omitempty"`
	StepsExpired      bool            `json:"stepsExpired,omitempty"`
}

// AgentView is one agent: its status (OFFLINE, AVAILABLE, CUSTOM for a custom agent status
// such as a break, ON_CONTACT, AFTER_CONTACT_WORK), contacts in progress and free slots per
// channel (what it may be offered now).
type AgentView struct {
	ID        string                  `json:"id"`
	Status    string                  `json:"status"`
	Contacts  []contact.ID            `json:"contacts"`
	FreeSlots map[contact.Channel]int `json:"freeSlots"`
}

// TimerView is one pending timer.
type TimerView struct {
	At        time.Time         `json:"at"`
	Kind      routing.TimerKind `json:"kind"`
	ContactID contact.ID        `json:"contactId"`
	AgentID   string            `json:"agentId,omitempty"`
	Step      int               `json:"step,omitempty"`
	DelaySecs float64           `json:"delaySeconds,omitempty"`
}

// State returns the StateView, taken while no request runs. The cost is O(n log n) for n
// contacts held.
func (e *Emulator) State() StateView {
	s := e.Snapshot()
	v := StateView{Time: s.Time, Clock: e.clockName()}
	for i, is := range s.Instances {
		v.Instances = append(v.Instances, viewInstance(&s.Config.Instances[i].InstanceConfig, &is.Routing, s.Time))
	}
	return v
}

func viewInstance(cfg *routing.InstanceConfig, st *routing.InstanceState, now time.Time) InstanceView {
	iv := InstanceView{ID: cfg.ID, Ended: len(st.Ended), Counts: map[string]int{}}
	byQueue := map[string][]routing.ContactSnapshot{}
	for _, c := range st.Contacts {
		iv.Counts[c.State]++
		if c.State == routing.Waiting.String() {
			byQueue[c.QueueID] = append(byQueue[c.QueueID], c)
		}
	}
	for _, q := range cfg.Queues {
		cs := byQueue[q.ID]
		slices.SortFunc(cs, func(a, b routing.ContactSnapshot) int {
			return cmp.Or(cmp.Compare(a.Priority, b.Priority),
				a.EnqueuedAt.Add(-a.AgeAdjustment).Compare(b.EnqueuedAt.Add(-b.AgeAdjustment)), cmp.Compare(a.Seq, b.Seq))
		})
		qv := QueueView{ID: q.ID, Waiting: []WaitingView{}}
		for _, c := range cs {
			wait := now.Sub(c.EnqueuedAt)
			w := WaitingView{ContactID: c.ID, Channel: c.Channel, QueuePriority: c.Priority,
				RoutingAgeSeconds: (wait + c.AgeAdjustment).Seconds(), WaitSeconds: wait.Seconds()}
			if cr := c.Criteria; cr != nil {
				if cr.ActiveStep < len(cr.Input.Steps) {
					w.ActiveStep = cr.ActiveStep + 1
				} else {
					w.StepsExpired = true
				}
			}
			qv.Waiting = append(qv.Waiting, w)
		}
		iv.Queues = append(iv.Queues, qv)
	}
	profiles := map[string]*routing.ProfileConfig{}
	for i := range cfg.RoutingProfiles {
		profiles[cfg.RoutingProfiles[i].ID] = &cfg.RoutingProfiles[i]
	}
	for i, a := range st.Agents {
		iv.Agents = append(iv.Agents, viewAgent(a, profiles[cfg.Agents[i].RoutingProfileID]))
	}
	iv.Timers = []TimerView{}
	for _, t := range st.Timers {
		tv := TimerView{At: t.At, Kind: t.Kind, ContactID: t.ContactID, AgentID: t.AgentID, DelaySecs: t.Delay.Seconds()}
		if t.Kind == routing.TimerStep {
			tv.Step = t.Step + 1
		}
		iv.Timers = append(iv.Timers, tv)
	}
	return iv
}

func viewAgent(a routing.AgentSnapshot, p *routing.ProfileConfig) AgentView {
	busy := 0
	for _, n := range a.Slots {
		busy += n
	}
	av := AgentView{ID: a.ID, Status: a.State, Contacts: a.Contacts, FreeSlots: map[contact.Channel]int{}}
	switch {
	case len(a.Contacts) > 0:
		av.Status = routing.StatusOnContact.String()
	case a.AfterContactWork > 0:
		av.Status = routing.StatusAfterContactWork.String()
	}
	if av.Contacts == nil {
		av.Contacts = []contact.ID{}
	}
	if a.State != routing.AgentAvailable.String() || p == nil {
		return av
	}
	for ch, n := range p.Concurrency {
		used := a.Slots[ch]
		if free := n - used; free > 0 && (p.CrossChannel || busy == used || anyChannelHeld(a, p, ch)) {
			av.FreeSlots[ch] = free
		}
	}
	return av
}

// anyChannelHeld reports whether every channel other than ch that a holds slots of lets its
// agent be offered other channels (the profile's RouteAnyChannel), as routing judges it.
func anyChannelHeld(a routing.AgentSnapshot, p *routing.ProfileConfig, ch contact.Channel) bool {
	if len(p.RouteAnyChannel) == 0 {
		return false
	}
	for other, n := range a.Slots {
		if other != ch && n > 0 && !slices.Contains(p.RouteAnyChannel, other) {
			return false
		}
	}
	return true
}
