package routing

import "github.com/routesim/routesim/contact"

// agentHeap is an indexed min-heap of the agents of one profile ready to take a contact of one
// channel, ordered by (contacts in progress, lastFreed, seq): the agent idle longest first.
// Each agent records its index per channel in agent.heapIdx, and its bit (by agent.seq) in
// *ready, the instance's set of the agents ready for the channel, is set while it is in.
type agentHeap struct {
	ch    int
	a     []*agent
	ready *[]uint64
}

func agentLess(x, y *agent) bool {
	if x.busy != y.busy {
		return x.busy < y.busy
	}
	if x.lastFreed != y.lastFreed {
		return x.lastFreed < y.lastFreed
	}
	return x.seq < y.seq
}

func (h *agentHeap) peek() *agent {
	if len(h.a) == 0 {
		return nil
	}
	return h.a[0]
}

// set puts a in the heap, or re-sorts it if it is there. O(log a).
func (h *agentHeap) set(a *agent) {
	i := a.heapIdx[h.ch]
	if i < 0 {
		h.a = append(h.a, a)
		i = len(h.a) - 1
		a.heapIdx[h.ch] = i
		w := a.seq >> 6
		for len(*h.ready) <= w {
			*h.ready = append(*h.ready, 0)
		}
		(*h.ready)[w] |= 1 << (a.seq & 63)
	}
	if !h.down(i) {
		h.up(i)
	}
}

// remove takes a out of the heap if it is there. O(log a).
func (h *agentHeap) remove(a *agent) {
	i := a.heapIdx[h.ch]
	if i < 0 {
		return
	}
	last := len(h.a) - 1
	h.swap(i, last)
	h.a[last] = nil
	h.a = h.a[:last]
	a.heapIdx[h.ch] = -1
	(*h.ready)[a.seq>>6] &^= 1 << (a.seq & 63)
	if i < last && !h.down(i) {
		h.up(i)
	}
}

func (h *agentHeap) swap(i, j int) {
	h.a[i], h.a[j] = h.a[j], h.a[i]
	h.a[i].heapIdx[h.ch] = i
	h.a[j].heapIdx[h.ch] = j
}

func (h *agentHeap) up(j int) {
	for j > 0 {
		p := (j - 1) / 2
		if !agentLess(h.a[j], h.a[p]) {
			return
		}
		h.swap(j, p)
		j = p
	}
}

func (h *agentHeap) down(i int) bool {
	j, n := i, len(h.a)
	for {
		l := 2*j + 1
		if l >= n {
			break
		}
		c := l
		if r := l + 1; r < n && agentLess(h.a[r], h.a[l]) {
			c = r
		}
		if !agentLess(h.a[c], h.a[j]) {
			break
		}
		h.swap(j, c)
		j = c
	}
	return j > i
}

// wake is a timer of the core: a contact reaching a profile delay, or the end of an agent's
// after-contact work. Wakes are never cancelled; a stale one is skipped when it fires.
type wake struct {
	at   int64      // Unix ns
	seq  uint64     // insertion order, breaks ties
	tier *tier      // delay expiry, or nil (then a step expiry when ag is nil too)
	r    *record    // the delayed contact (records are pooled, never freed)
	cseq uint64     // r's arrival sequence when armed: a recycled record no longer matches
	ag   *agent     // ACW end, or nil
	id   contact.ID // the contact whose after-contact work ends, for the event
	ch   int32      // the channel of the slot the after-contact work holds; for a step expiry, its step queue (1-based), or 0
	step int32      // a step expiry: the step of r that expires
}

// wakeHeap is a min-heap of wakes by (at, seq).
type wakeHeap []wake

func (h wakeHeap) less(i, j int) bool {
	if h[i].at != h[j].at {
		return h[i].at < h[j].at
	}
	return h[i].seq < h[j].seq
}

func (h *wakeHeap) push(w wake) {
	*h = append(*h, w)
	s := *h
	for j := len(s) - 1; j > 0; {
		p := (j - 1) / 2
		if !s.less(j, p) {
			break
		}
		s[j], s[p] = s[p], s[j]
		j = p
	}
}

func (h *wakeHeap) pop() wake {
	s := *h
	w := s[0]
	last := len(s) - 1
	s[0] = s[last]
	s[last] = wake{}
	s = s[:last]
	for j := 0; ; {
		l := 2*j + 1
		if l >= len(s) {
			break
		}
		c := l
		if r := l + 1; r < len(s) && s.less(r, l) {
			c = r
		}
		if !s.less(c, j) {
			break
		}
		s[j], s[c] = s[c], s[j]
		j = c
	}
	*h = s
	return w
}
