package contact_test

import (
	"errors"
	"fmt"
	"time"

	"github.com/routesim/routesim/contact"
)

// A positive age adjustment makes a contact older for routing, but the wait that metrics
// report stays the real one.
func ExampleContact_RoutingAge() {
	enq := time.Date(2025, 3, 1, 9, 0, 0, 0, time.UTC)
	c := contact.Contact{ID: "c1", EnqueuedAt: enq, AgeAdjustment: 2 * time.Minute}
	now := enq.Add(30 * time.Second)
	fmt.Println("queue wait: ", c.QueueWait(now))
	fmt.Println("routing age:", c.RoutingAge(now))
	// Output:
	// queue wait:  30s
	// routing age: 2m30s
}

func ExampleRoutingUpdate_Validate() {
	for _, u := range []contact.RoutingUpdate{
		contact.SetPriority(1),
		contact.AdjustAge(-time.Minute),
		contact.SetPriority(0),
		{},
	} {
		err := u.Validate()
		fmt.Printf("%-20s invalid=%v %v\n", u, errors.Is(err, contact.ErrInvalidUpdate), err)
	}
	// Output:
	// priority=1           invalid=false <nil>
	// ageAdjustment=-1m0s  invalid=false <nil>
	// priority=0           invalid=true contact: invalid routing update: priority 0 is out of range [1, 9223372036854775807]
	// empty                invalid=true contact: invalid routing update: neither priority nor age adjustment is set; set exactly one
}

func ExampleLess() {
	enq := time.Date(2025, 3, 1, 9, 0, 0, 0, time.UTC)
	early := &contact.Contact{ID: "early", Priority: 5, EnqueuedAt: enq}
	late := &contact.Contact{ID: "late", Priority: 5, EnqueuedAt: enq.Add(time.Minute)}
	fmt.Println("early before late:", contact.Less(early, 1, late, 2))
	late.AgeAdjustment = 2 * time.Minute // as UpdateContactRoutingData with +120 s would
	fmt.Println("early before late:", contact.Less(early, 1, late, 2))
	late.Priority = 6
	fmt.Println("early before late:", contact.Less(early, 1, late, 2))
	// Output:
	// early before late: true
	// early before late: false
	// early before late: true
}

func ExampleParseChannel() {
	ch, err := contact.ParseChannel("CHAT")
	fmt.Println(ch, ch.Index(), err)
	_, err = contact.ParseChannel("chat")
	fmt.Println(errors.Is(err, contact.ErrInvalidChannel), err)
	// Output:
	// CHAT 1 <nil>
	// true contact: invalid channel: "chat" (want VOICE, CHAT, TASK or EMAIL)
}
