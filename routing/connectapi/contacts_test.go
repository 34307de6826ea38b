package connectapi_test

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/connect"
	"github.com/aws/aws-sdk-go-v2/service/connect/types"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func (e *env) transfer(c *connect.Client, id, queue, flow string) (*connect.TransferContactOutput, error) {
	in := &connect.TransferContactInput{InstanceId: aws.String(inst), ContactId: aws.String(id), ContactFlowId: aws.String(flow)}
	if queue != "" {
		in.QueueId = aws.String(queue)
	}
	return c.TransferContact(ctx, in)
}

func TestTransferContact(t *testing.T) {
	e := newEnv(t, queueConfig())
	c := e.sdk()
	st, err := c.StartTaskContact(ctx, &connect.StartTaskContactInput{InstanceId: aws.String(inst), ContactFlowId: aws.String(flowUrg),
		Name: aws.String("refund"), Description: aws.String("order 7"), Attributes: map[string]string{"order": "7"}})
	require.NoError(t, err)
	old := aws.ToString(st.ContactId)
	e.clock.Set(t0.Add(30 * time.Second))
	out, err := e.transfer(c, old, q2, flowQ1)
	require.NoError(t, err)
	id := aws.ToString(out.ContactId)
	assert.NotEqual(t, old, id, "a transfer makes a new contact")
	assert.Regexp(t, uuidRE, id)
	assert.Equal(t, "arn:aws:connect:us-east-1:123456789012:instance/"+inst+"/contact/"+id, aws.ToString(out.ContactArn))

	was := e.describe(c, old)
	assert.Equal(t, "TRANSFER", aws.ToString(was.DisconnectReason))
	assert.True(t, aws.ToTime(was.DisconnectTimestamp).Equal(t0.Add(30*time.Second)), "DisconnectTimestamp %v", was.DisconnectTimestamp)
	now := e.describe(c, id)
	assert.Equal(t, old, aws.ToString(now.PreviousContactId))
	assert.Equal(t, old, aws.ToString(now.InitialContactId))
	assert.Equal(t, types.ContactInitiationMethodTransfer, now.InitiationMethod)
	assert.Equal(t, q2, aws.ToString(now.QueueInfo.Id), "the contact waits in the destination")
	assert.True(t, aws.ToTime(now.QueueInfo.EnqueueTimestamp).Equal(t0.Add(30*time.Second)), "its wait starts at the transfer")
	assert.Equal(t, int64(5), aws.ToInt64(now.QueuePriority), "priority is the transfer flow's (default 5), not the old 1")
	assert.Equal(t, "refund", aws.ToString(now.Name))
	assert.Equal(t, "order 7", aws.ToString(now.Description))
	assert.Equal(t, map[string]string{"order": "7"}, now.Attributes)

	// ClientToken: a repeat answers the same contact and transfers nothing more.
	tok := &connect.TransferContactInput{InstanceId: aws.String(inst), ContactId: aws.String(id), ContactFlowId: aws.String(flowQ1),
		QueueId: aws.String(q1), ClientToken: aws.String("tok-1")}
	a, err := c.TransferContact(ctx, tok)
	require.NoError(t, err)
	b, err := c.TransferContact(ctx, tok)
	require.NoError(t, err)
	assert.Equal(t, aws.ToString(a.ContactId), aws.ToString(b.ContactId))
	tok.QueueId = aws.String(q2) // the same token for another transfer
	_, err = c.TransferContact(ctx, tok)
	var ie *types.IdempotencyException
	require.True(t, errors.As(err, &ie), "a ClientToken reused for another transfer = %v; want IdempotencyException", err)
	third := e.describe(c, aws.ToString(a.ContactId))
	assert.Equal(t, old, aws.ToString(third.InitialContactId), "the chain keeps its first contact")
	assert.Equal(t, id, aws.ToString(third.PreviousContactId))
	// No QueueId: the flow's queue.
	d, err := e.transfer(c, aws.ToString(a.ContactId), "", flowQ2Age)
	require.NoError(t, err)
	last := e.describe(c, aws.ToString(d.ContactId))
	assert.Equal(t, q2, aws.ToString(last.QueueInfo.Id))
	assert.Equal(t, int32(60), aws.ToInt32(last.QueueTimeAdjustmentSeconds), "the flow's routing age")
	e.verify()
}

