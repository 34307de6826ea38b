package simtest

import (
	"os"
	"testing"
)

// LongEnv is the environment variable that, set to 1, runs the long tests (see SkipLong).
const LongEnv = "ROUTESIM_LONG"

// Race is true when the binary was built with the race detector, which slows the simulator
// down about tenfold.
const Race = race

// Long reports whether the long tests run: LongEnv is 1, and neither -short nor the race
// detector is on.
func Long() bool {
	return os.Getenv(LongEnv) == "1" && !testing.Short() && !Race
}

// SkipLong skips t, a long test, unless Long reports true; the message says how to run it.
func SkipLong(t testing.TB) {
	t.Helper()
	if !Long() {
		t.Skip("long statistical validation: runs only with " + LongEnv + "=1, without -short and -race (" + LongEnv + "=1 go test -run Validation ./...)")
	}
}
