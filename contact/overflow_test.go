package contact_test

import (
	"errors"
	"math"
	"math/big"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"pgregory.net/rapid"

	"github.com/routesim/routesim/contact"
)

// TestPropertyAdjustmentNeverOverflows: whatever adjustments a caller applies (any int64, in
// any order), the ones Apply accepts keep RoutingAge exact for every wait in [0, MaxWait], and
// the ones it rejects wrap ErrInvalidUpdate and ErrAdjustmentOverflow and change nothing.
// Exactness is checked against big.Int arithmetic, so a wrap-around cannot hide.
func TestPropertyAdjustmentNeverOverflows(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		enq := time.Unix(0, rapid.Int64Range(-int64(50*365*24*time.Hour), int64(200*365*24*time.Hour)).Draw(t, "enqueuedAtNs"))
		c := &contact.Contact{ID: "c1", EnqueuedAt: enq}
		steps := rapid.IntRange(1, 8).Draw(t, "steps")
		for i := 0; i < steps; i++ {
			d := time.Duration(rapid.OneOf(
				rapid.Int64(),
				rapid.Int64Range(-int64(contact.MaxAgeAdjustment), int64(contact.MaxAgeAdjustment)),
				rapid.SampledFrom([]int64{math.MaxInt64, math.MinInt64, int64(contact.MaxAgeAdjustment), -int64(contact.MaxAgeAdjustment)}),
			).Draw(t, "adjustment"))
			before := *c
			err := c.Apply(contact.AdjustAge(d))
			want := new(big.Int).Add(big.NewInt(int64(before.AgeAdjustment)), big.NewInt(int64(d)))
			inBound := want.CmpAbs(big.NewInt(int64(contact.MaxAgeAdjustment))) <= 0
			if err != nil {
				require.Equal(t, before, *c, "a rejected adjustment %v changed the contact", d)
				require.True(t, errors.Is(err, contact.ErrInvalidUpdate), "got %v; want it to wrap ErrInvalidUpdate", err)
				require.True(t, errors.Is(err, contact.ErrAdjustmentOverflow), "got %v; want it to wrap ErrAdjustmentOverflow", err)
				continue
			}
			require.True(t, inBound, "Apply accepted %v on top of %v: cumulative %v is beyond ±MaxAgeAdjustment", d, before.AgeAdjustment, want)
			for _, w := range []time.Duration{0, 1, time.Hour, contact.MaxWait / 2, contact.MaxWait} {
				got := c.RoutingAge(enq.Add(w))
				exact := new(big.Int).Add(big.NewInt(int64(w)), big.NewInt(int64(c.AgeAdjustment)))
				assert.Equal(t, exact.String(), big.NewInt(int64(got)).String(),
					"RoutingAge after a wait of %v with adjustment %v; want the exact sum", w, c.AgeAdjustment)
			}
		}
	})
}
