package fit

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"pgregory.net/rapid"
)

// TestFastTimeMatchesTimeParse: the allocation-free timestamp reader agrees with
// time.Parse(RFC3339Nano) on every form it accepts, and declines what it does not know.
func TestFastTimeMatchesTimeParse(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		sec := rapid.Int64Range(0, 4102444800).Draw(t, "sec") // 1970 .. 2100
		nsec := rapid.Int64Range(0, 999_999_999).Draw(t, "nsec")
		offMin := rapid.IntRange(-14*60, 14*60).Draw(t, "offMin")
		layout := rapid.SampledFrom([]string{"2006-01-02T15:04:05Z07:00", time.RFC3339Nano, "2006-01-02T15:04:05.000Z07:00"}).Draw(t, "layout")
		tm := time.Unix(sec, nsec).In(time.FixedZone("x", offMin*60))
		s := tm.Format(layout)
		want, err := time.Parse(time.RFC3339Nano, s)
		require.NoError(t, err)
		ns, ok, err := parseTimeBytes("f", []byte(s))
		require.NoError(t, err)
		require.True(t, ok)
		require.Equal(t, want.UnixNano(), ns, "%s", s)
	})
	for _, bad := range []string{"2024-02-30T00:00:00Z", "2024-01-01 08:00:00Z", "2024-13-01T00:00:00Z", "2024-01-01T08:00:00"} {
		_, _, err := parseTimeBytes("Queue.EnqueueTimestamp", []byte(bad))
		assert.Error(t, err, "%q", bad)
	}
}

// TestScannerAgreesWithEncodingJSON: the scanner reads the same fields as encoding/json,
// or falls back to it (escapes, unexpected types, bad syntax).
func TestScannerAgreesWithEncodingJSON(t *testing.T) {
	for _, tc := range []struct {
		obj      string
		fallback bool
	}{
		{`{"ContactId":"a","Channel":"CHAT","Queue":{"Name":"q","EnqueueTimestamp":"2024-01-01T08:00:00Z","Extra":[1,{"x":null},true,-2.5e3]},"Agent":{"ARN":"arn/a","AgentInteractionDuration":120,"CustomerHoldDuration":null,"RoutingProfile":{"Name":"p"}},"Attributes":{"k":"v"}}`, false},
		{`{"ContactId":"a","Queue":null,"Agent":null}`, false},
		{` { "ContactId" : "a" , "Tags" : [ ] , "O" : { } } `, false},
		{`{"ContactId":"a\u0062","Queue":{"Name":"caf\u00e9","EnqueueTimestamp":"2024-01-01T08:00:00Z"}}`, true},
		{`{"ContactId":"a","Agent":{"AgentInteractionDuration":12.5}}`, true},
		{`{"ContactId":"a","Channel":5}`, true},
		{`{"ContactId":"a",}`, true},
		{`{"ContactId":"a","N":01}`, true},
		{`{"ContactId":"a"} x`, true},
	} {
		var r raw
		err := scanRecord([]byte(tc.obj), &r)
		if tc.fallback {
			assert.ErrorIs(t, err, errFallback, "%s", tc.obj)
			continue
		}
		require.NoError(t, err, "%s", tc.obj)
		var rec ContactRecord
		require.NoError(t, json.Unmarshal([]byte(tc.obj), &rec))
		var want raw
		want.fromRecord(&rec)
		assert.Equal(t, string(want.contactID), string(r.contactID))
		assert.Equal(t, string(want.channel), string(r.channel))
		assert.Equal(t, want.hasQueue, r.hasQueue)
		assert.Equal(t, string(want.queueName), string(r.queueName))
		assert.Equal(t, string(want.enq), string(r.enq))
		assert.Equal(t, want.hasAgent, r.hasAgent)
		assert.Equal(t, string(want.agentARN), string(r.agentARN))
		assert.Equal(t, want.aid, r.aid)
		assert.Equal(t, want.hold, r.hold)
		assert.Equal(t, string(want.profileName), string(r.profileName))
	}
}
