package connectapi_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/connect"
	"github.com/aws/aws-sdk-go-v2/service/connect/types"
	"github.com/stretchr/testify/require"
	"pgregory.net/rapid"

	"github.com/routesim/routesim/routing/connectapi"
)

// apiTwin is an emulator on a manual clock and an SDK client of it.
type apiTwin struct {
	emu *connectapi.Emulator
	srv *httptest.Server
	c   *connect.Client
}

func newAPITwin(t require.TestingT, cfg connectapi.Config) apiTwin {
	emu, err := connectapi.NewEmulator(cfg, connectapi.EmulatorOptions{ManualClock: true, Start: t0})
	require.NoError(t, err)
	srv := httptest.NewServer(emu)
	c := connect.New(connect.Options{Region: "us-east-1", BaseEndpoint: aws.String(srv.URL),
		Credentials: aws.CredentialsProviderFunc(func(context.Context) (aws.Credentials, error) {
			return aws.Credentials{AccessKeyID: testKey, SecretAccessKey: testSec}, nil
		}), HTTPClient: &http.Client{Transport: sharedTransport}, RetryMaxAttempts: 1})
	return apiTwin{emu, srv, c}
}

// snap is the twin's snapshot document.
func (tw apiTwin) snap() string { s := tw.emu.Snapshot(); return string(s.JSON()) }

// apiOp is one drawn API call, applied alike to each twin.
type apiOp struct {
	op                   int
	flow, contact, queue string
	user, status, prof   string
	n                    int
	d                    time.Duration
}

// answer renders an SDK call's output (without ResultMetadata) or its error code.
func answer(out any, err error) string {
	if err != nil {
		return "error " + errCode(err)
	}
	b, _ := json.Marshal(out)
	return string(b)
}

func errCode(err error) string {
	var buf bytes.Buffer
	fmt.Fprint(&buf, err)
	for _, code := range []string{"InvalidParameterException", "InvalidRequestException", "ResourceNotFoundException",
		"ResourceConflictException", "LimitExceededException", "ServiceQuotaExceededException", "IdempotencyException",
		"DuplicateResourceException"} {
		if bytes.Contains(buf.Bytes(), []byte(code)) {
			return code
		}
	}
	return buf.String()
}

