package routing_test

import (
	"fmt"
	"maps"
	"slices"
	"testing"
	"time"

	"github.com/routesim/routesim/contact"
	"github.com/routesim/routesim/routing"
	"pgregory.net/rapid"
)

// critAttrs are the predefined attributes of the criteria machine: few, so that agents
// share proficiencies and contacts share expressions.
var critAttrs = []routing.AttributeConfig{{Name: "lang", Values: []string{"en", "fr"}}, {Name: "skill", Values: []string{"s1", "s2"}}}

// genProfs draws an agent's proficiencies: up to three, whole levels 1..5.
func genProfs(t *rapid.T) map[[2]string]int {
	profs := map[[2]string]int{}
	for range rapid.IntRange(0, 3).Draw(t, "proficiencies") {
		a := rapid.SampledFrom(critAttrs).Draw(t, "attribute")
		profs[[2]string{a.Name, rapid.SampledFrom(a.Values).Draw(t, "value")}] = rapid.IntRange(1, 5).Draw(t, "level")
	}
	return profs
}

func profList(profs map[[2]string]int) []routing.Proficiency {
	var ps []routing.Proficiency
	for _, k := range slices.SortedFunc(maps.Keys(profs), func(a, b [2]string) int { return cmpKeys(a, b) }) {
		ps = append(ps, routing.Proficiency{AttributeName: k[0], AttributeValue: k[1], Level: float64(profs[k])})
	}
	return ps
}

func cmpKeys(a, b [2]string) int {
	if a[0] != b[0] {
		return map[bool]int{true: -1, false: 1}[a[0] < b[0]]
	}
	if a[1] != b[1] {
		return map[bool]int{true: -1, false: 1}[a[1] < b[1]]
	}
	return 0
}

// genCond draws a condition: a level, a range, or preferred agents.
func genCond(t *rapid.T, agents []routing.AgentConfig) *routing.AttributeCondition {
	a := rapid.SampledFrom(critAttrs).Draw(t, "attribute")
	c := &routing.AttributeCondition{Name: a.Name, Value: rapid.SampledFrom(a.Values).Draw(t, "value")}
	switch rapid.IntRange(0, 4).Draw(t, "condition") {
	case 0, 1:
		c.ProficiencyLevel = ptr(float64(rapid.IntRange(1, 5).Draw(t, "level")))
		c.ComparisonOperator = routing.OpGreaterOrEqual
	case 2:
		lo := rapid.IntRange(1, 5).Draw(t, "min")
		c.Range = &routing.Range{MinProficiencyLevel: ptr(float64(lo)), MaxProficiencyLevel: ptr(float64(rapid.IntRange(lo, 5).Draw(t, "max")))}
		c.ComparisonOperator = rapid.SampledFrom([]string{"", routing.OpRange}).Draw(t, "operator")
	default:
		var ids []string
		for _, ag := range agents {
			if rapid.Bool().Draw(t, "preferred") {
				ids = append(ids, ag.ID)
			}
		}
		if len(ids) == 0 {
			ids = []string{agents[0].ID}
		}
		c = &routing.AttributeCondition{MatchCriteria: &routing.MatchCriteria{AgentsCriteria: &routing.AgentsCriteria{AgentIds: ids}},
			ComparisonOperator: rapid.SampledFrom([]string{"", routing.OpMatch}).Draw(t, "operator")}
	}
	return c
}

// genExpr draws an expression: a condition, its negation, or an And or Or of 1..3 of them.
func genExpr(t *rapid.T, agents []routing.AgentConfig, depth int) *routing.Expression {
	switch k := rapid.IntRange(0, 4).Draw(t, "expression"); {
	case k == 0 || depth >= 2:
		return &routing.Expression{AttributeCondition: genCond(t, agents)}
	case k == 1:
		return &routing.Expression{NotAttributeCondition: genCond(t, agents)}
	default:
		var es []routing.Expression
		for range rapid.IntRange(1, 3).Draw(t, "members") {
			es = append(es, *genExpr(t, agents, depth+1))
		}
		if k == 2 {
			return &routing.Expression{AndExpression: es}
		}
		return &routing.Expression{OrExpression: es}
	}
}

