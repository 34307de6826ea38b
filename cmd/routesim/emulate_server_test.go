package main

import (
	"context"
	"fmt"
	"io"
	"net"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// startEmulate runs the emulate command in-process with args and returns its endpoint, a
// stop function (as SIGTERM) and the channel its exit status arrives on.
func startEmulate(t *testing.T, args ...string) (endpoint string, stop func(), exit chan int, stderr *lockedBuffer) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	var out lockedBuffer
	stderr = &lockedBuffer{}
	exit = make(chan int, 1)
	go func() {
		exit <- runMain(ctx, append([]string{"emulate", "-addr", "127.0.0.1:0"}, args...), &out, stderr)
	}()
	endpoint = waitForEndpoint(t, &out, exit)
	t.Cleanup(func() {
		cancel()
		select { // wait for the exit, so that nothing writes in the test's directories after it
		case code := <-exit:
			exit <- code
		case <-time.After(10 * time.Second):
		}
	})
	return endpoint, cancel, exit, stderr
}

// slowBody opens a connection and sends a request whose body never finishes.
func slowBody(t *testing.T, endpoint string) net.Conn {
	t.Helper()
	c, err := net.Dial("tcp", strings.TrimPrefix(endpoint, "http://"))
	require.NoError(t, err)
	_, err = fmt.Fprintf(c, "PUT /contact/task HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100000\r\n\r\n{\"InstanceId\":")
	require.NoError(t, err)
	return c
}

// TestEmulateCutsSlowBodies: clients whose body never finishes are cut off within the read
// timeout, each answered 400 or closed, not held.
func TestEmulateCutsSlowBodies(t *testing.T) {
	const readTimeout = 300 * time.Millisecond
	endpoint, _, _, _ := startEmulate(t, "-read-timeout", readTimeout.String())
	var conns []net.Conn
	for range 20 {
		conns = append(conns, slowBody(t, endpoint))
	}
	start := time.Now()
	for i, c := range conns {
		require.NoError(t, c.SetReadDeadline(start.Add(5*time.Second)))
		_, err := io.ReadAll(c) // until the server closes the connection
		require.NoError(t, err, "connection %d was not closed by the server within 5 s", i)
		c.Close()
	}
	took := time.Since(start)
	assert.Less(t, took, readTimeout+2*time.Second, "slow bodies cut after %v; want within the read timeout %v (+ slack)", took, readTimeout)
}

// TestEmulateIdleKeepAliveClosed: an idle keep-alive connection is closed after the idle
// timeout.
func TestEmulateIdleKeepAliveClosed(t *testing.T) {
	endpoint, _, _, _ := startEmulate(t, "-idle-timeout", "200ms")
	c, err := net.Dial("tcp", strings.TrimPrefix(endpoint, "http://"))
	require.NoError(t, err)
	defer c.Close()
	_, err = fmt.Fprintf(c, "GET /nope HTTP/1.1\r\nHost: x\r\n\r\n")
	require.NoError(t, err)
	require.NoError(t, c.SetReadDeadline(time.Now().Add(5*time.Second)))
	b, err := io.ReadAll(c)
	require.NoError(t, err, "the idle connection was not closed within 5 s")
	assert.Contains(t, string(b), "UnknownOperationException", "the request before the idle time was answered")
}

// TestEmulateExitsCleanlyWithStalledClient: SIGTERM with a client stalled mid-request exits 0
// once the grace period has passed.
func TestEmulateExitsCleanlyWithStalledClient(t *testing.T) {
	endpoint, stop, exit, stderr := startEmulate(t, "-shutdown-grace", "200ms")
	c := slowBody(t, endpoint)
	defer c.Close()
	time.Sleep(50 * time.Millisecond) // the server has the request's headers
	start := time.Now()
	stop()
	select {
	case code := <-exit:
		assert.Equal(t, 0, code, "exit status after SIGTERM with a stalled client; stderr %s", stderr.String())
		assert.Less(t, time.Since(start), 3*time.Second, "exit took %v", time.Since(start))
		assert.Contains(t, stderr.String(), "closing the connections still open", "stderr %s", stderr.String())
	case <-time.After(10 * time.Second):
		t.Fatal("the emulator did not exit within 10 s of SIGTERM")
	}
}