func (o apiOp) apply(tw apiTwin, step int) string {
	c, id := tw.c, aws.String(inst)
	switch o.op {
	case 0, 1:
		return answer(c.StartTaskContact(ctx, &connect.StartTaskContactInput{InstanceId: id, ContactFlowId: aws.String(o.flow),
			Name: aws.String("t"), ClientToken: aws.String(fmt.Sprint("start-", step)), Attributes: map[string]string{"n": fmt.Sprint(o.n)}}))
	case 2:
		return answer(c.PutUserStatus(ctx, &connect.PutUserStatusInput{InstanceId: id, UserId: aws.String(o.user), AgentStatusId: aws.String(o.status)}))
	case 3, 4:
		_, err := tw.emu.Advance(o.d)
		return fmt.Sprint(err)
	case 5:
		in := &connect.StopContactInput{InstanceId: id, ContactId: aws.String(o.contact)}
		if o.n%2 == 1 {
			in.DisconnectReason = &types.DisconnectReason{Code: aws.String("OTHER")}
		}
		return answer(c.StopContact(ctx, in))
	case 6:
		return answer(c.TransferContact(ctx, &connect.TransferContactInput{InstanceId: id, ContactId: aws.String(o.contact),
			ContactFlowId: aws.String(flowQ1), QueueId: aws.String(o.queue), ClientToken: aws.String(fmt.Sprint("transfer-", o.n))}))
	case 7:
		return answer(c.UpdateContactAttributes(ctx, &connect.UpdateContactAttributesInput{InstanceId: id, InitialContactId: aws.String(o.contact),
			Attributes: map[string]string{fmt.Sprint("k", o.n): "v"}}))
	case 8:
		st := types.QueueStatusEnabled
		if o.n%2 == 1 {
			st = types.QueueStatusDisabled
		}
		return answer(c.UpdateQueueStatus(ctx, &connect.UpdateQueueStatusInput{InstanceId: id, QueueId: aws.String(o.queue), Status: st}))
	case 9:
		return answer(c.UpdateQueueMaxContacts(ctx, &connect.UpdateQueueMaxContactsInput{InstanceId: id, QueueId: aws.String(o.queue),
			MaxContacts: aws.Int32(int32(o.n))}))
	case 10:
		return answer(c.UpdateUserRoutingProfile(ctx, &connect.UpdateUserRoutingProfileInput{InstanceId: id, UserId: aws.String(o.user),
			RoutingProfileId: aws.String(o.prof)}))
	case 11:
		return answer(c.UpdateRoutingProfileQueues(ctx, &connect.UpdateRoutingProfileQueuesInput{InstanceId: id, RoutingProfileId: aws.String(o.prof),
			QueueConfigs: []types.RoutingProfileQueueConfig{{QueueReference: &types.RoutingProfileQueueReference{QueueId: aws.String(o.queue),
				Channel: types.ChannelTask}, Priority: aws.Int32(int32(1 + o.n)), Delay: aws.Int32(int32(5 * o.n))}}}))
	case 12:
		return answer(c.UpdateRoutingProfileConcurrency(ctx, &connect.UpdateRoutingProfileConcurrencyInput{InstanceId: id,
			RoutingProfileId: aws.String(o.prof), MediaConcurrencies: []types.MediaConcurrency{{Channel: types.ChannelTask, Concurrency: aws.Int32(int32(1 + o.n))}}}))
	case 13:
		timer := types.AgentAvailabilityTimerTimeSinceLastActivity
		if o.n%2 == 1 {
			timer = types.AgentAvailabilityTimerTimeSinceLastInbound
		}
		return answer(c.UpdateRoutingProfileAgentAvailabilityTimer(ctx, &connect.UpdateRoutingProfileAgentAvailabilityTimerInput{InstanceId: id,
			RoutingProfileId: aws.String(o.prof), AgentAvailabilityTimer: timer}))
	default:
		return answer(c.UpdateContactRoutingData(ctx, &connect.UpdateContactRoutingDataInput{InstanceId: id, ContactId: aws.String(o.contact),
			QueuePriority: aws.Int64(int64(1 + o.n))}))
	}
}

// observe is what GetCurrentUserData and GetMetricDataV2 answer about every user and queue.
func (tw apiTwin) observe(users, queues []string) string {
	ud, err := tw.c.GetCurrentUserData(ctx, &connect.GetCurrentUserDataInput{InstanceId: aws.String(inst),
		Filters: &types.UserDataFilters{Agents: users}})
	out := answer(ud, err)
	in := v2In(0, tw.emu.Now().Sub(t0), "", []types.FilterV2{{FilterKey: aws.String("QUEUE"), FilterValues: queues}},
		[]string{"QUEUE", "CHANNEL"}, append(named("CONTACTS_QUEUED", "CONTACTS_HANDLED", "CONTACTS_ABANDONED", "AVG_QUEUE_ANSWER_TIME",
			"MAX_QUEUED_TIME", "AVG_HANDLE_TIME", "AGENT_OCCUPANCY"), sl("LT", 20))...)
	in.ResourceArn = aws.String(instArn)
	md, err := tw.c.GetMetricDataV2(ctx, in)
	return out + "\n" + answer(md, err)
}