// genCriteria draws valid criteria: 1..3 steps, each expiring after 0, 3, 5 or 10 s or
// never.
func genCriteria(t *rapid.T, agents []routing.AgentConfig) *routing.RoutingCriteriaInput {
	rc := &routing.RoutingCriteriaInput{}
	for range rapid.IntRange(1, 3).Draw(t, "steps") {
		s := routing.RoutingCriteriaInputStep{Expression: genExpr(t, agents, 0)}
		if d := rapid.SampledFrom([]int{-1, 0, 3, 5, 10, 10}).Draw(t, "duration"); d >= 0 {
			s.Expiry = &routing.RoutingCriteriaInputStepExpiry{DurationInSeconds: ptr(int32(d))}
		}
		rc.Steps = append(rc.Steps, s)
	}
	return rc
}

// critMachine is the reference machine with criteria: every arrival 1 ns after the last
// event, so that no two contacts have equal routing keys (doc.go: exact ties with a contact
// whose step changed are not broken by arrival).
type critMachine struct {
	*machine
}

// moveBy moves the clock by d, stopping at every timer on the way.
func (m *critMachine) moveBy(t *rapid.T, d time.Duration) {
	target := m.ref.now + d
	for {
		w, ok := m.h.in.NextWake()
		if !ok || w.Sub(t0) > target {
			break
		}
		m.h.clk.Set(w)
		m.h.in.Advance()
		m.ref.advance(w.Sub(t0))
	}
	m.h.clk.Set(t0.Add(target))
	m.h.in.Advance()
	m.ref.advance(target)
}

func (m *critMachine) arriveCrit(t *rapid.T) {
	m.moveBy(t, time.Nanosecond)
	q := rapid.SampledFrom(m.cfg.Queues).Draw(t, "queue").ID
	ch := rapid.SampledFrom([]contact.Channel{voiceCh, chatCh, contact.Task}).Draw(t, "channel")
	prio := rapid.SampledFrom([]int64{0, 0, 1, 2}).Draw(t, "priority")
	var rc *routing.RoutingCriteriaInput
	if rapid.IntRange(0, 3).Draw(t, "criteria") > 0 {
		rc = genCriteria(t, m.cfg.Agents)
	}
	id := fmt.Sprint("c", m.n)
	m.n++
	in := &routing.StartContactInput{InstanceId: m.h.id(), QueueId: &q, Channel: ch, ContactId: &id, RoutingCriteria: rc}
	if prio != 0 {
		in.QueuePriority = &prio
	}
	_, err := m.h.svc.StartContact(m.ctx(), in)
	expectCode(t, "StartContact", err, "")
	m.ref.startWith(id, q, ch, prio, 0, rc)
}

// transferCrit transfers a contact, in any state, to a queue, with criteria or without, 1 ns
// after the last event like an arrival.
func (m *critMachine) transferCrit(t *rapid.T) {
	m.moveBy(t, time.Nanosecond)
	id := rapid.SampledFrom(m.contactIDs(true)).Draw(t, "contact")
	q := rapid.SampledFrom(m.cfg.Queues).Draw(t, "queue").ID
	prio := rapid.SampledFrom([]int64{0, 1, 3}).Draw(t, "priority")
	acw := sec(rapid.SampledFrom([]int{0, 0, 5}).Draw(t, "acw"))
	var rc *routing.RoutingCriteriaInput
	if rapid.IntRange(0, 3).Draw(t, "criteria") > 0 {
		rc = genCriteria(t, m.cfg.Agents)
	}
	got, err := m.h.in.TransferContact(contact.ID(id), routing.TransferSpec{QueueID: q, Priority: prio, AfterContactWork: acw, RoutingCriteria: rc})
	code := m.adm.transferCode(m.ref, id, q)
	expectCode(t, fmt.Sprintf("TransferContact(%s, %s)", id, q), err, code)
	if code == "" {
		m.adm.transfer(m.ref, id, string(got), q, prio, acw, rc)
	}
}

func (m *critMachine) updateCrit(t *rapid.T) {
	id := rapid.SampledFrom(m.contactIDs(true)).Draw(t, "contact")
	rc, valid := genCriteria(t, m.cfg.Agents), true
	if rapid.IntRange(0, 5).Draw(t, "invalid") == 0 {
		rc.Steps[0].Expression.AttributeCondition = &routing.AttributeCondition{Name: "lang", Value: "klingon",
			ProficiencyLevel: ptr(1.0), ComparisonOperator: routing.OpGreaterOrEqual}
		rc.Steps[0].Expression.AndExpression, rc.Steps[0].Expression.OrExpression, rc.Steps[0].Expression.NotAttributeCondition = nil, nil, nil
		valid = false
	}
	in := &routing.UpdateContactRoutingDataInput{InstanceId: m.h.id(), ContactId: &id, RoutingCriteria: rc}
	var adj *time.Duration
	switch rapid.IntRange(0, 3).Draw(t, "with") {
	case 1:
		in.QueuePriority = ptr(rapid.Int64Range(1, 3).Draw(t, "priority"))
	case 2:
		in.QueueTimeAdjustmentSeconds = ptr(int32(rapid.IntRange(-5, 5).Draw(t, "age")))
		adj = ptr(sec(int(*in.QueueTimeAdjustmentSeconds)))
	}
	_, err := m.h.svc.UpdateContactRoutingData(m.ctx(), in)
	expectCode(t, fmt.Sprintf("UpdateContactRoutingData(%s, criteria)", id), err, m.ref.updateCriteria(id, in.QueuePriority, adj, rc, valid))
}

