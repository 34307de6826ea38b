package routing

import (
	"iter"
	mbits "math/bits"
	"slices"
	"strconv"
	"strings"
)

// An expression of a routing step, compiled: a tree of nodes whose canonical key (children
// of And and Or sorted and deduplicated, single-member lists collapsed) names it. The
// instance interns expressions by key, so that contacts whose active steps are the same
// expression, however written, share one expr: one match set over agents and one group
// of heaps per lane.

// Node kinds.
const (
	nodeLevel  = iota // agent's level in (name, value) >= lo
	nodeRange         // lo <= agent's level in (name, value) <= hi
	nodeAgents        // agent listed
	nodeNot           // kids[0] does not hold
	nodeAnd
	nodeOr
)

type node struct {
	kind        uint8
	name, value string
	lo, hi      int
	agents      []string // nodeAgents: sorted agent IDs
	kids        []node
	key         string
}

// compileExpr compiles a validated expression.
func compileExpr(e *Expression) node {
	switch {
	case e.AttributeCondition != nil:
		return compileCond(e.AttributeCondition)
	case e.NotAttributeCondition != nil:
		k := compileCond(e.NotAttributeCondition)
		return node{kind: nodeNot, kids: []node{k}, key: "!" + k.key}
	case e.AndExpression != nil:
		return compileList(nodeAnd, e.AndExpression)
	}
	return compileList(nodeOr, e.OrExpression)
}

func compileCond(c *AttributeCondition) node {
	if c.MatchCriteria != nil {
		ids := slices.Clone(c.MatchCriteria.AgentsCriteria.AgentIds)
		slices.Sort(ids)
		ids = slices.Compact(ids)
		var b strings.Builder
		b.WriteString("A(")
		for i, id := range ids {
			if i > 0 {
				b.WriteByte(',')
			}
			b.WriteString(strconv.Quote(id))
		}
		b.WriteByte(')')
		return node{kind: nodeAgents, agents: ids, key: b.String()}
	}
	n := node{name: c.Name, value: c.Value}
	at := strconv.Quote(c.Name) + "=" + strconv.Quote(c.Value)
	if c.Range != nil {
		n.kind, n.lo, n.hi = nodeRange, int(*c.Range.MinProficiencyLevel), int(*c.Range.MaxProficiencyLevel)
		if n.hi == MaxProficiencyLevel {
			// A range up to the top level is a >= condition: one key for both.
			n.kind = nodeLevel
		}
	} else {
		n.kind, n.lo, n.hi = nodeLevel, int(*c.ProficiencyLevel), MaxProficiencyLevel
	}
	if n.kind == nodeLevel {
		n.key = "L(" + at + ">=" + strconv.Itoa(n.lo) + ")"
	} else {
		n.key = "R(" + at + "," + strconv.Itoa(n.lo) + "," + strconv.Itoa(n.hi) + ")"
	}
	return n
}

func compileList(kind uint8, es []Expression) node {
	kids := make([]node, 0, len(es))
	for i := range es {
		k := compileExpr(&es[i])
		if k.kind == kind {
			kids = append(kids, k.kids...) // (a & (b & c)) is (a & b & c)
		} else {
			kids = append(kids, k)
		}
	}
	slices.SortFunc(kids, func(a, b node) int { return strings.Compare(a.key, b.key) })
	kids = slices.CompactFunc(kids, func(a, b node) bool { return a.key == b.key })
	if len(kids) == 1 {
		return kids[0]
	}
	var b strings.Builder
	b.WriteString([...]string{nodeAnd: "&(", nodeOr: "|("}[kind])
	for i, k := range kids {
		if i > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(k.key)
	}
	b.WriteByte(')')
	return node{kind: kind, kids: kids, key: b.String()}
}

// matches reports whether agent a satisfies n.
func (n *node) matches(a *agent) bool {
	switch n.kind {
	case nodeLevel, nodeRange:
		l := a.level(n.name, n.value)
		return l >= n.lo && l <= n.hi && l > 0
	case nodeAgents:
		_, found := slices.BinarySearch(n.agents, a.id)
		return found
	case nodeNot:
		return !n.kids[0].matches(a)
	case nodeAnd:
		for i := range n.kids {
			if !n.kids[i].matches(a) {
				return false
			}
		}
		return true
	}
	for i := range n.kids {
		if n.kids[i].matches(a) {
			return true
		}
	}
	return false
}

// uses reports whether n names the predefined attribute name (and value, when value is not
// empty).
func (n *node) uses(name, value string) bool {
	if n.kind == nodeLevel || n.kind == nodeRange {
		return n.name == name && (value == "" || n.value == value)
	}
	for i := range n.kids {
		if n.kids[i].uses(name, value) {
			return true
		}
	}
	return false
}

// level returns a's level in (name, value), or 0 when it has none.
func (a *agent) level(name, value string) int {
	for _, p := range a.profs {
		if p.AttributeName == name && p.AttributeValue == value {
			return int(p.Level)
		}
	}
	return 0
}

