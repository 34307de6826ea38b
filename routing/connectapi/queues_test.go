package connectapi_test

import (
	"errors"
	"regexp"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/connect"
	"github.com/aws/aws-sdk-go-v2/service/connect/types"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/routesim/routesim/routing/connectapi"
)

const hours1 = "hours-1"

// queueConfig is testConfig with an hours of operation, named by both queues.
func queueConfig() connectapi.Config {
	cfg := testConfig()
	ic := &cfg.Instances[0]
	ic.HoursOfOperations = []connectapi.HoursOfOperationConfig{{ID: hours1, Name: "Always"}}
	for i := range ic.Queues {
		ic.Queues[i].HoursOfOperationID = hours1
	}
	return cfg
}

var uuidRE = regexp.MustCompile(`^[a-f0-9]{8}-[a-f0-9]{4}-4[a-f0-9]{3}-[89ab][a-f0-9]{3}-[a-f0-9]{12}$`)

// queueNames lists the instance's queues through ListQueues with the SDK's paginator, one
// per page.
func queueNames(t *testing.T, c *connect.Client, types_ ...types.QueueType) []string {
	t.Helper()
	var names []string
	pg := connect.NewListQueuesPaginator(c, &connect.ListQueuesInput{InstanceId: aws.String(inst), MaxResults: aws.Int32(1), QueueTypes: types_})
	for pg.HasMorePages() {
		out, err := pg.NextPage(ctx)
		require.NoError(t, err)
		require.LessOrEqual(t, len(out.QueueSummaryList), 1, "a page of MaxResults 1 holds %d", len(out.QueueSummaryList))
		for _, q := range out.QueueSummaryList {
			assert.Equal(t, types.QueueTypeStandard, q.QueueType)
			assert.Equal(t, "arn:aws:connect:us-east-1:123456789012:instance/"+inst+"/queue/"+aws.ToString(q.Id), aws.ToString(q.Arn))
			assert.NotNil(t, q.LastModifiedTime, "LastModifiedTime of %s", aws.ToString(q.Id))
			names = append(names, aws.ToString(q.Name))
		}
	}
	return names
}

func TestListQueues(t *testing.T) {
	e := newEnv(t, queueConfig())
	c := e.sdk()
	assert.Equal(t, []string{"One", "Two"}, queueNames(t, c))
	assert.Equal(t, []string{"One", "Two"}, queueNames(t, c, types.QueueTypeStandard))
	assert.Empty(t, queueNames(t, c, types.QueueTypeAgent), "routesim has no agent queues")
	_, err := c.ListQueues(ctx, &connect.ListQueuesInput{InstanceId: aws.String(inst), NextToken: aws.String("garbage")})
	wantCode(t, err, "InvalidParameterException")
	_, err = c.ListQueues(ctx, &connect.ListQueuesInput{InstanceId: aws.String(inst), MaxResults: aws.Int32(1001)})
	wantCode(t, err, "InvalidParameterException")
	_, err = c.ListQueues(ctx, &connect.ListQueuesInput{InstanceId: aws.String(inst), QueueTypes: []types.QueueType{"OTHER"}})
	wantCode(t, err, "InvalidParameterException")
	_, err = c.ListQueues(ctx, &connect.ListQueuesInput{InstanceId: aws.String("nope")})
	wantCode(t, err, "ResourceNotFoundException")
	e.raw("GET", "/queues-summary/"+inst+"?maxResults=1&maxResults=2", nil).wantError(t, 400, "InvalidParameterException")
	e.raw("GET", "/queues-summary/"+inst+"?queueTypes=STANDARD&queueTypes=AGENT&queueTypes=STANDARD", nil).
		wantError(t, 400, "InvalidParameterException")
}

