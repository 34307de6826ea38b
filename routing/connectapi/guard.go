package connectapi

import (
	"math/rand/v2"
	"sync"
	"time"

	"golang.org/x/time/rate"
)

// rateLimiter is one operation's token bucket.
type rateLimiter struct{ l *rate.Limiter }

// allow reports whether a request at now fits the bucket, taking a token if so.
func (r *rateLimiter) allow(now time.Time) bool { return r.l.AllowN(now, 1) }

// newLimiters returns a limiter per operation with a rate > 0; nil when none is limited.
func newLimiters(t *ThrottleConfig) map[string]*rateLimiter {
	if t == nil {
		return nil
	}
	m := make(map[string]*rateLimiter)
	for _, op := range operations {
		l := RateLimit{Rate: t.Rate, Burst: t.Burst}
		if o, ok := t.Operations[op.name]; ok {
			l = o
		}
		if l.Rate > 0 {
			m[op.name] = &rateLimiter{rate.NewLimiter(rate.Limit(l.Rate), l.Burst)}
		}
	}
	if len(m) == 0 {
		return nil
	}
	return m
}

// faultInjector decides which calls fail: each call draws once from a PCG seeded with the
// configured seed, so the same sequence of calls fails the same way in every run. It is safe
// for concurrent use.
type faultInjector struct {
	mu   sync.Mutex
	rate float64
	rng  *rand.Rand
}

func newFaultInjector(fc FaultConfig) *faultInjector {
	// The second PCG word is a fixed odd constant (the golden ratio's bits).
	return &faultInjector{rate: fc.Rate, rng: rand.New(rand.NewPCG(fc.Seed, 0x9e3779b97f4a7c15))}
}

// fail reports whether this call answers an injected InternalServiceException.
func (f *faultInjector) fail() bool {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.rng.Float64() < f.rate
}
