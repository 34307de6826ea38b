package bench

import (
	"context"
	"runtime"
	"syscall"
	"testing"
	"time"

	"github.com/routesim/routesim/contact"
	"github.com/routesim/routesim/routing"
	"github.com/routesim/routesim/sim"
	"github.com/routesim/routesim/sim/simtest"
)

// simCentre is the speed benchmark's centre: one voice queue, 100 agents, three priority
// classes (priorities 1, 2, 3, a fifth, a third and the rest of the contacts), exponential
// handle time of 5 minutes and exponential patience of 10 minutes, offered at 95% of the
// agents' capacity. horizon sets the simulated time.
func simCentre(horizon time.Duration) *sim.Scenario {
	const agents, handle = 100, 300.0 // seconds
	rate := 0.95 * agents / handle * 3600
	return &sim.Scenario{
		Name:     "bench-100-agents",
		Horizon:  sim.Duration(horizon),
		Interval: sim.Duration(time.Hour),
		Seed:     1,
		Queues:   []routing.QueueConfig{{ID: "q"}},
		RoutingProfiles: []routing.ProfileConfig{{ID: "p",
			Queues: []routing.ProfileQueueConfig{{QueueID: "q", Channel: contact.Voice, Priority: 1}}}},
		AgentGroups: []sim.AgentGroup{{ID: "agents", Count: agents, RoutingProfileID: "p"}},
		Classes:     []sim.Class{{ID: "gold", Priority: 1}, {ID: "silver", Priority: 2}, {ID: "bronze", Priority: 3}},
		Arrivals: []sim.Arrivals{{Queue: "q", RatePerHour: rate,
			Classes:    []sim.ClassWeight{{Class: "gold", Weight: 0.2}, {Class: "silver", Weight: 0.3}, {Class: "bronze", Weight: 0.5}},
			HandleTime: sim.Exp(sim.Duration(handle * time.Second)),
			Patience:   &sim.Dist{Type: sim.Exponential, Mean: sim.Duration(600 * time.Second)}}},
	}
}

// BenchmarkSimContacts simulates one replication of simCentre long enough for about b.N
// contacts, so ns/op and allocs/op are per contact (the replication's setup is spread over
// them), and reports contacts simulated per second on one core.
func BenchmarkSimContacts(b *testing.B) {
	const ratePerSec = 0.95 * 100 / 300.0
	horizon := time.Duration(float64(b.N)/ratePerSec*1e9) + time.Minute
	sc := simCentre(horizon)
	b.ReportAllocs()
	cpu0 := cpuTime()
	b.ResetTimer()
	rep, err := sim.RunReplication(context.Background(), sc, 1, 0, sim.Hooks{})
	if err != nil {
		b.Fatal(err)
	}
	b.StopTimer()
	cpu := cpuTime() - cpu0
	t := rep.Totals
	if t.Arrived != t.Completed+t.Abandoned+t.Waiting+t.InService || t.Arrived == 0 {
		b.Fatalf("totals %+v do not add up", t)
	}
	b.ReportMetric(float64(t.Arrived)/b.Elapsed().Seconds(), "contacts/s")
	b.ReportMetric(float64(t.Arrived)/cpu.Seconds(), "contacts/cpu-s")
}

// cpuTime returns the CPU time the process has used (user + system): on a shared machine
// contacts per CPU-second is steadier than per wall-clock second.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// peakHeap runs one replication of sc and returns the peak HeapInuse sampled as it runs
// and the bytes allocated over it.
func peakHeap(t testing.TB, sc *sim.Scenario) (peak, alloc uint64, contacts int64) {
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	start := ms.TotalAlloc
	peak = ms.HeapInuse
	sample := func(float64) {
		runtime.ReadMemStats(&ms)
		peak = max(peak, ms.HeapInuse)
	}
	rep, err := sim.RunReplication(context.Background(), sc, 1, 0, sim.Hooks{Progress: sample})
	if err != nil {
		t.Fatal(err)
	}
	sample(1)
	return peak, ms.TotalAlloc - start, rep.Totals.Arrived
}

// TestSimPeakMemory checks that memory does not grow with the horizon: the peak heap of a
// 30-day replication of simCentre is within 10% of a 1-day one's.
func TestSimPeakMemory(t *testing.T) {
	if testing.Short() || simtest.Race {
		t.Skip("simulates 30 days; memory figures mean nothing under the race detector")
	}
	p1, a1, n1 := peakHeap(t, simCentre(24*time.Hour))
	p30, a30, n30 := peakHeap(t, simCentre(30*24*time.Hour))
	t.Logf("1 day:   %d contacts, peak HeapInuse %d KiB, allocated %d KiB", n1, p1>>10, a1>>10)
	t.Logf("30 days: %d contacts, peak HeapInuse %d KiB, allocated %d KiB", n30, p30>>10, a30>>10)
	if float64(p30) > 1.1*float64(p1) {
		t.Errorf("peak heap %d KiB over 30 days; want within 10%% of 1 day's %d KiB", p30>>10, p1>>10)
	}
}