func TestCreateAndDescribeQueue(t *testing.T) {
	e := newEnv(t, queueConfig())
	c := e.sdk()
	out, err := c.CreateQueue(ctx, &connect.CreateQueueInput{InstanceId: aws.String(inst), Name: aws.String("Three"),
		HoursOfOperationId: aws.String(hours1), Description: aws.String("third"), MaxContacts: aws.Int32(7),
		Tags: map[string]string{"team": "blue"}})
	require.NoError(t, err)
	id := aws.ToString(out.QueueId)
	assert.Regexp(t, uuidRE, id, "QueueId %q; want a UUID", id)
	assert.Equal(t, "arn:aws:connect:us-east-1:123456789012:instance/"+inst+"/queue/"+id, aws.ToString(out.QueueArn))
	d, err := c.DescribeQueue(ctx, &connect.DescribeQueueInput{InstanceId: aws.String(inst), QueueId: aws.String(id)})
	require.NoError(t, err)
	q := d.Queue
	assert.Equal(t, "Three", aws.ToString(q.Name))
	assert.Equal(t, "third", aws.ToString(q.Description))
	assert.Equal(t, hours1, aws.ToString(q.HoursOfOperationId))
	assert.Equal(t, int32(7), aws.ToInt32(q.MaxContacts))
	assert.Equal(t, types.QueueStatusEnabled, q.Status)
	assert.Equal(t, map[string]string{"team": "blue"}, q.Tags)
	assert.True(t, aws.ToTime(q.LastModifiedTime).Equal(t0), "LastModifiedTime %v; want %v", q.LastModifiedTime, t0)
	assert.Equal(t, "us-east-1", aws.ToString(q.LastModifiedRegion))
	assert.Equal(t, []string{"One", "Two", "Three"}, queueNames(t, c))

	d, err = c.DescribeQueue(ctx, &connect.DescribeQueueInput{InstanceId: aws.String(inst), QueueId: aws.String(q1)})
	require.NoError(t, err)
	assert.Nil(t, d.Queue.MaxContacts, "MaxContacts %v of a queue without a limit; want none", d.Queue.MaxContacts)
	_, err = c.DescribeQueue(ctx, &connect.DescribeQueueInput{InstanceId: aws.String(inst), QueueId: aws.String("nope")})
	wantCode(t, err, "ResourceNotFoundException")
	e.verify()
}

func TestCreateQueueErrors(t *testing.T) {
	e := newEnv(t, queueConfig())
	c := e.sdk()
	good := func() *connect.CreateQueueInput {
		return &connect.CreateQueueInput{InstanceId: aws.String(inst), Name: aws.String("New"), HoursOfOperationId: aws.String(hours1)}
	}
	tests := []struct {
		name string
		edit func(*connect.CreateQueueInput)
		code string
	}{
		{"unknown instance", func(in *connect.CreateQueueInput) { in.InstanceId = aws.String("nope") }, "ResourceNotFoundException"},
		{"unknown hours", func(in *connect.CreateQueueInput) { in.HoursOfOperationId = aws.String("nope") }, "ResourceNotFoundException"},
		{"duplicate name", func(in *connect.CreateQueueInput) { in.Name = aws.String("One") }, "DuplicateResourceException"},
		{"negative MaxContacts", func(in *connect.CreateQueueInput) { in.MaxContacts = aws.Int32(-1) }, "InvalidParameterException"},
		{"long name", func(in *connect.CreateQueueInput) { in.Name = aws.String(string(make([]byte, 128))) }, "InvalidParameterException"},
		{"empty description", func(in *connect.CreateQueueInput) { in.Description = aws.String("") }, "InvalidParameterException"},
		{"aws: tag", func(in *connect.CreateQueueInput) { in.Tags = map[string]string{"aws:x": "v"} }, "InvalidParameterException"},
		{"quick connect", func(in *connect.CreateQueueInput) { in.QuickConnectIds = []string{"qc"} }, "ResourceNotFoundException"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := good()
			tt.edit(in)
			_, err := c.CreateQueue(ctx, in)
			wantCode(t, err, tt.code)
			assert.Equal(t, []string{"One", "Two"}, queueNames(t, c), "a failed CreateQueue changed the queues")
		})
	}
	// Required members the SDK would not send without: raw requests.
	e.raw("PUT", "/queues/"+inst, []byte(`{"Name":"x"}`)).wantError(t, 400, "InvalidParameterException")
	e.raw("PUT", "/queues/"+inst, []byte(`{"HoursOfOperationId":"`+hours1+`"}`)).wantError(t, 400, "InvalidParameterException")
	assert.Equal(t, []string{"One", "Two"}, queueNames(t, c))
}

