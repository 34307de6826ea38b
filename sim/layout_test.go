package sim_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/routesim/routesim/sim"
)

// TestLayout reads the default scenario's layout: its queues and classes in scenario order,
// 96 intervals of 15 minutes keyed by their start, and the early shift (8:00 to 16:00) and
// late shift (12:00 to 20:00) on duty by their counts.
func TestLayout(t *testing.T) {
	sc := sim.DefaultScenario()
	l, err := sim.NewLayout(sc)
	require.NoError(t, err)
	assert.Equal(t, []string{"sales", "support"}, l.Queues, "queues")
	assert.Equal(t, []string{"standard", "vip", "callback"}, l.Classes, "classes")
	assert.Equal(t, sim.Duration(15*time.Minute), l.Interval, "interval")
	require.Len(t, l.Intervals, 96, "intervals")
	assert.Equal(t, "08:15", l.Intervals[33], "interval 33")
	for _, tc := range []struct {
		g    int
		at   time.Duration
		want int
	}{
		{0, 7 * time.Hour, 0}, {0, 8 * time.Hour, 10}, {0, 15*time.Hour + 59*time.Minute, 10}, {0, 16 * time.Hour, 0},
		{1, 11 * time.Hour, 0}, {1, 12 * time.Hour, 10}, {3, 19 * time.Hour, 16}, {3, 20 * time.Hour, 0},
	} {
		assert.Equal(t, tc.want, l.OnDuty(tc.g, sim.Duration(tc.at)), "group %d at %v", tc.g, tc.at)
	}
	sc.Horizon = 0
	_, err = sim.NewLayout(sc)
	require.ErrorIs(t, err, sim.ErrInvalidScenario, "layout of an invalid scenario")
}
