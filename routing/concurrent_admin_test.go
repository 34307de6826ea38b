package routing_test

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/routesim/routesim/contact"
	"github.com/routesim/routesim/routing"
)

// TestConcurrentQueueAdmin mixes, from several goroutines (run it with -race), starts,
// transfers, attribute updates, queue creation, status and limit changes and the reads
// (Queues, DescribeQueue, QueueIDs, ContactAttributes), then verifies. Every error must be
// one the call documents for a race: a refused start or transfer (DISABLED, full), a
// transfer of a contact that has ended.
func TestConcurrentQueueAdmin(t *testing.T) {
	h := newHarness(t, taskConfig())
	h.run(avail("a1", "a2"))
	ok := func(err error, codes ...string) {
		if err == nil {
			return
		}
		var api routing.APIError
		if errors.As(err, &api) {
			for _, c := range codes {
				if api.ErrorCode() == c {
					return
				}
			}
		}
		t.Errorf("unexpected error %v", err)
	}
	refused := []string{"InvalidRequestException", "ServiceQuotaExceededException"}
	const goroutines, ops = 6, 300
	var wg sync.WaitGroup
	for g := range goroutines {
		wg.Add(1)
		go func() {
			defer wg.Done()
			rng := rand.New(rand.NewPCG(uint64(g), 19))
			var mine []contact.ID
			for i := range ops {
				q := []string{"q1", "q2"}[rng.IntN(2)]
				switch k := rng.IntN(10); {
				case k < 3:
					id := contact.ID(fmt.Sprintf("g%d-%d", g, i))
					_, err := h.in.StartContact(routing.ContactSpec{ID: id, QueueID: q, Channel: contact.Task,
						Attributes: map[string]string{"g": fmt.Sprint(g)}})
					ok(err, refused...)
					if err == nil {
						mine = append(mine, id)
					}
				case k < 5 && len(mine) > 0:
					j := rng.IntN(len(mine))
					next, err := h.in.TransferContact(mine[j], routing.TransferSpec{QueueID: q})
					ok(err, refused...)
					if err == nil {
						mine[j] = next
					}
				case k < 6 && len(mine) > 0:
					id := mine[rng.IntN(len(mine))]
					ok(h.in.UpdateContactAttributes(id, map[string]string{"i": fmt.Sprint(i)}))
					_, err := h.in.ContactAttributes(id)
					ok(err)
				case k < 7:
					ok(h.in.UpdateQueueStatus(q, []routing.QueueStatus{routing.QueueEnabled, routing.QueueDisabled}[rng.IntN(2)]))
					n := rng.IntN(4)
					ok(h.in.UpdateQueueMaxContacts(q, &n))
				case k < 8 && i%50 == 0:
					ok(h.in.CreateQueue(routing.QueueConfig{ID: fmt.Sprintf("new-%d-%d", g, i), Name: fmt.Sprintf("N%d-%d", g, i)}))
				case k < 9 && len(mine) > 0:
					ok(h.in.EndContact(mine[rng.IntN(len(mine))], routing.Stopped, 0), "ResourceConflictException")
				default:
					_ = h.in.Queues()
					_ = h.in.QueueIDs()
					_, err := h.in.DescribeQueue(q)
					ok(err)
				}
			}
		}()
	}
	wg.Wait()
	h.verify()
	info := h.in.Queues()
	require.GreaterOrEqual(t, len(info), 2)
	for _, q := range info {
		assert.GreaterOrEqual(t, q.Waiting, 0)
	}
}