// TestTransferConnectedContact: a task with an agent moves to another queue; the agent's
// slot is freed (after-contact work 0 here) and the new contact routes.
func TestTransferConnectedContact(t *testing.T) {
	e := newEnv(t, queueConfig())
	c := e.sdk()
	require.NoError(t, e.setStatus(c, agent1, statusAv))
	id := e.startTask(c, flowQ1)
	require.NotNil(t, e.describe(c, id).AgentInfo, "the task went to agent-1")
	out, err := e.transfer(c, id, q2, flowQ1)
	require.NoError(t, err)
	now := e.describe(c, aws.ToString(out.ContactId))
	require.NotNil(t, now.AgentInfo, "agent-1, freed, takes the transferred task")
	assert.Equal(t, agent1, aws.ToString(now.AgentInfo.Id))
	e.verify()
}

func TestTransferContactErrors(t *testing.T) {
	e := newEnv(t, queueConfig())
	c := e.sdk()
	task := e.startTask(c, flowQ1)
	chat, err := c.StartChatContact(ctx, &connect.StartChatContactInput{InstanceId: aws.String(inst), ContactFlowId: aws.String(flowQ1),
		ParticipantDetails: &types.ParticipantDetails{DisplayName: aws.String("Ann")}})
	require.NoError(t, err)
	ended := e.startTask(c, flowQ1)
	_, err = c.StopContact(ctx, &connect.StopContactInput{InstanceId: aws.String(inst), ContactId: aws.String(ended)})
	require.NoError(t, err)
	_, err = c.CreateQueue(ctx, &connect.CreateQueueInput{InstanceId: aws.String(inst), Name: aws.String("Full"),
		HoursOfOperationId: aws.String(hours1), MaxContacts: aws.Int32(0)})
	require.NoError(t, err)
	full := ""
	ls, err := c.ListQueues(ctx, &connect.ListQueuesInput{InstanceId: aws.String(inst)})
	require.NoError(t, err)
	for _, q := range ls.QueueSummaryList {
		if aws.ToString(q.Name) == "Full" {
			full = aws.ToString(q.Id)
		}
	}
	_, err = c.UpdateQueueStatus(ctx, &connect.UpdateQueueStatusInput{InstanceId: aws.String(inst), QueueId: aws.String(q2), Status: types.QueueStatusDisabled})
	require.NoError(t, err)
	tests := []struct {
		name string
		in   connect.TransferContactInput
		code string
	}{
		{"unknown contact", connect.TransferContactInput{ContactId: aws.String("nope"), QueueId: aws.String(q1)}, "ResourceNotFoundException"},
		{"unknown queue", connect.TransferContactInput{ContactId: aws.String(task), QueueId: aws.String("nope")}, "ResourceNotFoundException"},
		{"unknown flow", connect.TransferContactInput{ContactId: aws.String(task), QueueId: aws.String(q1), ContactFlowId: aws.String("nope")}, "ResourceNotFoundException"},
		{"unknown instance", connect.TransferContactInput{InstanceId: aws.String("nope"), ContactId: aws.String(task), QueueId: aws.String(q1)}, "ResourceNotFoundException"},
		{"chat", connect.TransferContactInput{ContactId: chat.ContactId, QueueId: aws.String(q1)}, "InvalidRequestException"},
		{"ended", connect.TransferContactInput{ContactId: aws.String(ended), QueueId: aws.String(q1)}, "InvalidRequestException"},
		{"queue and user", connect.TransferContactInput{ContactId: aws.String(task), QueueId: aws.String(q1), UserId: aws.String(agent1)}, "InvalidRequestException"},
		{"user", connect.TransferContactInput{ContactId: aws.String(task), UserId: aws.String(agent1)}, "InvalidRequestException"},
		{"disabled queue", connect.TransferContactInput{ContactId: aws.String(task), QueueId: aws.String(q2)}, "InvalidRequestException"},
		{"full queue", connect.TransferContactInput{ContactId: aws.String(task), QueueId: aws.String(full)}, "ServiceQuotaExceededException"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := tt.in
			if in.InstanceId == nil {
				in.InstanceId = aws.String(inst)
			}
			if in.ContactFlowId == nil {
				in.ContactFlowId = aws.String(flowQ1)
			}
			before := e.describe(c, task)
			_, err := c.TransferContact(ctx, &in)
			wantCode(t, err, tt.code)
			assert.Equal(t, before, e.describe(c, task), "a failed transfer changed the task")
			e.verify()
		})
	}
	e.raw("POST", "/contact/transfer", []byte(`{"InstanceId":"`+inst+`","ContactId":"`+task+`"}`)).
		wantError(t, 400, "InvalidRequestException")
	// The limit: 11 transfers along a chain.
	id := task
	for i := range 11 {
		out, err := e.transfer(c, id, q1, flowQ1)
		require.NoError(t, err, "transfer %d", i+1)
		id = aws.ToString(out.ContactId)
	}
	_, err = e.transfer(c, id, q1, flowQ1)
	wantCode(t, err, "ServiceQuotaExceededException")
}

