package routing

import (
	"fmt"
	"slices"
)

// Interned exprs are counted so that an instance fed criteria that are each new (an emulator
// whose flows name preferred agents per contact) does not grow without bound. What holds an
// expr: each step naming it of the criteria of a waiting contact (from setCriteria until the
// contact is routed, ends or gets other criteria), and each step naming it of criteria made
// by PrepareRoutingCriteria, which its caller may use at any time and so pins it for the
// instance's life. The last release frees the expr with its groups; its id is reused. A
// waiting contact whose active step is x holds x, so a freed expr has no contact
// in its groups and is in no agent's xs. Criteria left on routed or ended contacts, kept for
// DescribeContact, may still point to a freed expr: nothing reads it from them.

// ref counts one more use of each step's expr of p. O(steps).
func (in *Instance) ref(p *PreparedCriteria) {
	for i := range p.steps {
		p.steps[i].x.refs++
	}
}

// pin refs p for good: criteria made by PrepareRoutingCriteria. O(steps).
func (in *Instance) pin(p *PreparedCriteria) {
	in.ref(p)
	for i := range p.steps {
		p.steps[i].x.pins++
	}
}

// unref counts one use fewer of each step's expr of p, and frees those no longer used.
// O(steps), plus freeing.
func (in *Instance) unref(p *PreparedCriteria) {
	for i := range p.steps {
		x := p.steps[i].x
		x.refs--
		if x.refs == 0 {
			in.free(x)
		}
	}
}

// sweep frees the exprs of p, prepared but never used, that nothing else uses.
func (in *Instance) sweep(p *PreparedCriteria) {
	for i := range p.steps {
		if x := p.steps[i].x; x.refs == 0 && !x.freed {
			in.free(x)
		}
	}
}

// sweepUnused frees every expr nothing uses: those interned for a restore's criteria of
// contacts no longer waiting, or for a restore that failed. O(x) for x exprs, plus freeing.
func (in *Instance) sweepUnused() {
	for _, x := range in.exprList {
		if x != nil && x.refs == 0 && !x.freed {
			in.free(x)
		}
	}
}

// free forgets x: it leaves the agents' xs, its groups leave their lanes, and its id is
// reused. The cost is O(a/64 + m·k + g·(t+G)) for a agents, m matching x, of k exprs in xs,
// and g groups of t tiers, in lanes of G groups.
func (in *Instance) free(x *expr) {
	if x.active != 0 || x.freed {
		panic(fmt.Sprintf("routing: internal error: freeing expression %s, active %d, freed %v", x.n.key, x.active, x.freed))
	}
	in.unlist(x)
	for _, g := range x.groups {
		l := g.lane
		l.groups[x.id] = nil
		if i := slices.Index(l.glist, g); i >= 0 {
			l.glist = slices.Delete(l.glist, i, i+1)
		}
		stride := 1 + len(l.tiers)
		clear(l.gheaps[x.id*stride : (x.id+1)*stride])
	}
	delete(in.exprs, x.n.key)
	in.exprList[x.id] = nil
	in.freeIDs = append(in.freeIDs, x.id)
	x.groups, x.freed = nil, true
}
