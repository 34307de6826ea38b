package queue_test

import (
	"errors"
	"fmt"
	"time"

	"github.com/routesim/routesim/contact"
	"github.com/routesim/routesim/queue"
)

// An age adjustment moves a contact ahead in routing order, while Oldest, which
// OLDEST_CONTACT_AGE reports, still names the contact that has really waited longest.
func Example() {
	start := time.Date(2025, 3, 1, 9, 0, 0, 0, time.UTC)
	q := queue.New()
	for i, id := range []contact.ID{"alice", "bob", "carol"} {
		c := &contact.Contact{ID: id, Channel: contact.Voice, EnqueuedAt: start.Add(time.Duration(i) * time.Minute)}
		if err := q.Push(c); err != nil {
			panic(err)
		}
	}
	show := func() {
		next, _ := q.Peek()
		oldest, _ := q.Oldest()
		pos, _ := q.Position("carol")
		fmt.Printf("next %s, oldest %s, carol at %d\n", next.ID, oldest.ID, pos)
	}
	show()

	// UpdateContactRoutingData with QueueTimeAdjustmentSeconds = 150: carol, who arrived
	// 2 minutes after alice, now has 30 s more routing age than her.
	if err := q.Update("carol", contact.AdjustAge(150*time.Second)); err != nil {
		panic(err)
	}
	show()

	now := start.Add(5 * time.Minute)
	for _, c := range q.Ordered() {
		fmt.Printf("%-5s priority %d, waited %v, routing age %v\n",
			c.ID, c.Priority, c.QueueWait(now), c.RoutingAge(now))
	}
	// Output:
	// next alice, oldest alice, carol at 3
	// next carol, oldest alice, carol at 1
	// carol priority 5, waited 3m0s, routing age 5m30s
	// alice priority 5, waited 5m0s, routing age 5m0s
	// bob   priority 5, waited 4m0s, routing age 4m0s
}

// Priority comes before routing age: a lower number is routed first, whatever the age.
func ExampleQueue_Update() {
	start := time.Date(2025, 3, 1, 9, 0, 0, 0, time.UTC)
	q := queue.New()
	for i, id := range []contact.ID{"a", "b", "c"} {
		_ = q.Push(&contact.Contact{ID: id, EnqueuedAt: start.Add(time.Duration(i) * time.Second)})
	}
	_ = q.Update("a", contact.AdjustAge(time.Hour))
	_ = q.Update("c", contact.SetPriority(1))
	for c, ok := q.Pop(); ok; c, ok = q.Pop() {
		fmt.Print(c.ID, " ")
	}
	fmt.Println()
	// Output:
	// c a b
}

func ExampleQueue_Update_errors() {
	q := queue.New()
	_ = q.Push(&contact.Contact{ID: "a", EnqueuedAt: time.Date(2025, 3, 1, 9, 0, 0, 0, time.UTC)})

	err := q.Update("nobody", contact.SetPriority(1))
	fmt.Println(errors.Is(err, queue.ErrNotFound), err)
	err = q.Update("a", contact.SetPriority(0))
	fmt.Println(errors.Is(err, contact.ErrInvalidUpdate), err)
	err = q.Push(&contact.Contact{ID: "a", EnqueuedAt: time.Date(2025, 3, 1, 9, 1, 0, 0, time.UTC)})
	fmt.Println(errors.Is(err, queue.ErrDuplicate), err)
	// Output:
	// true queue: contact not found: "nobody"
	// true contact: invalid routing update: priority 0 is out of range [1, 9223372036854775807]
	// true queue: duplicate contact ID: "a"
}