func TestUpdateQueueNameStatusMaxContacts(t *testing.T) {
	e := newEnv(t, queueConfig())
	c := e.sdk()
	qin := func(id string) *connect.DescribeQueueInput {
		return &connect.DescribeQueueInput{InstanceId: aws.String(inst), QueueId: aws.String(id)}
	}
	_, err := c.UpdateQueueName(ctx, &connect.UpdateQueueNameInput{InstanceId: aws.String(inst), QueueId: aws.String(q1),
		Name: aws.String("Uno"), Description: aws.String("first")})
	require.NoError(t, err)
	_, err = c.UpdateQueueStatus(ctx, &connect.UpdateQueueStatusInput{InstanceId: aws.String(inst), QueueId: aws.String(q1),
		Status: types.QueueStatusDisabled})
	require.NoError(t, err)
	_, err = c.UpdateQueueMaxContacts(ctx, &connect.UpdateQueueMaxContactsInput{InstanceId: aws.String(inst),
		QueueId: aws.String(q2), MaxContacts: aws.Int32(1)})
	require.NoError(t, err)
	d, err := c.DescribeQueue(ctx, qin(q1))
	require.NoError(t, err)
	assert.Equal(t, "Uno", aws.ToString(d.Queue.Name))
	assert.Equal(t, "first", aws.ToString(d.Queue.Description))
	assert.Equal(t, types.QueueStatusDisabled, d.Queue.Status)
	before, err := c.DescribeQueue(ctx, qin(q2))
	require.NoError(t, err)
	assert.Equal(t, int32(1), aws.ToInt32(before.Queue.MaxContacts))

	errs := []struct {
		name string
		call func() error
		code string
	}{
		{"name taken", func() error {
			_, err := c.UpdateQueueName(ctx, &connect.UpdateQueueNameInput{InstanceId: aws.String(inst), QueueId: aws.String(q2), Name: aws.String("Uno")})
			return err
		}, "DuplicateResourceException"},
		{"neither name nor description", func() error {
			_, err := c.UpdateQueueName(ctx, &connect.UpdateQueueNameInput{InstanceId: aws.String(inst), QueueId: aws.String(q2)})
			return err
		}, "InvalidParameterException"},
		{"unknown queue", func() error {
			_, err := c.UpdateQueueName(ctx, &connect.UpdateQueueNameInput{InstanceId: aws.String(inst), QueueId: aws.String("nope"), Name: aws.String("x")})
			return err
		}, "ResourceNotFoundException"},
		{"bad status", func() error {
			_, err := c.UpdateQueueStatus(ctx, &connect.UpdateQueueStatusInput{InstanceId: aws.String(inst), QueueId: aws.String(q2), Status: "PAUSED"})
			return err
		}, "InvalidParameterException"},
		{"status of unknown queue", func() error {
			_, err := c.UpdateQueueStatus(ctx, &connect.UpdateQueueStatusInput{InstanceId: aws.String(inst), QueueId: aws.String("nope"), Status: types.QueueStatusEnabled})
			return err
		}, "ResourceNotFoundException"},
		{"negative max", func() error {
			_, err := c.UpdateQueueMaxContacts(ctx, &connect.UpdateQueueMaxContactsInput{InstanceId: aws.String(inst), QueueId: aws.String(q2), MaxContacts: aws.Int32(-1)})
			return err
		}, "InvalidParameterException"},
		{"max of unknown queue", func() error {
			_, err := c.UpdateQueueMaxContacts(ctx, &connect.UpdateQueueMaxContactsInput{InstanceId: aws.String(inst), QueueId: aws.String("nope")})
			return err
		}, "ResourceNotFoundException"},
	}
	for _, tt := range errs {
		t.Run(tt.name, func(t *testing.T) {
			wantCode(t, tt.call(), tt.code)
			after, err := c.DescribeQueue(ctx, qin(q2))
			require.NoError(t, err)
			assert.Equal(t, before.Queue, after.Queue, "a failed call changed q2")
		})
	}
	e.raw("POST", "/queues/"+inst+"/"+q2+"/status", []byte(`{}`)).wantError(t, 400, "InvalidParameterException")
	// No MaxContacts: the limit goes.
	_, err = c.UpdateQueueMaxContacts(ctx, &connect.UpdateQueueMaxContactsInput{InstanceId: aws.String(inst), QueueId: aws.String(q2)})
	require.NoError(t, err)
	d, _ = c.DescribeQueue(ctx, qin(q2))
	assert.Nil(t, d.Queue.MaxContacts)
}