// changeProfs replaces an agent's proficiencies through Associate, Update and Disassociate.
func (m *critMachine) changeProfs(t *rapid.T) {
	a := rapid.SampledFrom(m.ref.agents).Draw(t, "agent")
	next := genProfs(t)
	old := a.profs
	var drop []routing.ProficiencyKey
	for k := range old {
		if _, keep := next[k]; !keep {
			drop = append(drop, routing.ProficiencyKey{AttributeName: k[0], AttributeValue: k[1]})
		}
	}
	slices.SortFunc(drop, func(x, y routing.ProficiencyKey) int {
		return cmpKeys([2]string{x.AttributeName, x.AttributeValue}, [2]string{y.AttributeName, y.AttributeValue})
	})
	if len(drop) > 0 {
		_, err := m.h.svc.DisassociateUserProficiencies(m.ctx(), &routing.DisassociateUserProficienciesInput{InstanceId: m.h.id(),
			UserId: &a.id, UserProficiencies: drop})
		expectCode(t, "DisassociateUserProficiencies", err, "")
		kept := maps.Clone(old)
		for _, k := range drop {
			delete(kept, [2]string{k.AttributeName, k.AttributeValue})
		}
		m.ref.setProfs(a, kept)
	}
	if len(next) > 0 {
		_, err := m.h.svc.AssociateUserProficiencies(m.ctx(), &routing.AssociateUserProficienciesInput{InstanceId: m.h.id(),
			UserId: &a.id, UserProficiencies: profList(next)})
		expectCode(t, "AssociateUserProficiencies", err, "")
		m.ref.setProfs(a, next)
	}
	// An unknown value changes nothing.
	_, err := m.h.svc.AssociateUserProficiencies(m.ctx(), &routing.AssociateUserProficienciesInput{InstanceId: m.h.id(),
		UserId: &a.id, UserProficiencies: []routing.Proficiency{{AttributeName: "lang", AttributeValue: "klingon", Level: 3}}})
	expectCode(t, "AssociateUserProficiencies(unknown value)", err, "InvalidParameterException")
}

// checkCrit compares each contact's step statuses and each agent's proficiencies with the
// reference.
func (m *critMachine) checkCrit(t *rapid.T) {
	m.check(t)
	for _, id := range m.ref.order {
		c := m.ref.contacts[id]
		info, err := m.h.in.DescribeContact(contact.ID(id))
		if err != nil {
			t.Fatal(err)
		}
		var got []routing.StepStatus
		if info.RoutingCriteria != nil {
			for _, s := range info.RoutingCriteria.Steps {
				got = append(got, s.Status)
			}
			if *info.RoutingCriteria.Index != int32(c.critN-1) || info.RoutingCriteria.ActivationTimestamp.Sub(t0) != c.critAt {
				t.Fatalf("at %v: contact %s criteria Index %d, activated %v; reference %d, %v", m.ref.now, id,
					*info.RoutingCriteria.Index, info.RoutingCriteria.ActivationTimestamp.Sub(t0), c.critN-1, c.critAt)
			}
		}
		if want := stepStatuses(c); !slices.Equal(got, want) {
			t.Fatalf("at %v: contact %s step statuses %v; reference %v", m.ref.now, id, got, want)
		}
	}
	for _, a := range m.ref.agents {
		got, err := m.h.in.UserProficiencies(a.id)
		if err != nil || !slices.Equal(got, profList(a.profs)) {
			t.Fatalf("at %v: agent %s proficiencies %v, %v; reference %v", m.ref.now, a.id, got, err, profList(a.profs))
		}
	}
}

