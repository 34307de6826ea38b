package connectapi_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/connect"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/routesim/routesim/routing/connectapi"
)

// emuEnv is an Emulator under httptest with a Go SDK client.
type emuEnv struct {
	*env
	emu *connectapi.Emulator
}

func newEmuEnv(t *testing.T, cfg connectapi.Config, eo connectapi.EmulatorOptions) *emuEnv {
	t.Helper()
	emu, err := connectapi.NewEmulator(cfg, eo)
	require.NoError(t, err)
	srv := httptest.NewServer(emu)
	t.Cleanup(srv.Close)
	return &emuEnv{env: &env{t: t, srv: srv}, emu: emu}
}

// control sends a control request and decodes its JSON answer into out (when not nil).
func (e *emuEnv) control(method, path string, body string, out any) rawResponse {
	e.t.Helper()
	req, err := http.NewRequest(method, e.srv.URL+"/_routesim/"+path, bytes.NewReader([]byte(body)))
	require.NoError(e.t, err)
	resp, err := http.DefaultClient.Do(req)
	require.NoError(e.t, err)
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	require.NoError(e.t, err)
	r := rawResponse{status: resp.StatusCode, errorType: resp.Header.Get(wireErrorType), body: b}
	var m struct{ Message string }
	_ = json.Unmarshal(b, &m)
	r.message = m.Message
	if out != nil && r.status == 200 {
		require.NoError(e.t, json.Unmarshal(b, out), "%s %s: %s", method, path, b)
	}
	return r
}

func delayConfig(delay int) connectapi.Config {
	cfg := testConfig()
	p := &cfg.Instances[0].RoutingProfiles[0]
	for i := range p.Queues {
		p.Queues[i].DelaySeconds = delay
	}
	return cfg
}

// TestManualClockDelay: on a manual clock a 60 s profile delay passes in no wall time: the
// contact routes when the clock is advanced past it, at the delay's own time, not before.
func TestManualClockDelay(t *testing.T) {
	e := newEmuEnv(t, delayConfig(60), connectapi.EmulatorOptions{ManualClock: true, Control: true})
	c := e.sdk()
	require.NoError(t, e.setStatus(c, agent1, statusAv))
	id := e.startTask(c, flowQ1)
	var st connectapi.StateView
	e.control("GET", "state", "", &st)
	require.Len(t, st.Instances[0].Timers, 1, "pending timers: %+v", st.Instances[0].Timers)
	assert.Equal(t, connectapi.DefaultStart.Add(60*time.Second), st.Instances[0].Timers[0].At, "the delay's timer")
	var out struct{ Time time.Time }
	r := e.control("POST", "clock", `{"advance":"59s"}`, &out)
	require.Equal(t, 200, r.status, "%s", r.body)
	assert.Equal(t, connectapi.DefaultStart.Add(59*time.Second), out.Time, "time after advancing 59 s")
	assert.Nil(t, e.describe(c, id).AgentInfo, "routed before its 60 s delay")
	e.control("POST", "clock", `{"advance":"90s"}`, &out)
	d := e.describe(c, id)
	require.NotNil(t, d.AgentInfo, "not routed after the delay")
	assert.Equal(t, connectapi.DefaultStart.Add(60*time.Second), aws.ToTime(d.AgentInfo.ConnectedToAgentTimestamp).UTC(),
		"routed at the delay's expiry, not at the end of the advance")
	e.control("POST", "clock", `{"set":"2026-01-01T10:00:00Z"}`, &out)
	assert.Equal(t, time.Date(2026, 1, 1, 10, 0, 0, 0, time.UTC), out.Time, "time after set")
	e.control("GET", "state", "", &st)
	assert.Equal(t, "ON_CONTACT", st.Instances[0].Agents[0].Status, "agent-1's status")
	assert.Equal(t, []string{id}, toStrings(st.Instances[0].Agents[0].Contacts), "agent-1's contacts")
}

func toStrings[T ~string](xs []T) []string {
	out := make([]string, len(xs))
	for i, x := range xs {
		out[i] = string(x)
	}
	return out
}

