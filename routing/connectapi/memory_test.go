package connectapi_test

import (
	"encoding/json"
	"fmt"
	"net/http/httptest"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/routesim/routesim/routing"
	"github.com/routesim/routesim/routing/connectapi"
)

// TestMemoryBoundedUnderCreatesAndStarts fills an instance to every create quota (5,000
// queues, 500 routing profiles, 500 users, 50 agent statuses), then starts and stops 36,000
// tasks, each with its own ClientToken, while the clock moves on 10 s per task (100 hours).
// Past the warm-up (more starts than the 10,000 ClientTokens remembered, more ended contacts
// than retainEnded, more history intervals than maxBuckets holds), the live heap must not
// grow: what an instance retains is bounded by its quotas and limits, not by the stream.
func TestMemoryBoundedUnderCreatesAndStarts(t *testing.T) {
	if testing.Short() {
		t.Skip("makes about 80,000 requests")
	}
	cfg := testConfig()
	ic := &cfg.Instances[0]
	ic.RetainEnded = 500
	ic.History = &routing.HistoryConfig{MaxBuckets: 64}
	ic.HoursOfOperations = []connectapi.HoursOfOperationConfig{{ID: "hours", Name: "Hours"}}
	for i := range ic.Queues {
		ic.Queues[i].HoursOfOperationID = "hours"
	}
	e := newEnv(t, cfg)
	serve := func(method, path string, body any) map[string]any {
		b, err := json.Marshal(body)
		require.NoError(t, err)
		rec := httptest.NewRecorder()
		e.h.ServeHTTP(rec, httptest.NewRequest(method, path, strings.NewReader(string(b))))
		require.Less(t, rec.Code, 300, "%s %s %s: got %d %s; want success", method, path, b, rec.Code, rec.Body)
		var out map[string]any
		require.NoError(t, json.Unmarshal(rec.Body.Bytes(), &out))
		return out
	}

	for i := range 4998 { // 2 configured + 4,998 = 5,000
		serve("PUT", "/queues/"+inst, map[string]any{"Name": fmt.Sprint("queue ", i), "HoursOfOperationId": "hours"})
	}
	for i := range 499 { // 1 configured + 499 = 500
		serve("PUT", "/routing-profiles/"+inst, map[string]any{"Name": fmt.Sprint("profile ", i), "Description": "d",
			"DefaultOutboundQueueId": q1, "MediaConcurrencies": []any{}})
	}
	for i := range 498 { // 2 configured + 498 = 500
		serve("PUT", "/users/"+inst, map[string]any{"Username": fmt.Sprint("user", i), "RoutingProfileId": "p1",
			"SecurityProfileIds": []string{connectapi.DefaultSecurityProfileID}})
	}
	for i := range 48 { // 2 built-in + 48 = 50
		serve("PUT", "/agent-status/"+inst, map[string]any{"Name": fmt.Sprint("status ", i), "State": "ENABLED"})
	}
	in := e.instance()
	require.Len(t, in.Queues(), 5000)
	require.Len(t, in.RoutingProfiles(), 500)
	require.Len(t, in.AgentIDs(), 500)
	for _, a := range []string{agent1, agent2} {
		serve("PUT", "/users/"+inst+"/"+a+"/status", map[string]any{"AgentStatusId": statusAv})
	}

	// A round starts tasks in threes (two go to the available agents, one waits) and stops
	// them all: contacts ended with an agent and abandoned, each with a ClientToken.
	n := 0
	round := func() {
		for range 1000 {
			var ids [3]string
			for j := range ids {
				n++
				out := serve("PUT", "/contact/task", map[string]any{"InstanceId": inst, "ContactFlowId": flowQ1,
					"Name": "task", "ClientToken": fmt.Sprint("token-", n)})
				ids[j] = out["ContactId"].(string)
				e.clock.Advance(10 * time.Second)
			}
			for _, id := range ids {
				serve("POST", "/contact/stop", map[string]any{"InstanceId": inst, "ContactId": id})
			}
		}
	}
	liveHeap := func() uint64 {
		runtime.GC()
		runtime.GC()
		var m runtime.MemStats
		runtime.ReadMemStats(&m)
		return m.HeapAlloc
	}
	for range 4 { // 12,000 starts: past 10,000 ClientTokens, 500 ended contacts, 64 buckets
		round()
	}
	base := liveHeap()
	var last uint64
	for range 8 { // 24,000 more
		round()
		last = liveHeap()
		t.Logf("after %d starts: live heap %.1f MiB", n, float64(last)/(1<<20))
	}
	e.verify()
	// A leak of even 50 bytes per contact would add 1.2 MB over the 24,000 starts measured.
	const slack = 1 << 20
	require.LessOrEqual(t, last, base+slack, "live heap %d B after %d starts; %d B after the warm-up: it grows with the stream", last, n, base)
}
