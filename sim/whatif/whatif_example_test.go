package whatif_test

import (
	"context"
	"fmt"
	"time"

	"github.com/routesim/routesim/sim"
	"github.com/routesim/routesim/sim/whatif"
)

// A what-if cut into two shards, as two machines would run it, and merged.
func ExampleMerge() {
	w := whatif.Default()
	w.Reps = 2
	// Two variants at the scenario's own agent counts, and the solver on one interval (1 hour
	// measured per replication): 3 tasks.
	w.Sweep.Agents = nil
	w.Sweep.Variants = w.Sweep.Variants[:2]
	w.Solve.Intervals = []string{"10:30"}
	w.Solve.Horizon = sim.Duration(time.Hour)
	var parts []*whatif.Result
	for i := range 2 {
		part, err := whatif.Run(context.Background(), w, whatif.Options{Shard: whatif.Shard{Index: i, Count: 2}})
		if err != nil {
			fmt.Println(err)
			return
		}
		fmt.Printf("shard %v: %d points, %d intervals\n", *part.Shard, len(part.Points), len(part.Staffing))
		parts = append(parts, part)
	}
	res, err := whatif.Merge(parts, nil)
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, p := range res.Points {
		fmt.Println(p.Index, p.Key)
	}
	fmt.Println(res.Staffing[0].Index, res.Staffing[0].Key, "complete:", res.Complete)
	// Output:
	// shard 0/2: 1 points, 1 intervals
	// shard 1/2: 1 points, 0 intervals
	// 0 variant=base
	// 1 variant=no-vip-priority
	// 2 solve@10:30 complete: true
}

func ExampleParseShard() {
	for _, s := range []string{"2/8", "8/8"} {
		sh, err := whatif.ParseShard(s)
		fmt.Println(sh, err)
	}
	// Output:
	// 2/8 <nil>
	// 0/0 whatif: bad shard 8/8: the index must be in 0..7 (shards count from 0)
}