// TestControlErrors: bad clock bodies, a clock going back, unknown control paths, a wall
// clock, and -control=false.
func TestControlErrors(t *testing.T) {
	e := newEmuEnv(t, testConfig(), connectapi.EmulatorOptions{ManualClock: true, Control: true})
	for _, tt := range []struct {
		method, path, body string
		status             int
		code               string
	}{
		{"POST", "clock", `{}`, 400, "InvalidParameterException"},
		{"POST", "clock", `{"advance":"1s","set":"2026-01-01T09:00:00Z"}`, 400, "InvalidParameterException"},
		{"POST", "clock", `{"advance":"soon"}`, 400, "InvalidParameterException"},
		{"POST", "clock", `{"advance":"-1s"}`, 400, "InvalidParameterException"},
		{"POST", "clock", `{"set":"2025-01-01T00:00:00Z"}`, 400, "InvalidParameterException"},
		{"POST", "clock", `{"Advance":"1s"}`, 400, "InvalidParameterException"},
		{"GET", "clock", ``, 404, "UnknownOperationException"},
		{"POST", "snapshot", `{"format":"nope"}`, 400, "InvalidParameterException"},
		{"POST", "snapshot", `not json`, 400, "InvalidParameterException"},
	} {
		t.Run(tt.method+" "+tt.path+" "+tt.body, func(t *testing.T) {
			r := e.control(tt.method, tt.path, tt.body, nil)
			r.wantError(t, tt.status, tt.code)
			assert.Equal(t, connectapi.DefaultStart, e.emu.Now(), "the clock moved on a failed control call")
		})
	}
	t.Run("wall clock", func(t *testing.T) {
		w := newEmuEnv(t, testConfig(), connectapi.EmulatorOptions{Control: true})
		r := w.control("POST", "clock", `{"advance":"1s"}`, nil)
		r.wantError(t, 409, "ResourceConflictException")
		assert.Contains(t, r.message, "-clock manual", "message %q", r.message)
	})
	t.Run("control off", func(t *testing.T) {
		off := newEmuEnv(t, testConfig(), connectapi.EmulatorOptions{ManualClock: true})
		off.control("GET", "state", "", nil).wantError(t, 404, "UnknownOperationException")
		off.control("POST", "reset", "", nil).wantError(t, 404, "UnknownOperationException")
	})
}

// TestControlIsSigned: with credentials configured, control requests need a signature.
func TestControlIsSigned(t *testing.T) {
	e := newEmuEnv(t, signedConfig(), connectapi.EmulatorOptions{ManualClock: true, Control: true})
	e.control("POST", "clock", `{"advance":"1s"}`, nil).wantError(t, 403, "MissingAuthenticationTokenException")
	assert.Equal(t, connectapi.DefaultStart, e.emu.Now(), "an unsigned control request moved the clock")
	req := signed(t, e.srv.URL+"/_routesim/clock", "POST", []byte(`{"advance":"1s"}`), testKey, testSec, time.Now())
	r, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	r.Body.Close()
	assert.Equal(t, 200, r.StatusCode, "a signed control request")
	assert.Equal(t, connectapi.DefaultStart.Add(time.Second), e.emu.Now(), "the clock after a signed advance")
	req = signed(t, e.srv.URL+"/_routesim/state", "GET", nil, testKey, "wrong", time.Now())
	do(t, req).wantError(t, 403, "InvalidSignatureException")
}

