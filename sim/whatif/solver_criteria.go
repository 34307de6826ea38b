package whatif

import (
	"slices"
	"strconv"
	"time"

	"github.com/routesim/routesim/contact"
	"github.com/routesim/routesim/routing"
	"github.com/routesim/routesim/sim"
)

// streamShares sets p.shares: the share of each arrival stream's load that each pool's
// Erlang C starting point carries. A stream's contacts of a class without routing criteria
// go to the pool that has the stream's queue as primary queue (assignPrimaryQueues); those
// of a class with criteria go, split evenly, to the pools that serve the stream's queue and
// channel and whose agents match the criteria's first step, as the routing core decides it
// (a contact with that step alone is offered to one agent of each pool), or, when none
// does (or the step names agents, which the solver's pools rename), to the primary pool.
func (p *plan) streamShares() error {
	sc := p.spec.Scenario
	classes := map[string]*sim.Class{}
	for i := range sc.Classes {
		classes[sc.Classes[i].ID] = &sc.Classes[i]
	}
	attrs, err := sc.Attributes()
	if err != nil {
		return err
	}
	p.shares = make([][]float64, len(p.pools))
	for i := range p.pools {
		p.shares[i] = make([]float64, len(sc.Arrivals))
	}
	for s := range sc.Arrivals {
		a := &sc.Arrivals[s]
		q := slices.Index(p.base.Queues, a.Queue)
		primary := slices.IndexFunc(p.pools, func(pl pool) bool { return slices.Contains(pl.queues, q) })
		mix := a.Classes
		if len(mix) == 0 {
			mix = []sim.ClassWeight{{Class: a.Class, Weight: 1}}
		}
		total := 0.0
		for _, cw := range mix {
			total += cw.Weight
		}
		for _, cw := range mix {
			w := cw.Weight / total
			var match []int
			if c := classes[cw.Class]; c != nil && c.RoutingCriteria != nil {
				match = p.matchingPools(attrs, a, c.RoutingCriteria)
			}
			if len(match) == 0 {
				if primary >= 0 {
					p.shares[primary][s] += w
				}
				continue
			}
			for _, i := range match {
				p.shares[i][s] += w / float64(len(match))
			}
		}
	}
	return nil
}

// matchingPools returns the pools one of whose agents takes a contact of stream a carrying
// the first step of rc, never expiring, asked of the routing core with one agent per pool.
func (p *plan) matchingPools(attrs []routing.AttributeConfig, a *sim.Arrivals, rc *routing.RoutingCriteriaInput) []int {
	sc := p.spec.Scenario
	ch := a.Channel
	if ch == "" {
		ch = contact.Voice
	}
	first := &routing.RoutingCriteriaInput{Steps: []routing.RoutingCriteriaInputStep{{Expression: rc.Steps[0].Expression}}}
	cfg := routing.InstanceConfig{ID: "pools", Queues: sc.Queues, RoutingProfiles: sc.RoutingProfiles,
		PredefinedAttributes: attrs, RetainEnded: -1}
	for i, pl := range p.pools {
		ac := routing.AgentConfig{ID: "pool-" + strconv.Itoa(i), RoutingProfileID: pl.profile}
		for _, pr := range pl.profs {
			ac.Proficiencies = append(ac.Proficiencies, routing.ProficiencyConfig(pr))
		}
		cfg.Agents = append(cfg.Agents, ac)
	}
	var out []int
	for i := range p.pools {
		in, err := routing.NewInstance(cfg, routing.NewManualClock(time.Unix(0, 0)))
		if err != nil {
			return nil
		}
		if err := in.SetAgentState(cfg.Agents[i].ID, routing.AgentAvailable); err != nil {
			return nil
		}
		id, err := in.StartContact(routing.ContactSpec{QueueID: a.Queue, Channel: ch, RoutingCriteria: first})
		if err != nil {
			return nil
		}
		if info, err := in.DescribeContact(id); err == nil && info.State == routing.WithAgent {
			out = append(out, i)
		}
	}
	return out
}
