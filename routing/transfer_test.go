package routing_test

import (
	"strconv"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/routesim/routesim/contact"
	"github.com/routesim/routesim/routing"
)

func TestTransferWaitingContact(t *testing.T) {
	h := newHarness(t, taskConfig())
	_, err := h.in.StartContact(routing.ContactSpec{ID: "t1", QueueID: "q1", Channel: contact.Task, Priority: 2,
		Name: "task", Description: "d", Attributes: map[string]string{"k": "v"}})
	require.NoError(t, err)
	require.NoError(t, h.in.UpdateRoutingData("t1", contact.RoutingUpdate{AgeAdjustment: ptr(sec(30))}))
	h.to(sec(10))
	id, err := h.in.TransferContact("t1", routing.TransferSpec{QueueID: "q2", Priority: 3})
	require.NoError(t, err)
	old := h.describe("t1")
	assert.Equal(t, routing.Ended, old.State)
	assert.Equal(t, routing.Transferred, old.Reason)
	assert.Equal(t, t0.Add(sec(10)), old.EndedAt)
	got := h.describe(string(id))
	// A new segment: its wait starts at the transfer; priority and age are the transfer's.
	assert.Equal(t, routing.ContactInfo{ID: id, QueueID: "q2", Channel: contact.Task, State: routing.Waiting,
		EnqueuedAt: t0.Add(sec(10)), Priority: 3, Name: "task", Description: "d", Attributes: map[string]string{"k": "v"},
		PreviousContactID: "t1", InitialContactID: "t1", Transfers: 1}, got)
	m, err := h.in.QueueMetrics("q2")
	require.NoError(t, err)
	assert.Equal(t, 1, m.ContactsInQueue)
	assert.Zero(t, m.OldestContactAge, "the reported wait in the new queue starts at the transfer")
	// Attributes are shared along the chain.
	require.NoError(t, h.in.UpdateContactAttributes("t1", map[string]string{"k2": "v2"}))
	attrs, err := h.in.ContactAttributes(id)
	require.NoError(t, err)
	assert.Equal(t, map[string]string{"k": "v", "k2": "v2"}, attrs)
	h.run(avail("a1"), routes(string(id)+">a1"))
	load, err := h.in.AgentLoad("a1")
	require.NoError(t, err)
	require.Len(t, load.Contacts, 1)
	assert.Equal(t, contact.ID("t1"), load.Contacts[0].PreviousContactID, "AgentLoad says the contact came by a transfer")
	h.verify()
}

func TestTransferConnectedContactFreesAgent(t *testing.T) {
	h := newHarness(t, taskConfig())
	h.run(avail("a1"))
	require.NoError(t, startTask(h, "t1", "q1"))
	require.NoError(t, startTask(h, "t2", "q1"))
	require.NoError(t, startTask(h, "t3", "q2")) // waits: a1 holds two tasks
	h.run(routes("t1>a1", "t2>a1"))
	id, err := h.in.TransferContact("t1", routing.TransferSpec{QueueID: "q1"})
	require.NoError(t, err)
	// EndContact then StartContact: a1, freed, takes what waits (t3), and the new
	// contact waits, a1 being full again.
	h.run(routes("t3>a1"))
	assert.Equal(t, routing.Waiting, h.describe(string(id)).State)
	h.run(avail("a2"), routes(string(id)+">a2"))
	h.verify()
}

