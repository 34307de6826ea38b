package fit_test

import (
	"bytes"
	"compress/gzip"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/routesim/routesim/sim/fit"
)

// rec returns a minimal queued contact record.
func rec(id, enq, last string) string {
	return `{"ContactId":"` + id + `","Channel":"VOICE","InitiationMethod":"INBOUND","LastUpdateTimestamp":"` + last +
		`","Queue":{"Name":"q","EnqueueTimestamp":"` + enq + `"}}`
}

func gz(t *testing.T, s string) []byte {
	t.Helper()
	var b bytes.Buffer
	w := gzip.NewWriter(&b)
	_, err := w.Write([]byte(s))
	require.NoError(t, err)
	require.NoError(t, w.Close())
	return b.Bytes()
}

func TestReadShapes(t *testing.T) {
	a := rec("a", "2024-01-01T08:00:00Z", "2024-01-01T08:05:00Z")
	b := rec("b", "2024-01-01T08:01:00Z", "2024-01-01T08:06:00Z")
	c := rec("c", "2024-01-01T08:02:00Z", "2024-01-01T08:07:00Z")
	pretty := "[\n  " + strings.ReplaceAll(a, `,"Queue"`, ",\n  \"Queue\"") + ",\n  " + b + ",\n  " + c + "\n]\n"
	for _, tc := range []struct {
		name string
		data []byte
	}{
		{"json lines", []byte(a + "\n" + b + "\n" + c + "\n")},
		{"json lines, CRLF, no final newline", []byte(a + "\r\n" + b + "\r\n" + c)},
		{"array", []byte("[" + a + "," + b + "," + c + "]")},
		{"pretty array", []byte(pretty)},
		{"concatenated (Firehose)", []byte(a + b + c)},
		{"gzip concatenated", gz(t, a+b+c)},
		{"braces and quotes inside strings", []byte(strings.Replace(a, `"INBOUND"`, `"IN{\"[BOUND"`, 1) + b + c)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			d := fit.NewData()
			require.NoError(t, d.Read("f", bytes.NewReader(tc.data)))
			assert.Equal(t, 3, d.Contacts(), "contacts; want 3 (bad: %v)", d.BadExamples)
			assert.Zero(t, d.Bad, "bad records: %v", d.BadExamples)
		})
	}
}

func TestReadBadRecordsAreCountedAndNamed(t *testing.T) {
	good := rec("a", "2024-01-01T08:00:00Z", "2024-01-01T08:05:00Z")
	lines := []string{
		good,
		`{"ContactId":"b","Queue":{"Name":"q","EnqueueTimestamp":"yesterday"}}`,
		`{"ContactId":"c","Queue":{"Name":"q","EnqueueTimestamp":"2024-01-01T08:00:00Z"`, // cut off
		rec("d", "2024-01-01T08:01:00Z", "2024-01-01T08:05:00Z"),
		`not json at all`,
		`{"Queue":{"Name":"q","EnqueueTimestamp":"2024-01-01T08:00:00Z"}}`,
		`{"ContactId":"e","Queue":{"Name":"q"}}`,
		`{"ContactId":"f","Channel":"FAX","Queue":{"Name":"q","EnqueueTimestamp":"2024-01-01T08:00:00Z"}}`,
		`{"ContactId":"g","Agent":{"AgentInteractionDuration":"long"}}`,
		rec("h", "2024-01-01T08:02:00Z", "2024-01-01T08:05:00Z"),
	}
	d := fit.NewData()
	require.NoError(t, d.Read("recs.json", strings.NewReader(strings.Join(lines, "\n"))))
	assert.Equal(t, 3, d.Contacts(), "the good records a, d, h are kept")
	assert.Equal(t, 7, d.Bad)
	want := []string{
		"recs.json:2: Queue.EnqueueTimestamp: \"yesterday\" is not an RFC 3339 timestamp",
		"recs.json:3: JSON object cut off (line 4 starts a new one)",
		"recs.json:5: unexpected 'n' outside a JSON object",
		"recs.json:6: ContactId: missing",
		"recs.json:7: Queue.EnqueueTimestamp: missing in a queued contact",
		"recs.json:8: Channel: \"FAX\" is not VOICE, CHAT, TASK or EMAIL",
	}
	require.Len(t, d.BadExamples, 7)
	assert.Equal(t, want, d.BadExamples[:6])
	assert.Contains(t, d.BadExamples[6], "recs.json:9: invalid JSON")
}

