package bench

import (
	"context"
	"math"
	"testing"

	"github.com/routesim/routesim/bench/fairness"
)

// benchFairnessHours is the measured time of one replication of BenchmarkFairness: about
// 19,000 contacts at the balanced scenario's 96 per hour.
const benchFairnessHours = 200

// BenchmarkFairness runs the balanced scenario of fairness.DefaultSuite under each rule set, one
// replication per iteration (replication i on iteration i, each of benchFairnessHours
// measured hours), and reports the fairness figures beside ns/op: the mean wait of each class
// and of all contacts, the p95 wait, Jain's index of the class mean waits, and the inversions
// of arrival order per served contact, overall and within a class. A figure is the mean over
// the iterations, so benchstat compares two versions of a rule set on the same replications:
//
//	go test -run '^$' -bench 'Fairness/' -count 10 ./bench/ > old.txt
//	(change a rule set in bench/fairness/suite.go)
//	go test -run '^$' -bench 'Fairness/' -count 10 ./bench/ > new.txt
//	benchstat old.txt new.txt
//
// It checks its own result: contacts were served, none was overtaken by a later arrival of
// its class, and none by any later arrival under FIFO.
func BenchmarkFairness(b *testing.B) {
	s := fairness.DefaultSuite()
	i, _ := s.CellIndex("balanced", "fifo")
	s.Scenarios[i].Hours = benchFairnessHours
	sc := &s.Scenarios[i]
	for j, rs := range s.RuleSets {
		b.Run("scenario=balanced/rules="+rs.Name, func(b *testing.B) {
			var rr fairness.Replicator
			sums := make([]float64, len(sc.Classes)+5)
			n := 0
			b.ReportAllocs()
			for b.Loop() {
				rep, err := rr.Run(context.Background(), s, i, j, n)
				if err != nil {
					b.Fatal(err)
				}
				r := &rep.Report
				if r.Overall.Served == 0 || r.InversionsWithinClass != 0 || (rs.FIFO() && r.Inversions != 0) {
					b.Fatalf("replication %d: %d served, %d inversions, %d within a class", n, r.Overall.Served, r.Inversions, r.InversionsWithinClass)
				}
				for k := range sc.Classes {
					sums[k] += rep.Classes[k].MeanWait
				}
				m := len(sc.Classes)
				sums[m] += rep.Overall.MeanWait
				sums[m+1] += rep.Overall.P95
				sums[m+2] += rep.Across.JainMeanWait
				sums[m+3] += rep.Overall.InversionsPerContact
				sums[m+4] += rep.Across.WithinClassInversionsPerContact
				n++
			}
			mean := func(k int) float64 { return sums[k] / float64(n) }
			for k, c := range sc.Classes {
				b.ReportMetric(mean(k), c.ID+"-wait-s")
			}
			m := len(sc.Classes)
			b.ReportMetric(mean(m), "wait-s")
			b.ReportMetric(mean(m+1), "p95-wait-s")
			b.ReportMetric(mean(m+2), "jain")
			b.ReportMetric(mean(m+3), "inversions/contact")
			b.ReportMetric(mean(m+4), "within-class-inversions/contact")
			if math.IsNaN(mean(m)) {
				b.Fatalf("mean wait is NaN")
			}
		})
	}
}
