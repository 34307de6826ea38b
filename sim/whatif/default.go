package whatif

import (
	"encoding/json"
	"time"

	"github.com/routesim/routesim/sim"
)

// Default returns the built-in what-if: sim.DefaultScenario swept over 8, 10 and 12
// sales agents a shift and 12 to 20 support agents a shift by 2, under four rule variants
// (as given; VIP at the standard priority; a callback bonus of 300 s instead of 120 s; the
// overflow after 30 s instead of 60 s), with 10 replications each; and the staffing solver
// on every open interval (2 h measured after 30 min of warm-up per replication). Targets:
// per queue 80% answered within 20 s and at most 5% abandoned; VIPs 90% within 20 s.
func Default() *WhatIf {
	ab := 0.05
	patch := func(s string) json.RawMessage { return json.RawMessage(s) }
	return &WhatIf{
		Name:     "default what-if: sales and support, 52 agents",
		Scenario: sim.DefaultScenario(),
		Reps:     10,
		Sweep: Sweep{
			Agents: []AgentRange{
				{Name: "sales", Groups: []string{"sales-early", "sales-late"}, From: 8, To: 12, Step: 2},
				{Name: "support", Groups: []string{"support-early", "support-late"}, From: 12, To: 20, Step: 2},
			},
			Variants: []Variant{
				{Name: "base"},
				{Name: "no-vip-priority", Patch: patch(`{"classes":{"vip":{"priority":5}}}`)},
				{Name: "callback-no-bonus", Patch: patch(`{"classes":{"callback":{"ageAdjustment":0}}}`)},
				{Name: "overflow-after-30s", Patch: patch(`{"routingProfiles":{"sales":{"queues":{"support":{"delaySeconds":30}}}}}`)},
			},
		},
		Targets: []Target{
			{Queue: "sales", ServiceLevel: 0.8, Within: DefaultWithin, MaxAbandon: &ab},
			{Queue: "support", ServiceLevel: 0.8, Within: DefaultWithin, MaxAbandon: &ab},
			{Class: "vip", ServiceLevel: 0.9, Within: DefaultWithin},
		},
		Solve: &Solve{Horizon: sim.Duration(2 * time.Hour), Warmup: sim.Duration(30 * time.Minute)},
	}
}
