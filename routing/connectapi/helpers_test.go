package connectapi_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/connect"
	"github.com/aws/aws-sdk-go-v2/service/connect/types"
	"github.com/aws/smithy-go"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/routesim/routesim/contact"
	"github.com/routesim/routesim/routing"
	"github.com/routesim/routesim/routing/connectapi"
)

// Names of the test configuration.
const (
	inst      = "inst-1"
	q1        = "q1"
	q2        = "q2"
	flowQ1    = "flow-q1"
	flowUrg   = "flow-q1-urgent"
	flowQ2Age = "flow-q2-aged"
	agent1    = "agent-1"
	agent2    = "agent-2"
	statusAv  = "st-available"
	statusOff = "st-offline"
	testKey   = "AKIDROUTESIMTEST"
	testSec   = "routesim-test-secret"
)

// Header names as Amazon Connect writes them, byte for byte. Neither is in Go's canonical
// form (X-Amzn-Requestid, X-Amzn-Errortype), so the handler stores them in the header map
// as they are and net/http writes them so; tests look them up with exactHeader, which a
// canonicalized spelling does not match.
const (
	wireRequestID = "x-amzn-RequestId"
	wireErrorType = "X-Amzn-ErrorType"
)

// exactHeader returns the values h holds under name exactly as spelt, not canonicalized
// (http.Header.Get would canonicalize name and miss a key stored verbatim).
func exactHeader(h http.Header, name string) []string { return h[name] }

// t0 is where the tests' manual clock starts.
var t0 = time.Date(2025, 3, 1, 9, 0, 0, 0, time.UTC)

// testConfig is one instance with queues q1 and q2; one profile serves both on CHAT and TASK
// (q1 first) with concurrency 1; two agents; flows into q1 (plain and urgent: priority 1)
// and into q2 (age +60 s).
func testConfig() connectapi.Config {
	var entries []routing.ProfileQueueConfig
	for _, ch := range []contact.Channel{contact.Chat, contact.Task} {
		entries = append(entries,
			routing.ProfileQueueConfig{QueueID: q1, Channel: ch, Priority: 1},
			routing.ProfileQueueConfig{QueueID: q2, Channel: ch, Priority: 2})
	}
	return connectapi.Config{Instances: []connectapi.InstanceConfig{{
		InstanceConfig: routing.InstanceConfig{
			ID:              inst,
			Queues:          []routing.QueueConfig{{ID: q1, Name: "One"}, {ID: q2, Name: "Two"}},
			RoutingProfiles: []routing.ProfileConfig{{ID: "p1", Queues: entries}},
			Agents: []routing.AgentConfig{
				{ID: agent1, RoutingProfileID: "p1"},
				{ID: agent2, RoutingProfileID: "p1"},
			},
		},
		Flows: []connectapi.FlowConfig{
			{ID: flowQ1, QueueID: q1},
			{ID: flowUrg, QueueID: q1, Priority: 1},
			{ID: flowQ2Age, QueueID: q2, AgeAdjustmentSeconds: 60},
		},
		AgentStatuses: connectapi.AgentStatusConfig{Available: statusAv, Offline: statusOff},
	}}}
}

// env is a handler under httptest with a manual routing clock.
type env struct {
	t     testing.TB
	srv   *httptest.Server
	h     *connectapi.Handler
	clock *routing.ManualClock
	svc   *routing.Service
}

func newEnv(t testing.TB, cfg connectapi.Config, opts ...connectapi.Option) *env {
	t.Helper()
	clock := routing.NewManualClock(t0)
	svc := routing.NewService(routing.WithClock(clock))
	h, err := connectapi.NewHandler(svc, cfg, opts...)
	require.NoError(t, err, "NewHandler")
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	return &env{t: t, srv: srv, h: h, clock: clock, svc: svc}
}

// instance returns the routing instance of the test configuration.
func (e *env) instance() *routing.Instance {
	in, ok := e.svc.Instance(inst)
	require.True(e.t, ok, "instance %q missing", inst)
	return in
}

// verify checks the routing core's invariants.
func (e *env) verify() {
	e.t.Helper()
	require.NoError(e.t, e.instance().Verify())
}

var sharedTransport = &http.Transport{MaxIdleConns: 64, MaxIdleConnsPerHost: 64, IdleConnTimeout: 30 * time.Second}

// client returns a real AWS SDK Connect client pointed at the server, signing with key and
// secret, and making one attempt per call unless opts change it.
func (e *env) client(key, secret string, opts ...func(*connect.Options)) *connect.Client {
	return connect.New(connect.Options{
		Region:       "us-east-1",
		BaseEndpoint: aws.String(e.srv.URL),
		Credentials: aws.CredentialsProviderFunc(func(context.Context) (aws.Credentials, error) {
			return aws.Credentials{AccessKeyID: key, SecretAccessKey: secret, Source: "test"}, nil
		}),
		HTTPClient:       &http.Client{Transport: sharedTransport},
		RetryMaxAttempts: 1,
	}, opts...)
}

// sdk returns a client with the test key.
func (e *env) sdk() *connect.Client { return e.client(testKey, testSec) }

var ctx = context.Background()