// TestStartIntoDisabledOrFullQueue: a DISABLED queue refuses StartTaskContact with
// InvalidRequestException, a full one with ServiceQuotaExceededException (402); nothing
// starts.
func TestStartIntoDisabledOrFullQueue(t *testing.T) {
	e := newEnv(t, queueConfig())
	c := e.sdk()
	_, err := c.UpdateQueueMaxContacts(ctx, &connect.UpdateQueueMaxContactsInput{InstanceId: aws.String(inst),
		QueueId: aws.String(q1), MaxContacts: aws.Int32(1)})
	require.NoError(t, err)
	e.startTask(c, flowQ1)
	_, err = c.StartTaskContact(ctx, &connect.StartTaskContactInput{InstanceId: aws.String(inst), ContactFlowId: aws.String(flowQ1), Name: aws.String("x")})
	var sq *types.ServiceQuotaExceededException
	require.True(t, errors.As(err, &sq), "StartTaskContact into a full queue = %v; want ServiceQuotaExceededException", err)
	_, err = c.UpdateQueueStatus(ctx, &connect.UpdateQueueStatusInput{InstanceId: aws.String(inst), QueueId: aws.String(q2), Status: types.QueueStatusDisabled})
	require.NoError(t, err)
	_, err = c.StartTaskContact(ctx, &connect.StartTaskContactInput{InstanceId: aws.String(inst), ContactFlowId: aws.String(flowQ2Age), Name: aws.String("x")})
	var ir *types.InvalidRequestException
	require.True(t, errors.As(err, &ir), "StartTaskContact into a DISABLED queue = %v; want InvalidRequestException", err)
	m := metrics(t, e, c, nil, nil, "CONTACTS_IN_QUEUE")
	assert.Equal(t, 1.0, m[key{}]["CONTACTS_IN_QUEUE"], "contacts in queue after refused starts")
	r := e.raw("PUT", "/contact/task", []byte(`{"InstanceId":"`+inst+`","ContactFlowId":"`+flowQ1+`","Name":"x"}`))
	r.wantError(t, 402, "ServiceQuotaExceededException")
	e.verify()
}

func TestListHoursOfOperations(t *testing.T) {
	e := newEnv(t, connectapi.DefaultConfig())
	c := e.sdk()
	out, err := c.ListHoursOfOperations(ctx, &connect.ListHoursOfOperationsInput{InstanceId: aws.String(connectapi.DefaultInstanceID)})
	require.NoError(t, err)
	require.Len(t, out.HoursOfOperationSummaryList, 1)
	ho := out.HoursOfOperationSummaryList[0]
	assert.Equal(t, connectapi.DefaultHoursID, aws.ToString(ho.Id))
	assert.Equal(t, connectapi.DefaultHoursName, aws.ToString(ho.Name))
	assert.Equal(t, "arn:aws:connect:us-east-1:123456789012:instance/"+connectapi.DefaultInstanceID+"/operating-hours/"+connectapi.DefaultHoursID,
		aws.ToString(ho.Arn))
	assert.Nil(t, out.NextToken)
	_, err = c.ListHoursOfOperations(ctx, &connect.ListHoursOfOperationsInput{InstanceId: aws.String("nope")})
	wantCode(t, err, "ResourceNotFoundException")
	// A suite creates a queue with the hours it looked up.
	q, err := c.CreateQueue(ctx, &connect.CreateQueueInput{InstanceId: aws.String(connectapi.DefaultInstanceID),
		Name: aws.String("Billing"), HoursOfOperationId: ho.Id})
	require.NoError(t, err)
	assert.Regexp(t, uuidRE, aws.ToString(q.QueueId))
}

// TestInstanceARN: every operation takes the instance's ARN as InstanceId, in the path or
// in the body; an ARN of another account names no instance.
func TestInstanceARN(t *testing.T) {
	e := newEnv(t, connectapi.DefaultConfig())
	c := e.sdk()
	arn := "arn:aws:connect:us-east-1:123456789012:instance/" + connectapi.DefaultInstanceID
	assert.Regexp(t, uuidRE, connectapi.DefaultInstanceID, "the default instance ID is a UUID")
	_, err := c.DescribeQueue(ctx, &connect.DescribeQueueInput{InstanceId: aws.String(arn), QueueId: aws.String(connectapi.DefaultSalesQueueID)})
	require.NoError(t, err, "DescribeQueue by instance ARN (path)")
	out, err := c.StartTaskContact(ctx, &connect.StartTaskContactInput{InstanceId: aws.String(arn),
		ContactFlowId: aws.String(connectapi.DefaultSalesFlowID), Name: aws.String("t")})
	require.NoError(t, err, "StartTaskContact by instance ARN (body)")
	_, err = c.DescribeContact(ctx, &connect.DescribeContactInput{InstanceId: aws.String(arn), ContactId: out.ContactId})
	require.NoError(t, err)
	other := "arn:aws:connect:us-east-1:999999999999:instance/" + connectapi.DefaultInstanceID
	_, err = c.DescribeQueue(ctx, &connect.DescribeQueueInput{InstanceId: aws.String(other), QueueId: aws.String(connectapi.DefaultSalesQueueID)})
	wantCode(t, err, "ResourceNotFoundException")
	_, err = c.StartTaskContact(ctx, &connect.StartTaskContactInput{InstanceId: aws.String(other),
		ContactFlowId: aws.String(connectapi.DefaultSalesFlowID), Name: aws.String("t")})
	wantCode(t, err, "ResourceNotFoundException")
}

