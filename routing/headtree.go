package routing

import (
	"fmt"
	"unsafe"
)

// Why a tree of group heads per (profile, expression): an agent that matches k active
// expressions chooses among the heads of k groups in each lane its profile serves. Read one
// by one, those are about 90 heads per routed contact in BenchmarkRouterCriteria (15 entries,
// 6 expressions), the largest part of the decision. The heads change far less often than
// agents choose (a head changes when its group's first contact is routed, expires into its
// next step or is overtaken), and every agent of a profile reads the same ones; so each
// (profile, expression) keeps a winner tree over its profile's entries, updated along one
// leaf-to-root path when a head changes, and an agent reads one root per expression it
// matches. See the figures in the commit that brought it, and docs/performance.md.

// headTree is the winner tree of profile p's entries for expr x: leaf i is the head of the
// group queue of x that entry i reads (its lane's group of x, its delay's tier), and every
// inner node the better of its two children by (profile priority, QueuePriority, routing
// key, arrival). nodes[1] is the root; the n leaves are nodes[n:2n]. A tree built for entries
// that were since replaced is stale: pickGroups does not read it (see fresh).
type headTree struct {
	p      *profile
	x      *expr
	base   *profEntry // &p.entries[0] when built
	leaves []treeLeaf
	nodes  []treeNode
	dead   bool // dropped: the group queues it watches forget it on their next change
}

// treeLeaf is where leaf i reads its head: a group queue (nil until the group is made) and
// the entry's profile priority.
type treeLeaf struct {
	q     *grpQueue
	eprio int32
}

// treeNode is a head: its keys (seq 0 for none: no record has it), and the leaf (entry) it
// is from, whose queue holds it. 32 bytes, so that two siblings share a line.
type treeNode struct {
	prio, key int64
	seq       uint64
	eprio     int32
	leaf      int32
}

// empty reports whether the node holds no head.
func (a *treeNode) empty() bool { return a.seq == 0 }

// watcher is one leaf of one tree, seen from the group queue it reads.
type watcher struct {
	t    *headTree
	leaf int32
}

// before reports whether head a is taken before head b (an empty one never is).
func (a *treeNode) before(b *treeNode) bool {
	switch {
	case a.empty():
		return false
	case b.empty():
		return true
	case a.eprio != b.eprio:
		return a.eprio < b.eprio
	case a.prio != b.prio:
		return a.prio < b.prio
	case a.key != b.key:
		return a.key < b.key
	}
	return a.seq < b.seq
}

// fresh reports whether t was built for p's entries as they are.
func (t *headTree) fresh() bool {
	return !t.dead && len(t.leaves) == len(t.p.entries) && t.base == unsafe.SliceData(t.p.entries)
}

// leafNode is the value of leaf i from its queue's cached head.
func (t *headTree) leafNode(i int) treeNode {
	l := &t.leaves[i]
	if q := l.q; q != nil && q.n > 0 {
		return treeNode{prio: q.topPrio, key: q.topKey, seq: q.topSeq, eprio: l.eprio, leaf: int32(i)}
	}
	return treeNode{eprio: l.eprio, leaf: int32(i)}
}

// update recomputes leaf i and the inner nodes above it, stopping where a node is unchanged.
// O(log e) for e entries.
func (t *headTree) update(i int) {
	n := len(t.leaves)
	j := n + i
	t.nodes[j] = t.leafNode(i)
	for j > 1 {
		j >>= 1
		v := t.nodes[2*j]
		if r := &t.nodes[2*j+1]; r.before(&v) {
			v = *r
		}
		if t.nodes[j] == v {
			return
		}
		t.nodes[j] = v
	}
}

// root returns the best head of the tree, empty when every leaf is.
func (t *headTree) root() *treeNode { return &t.nodes[1] }

// notify updates the trees watching q after its head changed, forgetting dropped ones.
func (q *grpQueue) notify() {
	w := q.watch[:0]
	for _, x := range q.watch {
		if x.t.dead {
			continue
		}
		x.t.update(int(x.leaf))
		w = append(w, x)
	}
	clear(q.watch[len(w):])
	q.watch = w
}

// queueFor returns the queue of group g that entry e reads: its all, or its delay's tier.
func (g *group) queueFor(e *profEntry) *grpQueue {
	if e.ti < 0 {
		return &g.all
	}
	return g.tiers[e.ti]
}