// expr is an interned expression: its compiled tree, which agents match it (a bit per
// agent, by agent.seq), and how many waiting contacts have it as their active step. The
// agents that match it hold its id in agent.xs from its first activation until it is freed.
// refs counts what uses it (see exprref.go); the last release frees it, and its id goes to
// the next new expr.
type expr struct {
	id     int
	n      node
	match  []uint64
	active int
	listed bool     // in the xs of the agents that match it: since it was first active, until freed
	refs   int      // steps of waiting contacts' criteria, and pins, naming it
	pins   int      // steps of criteria from PrepareRoutingCriteria naming it (never released)
	groups []*group // its groups, one per lane it was active in
	freed  bool
}

func (x *expr) matches(a *agent) bool { return x.match[a.seq>>6]&(1<<(a.seq&63)) != 0 }

// intern returns the instance's expr for n, making it (and computing its match set, O(a·s)
// for a agents and s conditions) the first time.
func (in *Instance) intern(n node) *expr {
	if x, ok := in.exprs[n.key]; ok {
		return x
	}
	x := &expr{id: len(in.exprList), n: n, match: make([]uint64, (len(in.aorder)+63)/64)}
	if k := len(in.freeIDs); k > 0 {
		x.id = in.freeIDs[k-1]
		in.freeIDs = in.freeIDs[:k-1]
	}
	for _, a := range in.aorder {
		if n.matches(a) {
			x.match[a.seq>>6] |= 1 << (a.seq & 63)
		}
	}
	if in.exprs == nil {
		in.exprs = make(map[string]*expr)
	}
	in.exprs[n.key] = x
	if x.id == len(in.exprList) {
		in.exprList = append(in.exprList, x)
	} else {
		in.exprList[x.id] = x
	}
	return x
}

// Why listing (activate) and unlisting (unlist) walk x's match set, and dropX swaps: in a
// simulation whose queues often run empty, an expr went active and inactive about once per
// contact, and walking every agent (testing each one's bit) and shifting xs each time took
// 13% of the profile of BenchmarkSimDefaultCentre/criteria=yes; walking the set and swapping:
// 553k to 591k contacts per CPU-second (+7%, p=0.015, n=10, alternating runs), before
// deactivate stopped unlisting altogether (below). The order of xs does not matter:
// pickGroups breaks ties between heads by arrival, whatever order it reads them in.

// activate counts one more contact whose active step is x; the first since x was interned
// makes x part of the xs of every agent that matches it (x is listed). O(1), or O(a/64 + m)
// for a agents, m matching, when it lists x.
func (in *Instance) activate(x *expr) {
	x.active++
	if x.listed {
		return
	}
	x.listed = true
	for a := range in.matching(x) {
		a.xs = append(a.xs, x.id)
	}
}

// deactivate counts one contact fewer. x stays listed in the agents' xs until it is freed
// (unlist): pickGroups then reads its empty groups, a few loads, where taking it out and
// putting it back each time a queue runs empty and fills again took 9% of the profile of
// BenchmarkSimDefaultCentre/criteria=yes; kept listed: 613k to 651k contacts per CPU-second
// (+6.3%, p=0.005, n=10, alternating runs). O(1).
func (in *Instance) deactivate(x *expr) { x.active-- }

// unlist takes x out of the xs of the agents that match it. O(a/64 + m·k) for m matching
// agents of k exprs in xs.
func (in *Instance) unlist(x *expr) {
	if !x.listed {
		return
	}
	x.listed = false
	for a := range in.matching(x) {
		a.dropX(x)
	}
}

// matching yields the agents x matches, in seq order. O(a/64 + m) for a agents, m matching.
func (in *Instance) matching(x *expr) iter.Seq[*agent] {
	return func(yield func(*agent) bool) {
		for w, bits := range x.match {
			for bits != 0 {
				seq := w<<6 + mbits.TrailingZeros64(bits)
				bits &= bits - 1
				if !yield(in.aorder[seq]) {
					return
				}
			}
		}
	}
}

// dropX takes x out of a.xs, if there, by moving the last id into its place. O(len(a.xs)).
func (a *agent) dropX(x *expr) {
	if i := slices.Index(a.xs, x.id); i >= 0 {
		last := len(a.xs) - 1
		a.xs[i] = a.xs[last]
		a.xs = a.xs[:last]
	}
}

// rematch recomputes which exprs agent a matches after its proficiencies changed, and its
// xs. O(e·s) for e exprs of s conditions.
func (in *Instance) rematch(a *agent) {
	w, bit := a.seq>>6, uint64(1)<<(a.seq&63)
	for _, x := range in.exprList {
		if x == nil {
			continue
		}
		was, now := x.match[w]&bit != 0, x.n.matches(a)
		if was == now {
			continue
		}
		x.match[w] ^= bit
		if !x.listed {
			continue
		}
		if now {
			a.xs = append(a.xs, x.id)
		} else {
			a.dropX(x)
		}
	}
}
