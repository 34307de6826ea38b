package sim

import "math/rand/v2"

// Random streams. Every replication draws from its own set of PCG generators, one per
// purpose and per stream or group, so that changing one distribution (or adding a stream)
// leaves the draws of the others as they were, and a replication's results depend only on
// (seed, replication index), never on which worker ran it.
//
// The derivation, with mix the SplitMix64 finalizer and γ = 0x9e3779b97f4a7c15:
//
//	r        = mix(seed + (rep+1)·γ)              the rep-th output of SplitMix64 from seed
//	id       = purpose<<32 | index
//	PCG seed = (mix(r + (2·id+1)·γ), mix(r + (2·id+2)·γ))
const golden = 0x9e3779b97f4a7c15

// Purposes of random streams.
const (
	purposeArrivals        uint64 = iota + 1 // interarrival times, per arrival stream
	purposeClass                             // class mix, per arrival stream
	purposeHandle                            // handle times, per arrival stream
	purposePatience                          // patience, per arrival stream
	purposeACW                               // after-contact work, per agent group
	purposeClassHandle                       // handle time, per class-times override (ClassTimes)
	purposeClassACW                          // after-contact work, per class-times override
	purposeDemand                            // the replication's busyness factor (index 0)
	purposeRedial                            // whether to redial, per arrival stream
	purposeRedialDelay                       // the delay before a redial, per arrival stream
	purposeRedialHandle                      // handle time of redials, per arrival stream
	purposeRedialPatience                    // patience of redials, per arrival stream
	purposeCallbackAccept                    // whether a callback offer is accepted, per callback rule
	purposeCallbackConnect                   // whether a callback's dial connects, per callback rule
)

func mix(z uint64) uint64 {
	z = (z ^ z>>30) * 0xbf58476d1ce4e5b9
	z = (z ^ z>>27) * 0x94d049bb133111eb
	return z ^ z>>31
}

// repKey returns the key of replication rep of a run seeded with seed.
func repKey(seed uint64, rep int) uint64 { return mix(seed + uint64(rep+1)*golden) }

// newStream returns the PCG of (purpose, index) for the replication with key r.
func newStream(r, purpose uint64, index int) *rand.PCG {
	id := purpose<<32 | uint64(uint32(index))
	return rand.NewPCG(mix(r+(2*id+1)*golden), mix(r+(2*id+2)*golden))
}