func TestContactAttributes(t *testing.T) {
	e := newEnv(t, queueConfig())
	c := e.sdk()
	st, err := c.StartTaskContact(ctx, &connect.StartTaskContactInput{InstanceId: aws.String(inst), ContactFlowId: aws.String(flowQ1),
		Name: aws.String("t"), Attributes: map[string]string{"a": "1", "b-2": "x"}})
	require.NoError(t, err)
	id := aws.ToString(st.ContactId)
	get := func() map[string]string {
		t.Helper()
		out, err := c.GetContactAttributes(ctx, &connect.GetContactAttributesInput{InstanceId: aws.String(inst), InitialContactId: aws.String(id)})
		require.NoError(t, err)
		return out.Attributes
	}
	assert.Equal(t, map[string]string{"a": "1", "b-2": "x"}, get())
	e.clock.Set(t0.Add(9 * time.Second))
	_, err = c.UpdateContactAttributes(ctx, &connect.UpdateContactAttributesInput{InstanceId: aws.String(inst), InitialContactId: aws.String(id),
		Attributes: map[string]string{"a": "2", "c": ""}})
	require.NoError(t, err)
	assert.Equal(t, map[string]string{"a": "2", "b-2": "x", "c": ""}, get(), "an update merges")
	got := e.describe(c, id)
	assert.True(t, aws.ToTime(got.LastUpdateTimestamp).Equal(t0.Add(9*time.Second)), "LastUpdateTimestamp %v; want the update", got.LastUpdateTimestamp)

	tests := []struct {
		name  string
		id    string
		attrs map[string]string
		code  string
	}{
		{"bad key", id, map[string]string{"a b": "x"}, "InvalidParameterException"},
		{"too big", id, map[string]string{"k": strings.Repeat("x", 32768)}, "InvalidParameterException"},
		{"unknown contact", "nope", map[string]string{"a": "x"}, "ResourceNotFoundException"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := c.UpdateContactAttributes(ctx, &connect.UpdateContactAttributesInput{InstanceId: aws.String(inst),
				InitialContactId: aws.String(tt.id), Attributes: tt.attrs})
			wantCode(t, err, tt.code)
			assert.Equal(t, map[string]string{"a": "2", "b-2": "x", "c": ""}, get(), "a failed update changed the attributes")
		})
	}
	_, err = c.GetContactAttributes(ctx, &connect.GetContactAttributesInput{InstanceId: aws.String(inst), InitialContactId: aws.String("nope")})
	wantCode(t, err, "ResourceNotFoundException")
	_, err = c.StartTaskContact(ctx, &connect.StartTaskContactInput{InstanceId: aws.String(inst), ContactFlowId: aws.String(flowQ1),
		Name: aws.String("t"), Attributes: map[string]string{"no spaces": "1"}})
	wantCode(t, err, "InvalidParameterException")
	e.raw("POST", "/contact/attributes", []byte(`{"InstanceId":"`+inst+`","InitialContactId":"`+id+`"}`)).
		wantError(t, 400, "InvalidParameterException")
}
