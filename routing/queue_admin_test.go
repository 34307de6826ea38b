package routing_test

import (
	"errors"
	"strconv"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/routesim/routesim/contact"
	"github.com/routesim/routesim/routing"
)

// taskConfig: queues q1, q2; profile p serves both on TASK (q1 first), two tasks at once;
// agents a1, a2.
func taskConfig() routing.InstanceConfig {
	p := profile("p", entry("q1", contact.Task, 1, 0), entry("q2", contact.Task, 2, 0))
	p.Concurrency = map[contact.Channel]int{contact.Task: 2}
	return instance(queues("q1", "q2"), []routing.ProfileConfig{p}, agents("a1:p", "a2:p"))
}

func startTask(h *harness, id, q string) error {
	_, err := h.in.StartContact(routing.ContactSpec{ID: contact.ID(id), QueueID: q, Channel: contact.Task})
	return err
}

func TestQueueStatusRefusesNewContactsKeepsWaiting(t *testing.T) {
	h := newHarness(t, taskConfig())
	require.NoError(t, startTask(h, "w1", "q1"))
	require.NoError(t, h.in.UpdateQueueStatus("q1", routing.QueueDisabled))
	err := startTask(h, "w2", "q1")
	var ire *routing.InvalidRequestException
	require.ErrorAs(t, err, &ire, "start into a DISABLED queue = %v; want InvalidRequestException", err)
	assert.ErrorIs(t, err, routing.ErrQueueDisabled)
	_, err = h.in.DescribeContact("w2")
	assert.Error(t, err, "a refused contact exists")
	h.run(avail("a1"), routes("w1>a1")) // waiting contacts of a DISABLED queue are still routed
	info, err := h.in.DescribeQueue("q1")
	require.NoError(t, err)
	assert.Equal(t, routing.QueueDisabled, info.Status, "Status %s; want DISABLED", info.Status)
	require.NoError(t, h.in.UpdateQueueStatus("q1", routing.QueueEnabled))
	require.NoError(t, startTask(h, "w2", "q1"))
	checkAPIErr(t, h.in.UpdateQueueStatus("q1", "PAUSED"), "InvalidParameterException")
	checkAPIErr(t, h.in.UpdateQueueStatus("nope", routing.QueueEnabled), "ResourceNotFoundException")
	h.verify()
}

func TestQueueMaxContacts(t *testing.T) {
	h := newHarness(t, taskConfig())
	require.NoError(t, h.in.UpdateQueueMaxContacts("q1", ptr(2)))
	require.NoError(t, startTask(h, "w1", "q1"))
	require.NoError(t, startTask(h, "w2", "q1"))
	err := startTask(h, "w3", "q1")
	var sq *routing.ServiceQuotaExceededException
	require.ErrorAs(t, err, &sq, "start into a full queue = %v; want ServiceQuotaExceededException", err)
	assert.ErrorIs(t, err, routing.ErrQueueAtCapacity)
	assert.Equal(t, 402, sq.HTTPStatusCode())
	require.NoError(t, startTask(h, "x1", "q2"), "q2 has no limit")
	h.run(avail("a1"), routes("w1>a1", "w2>a1")) // two tasks at once: q1 empties
	require.NoError(t, startTask(h, "w3", "q1"), "q1 has room again")
	require.NoError(t, h.in.UpdateQueueMaxContacts("q1", ptr(0)))
	assert.ErrorIs(t, startTask(h, "w4", "q1"), routing.ErrQueueAtCapacity, "MaxContacts 0 refuses all")
	require.NoError(t, h.in.UpdateQueueMaxContacts("q1", nil))
	require.NoError(t, startTask(h, "w4", "q1"), "nil removes the limit")
	checkAPIErr(t, h.in.UpdateQueueMaxContacts("q1", ptr(-1)), "InvalidParameterException")
	h.verify()
}

