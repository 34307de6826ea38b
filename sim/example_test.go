package sim_test

import (
	"context"
	"fmt"
	"time"

	"github.com/routesim/routesim/contact"
	"github.com/routesim/routesim/routing"
	"github.com/routesim/routesim/sim"
)

// An M/M/5 queue at 80% load, 8 replications of 200 hours. Erlang C (sim/theory) gives a
// probability of waiting of 0.554 and a mean wait of 166 s; TestValidationErlangC runs long
// enough to pin them within ±3%.
func ExampleRun() {
	sc := &sim.Scenario{
		Horizon:      sim.Duration(200 * time.Hour),
		Warmup:       sim.Duration(time.Hour),
		Interval:     sim.Duration(200 * time.Hour),
		Cycle:        sim.Duration(200 * time.Hour),
		Replications: 8,
		Seed:         1,
		Queues:       []routing.QueueConfig{{ID: "support"}},
		RoutingProfiles: []routing.ProfileConfig{{ID: "generalist",
			Queues: []routing.ProfileQueueConfig{{QueueID: "support", Channel: contact.Voice, Priority: 1}}}},
		AgentGroups: []sim.AgentGroup{{ID: "agents", Count: 5, RoutingProfileID: "generalist"}},
		Arrivals: []sim.Arrivals{{Queue: "support", RatePerHour: 48,
			HandleTime: sim.Exp(sim.Duration(5 * time.Minute))}},
	}
	res, err := sim.Run(context.Background(), sc, sim.RunOptions{})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("P(wait) %.2f, mean wait %.0f s, occupancy %.2f\n",
		res.Overall.PWait.Mean, res.Overall.WaitMean.Mean, res.Groups[0].Occupancy.Mean)
	// Output:
	// P(wait) 0.56, mean wait 173 s, occupancy 0.80
}
