package whatif_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/routesim/routesim/sim/chart"
	"github.com/routesim/routesim/sim/whatif"
)

// TestChartData checks the conversion of a result into what its charts draw: every point,
// axis, pool and interval, the figures at the first service-level threshold, and the targets
// on the charted metrics (tinyWhatIf: 80% within 20 s and at most 10% abandoned, per queue).
func TestChartData(t *testing.T) {
	res := runWhatIf(t, tinyWhatIf(), whatif.Options{})
	d := res.ChartData()
	require.Len(t, d.Points, len(res.Points), "points")
	require.Len(t, d.Staffing, len(res.Staffing), "intervals")
	assert.Equal(t, []string{"ga", "gb"}, []string{d.Axes[0].Name, d.Axes[1].Name}, "axes")
	assert.Equal(t, []int{2, 3}, d.Axes[0].Values, "values of axis ga")
	assert.Equal(t, 20*time.Second, d.Threshold, "threshold")
	assert.Equal(t, []string{"a", "b"}, d.Queues, "queues")
	assert.Len(t, d.Pools, len(res.Pools), "pools")
	for i, p := range res.Points {
		got := d.Points[i].Queues["a"]
		want := p.Queues[0]
		assert.Equal(t, want.ServiceLevel[0].Mean, got.ServiceLevel.Mean, "point %s: service level of queue a", p.Key)
		assert.Equal(t, want.ASA.HalfWidth, got.ASA.HalfWidth, "point %s: ASA half-width of queue a", p.Key)
		assert.Equal(t, p.Agents, d.Points[i].Agents, "point %s: agents", p.Key)
	}
	want := []chart.Target{{Metric: chart.ServiceLevel, Bound: 0.8}, {Metric: chart.Abandonment, Bound: 0.1},
		{Metric: chart.ServiceLevel, Bound: 0.8}, {Metric: chart.Abandonment, Bound: 0.1}}
	assert.Equal(t, want, d.Targets, "targets")
	for i, s := range res.Staffing {
		assert.Equal(t, s.Start.D(), d.Staffing[i].Start, "interval %s: start", s.Interval)
		assert.Equal(t, s.Pools[0].ErlangC, d.Staffing[i].Pools[0].ErlangC, "interval %s: Erlang C", s.Interval)
		assert.Equal(t, s.Pools[0].ErlangA, d.Staffing[i].Pools[0].ErlangA, "interval %s: Erlang A", s.Interval)
	}
}