func TestCreateAndRenameQueue(t *testing.T) {
	h := newHarness(t, taskConfig())
	require.NoError(t, h.in.CreateQueue(routing.QueueConfig{ID: "q3", Name: "Three", HoursOfOperationID: "h1",
		MaxContacts: ptr(5), Status: routing.QueueDisabled}))
	info, err := h.in.DescribeQueue("q3")
	require.NoError(t, err)
	assert.Equal(t, routing.QueueInfo{ID: "q3", Name: "Three", HoursOfOperationID: "h1", Status: routing.QueueDisabled,
		MaxContacts: ptr(5), LastModified: t0}, info)
	tests := []struct {
		name string
		qc   routing.QueueConfig
		code string
	}{
		{"empty id", routing.QueueConfig{Name: "x"}, "InvalidParameterException"},
		{"duplicate id", routing.QueueConfig{ID: "q1"}, "DuplicateResourceException"},
		{"duplicate name", routing.QueueConfig{ID: "q4", Name: "Three"}, "DuplicateResourceException"},
		{"bad status", routing.QueueConfig{ID: "q4", Status: "OFF"}, "InvalidParameterException"},
		{"negative max", routing.QueueConfig{ID: "q4", MaxContacts: ptr(-1)}, "InvalidParameterException"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before := h.in.Queues()
			checkAPIErr(t, h.in.CreateQueue(tt.qc), tt.code)
			assert.Equal(t, before, h.in.Queues(), "a failed CreateQueue changed the queues")
		})
	}
	h.clk.Set(t0.Add(sec(5)))
	require.NoError(t, h.in.UpdateQueueName("q3", ptr("Third"), nil))
	checkAPIErr(t, h.in.UpdateQueueName("q1", ptr("Third"), nil), "DuplicateResourceException")
	checkAPIErr(t, h.in.UpdateQueueName("q1", nil, nil), "InvalidParameterException")
	checkAPIErr(t, h.in.UpdateQueueName("q1", ptr(""), nil), "InvalidParameterException")
	checkAPIErr(t, h.in.UpdateQueueName("nope", ptr("x"), nil), "ResourceNotFoundException")
	require.NoError(t, h.in.UpdateQueueName("q3", nil, ptr("the third")))
	info, _ = h.in.DescribeQueue("q3")
	assert.Equal(t, "Third", info.Name)
	assert.Equal(t, "the third", info.Description)
	assert.Equal(t, t0.Add(sec(5)), info.LastModified)
	assert.Equal(t, []string{"q1", "q2", "q3"}, h.in.QueueIDs())
	h.verify()
}

func TestCreateQueueLimit(t *testing.T) {
	h := newHarness(t, taskConfig())
	for i := len(h.in.QueueIDs()); i < routing.MaxQueues; i++ {
		require.NoError(t, h.in.CreateQueue(routing.QueueConfig{ID: "n" + strconv.Itoa(i)}))
	}
	checkAPIErr(t, h.in.CreateQueue(routing.QueueConfig{ID: "one-too-many"}), "LimitExceededException")
	assert.Len(t, h.in.QueueIDs(), routing.MaxQueues)
}

func TestQueueConfigValidation(t *testing.T) {
	for _, qc := range []routing.QueueConfig{{ID: "q", Status: "ON"}, {ID: "q", MaxContacts: ptr(-2)}} {
		_, err := routing.NewInstance(routing.InstanceConfig{ID: "i", Queues: []routing.QueueConfig{qc}}, routing.NewManualClock(t0))
		var ce *routing.ConfigError
		require.ErrorAs(t, err, &ce, "NewInstance with queue %+v = %v; want a ConfigError", qc, err)
	}
}

// checkAPIErr checks that err is a routing APIError with the given code.
func checkAPIErr(t *testing.T, err error, code string) {
	t.Helper()
	var api routing.APIError
	require.True(t, errors.As(err, &api), "err = %v; want %s", err, code)
	assert.Equal(t, code, api.ErrorCode(), "err = %v; want %s", err, code)
}
