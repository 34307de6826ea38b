package fairness_test

import (
	"fmt"

	"github.com/routesim/routesim/bench/fairness"
)

func ExampleAccumulator() {
	acc, err := fairness.NewAccumulator(fairness.Config{WaitThresholds: []float64{20}})
	if err != nil {
		panic(err)
	}
	// Class 1 is routed before class 2. Contacts are added as they leave the queue: the
	// class-1 contact that arrived third is served before the class-2 contact that arrived
	// second, and the last class-2 contact abandons after 70 s.
	for _, c := range []fairness.ContactObs{
		{ArrivalSeq: 0, Class: 2, Arrival: 0, Dequeued: 0, Handle: 60, Served: true},
		{ArrivalSeq: 2, Class: 1, Arrival: 10, Dequeued: 12, Handle: 30, Served: true},
		{ArrivalSeq: 1, Class: 2, Arrival: 5, Dequeued: 40, Handle: 60, Served: true},
		{ArrivalSeq: 3, Class: 2, Arrival: 20, Dequeued: 90},
	} {
		if err := acc.Add(c); err != nil {
			panic(err)
		}
	}
	r, err := acc.Report([]fairness.AgentObs{{Busy: 90, Idle: 30}, {Busy: 60, Idle: 60}})
	if err != nil {
		panic(err)
	}
	for _, c := range r.Classes {
		fmt.Printf("class %d: served %d, abandoned %d, mean wait %.1f s, P(wait > 20 s) %.2f, mean slowdown %.3f\n",
			c.Class, c.Served, c.Abandoned, c.MeanWait, c.PWaitOver[0], c.MeanSlowdown)
	}
	fmt.Printf("Jain of mean waits %.3f, largest ratio %.2f\n", r.JainMeanWait, r.MaxClassRatio)
	fmt.Printf("inversions %d (within a class %d), Kendall's tau %.3f\n", r.Inversions, r.InversionsWithinClass, r.KendallTau)
	fmt.Printf("lowest class %d waited up to %.0f s\n", r.LowestClass, r.StarvationMaxWait)
	fmt.Printf("agents: Jain of occupancy %.3f, of idle time %.3f\n", r.AgentOccupancyJain, r.AgentIdleJain)
	// Output:
	// class 1: served 1, abandoned 0, mean wait 2.0 s, P(wait > 20 s) 0.00, mean slowdown 0.067
	// class 2: served 2, abandoned 1, mean wait 17.5 s, P(wait > 20 s) 0.50, mean slowdown 0.292
	// Jain of mean waits 0.613, largest ratio 8.75
	// inversions 1 (within a class 0), Kendall's tau 0.333
	// lowest class 2 waited up to 70 s
	// agents: Jain of occupancy 0.962, of idle time 0.900
}
