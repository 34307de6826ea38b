package sim

import (
	"context"

	"github.com/routesim/routesim/routing"
)

// RunVerified runs one replication like RunReplication, checking the routing core's
// invariants after every event, and returns the instance as it is at the horizon.
func RunVerified(sc *Scenario, seed uint64, rep int, hooks Hooks) (*Replication, *routing.Instance, error) {
	m, err := compile(sc)
	if err != nil {
		return nil, nil, err
	}
	e := newEngine(m)
	e.verify = true
	r, err := e.run(context.Background(), seed, rep, hooks)
	return r, e.in, err
}
