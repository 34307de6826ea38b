package theory_test

import (
	"testing"

	"github.com/routesim/routesim/sim/theory"
	"github.com/stretchr/testify/require"
)

func TestMMcKBlocking(t *testing.T) {
	for _, tc := range []struct {
		name string
		c, k int
		a    float64
		want float64
	}{
		// By hand: t = 1, 2, 2, 2 (a = 2, c = 2, K = 3): P_3 = 2/7.
		{"c2K3a2", 2, 3, 2, 2.0 / 7},
		// By hand: t = 1, 1, 1 (a = 1, c = 1, K = 2): P_2 = 1/3.
		{"c1K2a1", 1, 2, 1, 1.0 / 3},
		// By hand: t = 1, 3, 4.5, 4.5·1.5, 4.5·2.25, sum 25.375 (a = 3, c = 2, K = 4): P_4 = 10.125/25.375.
		{"c2K4a3", 2, 4, 3, 10.125 / 25.375},
		// K = c is Erlang B: B(2, 2) = 2/5.
		{"erlangB", 2, 2, 2, 0.4},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := theory.MMcKBlocking(tc.c, tc.k, tc.a)
			require.NoError(t, err)
			near(t, tc.name, got, tc.want, 1e-12)
		})
	}
	_, err := theory.MMcKBlocking(2, 1, 1)
	require.ErrorIs(t, err, theory.ErrInvalid, "K < c must be refused")
	_, err = theory.MMcKBlocking(0, 1, 1)
	require.ErrorIs(t, err, theory.ErrInvalid, "c = 0 must be refused")
}