// TestResetAndSnapshot: reset empties the instance and puts the clock back; a snapshot
// restored after more calls gives back the same contacts, positions, timers and metrics.
func TestResetAndSnapshot(t *testing.T) {
	e := newEmuEnv(t, delayConfig(30), connectapi.EmulatorOptions{ManualClock: true, Control: true})
	c := e.sdk()
	require.NoError(t, e.setStatus(c, agent1, statusAv))
	a := e.startTask(c, flowQ1)
	b := e.startTask(c, flowUrg)
	e.control("POST", "clock", `{"advance":"10s"}`, nil)
	require.NoError(t, e.update(c, a, nil, ptr[int32](120)))
	var snap connectapi.Snapshot
	e.control("GET", "snapshot", "", &snap)
	var before connectapi.StateView
	e.control("GET", "state", "", &before)
	posA, posB := e.position(c, a), e.position(c, b)

	e.control("POST", "clock", `{"advance":"1h"}`, nil)
	e.startTask(c, flowQ1)
	r := e.control("POST", "snapshot", string(snap.JSON()), nil)
	require.Equal(t, 200, r.status, "restore: %s", r.body)
	var after connectapi.StateView
	e.control("GET", "state", "", &after)
	assert.Equal(t, before, after, "state after restoring the snapshot")
	assert.Equal(t, posA, e.position(c, a), "position of a after restore")
	assert.Equal(t, posB, e.position(c, b), "position of b after restore")
	var again connectapi.Snapshot
	e.control("GET", "snapshot", "", &again)
	assert.Equal(t, string(snap.JSON()), string(again.JSON()), "snapshot after restore")
	e.control("POST", "clock", `{"advance":"30s"}`, nil)
	require.NotNil(t, e.describe(c, b).AgentInfo, "b routed once its delay passed after the restore")

	r = e.control("POST", "reset", "", nil)
	require.Equal(t, 200, r.status, "reset: %s", r.body)
	assert.Equal(t, connectapi.DefaultStart, e.emu.Now(), "clock after reset")
	_, err := c.DescribeContact(ctx, &connect.DescribeContactInput{InstanceId: aws.String(inst), ContactId: aws.String(a)})
	wantCode(t, err, "ResourceNotFoundException")
	var st connectapi.StateView
	e.control("GET", "state", "", &st)
	assert.Equal(t, "OFFLINE", st.Instances[0].Agents[0].Status, "agent after reset")
	assert.Empty(t, st.Instances[0].Timers, "timers after reset")
}

// TestResetAndSnapshotUnderLoad: resets and snapshots taken while requests run are whole:
// every snapshot restores (Restore checks its consistency), and once the requests stop, a
// reset leaves nothing. Run with -race.
func TestResetAndSnapshotUnderLoad(t *testing.T) {
	e := newEmuEnv(t, delayConfig(5), connectapi.EmulatorOptions{ManualClock: true, Control: true})
	c := e.sdk()
	var wg sync.WaitGroup
	stop := make(chan struct{})
	for w := range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; ; i++ {
				select {
				case <-stop:
					return
				default:
				}
				out, err := c.StartTaskContact(ctx, &connect.StartTaskContactInput{InstanceId: aws.String(inst),
					ContactFlowId: aws.String(flowQ1), Name: aws.String("t"), ClientToken: aws.String(fmt.Sprint(w, "-", i))})
				if err == nil && i%3 == 0 {
					_ = e.setStatus(c, agent1, statusAv)
					_, _ = c.StopContact(ctx, &connect.StopContactInput{InstanceId: aws.String(inst), ContactId: out.ContactId})
				}
			}
		}()
	}
	for i := range 20 {
		snap := e.emu.Snapshot()
		require.NoError(t, e.emu.Restore(snap), "restoring snapshot %d taken under load", i)
		if i%5 == 0 {
			require.NoError(t, e.emu.Reset())
		}
		_, err := e.emu.Advance(time.Second)
		require.NoError(t, err)
	}
	close(stop)
	wg.Wait()
	require.NoError(t, e.emu.Reset())
	var st connectapi.StateView
	e.control("GET", "state", "", &st)
	assert.Empty(t, st.Instances[0].Counts, "contacts after the last reset")
}

// TestRestoreFailureChangesNothing: a snapshot whose state does not fit its configuration is
// refused naming the field, and the emulator keeps its state.
func TestRestoreFailureChangesNothing(t *testing.T) {
	e := newEmuEnv(t, delayConfig(30), connectapi.EmulatorOptions{ManualClock: true, Control: true})
	c := e.sdk()
	e.startTask(c, flowQ1)
	e.control("POST", "clock", `{"advance":"10s"}`, nil)
	var snap connectapi.Snapshot
	e.control("GET", "snapshot", "", &snap)
	bad := snap
	bad.Instances = append([]connectapi.InstanceSnapshot(nil), snap.Instances...)
	bad.Instances[0].Routing.Contacts = append(bad.Instances[0].Routing.Contacts[:0:0], snap.Instances[0].Routing.Contacts...)
	bad.Instances[0].Routing.Contacts[0].QueueID = "nope"
	bad.Time = bad.Time.Add(time.Hour)
	r := e.control("POST", "snapshot", string(bad.JSON()), nil)
	r.wantError(t, 400, "InvalidParameterException")
	assert.Contains(t, r.message, "contacts[0].queueId", "message %q", r.message)
	var after connectapi.Snapshot
	e.control("GET", "snapshot", "", &after)
	assert.Equal(t, string(snap.JSON()), string(after.JSON()), "state after a refused restore")
}
