package fit

import (
	"cmp"
	"slices"
	"strings"

	"github.com/routesim/routesim/contact"
	"github.com/routesim/routesim/routing"
	"github.com/routesim/routesim/sim"
)

// defaultGroup names the group of agents whose records give no routing profile.
const defaultGroup = "agents"

// busyKey is one agent of one group seen busy in one interval of one day.
type busyKey struct {
	agent, group int32
	slot         int64
}

// agents makes one routing profile and agent group per routing profile of the records,
// serving the lanes its agents answered, with the staffing estimated per interval of the
// cycle as the largest number of distinct agents of the group seen busy (with a contact or
// its after-contact work) in that interval on any one day.
func (f *fitter) agents(sc *sim.Scenario) {
	d := f.d
	groupIdx := map[int32]int{}
	var groups []string
	var lanes []map[int]bool
	var acws [][]float64
	handled := []int{}
	busy := map[busyKey]struct{}{}
	var counts [][]int32 // per group, per day × interval
	anon := int32(len(d.nameOf))
	var conc concurrencies
	for i := range d.rows {
		r := &d.rows[i]
		if r.queue < 0 || r.conn == 0 {
			continue
		}
		g, ok := groupIdx[r.profile]
		if !ok {
			g = len(groups)
			groupIdx[r.profile] = g
			name := defaultGroup
			if r.profile >= 0 {
				name = d.nameOf[r.profile]
			}
			groups = append(groups, name)
			lanes = append(lanes, map[int]bool{})
			acws = append(acws, nil)
			handled = append(handled, 0)
			counts = append(counts, make([]int32, f.nDays*f.nInt))
		}
		lanes[g][f.laneIdx[laneKey{r.queue, r.channel()}]] = true
		handled[g]++
		conc.add(r, g)
		if r.acw >= 0 {
			acws[g] = append(acws[g], float64(r.acw))
		}
		agent := r.agent
		if agent < 0 {
			agent = anon + int32(i) // no identity: the contact stands for its agent
		}
		end := r.conn + (max(r.handle, 0)+max(r.acw, 0))*1e9
		for t := r.conn; ; {
			day, k := f.local(t)
			slot := (day-f.day0)*int64(f.nInt) + int64(k)
			if slot >= 0 && slot < int64(len(counts[g])) {
				key := busyKey{agent, int32(g), slot}
				if _, seen := busy[key]; !seen {
					busy[key] = struct{}{}
					counts[g][slot]++
				}
			}
			// The next interval boundary after t, on the local clock.
			_, off := timeIn(t, f.loc)
			s := t/1e9 + off
			next := (floorDiv(s, f.intervalS)+1)*f.intervalS - off
			t = next * 1e9
			if t >= end {
				break
			}
		}
	}
	if len(groups) == 0 {
		f.warn("no contact was answered: one agent group of 0 agents serves every queue")
		groups, lanes, acws, handled = []string{defaultGroup}, []map[int]bool{{}}, [][]float64{nil}, []int{0}
		counts = [][]int32{make([]int32, f.nDays*f.nInt)}
		for i := range f.lanes {
			lanes[0][i] = true
		}
	}
	f.serveAll(lanes)
	order := make([]int, len(groups))
	for i := range order {
		order[i] = i
	}
	slices.SortFunc(order, func(a, b int) int { return cmp.Compare(groups[a], groups[b]) })
	most := conc.max(len(groups))
	for _, g := range order {
		f.group(sc, groups[g], lanes[g], acws[g], handled[g], counts[g], most[g])
	}
	f.warn("agents per interval are estimated from the records (distinct agents seen busy); give the real schedule where you have it")
}

// serveAll adds every lane no group answered to every group, and warns.
func (f *fitter) serveAll(lanes []map[int]bool) {
	for i, k := range f.lanes {
		served := false
		for _, l := range lanes {
			served = served || l[i]
		}
		if !served {
			f.warn("%s/%s: no contact answered; every agent group is made to serve it", f.d.nameOf[k.queue], k.channel)
			for _, l := range lanes {
				l[i] = true
			}
		}
	}
}

// group adds one routing profile and its agent group to sc.
func (f *fitter) group(sc *sim.Scenario, name string, lanes map[int]bool, acw []float64, handled int, counts []int32, conc map[contact.Channel]int) {
	staffing := make([]int, f.nCyc)
	for slot, n := range counts {
		day := f.day0 + int64(slot/f.nInt)
		c := f.cyc(day, slot%f.nInt)
		staffing[c] = max(staffing[c], int(n))
	}
	count := slices.Max(staffing)
	p := routing.ProfileConfig{ID: name, Name: name}
	if len(conc) > 0 {
		p.Concurrency = conc
	}
	var names []string
	for i, k := range f.lanes {
		if lanes[i] {
			p.Queues = append(p.Queues, routing.ProfileQueueConfig{QueueID: f.d.nameOf[k.queue], Channel: k.channel, Priority: 1})
			names = append(names, f.d.nameOf[k.queue]+"/"+string(k.channel))
		}
	}
	g := sim.AgentGroup{ID: name, Count: count, RoutingProfileID: name, Staffing: staffing}
	gr := GroupReport{ID: name, Agents: count, Staffing: staffing, Handled: handled, Lanes: names, Concurrency: conc}
	if len(acw) > 0 {
		a := FitDist(acw, f.opts.Confidence)
		gr.ACW = &a
		if a.Dist.MeanSeconds() > 0 {
			g.AfterContactWork = &a.Dist
		}
	}
	sc.RoutingProfiles = append(sc.RoutingProfiles, p)
	sc.AgentGroups = append(sc.AgentGroups, g)
	f.rep.Groups = append(f.rep.Groups, gr)
	if strings.TrimSpace(name) == "" {
		f.warn("a routing profile with an empty name")
	}
}
