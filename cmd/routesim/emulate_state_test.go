package main

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/connect"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/routesim/routesim/routing/connectapi"
)

func sdkClient(endpoint string) *connect.Client {
	return connect.New(connect.Options{Region: "us-east-1", BaseEndpoint: aws.String(endpoint), RetryMaxAttempts: 1,
		Credentials: aws.CredentialsProviderFunc(func(context.Context) (aws.Credentials, error) {
			return aws.Credentials{AccessKeyID: "any", SecretAccessKey: "any"}, nil
		})})
}

func getSnapshot(t *testing.T, endpoint string) []byte {
	t.Helper()
	resp, err := http.Get(endpoint + "/_routesim/snapshot")
	require.NoError(t, err)
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	require.Equal(t, 200, resp.StatusCode, "%s", b)
	return b
}

func post(t *testing.T, url, body string) {
	t.Helper()
	resp, err := http.Post(url, "application/json", strings.NewReader(body))
	require.NoError(t, err)
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	require.Equal(t, 200, resp.StatusCode, "POST %s: %s", url, b)
}

// busyState puts contacts, an agent on a contact, after-contact work, delays and tokens in
// the default instance.
func busyState(t *testing.T, endpoint string) {
	t.Helper()
	c := sdkClient(endpoint)
	ctx := context.Background()
	inst := aws.String(connectapi.DefaultInstanceID)
	for i, flow := range []string{connectapi.DefaultSalesFlowID, connectapi.DefaultUrgentFlowID, connectapi.DefaultSupportFlowID} {
		_, err := c.StartTaskContact(ctx, &connect.StartTaskContactInput{InstanceId: inst, ContactFlowId: aws.String(flow),
			Name: aws.String("t"), ClientToken: aws.String(string(rune('a' + i)))})
		require.NoError(t, err)
	}
	_, err := c.PutUserStatus(ctx, &connect.PutUserStatusInput{InstanceId: inst, UserId: aws.String("agent-1"),
		AgentStatusId: aws.String(connectapi.DefaultAvailableStatus)})
	require.NoError(t, err)
	post(t, endpoint+"/_routesim/clock", `{"advance":"42s"}`)
}

// TestEmulateStateSurvivesRestart builds the real binary, runs it on a manual clock with a
// state file, stops it with SIGTERM and starts it again: the snapshot after the restart
// equals the one before.
func TestEmulateStateSurvivesRestart(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary")
	}
	dir := t.TempDir()
	bin := filepath.Join(dir, "routesim")
	build := exec.Command("go", "build", "-o", bin, ".")
	out, err := build.CombinedOutput()
	require.NoError(t, err, "go build: %s", out)
	state := filepath.Join(dir, "state.json")
	run := func() (string, *exec.Cmd, chan int, *lockedBuffer) {
		var stdout, stderr lockedBuffer
		cmd := exec.Command(bin, "emulate", "-addr", "127.0.0.1:0", "-clock", "manual", "-state", state, "-state-every", "0")
		cmd.Stdout, cmd.Stderr = &stdout, &stderr
		require.NoError(t, cmd.Start())
		exit := make(chan int, 1)
		go func() {
			_ = cmd.Wait()
			exit <- cmd.ProcessState.ExitCode()
		}()
		t.Cleanup(func() { _ = cmd.Process.Kill() })
		return waitForEndpoint(t, &stdout, exit), cmd, exit, &stderr
	}
	endpoint, cmd, exit, stderr := run()
	busyState(t, endpoint)
	before := getSnapshot(t, endpoint)
	require.NoError(t, cmd.Process.Signal(syscall.SIGTERM))
	require.Equal(t, 0, waitExit(t, exit), "exit after SIGTERM; stderr %s", stderr.String())
	endpoint, cmd, exit, stderr = run()
	after := getSnapshot(t, endpoint)
	assert.Equal(t, string(before), string(after), "snapshot after SIGTERM and restart")
	assert.Contains(t, stderr.String(), "state restored from", "stderr %s", stderr.String())
	require.NoError(t, cmd.Process.Signal(syscall.SIGTERM))
	require.Equal(t, 0, waitExit(t, exit), "exit after the second SIGTERM")
}

func waitExit(t *testing.T, exit chan int) int {
	t.Helper()
	select {
	case code := <-exit:
		return code
	case <-time.After(10 * time.Second):
		t.Fatal("no exit within 10 s of SIGTERM")
		return -1
	}
}

// TestEmulateStateEvery: the state file is rewritten while the emulator runs, so that a
// kill -9 loses at most the interval.
func TestEmulateStateEvery(t *testing.T) {
	state := filepath.Join(t.TempDir(), "state.json")
	endpoint, _, _, _ := startEmulate(t, "-clock", "manual", "-state", state, "-state-every", "50ms")
	busyState(t, endpoint)
	want := getSnapshot(t, endpoint)
	deadline := time.Now().Add(5 * time.Second)
	for time.Now().Before(deadline) {
		if b, err := os.ReadFile(state); err == nil && jsonEqual(b, want) {
			return
		}
		time.Sleep(20 * time.Millisecond)
	}
	b, _ := os.ReadFile(state)
	t.Fatalf("the state file was not written within 5 s; it holds %.200s", b)
}

// TestEmulateRefusesBadState: a corrupt or incompatible state file is refused at start with
// a message naming the problem, and left as it was.
func TestEmulateRefusesBadState(t *testing.T) {
	dir := t.TempDir()
	good := connectapi.Snapshot{Format: connectapi.SnapshotFormat, Version: connectapi.SnapshotVersion}
	tests := []struct {
		name, content, want string
	}{
		{"not JSON", "{{{", "not a JSON snapshot document"},
		{"other version", `{"format":"routesim-emulator-snapshot","version":99}`, "version 99"},
		{"version 1", `{"format":"routesim-emulator-snapshot","version":1}`, "version 1; this routesim reads format \"routesim-emulator-snapshot\" version 2"},
		{"unknown field", `{"format":"routesim-emulator-snapshot","version":2,"extra":1}`, `unknown field "extra"`},
		{"no instances", string(good.JSON()), "config"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := filepath.Join(dir, tt.name+".json")
			require.NoError(t, os.WriteFile(path, []byte(tt.content), 0o644))
			var out, errb bytes.Buffer
			code := runMain(context.Background(), []string{"emulate", "-addr", "127.0.0.1:0", "-state", path}, &out, &errb)
			assert.Equal(t, 1, code, "exit status; stderr %s", errb.String())
			assert.Contains(t, errb.String(), tt.want, "stderr")
			assert.Contains(t, errb.String(), "left as it is", "stderr")
			b, err := os.ReadFile(path)
			require.NoError(t, err)
			assert.Equal(t, tt.content, string(b), "the refused file was changed")
		})
	}
}

func jsonEqual(a, b []byte) bool {
	var x, y any
	if json.Unmarshal(a, &x) != nil || json.Unmarshal(b, &y) != nil {
		return false
	}
	return reflect.DeepEqual(x, y)
}
