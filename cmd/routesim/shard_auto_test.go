package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/routesim/routesim/sim/whatif"
)

// clearSchedulerEnv unsets every variable -shard auto reads, for the test's duration.
func clearSchedulerEnv(t *testing.T) {
	for _, k := range []string{whatif.EnvK8sIndex, whatif.EnvShardCount, whatif.EnvSlurmID, whatif.EnvSlurmMin, whatif.EnvSlurmMax,
		whatif.EnvSlurmStep, whatif.EnvSlurmCount, whatif.EnvBatchIndex, whatif.EnvBatchSize} {
		t.Setenv(k, "")
	}
}

// TestWhatIfShardAuto: -shard auto takes the shard from each scheduler's variables, and the
// shards it runs merge; without a scheduler, or with two, it fails naming the variables and
// writes nothing.
func TestWhatIfShardAuto(t *testing.T) {
	spec := whatIfFile(t)
	parts := filepath.Join(t.TempDir(), "parts")
	envs := []map[string]string{
		{whatif.EnvK8sIndex: "0", whatif.EnvShardCount: "3"},
		{whatif.EnvSlurmID: "11", whatif.EnvSlurmMin: "10", whatif.EnvSlurmMax: "12", whatif.EnvSlurmCount: "3"},
		{whatif.EnvBatchIndex: "2", whatif.EnvBatchSize: "3"},
	}
	for i, env := range envs {
		t.Run(fmt.Sprint(i), func(t *testing.T) {
			clearSchedulerEnv(t)
			for k, v := range env {
				t.Setenv(k, v)
			}
			out := mustRunCommand(t, "whatif", "-scenario", spec, "-out", parts, "-shard", "auto", "-workers", "1")
			assert.Contains(t, out, fmt.Sprintf("partial-%d-of-3.json", i))
		})
	}
	mustRunCommand(t, "merge", "-out", filepath.Join(t.TempDir(), "merged"), "-charts=false", parts)

	for _, tc := range []struct {
		name string
		env  map[string]string
		msg  []string
	}{
		{"none", nil, []string{"no scheduler", whatif.EnvK8sIndex, whatif.EnvSlurmID, whatif.EnvBatchIndex}},
		{"two", map[string]string{whatif.EnvK8sIndex: "0", whatif.EnvShardCount: "2", whatif.EnvSlurmID: "0"}, []string{"more than one scheduler", whatif.EnvK8sIndex + "=0", whatif.EnvSlurmID + "=0"}},
		{"out of range", map[string]string{whatif.EnvBatchIndex: "4", whatif.EnvBatchSize: "4"}, []string{whatif.EnvBatchIndex + "=4", "outside 0..3"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			clearSchedulerEnv(t)
			for k, v := range tc.env {
				t.Setenv(k, v)
			}
			out := filepath.Join(t.TempDir(), "out")
			code, _, errs := runCommand(t, context.Background(), "whatif", "-scenario", spec, "-out", out, "-shard", "auto")
			assert.NotEqual(t, 0, code, "exit status")
			for _, m := range tc.msg {
				assert.Contains(t, errs, m)
			}
			_, err := os.Stat(out)
			assert.True(t, os.IsNotExist(err), "nothing written: %v", err)
		})
	}
}

// TestMergeWaitsForThisRun: with -scenario, merge ignores the partial results of another run
// (another seed) in the same directory; with -wait it fails after the wait naming the
// missing shard.
func TestMergeWaitsForThisRun(t *testing.T) {
	spec := whatIfFile(t)
	tmp := t.TempDir()
	parts := filepath.Join(tmp, "parts")
	mustRunCommand(t, "whatif", "-scenario", spec, "-out", parts, "-shard", "0/2", "-workers", "1")
	// A stale partial of another run, as a retried Job leaves behind.
	stale := filepath.Join(tmp, "stale")
	mustRunCommand(t, "whatif", "-scenario", spec, "-out", stale, "-shard", "1/2", "-seed", "99", "-workers", "1")
	require.NoError(t, os.Rename(filepath.Join(stale, "partial-1-of-2.json"), filepath.Join(parts, "partial-1-of-2.json")))

	code, _, errs := runCommand(t, context.Background(), "merge", "-scenario", spec, "-wait", "50ms", "-poll", "10ms", "-out", filepath.Join(tmp, "m"), parts)
	assert.Equal(t, 1, code, "exit status")
	assert.Contains(t, errs, "ignoring 1 partial result(s) of other runs")
	assert.Contains(t, errs, "shard(s) 1/2 missing")

	mustRunCommand(t, "whatif", "-scenario", spec, "-out", parts, "-shard", "1/2", "-workers", "1")
	code, out, errs := runCommand(t, context.Background(), "merge", "-scenario", spec, "-wait", "1s", "-poll", "10ms", "-charts=false", "-out", filepath.Join(tmp, "m"), parts)
	require.Equal(t, 0, code, "merge: %s", errs)
	assert.True(t, strings.Contains(out, "merged 2 partial results"), "output: %s", out)
}