func TestDedupeKeepsLatestUpdate(t *testing.T) {
	old := rec("x", "2024-01-01T08:00:00Z", "2024-01-01T08:05:00Z")
	newer := strings.Replace(rec("x", "2024-01-01T08:00:00Z", "2024-01-01T09:00:00Z"), `"Name":"q"`, `"Name":"later"`, 1)
	for _, order := range [][]string{{old, newer}, {newer, old}} {
		d := fit.NewData()
		require.NoError(t, d.Read("f", strings.NewReader(strings.Join(order, "\n"))))
		assert.Equal(t, 1, d.Contacts())
		assert.Equal(t, 1, d.Duplicates)
		res, err := fit.Fit(d, fit.Options{})
		require.NoError(t, err)
		require.Len(t, res.Scenario.Queues, 1)
		assert.Equal(t, "later", res.Scenario.Queues[0].ID, "the copy with the latest LastUpdateTimestamp wins")
	}
}

func TestLoadDirectoryRecursively(t *testing.T) {
	dir := t.TempDir()
	sub := filepath.Join(dir, "2024", "01", "01", "08")
	require.NoError(t, os.MkdirAll(sub, 0o755))
	a := rec("a", "2024-01-01T08:00:00Z", "2024-01-01T08:05:00Z")
	b := rec("b", "2024-01-01T08:01:00Z", "2024-01-01T08:06:00Z")
	require.NoError(t, os.WriteFile(filepath.Join(sub, "firehose-1-2024-01-01-08-00-00-abc"), gz(t, a+b), 0o644))
	require.NoError(t, os.WriteFile(filepath.Join(dir, "extra.json"), []byte("["+rec("c", "2024-01-01T09:00:00Z", "2024-01-01T09:01:00Z")+"]"), 0o644))
	d, err := fit.Load(context.Background(), []string{dir})
	require.NoError(t, err)
	assert.Equal(t, 2, d.Files)
	assert.Equal(t, 3, d.Contacts())
	_, err = fit.Load(context.Background(), []string{filepath.Join(dir, "missing")})
	assert.Error(t, err, "a path that does not exist is an error")
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err = fit.Load(ctx, []string{dir})
	assert.ErrorIs(t, err, context.Canceled)
}

func TestFitNoArrivals(t *testing.T) {
	d := fit.NewData()
	require.NoError(t, d.Read("f", strings.NewReader(`{"ContactId":"o","InitiationMethod":"OUTBOUND"}`)))
	assert.Equal(t, 1, d.NotQueued)
	_, err := fit.Fit(d, fit.Options{})
	assert.ErrorIs(t, err, fit.ErrNoArrivals)
	_, err = fit.Fit(d, fit.Options{Interval: 7 * 60e9})
	assert.ErrorContains(t, err, "interval 7m0s does not divide a day")
}

func TestReadEscapedRecordViaEncodingJSON(t *testing.T) {
	d := fit.NewData()
	require.NoError(t, d.Read("f", strings.NewReader(`{"ContactId":"\u0061","LastUpdateTimestamp":"2024-01-01T08:05:00Z","Queue":{"Name":"caf\u00e9","EnqueueTimestamp":"2024-01-01T08:00:00Z"}}`)))
	require.Zero(t, d.Bad, "%v", d.BadExamples)
	res, err := fit.Fit(d, fit.Options{})
	require.NoError(t, err)
	assert.Equal(t, "café", res.Scenario.Queues[0].ID)
}
