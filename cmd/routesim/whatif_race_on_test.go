//go:build race

package main

// raceDetector is true under the race detector, which makes drawing charts slow: tests that
// only need the charts' bytes to match then skip them.
const raceDetector = true
