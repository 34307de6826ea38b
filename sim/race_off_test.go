//go:build !race

package sim

const RaceOn = false