// TestSnapshotRestoreAPIAlike: an emulator set up and driven through the SDK (a queue, a
// routing profile with a delay, a user and a custom status created, then random starts,
// status changes including custom ones, transfers with ClientTokens, attributes, stops,
// queue status and limits, profile queues, concurrency and timers, user moves, priority
// updates and time passing) is restored into a second emulator at a random point; from then
// on both answer every call alike, keep equal snapshots, and answer GetCurrentUserData and
// GetMetricDataV2 alike.
func TestSnapshotRestoreAPIAlike(t *testing.T) {
	if testing.Short() {
		t.Skip("drives two emulators through the SDK")
	}
	rapid.Check(t, func(rt *rapid.T) {
		a := newAPITwin(rt, queueConfig())
		defer a.srv.Close()
		id := aws.String(inst)
		q, err := a.c.CreateQueue(ctx, &connect.CreateQueueInput{InstanceId: id, Name: aws.String("Made"), HoursOfOperationId: aws.String(hours1)})
		require.NoError(rt, err)
		p, err := a.c.CreateRoutingProfile(ctx, &connect.CreateRoutingProfileInput{InstanceId: id, Name: aws.String("Made"),
			Description: aws.String("d"), DefaultOutboundQueueId: q.QueueId,
			MediaConcurrencies: []types.MediaConcurrency{{Channel: types.ChannelTask, Concurrency: aws.Int32(2)}},
			QueueConfigs: []types.RoutingProfileQueueConfig{{QueueReference: &types.RoutingProfileQueueReference{QueueId: q.QueueId,
				Channel: types.ChannelTask}, Priority: aws.Int32(1), Delay: aws.Int32(10)}}})
		require.NoError(rt, err)
		u, err := a.c.CreateUser(ctx, &connect.CreateUserInput{InstanceId: id, Username: aws.String("made"), RoutingProfileId: p.RoutingProfileId,
			SecurityProfileIds: []string{connectapi.DefaultSecurityProfileID}, PhoneConfig: &types.UserPhoneConfig{PhoneType: types.PhoneTypeSoftPhone}})
		require.NoError(rt, err)
		s, err := a.c.CreateAgentStatus(ctx, &connect.CreateAgentStatusInput{InstanceId: id, Name: aws.String("Break"), State: types.AgentStatusStateEnabled})
		require.NoError(rt, err)
		users, queues := []string{agent1, agent2, *u.UserId}, []string{q1, q2, *q.QueueId}
		twins := []apiTwin{a}
		n := rapid.IntRange(1, 30).Draw(rt, "steps")
		cut := rapid.IntRange(0, n).Draw(rt, "restore at")
		contacts := []string{"none"}
		for i := range n {
			if i == cut {
				doc, err := connectapi.LoadSnapshot(bytes.NewReader([]byte(a.snap())))
				require.NoError(rt, err)
				b := newAPITwin(rt, queueConfig())
				defer b.srv.Close()
				require.NoError(rt, b.emu.Restore(doc))
				require.Equal(rt, a.snap(), b.snap(), "snapshot after restore")
				twins = append(twins, b)
			}
			o := apiOp{op: rapid.IntRange(0, 14).Draw(rt, "op"),
				flow:    rapid.SampledFrom([]string{flowQ1, flowUrg, flowQ2Age}).Draw(rt, "flow"),
				contact: rapid.SampledFrom(contacts).Draw(rt, "contact"),
				queue:   rapid.SampledFrom(queues).Draw(rt, "queue"),
				user:    rapid.SampledFrom(users).Draw(rt, "user"),
				status:  rapid.SampledFrom([]string{statusAv, statusAv, statusOff, *s.AgentStatusId}).Draw(rt, "status"),
				prof:    rapid.SampledFrom([]string{"p1", *p.RoutingProfileId}).Draw(rt, "profile"),
				n:       rapid.IntRange(0, 3).Draw(rt, "n"),
				d:       time.Duration(rapid.IntRange(0, 40).Draw(rt, "seconds")) * time.Second}
			var results []string
			for _, tw := range twins {
				results = append(results, o.apply(tw, i))
			}
			var got struct{ ContactId *string }
			if json.Unmarshal([]byte(results[0]), &got) == nil && got.ContactId != nil {
				contacts = append(contacts, *got.ContactId)
			}
			if len(twins) == 2 {
				require.Equal(rt, results[0], results[1], "step %d op %d: answers differ", i, o.op)
				require.Equal(rt, a.snap(), twins[1].snap(), "step %d op %d: snapshots differ", i, o.op)
			}
		}
		if len(twins) == 2 {
			require.Equal(rt, a.observe(users, queues), twins[1].observe(users, queues), "GetCurrentUserData and GetMetricDataV2")
			require.Equal(rt, a.snap(), twins[1].snap(), "snapshots after the metrics")
		}
	})
}
