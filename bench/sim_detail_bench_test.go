package bench

import (
	"context"
	"testing"

	"github.com/routesim/routesim/sim"
)

// BenchmarkSimIntervalDetail runs one replication (one simulated day) of the default
// what-if centre through sim.Run on one worker, without and with the per-interval figures
// of each queue, class and agent group (RunOptions.IntervalDetail), and reports simulated
// contacts per CPU-second; an op is one replication.
func BenchmarkSimIntervalDetail(b *testing.B) {
	sc := sim.DefaultScenario()
	for _, detail := range []bool{false, true} {
		name := "detail=no"
		if detail {
			name = "detail=yes"
		}
		b.Run(name, func(b *testing.B) {
			b.ReportAllocs()
			var contacts int64
			cpu0 := cpuTime()
			b.ResetTimer()
			for i := range b.N {
				seed := uint64(i + 1)
				res, err := sim.Run(context.Background(), sc, sim.RunOptions{Reps: 1, Seed: &seed, Workers: 1, IntervalDetail: detail})
				if err != nil {
					b.Fatal(err)
				}
				if (len(res.QueueIntervals) > 0) != detail || res.Overall.Handled.Mean == 0 {
					b.Fatalf("detail %v: %d queues with interval figures, %v handled", detail, len(res.QueueIntervals), res.Overall.Handled.Mean)
				}
				contacts += res.Contacts
			}
			b.StopTimer()
			b.ReportMetric(float64(contacts)/(cpuTime()-cpu0).Seconds(), "contacts/cpu-s")
		})
	}
}
