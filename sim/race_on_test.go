//go:build race

package sim

// RaceOn is true when the race detector is on: the long validation tests then skip.
const RaceOn = true
