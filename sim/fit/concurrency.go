package fit

import (
	"cmp"
	"slices"

	"github.com/routesim/routesim/contact"
)

// maxConcurrency is Connect's most contacts of one channel (other than voice) per agent.
const maxConcurrency = 10

// span is one edge of a contact's time with its agent: +1 at ConnectedToAgentTimestamp, -1
// at the end of its handle time.
type span struct {
	t      int64
	agent  int32
	group  int32
	ch     uint8
	starts bool
}

// concurrencies holds the spans of the chat, task and email contacts with a known agent.
type concurrencies struct{ spans []span }

func (c *concurrencies) add(r *row, group int) {
	if r.ch == 0 || r.agent < 0 || r.handle < 0 {
		return // voice is 1; without an agent or a handle time there is no span
	}
	end := r.conn + r.handle*1e9
	c.spans = append(c.spans, span{t: r.conn, agent: r.agent, group: int32(group), ch: r.ch, starts: true},
		span{t: end, agent: r.agent, group: int32(group), ch: r.ch})
}

// max returns, per group, the most contacts of each channel any one of its agents held at
// once (an end and a start at the same instant do not overlap), capped at 10; channels
// without overlap are left out. The cost is O(n log n) for n contacts.
func (c *concurrencies) max(groups int) []map[contact.Channel]int {
	slices.SortFunc(c.spans, func(a, b span) int {
		sa, sb := 0, 0
		if a.starts {
			sa = 1
		}
		if b.starts {
			sb = 1
		}
		return cmp.Or(cmp.Compare(a.agent, b.agent), cmp.Compare(a.ch, b.ch), cmp.Compare(a.t, b.t), cmp.Compare(sa, sb))
	})
	out := make([]map[contact.Channel]int, groups)
	for i := range out {
		out[i] = map[contact.Channel]int{}
	}
	cur := 0
	for i, s := range c.spans {
		if i > 0 && (s.agent != c.spans[i-1].agent || s.ch != c.spans[i-1].ch) {
			cur = 0
		}
		if !s.starts {
			cur--
			continue
		}
		cur++
		if ch := channels[s.ch]; cur > 1 && cur > out[s.group][ch] {
			out[s.group][ch] = min(cur, maxConcurrency)
		}
	}
	return out
}