func TestTransferErrors(t *testing.T) {
	cfg := taskConfig()
	cfg.RoutingProfiles[0].Queues = append(cfg.RoutingProfiles[0].Queues, entry("q1", chatCh, 3, 0))
	cfg.Queues = append(cfg.Queues, routing.QueueConfig{ID: "full", MaxContacts: ptr(0)},
		routing.QueueConfig{ID: "off", Status: routing.QueueDisabled})
	h := newHarness(t, cfg)
	require.NoError(t, startTask(h, "t1", "q1"))
	h.run(chat("c1", "q1"))
	require.NoError(t, startTask(h, "gone", "q1"))
	h.run(end("gone", routing.Abandoned, 0))
	tests := []struct {
		name, id string
		spec     routing.TransferSpec
		code     string
		cause    error
	}{
		{"unknown contact", "nope", routing.TransferSpec{QueueID: "q2"}, "ResourceNotFoundException", nil},
		{"unknown queue", "t1", routing.TransferSpec{QueueID: "nope"}, "ResourceNotFoundException", nil},
		{"chat", "c1", routing.TransferSpec{QueueID: "q2"}, "InvalidRequestException", routing.ErrNotTransferable},
		{"ended", "gone", routing.TransferSpec{QueueID: "q2"}, "InvalidRequestException", routing.ErrNotTransferable},
		{"disabled", "t1", routing.TransferSpec{QueueID: "off"}, "InvalidRequestException", routing.ErrQueueDisabled},
		{"full", "t1", routing.TransferSpec{QueueID: "full"}, "ServiceQuotaExceededException", routing.ErrQueueAtCapacity},
		{"negative priority", "t1", routing.TransferSpec{QueueID: "q2", Priority: -1}, "InvalidParameterException", nil},
		{"negative acw", "t1", routing.TransferSpec{QueueID: "q2", AfterContactWork: -1}, "InvalidParameterException", nil},
		{"bad criteria", "t1", routing.TransferSpec{QueueID: "q2", RoutingCriteria: &routing.RoutingCriteriaInput{}}, "InvalidParameterException", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before := h.describe("t1")
			qs := h.in.Queues()
			_, err := h.in.TransferContact(contact.ID(tt.id), tt.spec)
			checkAPIErr(t, err, tt.code)
			if tt.cause != nil {
				assert.ErrorIs(t, err, tt.cause)
			}
			assert.Equal(t, before, h.describe("t1"), "a failed transfer changed the contact")
			assert.Equal(t, qs, h.in.Queues(), "a failed transfer changed the queues")
			h.verify()
		})
	}
}

func TestTransferLimit(t *testing.T) {
	h := newHarness(t, taskConfig())
	require.NoError(t, startTask(h, "t0", "q1"))
	id := contact.ID("t0")
	for i := range routing.MaxTransfers {
		next, err := h.in.TransferContact(id, routing.TransferSpec{QueueID: []string{"q1", "q2"}[i%2]})
		require.NoError(t, err, "transfer %d", i+1)
		id = next
	}
	info := h.describe(string(id))
	assert.Equal(t, routing.MaxTransfers, info.Transfers)
	assert.Equal(t, contact.ID("t0"), info.InitialContactID)
	_, err := h.in.TransferContact(id, routing.TransferSpec{QueueID: "q1"})
	checkAPIErr(t, err, "ServiceQuotaExceededException")
	assert.ErrorIs(t, err, routing.ErrTransferLimit)
	h.verify()
}

// TestTransferIntoOwnFullQueue: the contact leaving a full queue makes the room it takes.
func TestTransferIntoOwnFullQueue(t *testing.T) {
	h := newHarness(t, taskConfig())
	require.NoError(t, h.in.UpdateQueueMaxContacts("q1", ptr(1)))
	require.NoError(t, startTask(h, "t1", "q1"))
	_, err := h.in.TransferContact("t1", routing.TransferSpec{QueueID: "q1"})
	require.NoError(t, err)
	h.verify()
}

// TestMetaBoundedByRetain: names and attributes go with the ended contacts an instance
// forgets, so that memory stays bounded under a stream of starts.
func TestMetaBoundedByRetain(t *testing.T) {
	cfg := taskConfig()
	cfg.RetainEnded = 10
	h := newHarness(t, cfg)
	for i := range 1000 {
		id := contact.ID("c" + strconv.Itoa(i))
		_, err := h.in.StartContact(routing.ContactSpec{ID: id, QueueID: "q1", Channel: contact.Task,
			Name: "n", Attributes: map[string]string{"k": "v"}})
		require.NoError(t, err)
		next, err := h.in.TransferContact(id, routing.TransferSpec{QueueID: "q2"})
		require.NoError(t, err)
		require.NoError(t, h.in.EndContact(next, routing.Stopped, 0))
	}
	assert.Equal(t, 10, routing.RetainedMeta(h.in), "contacts with data kept; want the 10 retained")
	h.verify()
}
