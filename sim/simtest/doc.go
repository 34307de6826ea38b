// Package simtest holds what the tests of the simulator and of the programs built on it
// (sim, sim/whatif, bench/fairness, cmd/routesim) share: whether the race detector is on,
// and the switch that runs the long statistical validations. It imports only the standard
// library, and nothing outside tests should import it.
//
// The default "go test ./..." runs in seconds; the validations that simulate millions of
// contacts to compare figures with queueing theory run only with ROUTESIM_LONG=1 set, and
// never under -short or the race detector:
//
//	ROUTESIM_LONG=1 go test -run Validation ./...
package simtest