// startTask starts a task through flow and returns its ID.
func (e *env) startTask(c *connect.Client, flow string) string {
	e.t.Helper()
	out, err := c.StartTaskContact(ctx, &connect.StartTaskContactInput{
		InstanceId: aws.String(inst), ContactFlowId: aws.String(flow), Name: aws.String("task")})
	require.NoError(e.t, err, "StartTaskContact(%s)", flow)
	return aws.ToString(out.ContactId)
}

func (e *env) describe(c *connect.Client, id string) *types.Contact {
	e.t.Helper()
	out, err := c.DescribeContact(ctx, &connect.DescribeContactInput{InstanceId: aws.String(inst), ContactId: aws.String(id)})
	require.NoError(e.t, err, "DescribeContact(%s)", id)
	return out.Contact
}

func (e *env) position(c *connect.Client, id string) int {
	e.t.Helper()
	out, err := c.GetContactMetrics(ctx, &connect.GetContactMetricsInput{InstanceId: aws.String(inst),
		ContactId: aws.String(id), Metrics: []types.ContactMetricInfo{{Name: types.ContactMetricNamePositionInQueue}}})
	require.NoError(e.t, err, "GetContactMetrics(%s)", id)
	require.Len(e.t, out.MetricResults, 1, "GetContactMetrics(%s) results %+v; want one POSITION_IN_QUEUE", id, out.MetricResults)
	require.Equal(e.t, types.ContactMetricNamePositionInQueue, out.MetricResults[0].Name,
		"GetContactMetrics(%s) results %+v; want one POSITION_IN_QUEUE", id, out.MetricResults)
	v, ok := out.MetricResults[0].Value.(*types.ContactMetricValueMemberNumber)
	require.True(e.t, ok, "GetContactMetrics value %T; want a Number", out.MetricResults[0].Value)
	return int(v.Value)
}

func (e *env) setStatus(c *connect.Client, agent, status string) error {
	_, err := c.PutUserStatus(ctx, &connect.PutUserStatusInput{InstanceId: aws.String(inst),
		UserId: aws.String(agent), AgentStatusId: aws.String(status)})
	return err
}

func (e *env) update(c *connect.Client, id string, prio *int64, adj *int32) error {
	_, err := c.UpdateContactRoutingData(ctx, &connect.UpdateContactRoutingDataInput{InstanceId: aws.String(inst),
		ContactId: aws.String(id), QueuePriority: prio, QueueTimeAdjustmentSeconds: adj})
	return err
}

// errorCode returns the API error code of err, or "" when it has none.
func errorCode(err error) string {
	var ae smithy.APIError
	if errors.As(err, &ae) {
		return ae.ErrorCode()
	}
	return ""
}

// wantCode fails unless err is an API error with the given code.
func wantCode(t testing.TB, err error, code string) {
	t.Helper()
	got := errorCode(err)
	require.Equal(t, code, got, "error %v: code %q; want %q", err, got, code)
}

// rawResponse is a response to a raw HTTP request.
type rawResponse struct {
	status    int
	errorType string
	requestID string
	message   string
	body      []byte
}

// raw sends an unsigned HTTP request.
func (e *env) raw(method, path string, body []byte) rawResponse {
	e.t.Helper()
	req, err := http.NewRequest(method, e.srv.URL+path, bytes.NewReader(body))
	require.NoError(e.t, err)
	req.Header.Set("Content-Type", "application/json")
	return do(e.t, req)
}

func do(t testing.TB, req *http.Request) rawResponse {
	t.Helper()
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	// A client reads the headers case-insensitively, as http.Header.Get does; TestHeaderSpelling
	// checks their exact spelling.
	r := rawResponse{status: resp.StatusCode, errorType: resp.Header.Get(wireErrorType),
		requestID: resp.Header.Get(wireRequestID), body: b}
	var m struct{ Message string }
	require.NoError(t, json.Unmarshal(b, &m), "%s %s: body %q is not JSON", req.Method, req.URL.Path, b)
	r.message = m.Message
	assert.NotEmpty(t, r.requestID, "%s %s: no %s", req.Method, req.URL.Path, wireRequestID)
	ct := resp.Header.Get("Content-Type")
	assert.Equal(t, "application/json", ct, "%s %s: Content-Type %q; want application/json", req.Method, req.URL.Path, ct)
	return r
}

// wantError fails unless r is the given error with a message.
func (r rawResponse) wantError(t testing.TB, status int, code string) {
	t.Helper()
	require.Equal(t, status, r.status, "got %d %q %q; want %d %s with a Message", r.status, r.errorType, r.body, status, code)
	require.Equal(t, code, r.errorType, "got %d %q %q; want %d %s with a Message", r.status, r.errorType, r.body, status, code)
	require.NotEmpty(t, r.message, "got %d %q %q; want %d %s with a Message", r.status, r.errorType, r.body, status, code)
}

func ptr[T any](v T) *T { return &v }

// settableNow is a wall clock a test moves. It is safe for concurrent use.
type settableNow struct {
	mu  sync.Mutex
	off time.Duration
}

func (s *settableNow) now() time.Time {
	s.mu.Lock()
	defer s.mu.Unlock()
	return time.Now().Add(s.off)
}

func (s *settableNow) set(off time.Duration) {
	s.mu.Lock()
	s.off = off
	s.mu.Unlock()
}
