package bench

import (
	"context"
	"encoding/json"
	"testing"

	"github.com/routesim/routesim/routing"
	"github.com/routesim/routesim/sim"
)

// defaultWithCriteria returns a copy of the default what-if centre (sim.DefaultScenario)
// with proficiency routing: the early shifts hold their product at level 4, the late ones at
// 2 (sales) and 3 (support); VIPs first wait 20 s for a level-4 agent of either product,
// then 40 s for level 2, then anyone; standard contacts 30 s for level 3; callbacks, never
// expiring, a support agent of level 3.
func defaultWithCriteria(t testing.TB) *sim.Scenario {
	sc := sim.DefaultScenario()
	sc.Name += ", with routing criteria"
	prof := func(product string, level float64) []routing.Proficiency {
		return []routing.Proficiency{{AttributeName: "Product", AttributeValue: product, Level: level}}
	}
	sc.AgentGroups[0].Proficiencies = prof("Sales", 4)
	sc.AgentGroups[1].Proficiencies = prof("Sales", 2)
	sc.AgentGroups[2].Proficiencies = prof("Support", 4)
	sc.AgentGroups[3].Proficiencies = prof("Support", 3)
	either := func(level int) string {
		c := func(p string) string {
			return `{"AttributeCondition":{"Name":"Product","Value":"` + p + `","ProficiencyLevel":` + string(rune('0'+level)) +
				`,"ComparisonOperator":"NumberGreaterOrEqualTo"}}`
		}
		return `{"OrExpression":[` + c("Sales") + `,` + c("Support") + `]}`
	}
	crit := map[string]string{
		"vip":      `{"Steps":[{"Expression":` + either(4) + `,"Expiry":{"DurationInSeconds":20}},{"Expression":` + either(2) + `,"Expiry":{"DurationInSeconds":40}}]}`,
		"standard": `{"Steps":[{"Expression":` + either(3) + `,"Expiry":{"DurationInSeconds":30}}]}`,
		"callback": `{"Steps":[{"Expression":{"AttributeCondition":{"Name":"Product","Value":"Support","ProficiencyLevel":3,"ComparisonOperator":"NumberGreaterOrEqualTo"}}}]}`,
	}
	for i := range sc.Classes {
		rc := new(routing.RoutingCriteriaInput)
		if err := json.Unmarshal([]byte(crit[sc.Classes[i].ID]), rc); err != nil {
			t.Fatal(err)
		}
		sc.Classes[i].RoutingCriteria = rc
	}
	if err := sc.Validate(); err != nil {
		t.Fatal(err)
	}
	return sc
}

// BenchmarkSimDefaultCentre runs replications (one simulated day each) of the default
// what-if centre on one core, without and with routing criteria, and reports simulated
// contacts per CPU-second; an op is one replication.
func BenchmarkSimDefaultCentre(b *testing.B) {
	for _, bc := range []struct {
		name string
		sc   *sim.Scenario
	}{{"criteria=no", sim.DefaultScenario()}, {"criteria=yes", defaultWithCriteria(b)}} {
		b.Run(bc.name, func(b *testing.B) {
			b.ReportAllocs()
			var contacts int64
			cpu0 := cpuTime()
			b.ResetTimer()
			for i := range b.N {
				rep, err := sim.RunReplication(context.Background(), bc.sc, 1, i, sim.Hooks{})
				if err != nil {
					b.Fatal(err)
				}
				t := rep.Totals
				if t.Arrived != t.Completed+t.Abandoned+t.Waiting+t.InService || t.Completed == 0 {
					b.Fatalf("totals %+v do not add up", t)
				}
				if (len(rep.Steps) > 0) != (bc.name == "criteria=yes") {
					b.Fatalf("%d classes with step figures", len(rep.Steps))
				}
				contacts += t.Arrived
			}
			b.StopTimer()
			b.ReportMetric(float64(contacts)/(cpuTime()-cpu0).Seconds(), "contacts/cpu-s")
			b.ReportMetric(float64(contacts)/float64(b.N), "contacts/op")
		})
	}
}

// TestDefaultWithCriteria: the criteria copy of the default centre runs, and its step
// figures show joins at the first step and after expiry.
func TestDefaultWithCriteria(t *testing.T) {
	sc := defaultWithCriteria(t)
	res, err := sim.Run(context.Background(), sc, sim.RunOptions{Reps: 2})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Steps) != 3 {
		t.Fatalf("%d classes with step figures; want 3", len(res.Steps))
	}
	vip := res.Steps[1]
	if !(vip.Joined[0].Mean > 0 && vip.Joined[1].Mean+vip.AfterExpiry.Mean > 0) {
		t.Errorf("vip: joined %v at step 1, %v at step 2, %v after expiry; want some at step 1 and later", vip.Joined[0], vip.Joined[1], vip.AfterExpiry)
	}
}
