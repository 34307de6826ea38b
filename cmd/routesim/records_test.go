package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/routesim/routesim/contact"
	"github.com/routesim/routesim/sim"
)

func runArgs(args ...string) (code int, stdout, stderr string) {
	var out, errb bytes.Buffer
	code = runMain(context.Background(), args, &out, &errb)
	return code, out.String(), errb.String()
}

// TestRecordsOutThenFit: run -records-out writes the same bytes on 1 and 2 workers and
// leaves no temporary files; fit reads them and writes a scenario that run accepts.
func TestRecordsOutThenFit(t *testing.T) {
	sc := scenarioFile(t, nil)
	dir := t.TempDir()
	var files [2][]byte
	for i, w := range []string{"1", "2"} {
		out := filepath.Join(dir, "recs"+w+".jsonl")
		code, _, errs := runArgs("run", "-scenario", sc, "-workers", w, "-records-out", out)
		require.Equal(t, 0, code, errs)
		b, err := os.ReadFile(out)
		require.NoError(t, err)
		files[i] = b
	}
	require.Equal(t, files[0], files[1], "records do not depend on the number of workers")
	assert.Greater(t, bytes.Count(files[0], []byte("\n")), 1000)
	entries, err := os.ReadDir(dir)
	require.NoError(t, err)
	assert.Len(t, entries, 2, "no temporary files left beside the output")

	fitted := filepath.Join(dir, "fitted.json")
	code, out, errs := runArgs("fit", "-records", filepath.Join(dir, "recs1.jsonl"), "-interval", "1h", "-tz", "UTC", "-out", fitted)
	require.Equal(t, 0, code, errs)
	assert.Contains(t, out, "sales/VOICE")
	assert.Contains(t, out, "estimated")
	loaded, err := sim.LoadScenario(fitted)
	require.NoError(t, err)
	assert.Len(t, loaded.Queues, 2)
	for _, p := range loaded.RoutingProfiles {
		if p.ID == "support-chat" {
			assert.Equal(t, 2, p.Concurrency[contact.Chat], "the example's chat concurrency is seen in the records")
		}
	}
	code, _, errs = runArgs("run", "-scenario", fitted, "-reps", "1")
	assert.Equal(t, 0, code, errs)
}

func TestFitUsageErrors(t *testing.T) {
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{}, "-records is required"},
		{[]string{"-records", "x", "-tz", "Mars/Olympus"}, "-tz"},
		{[]string{"-records", "x", "-interval", "7m"}, "-interval 7m0s does not divide a day"},
		{[]string{"-records", "x", "-confidence", "1"}, "-confidence 1 is not in (0, 1)"},
	} {
		code, _, errs := runArgs(append([]string{"fit"}, tc.args...)...)
		assert.Equal(t, 2, code, "%v", tc.args)
		assert.True(t, strings.Contains(errs, tc.want), "%v: stderr %q; want it to contain %q", tc.args, errs, tc.want)
	}
	code, _, errs := runArgs("fit", "-records", filepath.Join(t.TempDir(), "missing"))
	assert.Equal(t, 1, code)
	assert.Contains(t, errs, "missing")
}