// TestRouterMatchesReferenceWithCriteria is TestRouterMatchesReference with predefined
// attributes, agents' proficiencies, contacts' routing criteria, criteria updates (valid and
// not), proficiency changes, step expiries, transfers with criteria and the runtime profile
// and agent changes (delay tiers added to lanes whose groups hold contacts), comparing every
// decision and every step status with the reference.
func TestRouterMatchesReferenceWithCriteria(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		cfg := genConfig(t)
		cfg.PredefinedAttributes = critAttrs
		for i := range cfg.Agents {
			cfg.Agents[i].Proficiencies = nil
			for _, p := range profList(genProfs(t)) {
				cfg.Agents[i].Proficiencies = append(cfg.Agents[i].Proficiencies, routing.ProficiencyConfig(p))
			}
		}
		m := &critMachine{machine: &machine{cfg: cfg, ref: newRefRouter(cfg), adm: newRefAdmin()}}
		m.h = newHarness(t, cfg)
		actions := map[string]func(*rapid.T){
			"":               m.checkCrit,
			"Arrive":         m.arriveCrit,
			"Arrive2":        m.arriveCrit,
			"UpdateCriteria": m.updateCrit,
			"UpdatePriority": func(t *rapid.T) {
				m.update(t, ptr(rapid.Int64Range(1, 4).Draw(t, "priority")), nil)
			},
			"Proficiencies": m.changeProfs,
			"SetState":      m.setState,
			"SetState2":     m.setState,
			"Finish": func(t *rapid.T) {
				m.end(t, m.contactIDs(false, routing.WithAgent), routing.Completed, routing.Stopped)
			},
			"Abandon": func(t *rapid.T) {
				m.end(t, m.contactIDs(false, routing.Waiting), routing.Abandoned)
			},
			"Advance":  m.advance,
			"Advance2": m.advance,
			"Transfer": m.transferCrit,
		}
		maps.Copy(actions, m.adminActions()) // profile changes and criteria together
		for range 4 {
			t.Repeat(actions)
		}
	})
}

// TestZeroExpiryIsNoCriteria: criteria whose every step expires at 0 s route exactly as no
// criteria (doc.go: a step of duration 0 expires at once, before any offer). Two instances
// get the same calls, one with such criteria on every contact; their events must agree.
func TestZeroExpiryIsNoCriteria(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		cfg := genConfig(t)
		cfg.PredefinedAttributes = critAttrs
		hs := [2]*harness{newHarness(t, cfg), newHarness(t, cfg)}
		n := 0
		t.Repeat(map[string]func(*rapid.T){
			"": func(t *rapid.T) {
				hs[1].verify()
				if a, b := hs[0].rec.routes(), hs[1].rec.routes(); !slices.Equal(a, b) {
					t.Fatalf("routes without criteria %q; with criteria expiring at 0 s %q", a, b)
				}
			},
			"Arrive": func(t *rapid.T) {
				rc := genCriteria(t, cfg.Agents)
				for i := range rc.Steps {
					rc.Steps[i].Expiry = &routing.RoutingCriteriaInputStepExpiry{DurationInSeconds: ptr[int32](0)}
				}
				spec := routing.ContactSpec{ID: contact.ID(fmt.Sprint("c", n)), QueueID: rapid.SampledFrom(cfg.Queues).Draw(t, "queue").ID,
					Channel: rapid.SampledFrom([]contact.Channel{voiceCh, chatCh}).Draw(t, "channel")}
				n++
				for i, h := range hs {
					s := spec
					if i == 1 {
						s.RoutingCriteria = rc
					}
					if _, err := h.in.StartContact(s); err != nil {
						t.Fatal(err)
					}
				}
			},
			"SetState": func(t *rapid.T) {
				a := rapid.SampledFrom(cfg.Agents).Draw(t, "agent").ID
				st := routing.AgentState(rapid.IntRange(0, 1).Draw(t, "state"))
				for _, h := range hs {
					if err := h.in.SetAgentState(a, st); err != nil {
						t.Fatal(err)
					}
				}
			},
			"Finish": func(t *rapid.T) {
				if n == 0 {
					t.Skip("no contact")
				}
				id := contact.ID(fmt.Sprint("c", rapid.IntRange(0, n-1).Draw(t, "contact")))
				acw := sec(rapid.IntRange(0, 5).Draw(t, "acw"))
				var errs [2]error
				for i, h := range hs {
					errs[i] = h.in.EndContact(id, routing.Completed, acw)
				}
				if (errs[0] == nil) != (errs[1] == nil) {
					t.Fatalf("EndContact(%s): %v without criteria, %v with", id, errs[0], errs[1])
				}
			},
			"Advance": func(t *rapid.T) {
				d := sec(rapid.IntRange(1, 10).Draw(t, "seconds"))
				for _, h := range hs {
					h.to(h.now() + d)
				}
			},
		})
	})
}
