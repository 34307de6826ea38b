package sim_test

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/routesim/routesim/sim"
)

// TestValidateNamesField: each broken scenario is rejected with an error naming the field.
func TestValidateNamesField(t *testing.T) {
	neg := int64(0)
	for _, tc := range []struct {
		name   string
		break_ func(sc *sim.Scenario)
		field  string
	}{
		{"negative count", func(sc *sim.Scenario) { sc.AgentGroups[1].Count = -3 }, "agentGroups[1].count: -3 is negative"},
		{"no horizon", func(sc *sim.Scenario) { sc.Horizon = 0 }, "horizon:"},
		{"long warmup", func(sc *sim.Scenario) { sc.Warmup = sc.Horizon }, "warmup:"},
		{"cycle", func(sc *sim.Scenario) { sc.Cycle = sim.Duration(25 * time.Minute) }, "cycle:"},
		{"profile delay", func(sc *sim.Scenario) { sc.RoutingProfiles[0].Queues[1].DelaySeconds = 10000 }, "routingProfiles[0].queues[1].delaySeconds:"},
		{"profile queue", func(sc *sim.Scenario) { sc.RoutingProfiles[1].Queues[0].QueueID = "nope" }, "routingProfiles[1].queues[0].queueId:"},
		{"duplicate queue", func(sc *sim.Scenario) { sc.Queues[1].ID = "sales" }, "queues[1].id:"},
		{"group profile", func(sc *sim.Scenario) { sc.AgentGroups[0].RoutingProfileID = "x" }, "agentGroups[0].routingProfileId:"},
		{"staffing length", func(sc *sim.Scenario) { sc.AgentGroups[1].Staffing = []int{1} }, "agentGroups[1].staffing:"},
		{"staffing value", func(sc *sim.Scenario) { sc.AgentGroups[1].Staffing[3] = 99 }, "agentGroups[1].staffing[3]:"},
		{"shift end", func(sc *sim.Scenario) { sc.AgentGroups[0].Shifts[0].End = 0 }, "agentGroups[0].shifts[0].end:"},
		{"acw type", func(sc *sim.Scenario) { sc.AgentGroups[0].AfterContactWork.Type = "weibull" }, "agentGroups[0].afterContactWork.type:"},
		{"class priority", func(sc *sim.Scenario) { sc.Classes[0].Priority = -1 }, "classes[0].priority:"},
		{"rule both", func(sc *sim.Scenario) { sc.Classes[1].Rules[0].AddAge = new(sim.Duration) }, "classes[1].rules[0]:"},
		{"rule priority", func(sc *sim.Scenario) { sc.Classes[1].Rules[0].SetPriority = &neg }, "classes[1].rules[0].setPriority:"},
		{"stream queue", func(sc *sim.Scenario) { sc.Arrivals[1].Queue = "x" }, "arrivals[1].queue:"},
		{"stream channel", func(sc *sim.Scenario) { sc.Arrivals[1].Channel = "FAX" }, "arrivals[1].channel:"},
		{"unserved lane", func(sc *sim.Scenario) { sc.Arrivals[0].Channel = "CHAT" }, "arrivals[0].queue: no agent group"},
		{"rates length", func(sc *sim.Scenario) { sc.Arrivals[0].RatesPerHour = []float64{1} }, "arrivals[0].ratesPerHour:"},
		{"both rates", func(sc *sim.Scenario) { sc.Arrivals[1].RatesPerHour = make([]float64, 24) }, "arrivals[1].ratesPerHour:"},
		{"no rate", func(sc *sim.Scenario) { sc.Arrivals[1].RatePerHour = 0 }, "arrivals[1].ratePerHour:"},
		{"class", func(sc *sim.Scenario) { sc.Arrivals[1].Class = "platinum" }, "arrivals[1].class:"},
		{"mix weight", func(sc *sim.Scenario) { sc.Arrivals[0].Classes[1].Weight = -1 }, "arrivals[0].classes[1].weight:"},
		{"handle cv", func(sc *sim.Scenario) { sc.Arrivals[0].HandleTime.CV = 0 }, "arrivals[0].handleTime.cv:"},
		{"patience weights", func(sc *sim.Scenario) { sc.Arrivals[1].Patience.Weights = []float64{1} }, "arrivals[1].patience.weights:"},
		{"no arrivals", func(sc *sim.Scenario) { sc.Arrivals = nil }, "arrivals:"},
		{"trace file", func(sc *sim.Scenario) { sc.Trace = &sim.Trace{File: "missing.csv"} }, "trace.file:"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			sc := load(t, "testdata/example.json")
			tc.break_(sc)
			err := sc.Validate()
			if err == nil {
				t.Fatal("got no error")
			}
			var se *sim.ScenarioError
			if !errors.As(err, &se) || !errors.Is(err, sim.ErrInvalidScenario) {
				t.Fatalf("got %T %v; want a *ScenarioError", err, err)
			}
			if !strings.Contains(err.Error(), tc.field) {
				t.Fatalf("got %q; want it to name %q", err, tc.field)
			}
		})
	}
}

func TestDecodeErrors(t *testing.T) {
	for _, tc := range []struct{ json, want string }{
		{`{"horizon": "1h", "bogus": 1}`, `unknown field "bogus"`},
		{`{"horizon": "1h", "Horizon": "2h"}`, `unknown field "Horizon"`},
		{`{"horizon": "1h", "agentGroups": [{"id": "g"}, {"id": "h", "cuont": 3}]}`, "agentGroups[1].cuont"},
		{`{"classes": [{"id": "c", "routingCriteria": {"Steps": [{"Expresion": {}}]}}]}`, "classes[0].routingCriteria.Steps[0].Expresion"},
		{`{"horizon": "1h", "agentGroups": [{"id": "g", "count": "ten"}]}`, "agentGroups.count"},
		{`{"horizon": "soon"}`, `"soon"`},
		{`{"horizon": "1h"} {}`, "trailing"},
	} {
		_, err := sim.DecodeScenario(strings.NewReader(tc.json))
		if err == nil || !strings.Contains(err.Error(), tc.want) || !errors.Is(err, sim.ErrInvalidScenario) {
			t.Errorf("DecodeScenario(%s) = %v; want an error naming %s", tc.json, err, tc.want)
		}
	}
}

func TestDurationJSON(t *testing.T) {
	for in, want := range map[string]time.Duration{`90`: 90 * time.Second, `"90s"`: 90 * time.Second,
		`0.25`: 250 * time.Millisecond, `"1h30m"`: 90 * time.Minute, `"15"`: 15 * time.Second} {
		var d sim.Duration
		if err := d.UnmarshalJSON([]byte(in)); err != nil || d.D() != want {
			t.Errorf("%s: got %v, %v; want %v", in, d, err, want)
		}
	}
	var d sim.Duration
	if err := d.UnmarshalJSON([]byte(`true`)); err == nil {
		t.Error("true decoded as a duration")
	}
}