// TestStartChatIntoFullQueue: StartChatContact's model has no ServiceQuotaExceededException;
// a full queue answers its LimitExceededException.
func TestStartChatIntoFullQueue(t *testing.T) {
	e := newEnv(t, queueConfig())
	c := e.sdk()
	_, err := c.UpdateQueueMaxContacts(ctx, &connect.UpdateQueueMaxContactsInput{InstanceId: aws.String(inst),
		QueueId: aws.String(q1), MaxContacts: aws.Int32(0)})
	require.NoError(t, err)
	_, err = c.StartChatContact(ctx, &connect.StartChatContactInput{InstanceId: aws.String(inst), ContactFlowId: aws.String(flowQ1),
		ParticipantDetails: &types.ParticipantDetails{DisplayName: aws.String("Ann")}})
	var le *types.LimitExceededException
	require.True(t, errors.As(err, &le), "StartChatContact into a full queue = %v; want LimitExceededException", err)
}

func TestListContactFlows(t *testing.T) {
	cfg := queueConfig()
	cfg.Instances[0].Flows[0].Name = "Inbound sales"
	e := newEnv(t, cfg)
	c := e.sdk()
	var names, ids []string
	pg := connect.NewListContactFlowsPaginator(c, &connect.ListContactFlowsInput{InstanceId: aws.String(inst), MaxResults: aws.Int32(1)})
	for pg.HasMorePages() {
		out, err := pg.NextPage(ctx)
		require.NoError(t, err)
		require.LessOrEqual(t, len(out.ContactFlowSummaryList), 1)
		for _, f := range out.ContactFlowSummaryList {
			assert.Equal(t, types.ContactFlowTypeContactFlow, f.ContactFlowType)
			assert.Equal(t, types.ContactFlowStateActive, f.ContactFlowState)
			assert.Equal(t, "arn:aws:connect:us-east-1:123456789012:instance/"+inst+"/contact-flow/"+aws.ToString(f.Id), aws.ToString(f.Arn))
			names = append(names, aws.ToString(f.Name))
			ids = append(ids, aws.ToString(f.Id))
		}
	}
	want := make([]string, len(cfg.Instances[0].Flows))
	for i, f := range cfg.Instances[0].Flows {
		want[i] = f.ID
	}
	assert.Equal(t, want, ids, "the configured flows, in configuration order")
	assert.Equal(t, "Inbound sales", names[0], "a flow's name")
	assert.Equal(t, want[1:], names[1:], "a flow without a name is listed by its ID")

	out, err := c.ListContactFlows(ctx, &connect.ListContactFlowsInput{InstanceId: aws.String(inst),
		ContactFlowTypes: []types.ContactFlowType{types.ContactFlowTypeQueueTransfer}})
	require.NoError(t, err)
	assert.Empty(t, out.ContactFlowSummaryList, "routesim's flows are all CONTACT_FLOW")
	_, err = c.ListContactFlows(ctx, &connect.ListContactFlowsInput{InstanceId: aws.String(inst),
		ContactFlowTypes: []types.ContactFlowType{"FAX_FLOW"}})
	wantCode(t, err, "InvalidParameterException")
	_, err = c.ListContactFlows(ctx, &connect.ListContactFlowsInput{InstanceId: aws.String("nope")})
	wantCode(t, err, "ResourceNotFoundException")

	dup := queueConfig()
	dup.Instances[0].Flows[0].Name = "Same"
	dup.Instances[0].Flows[1].Name = "Same"
	require.ErrorIs(t, dup.Validate(), connectapi.ErrInvalidConfig, "two flows of one name")
}
