package sim_test

import (
	"context"
	"errors"
	"fmt"
	"math"
	"sync/atomic"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/routesim/routesim/sim"
)

// TestReplicateIndexOrder: outcomes come in index order whatever the workers, and done
// counts every job once, in order.
func TestReplicateIndexOrder(t *testing.T) {
	const n = 50
	for _, workers := range []int{0, 1, 2, 7, 100} {
		t.Run(fmt.Sprint("workers=", workers), func(t *testing.T) {
			var seen []int
			out, err := sim.Replicate(context.Background(), n, workers, func() sim.Job[int] {
				return func(_ context.Context, i int) (int, error) { return i * i, nil }
			}, func(finished, total int) {
				require.Equal(t, n, total, "total")
				seen = append(seen, finished)
			})
			require.NoError(t, err)
			for i, v := range out {
				assert.Equal(t, i*i, v, "outcome %d", i)
			}
			require.Len(t, seen, n, "done calls")
			for i, f := range seen {
				assert.Equal(t, i+1, f, "done call %d", i)
			}
		})
	}
}

// TestReplicateFirstFailure: a failing job cancels the others and its error is returned,
// not the cancellation it caused; the jobs that finished keep their outcomes.
func TestReplicateFirstFailure(t *testing.T) {
	boom := errors.New("boom")
	var started atomic.Int64
	out, err := sim.Replicate(context.Background(), 1000, 4, func() sim.Job[int] {
		return func(ctx context.Context, i int) (int, error) {
			started.Add(1)
			if i == 5 {
				return 0, boom
			}
			if err := ctx.Err(); err != nil {
				return 0, err
			}
			return i + 1, nil
		}
	}, nil)
	require.ErrorIs(t, err, boom)
	assert.Less(t, started.Load(), int64(1000), "jobs started after the failure")
	for i, v := range out {
		if v != 0 {
			assert.Equal(t, i+1, v, "outcome %d", i)
		}
	}
}

// TestReplicateCancel: cancelling the parent context stops the run with its error.
func TestReplicateCancel(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	_, err := sim.Replicate(ctx, 1000, 2, func() sim.Job[int] {
		return func(ctx context.Context, i int) (int, error) {
			if i == 10 {
				cancel()
			}
			return i, ctx.Err()
		}
	}, nil)
	require.ErrorIs(t, err, context.Canceled)
}

// TestAggregate: Aggregate gives each figure the NewEstimate of its values, leaving out
// NaNs, through the figures' enumeration.
func TestAggregate(t *testing.T) {
	type pair[T any] struct{ A, B T }
	each := func(p *pair[float64], fn func(string, *float64)) { fn("a", &p.A); fn("b", &p.B) }
	reps := []*pair[float64]{{1, 10}, {2, math.NaN()}, {3, 30}, {6, 20}}
	var out pair[sim.Estimate]
	sim.Aggregate(func(fn func(string, *sim.Estimate)) { fn("a", &out.A); fn("b", &out.B) }, reps, each, 0.95)
	assert.Equal(t, sim.NewEstimate([]float64{1, 2, 3, 6}, 0.95), out.A, "a")
	assert.Equal(t, sim.NewEstimate([]float64{10, 30, 20}, 0.95), out.B, "b")
	assert.Equal(t, 3, out.B.N, "b leaves out the NaN")
}