// ensureTree makes the tree of (p, x) unless a fresh one exists, replacing a stale one. The
// cost is O(e) for e entries of p.
func (in *Instance) ensureTree(p *profile, x *expr) {
	if x.id < len(p.trees) {
		if t := p.trees[x.id]; t != nil && t.fresh() {
			return
		} else if t != nil {
			t.dead = true
		}
	} else {
		p.trees = append(p.trees, make([]*headTree, x.id+1-len(p.trees))...)
	}
	n := len(p.entries)
	if n == 0 {
		p.trees[x.id] = nil
		return
	}
	t := &headTree{p: p, x: x, base: unsafe.SliceData(p.entries), leaves: make([]treeLeaf, n), nodes: make([]treeNode, 2*n)}
	for i := range p.entries {
		e := &p.entries[i]
		t.leaves[i].eprio = int32(e.prio)
		if x.id < len(e.lane.groups) {
			if g := e.lane.groups[x.id]; g != nil {
				t.watch(i, g.queueFor(e))
			}
		}
	}
	for i := range n {
		t.nodes[n+i] = t.leafNode(i)
	}
	for j := n - 1; j >= 1; j-- {
		t.nodes[j] = t.nodes[2*j]
		if r := &t.nodes[2*j+1]; r.before(&t.nodes[j]) {
			t.nodes[j] = *r
		}
	}
	p.trees[x.id] = t
}

// watch makes leaf i of t read q.
func (t *headTree) watch(i int, q *grpQueue) {
	t.leaves[i].q = q
	q.watch = append(q.watch, watcher{t: t, leaf: int32(i)})
}

// watchGroup makes the fresh trees of the profiles serving g's lane read g's queues, for a
// group just made. O(r·e) for r profiles serving the lane, of e entries.
func (g *group) watchGroup() {
	x := g.x
	for _, ref := range g.lane.refs {
		p := ref.p
		if x.id >= len(p.trees) || p.trees[x.id] == nil || !p.trees[x.id].fresh() {
			continue
		}
		t := p.trees[x.id]
		for i := range p.entries {
			if e := &p.entries[i]; e.lane == g.lane && t.leaves[i].q == nil {
				t.watch(i, g.queueFor(e))
				t.update(i)
			}
		}
	}
}

// dropTrees forgets p's trees; code that changes p's entries calls it (a tree whose entries
// were replaced is not read anyway, and is replaced on the next use of its expression).
func (p *profile) dropTrees() {
	for _, t := range p.trees {
		if t != nil {
			t.dead = true
		}
	}
	p.trees = nil
}

// verifyTrees checks every fresh tree against its profile's entries and groups: each leaf
// reading the queue its entry reads and holding its head, each inner node the better child.
func (in *Instance) verifyTrees() error {
	for _, p := range in.profiles {
		for id, t := range p.trees {
			if t == nil || !t.fresh() {
				continue
			}
			if t.x.id != id || t.p != p {
				return fmt.Errorf("routing: verify: profile %q: tree %d is for expression %d", p.id, id, t.x.id)
			}
			n := len(t.leaves)
			for i := range p.entries {
				e := &p.entries[i]
				var want *grpQueue
				if id < len(e.lane.groups) && e.lane.groups[id] != nil {
					want = e.lane.groups[id].queueFor(e)
				}
				if t.leaves[i].q != want || t.leaves[i].eprio != int32(e.prio) {
					return fmt.Errorf("routing: verify: profile %q, expression %s: leaf %d reads the wrong queue", p.id, t.x.n.key, i)
				}
				if t.nodes[n+i] != t.leafNode(i) {
					return fmt.Errorf("routing: verify: profile %q, expression %s: leaf %d holds %+v; its queue's head is %+v", p.id, t.x.n.key, i, t.nodes[n+i], t.leafNode(i))
				}
			}
			for j := n - 1; j >= 1; j-- {
				v := t.nodes[2*j]
				if r := &t.nodes[2*j+1]; r.before(&v) {
					v = *r
				}
				if t.nodes[j] != v {
					return fmt.Errorf("routing: verify: profile %q, expression %s: node %d is not the better of its children", p.id, t.x.n.key, j)
				}
			}
		}
	}
	return nil
}
