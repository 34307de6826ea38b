package whatif_test

import (
	"errors"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/routesim/routesim/sim/whatif"
)

func TestShardFromEnv(t *testing.T) {
	for _, tc := range []struct {
		name string
		env  map[string]string
		want whatif.Shard
		err  []string // every string the error must contain; nil: no error
	}{
		{"kubernetes", map[string]string{"JOB_COMPLETION_INDEX": "3", "ROUTESIM_SHARD_COUNT": "8"}, whatif.Shard{Index: 3, Count: 8}, nil},
		{"kubernetes first", map[string]string{"JOB_COMPLETION_INDEX": "0", "ROUTESIM_SHARD_COUNT": "1"}, whatif.Shard{Index: 0, Count: 1}, nil},
		{"kubernetes without count", map[string]string{"JOB_COMPLETION_INDEX": "3"}, whatif.Shard{}, []string{"JOB_COMPLETION_INDEX=3", "ROUTESIM_SHARD_COUNT is not"}},
		{"kubernetes index too big", map[string]string{"JOB_COMPLETION_INDEX": "8", "ROUTESIM_SHARD_COUNT": "8"}, whatif.Shard{}, []string{"index 8", "JOB_COMPLETION_INDEX=8", "outside 0..7", "ROUTESIM_SHARD_COUNT=8"}},
		{"kubernetes bad count", map[string]string{"JOB_COMPLETION_INDEX": "1", "ROUTESIM_SHARD_COUNT": "eight"}, whatif.Shard{}, []string{`ROUTESIM_SHARD_COUNT="eight" is not a whole number`}},
		{"slurm 0-7", map[string]string{"SLURM_ARRAY_TASK_ID": "5", "SLURM_ARRAY_TASK_MIN": "0", "SLURM_ARRAY_TASK_MAX": "7", "SLURM_ARRAY_TASK_COUNT": "8"}, whatif.Shard{Index: 5, Count: 8}, nil},
		{"slurm 1-8", map[string]string{"SLURM_ARRAY_TASK_ID": "1", "SLURM_ARRAY_TASK_MIN": "1", "SLURM_ARRAY_TASK_MAX": "8", "SLURM_ARRAY_TASK_COUNT": "8"}, whatif.Shard{Index: 0, Count: 8}, nil},
		{"slurm 10-40:10", map[string]string{"SLURM_ARRAY_TASK_ID": "30", "SLURM_ARRAY_TASK_MIN": "10", "SLURM_ARRAY_TASK_MAX": "40", "SLURM_ARRAY_TASK_STEP": "10", "SLURM_ARRAY_TASK_COUNT": "4"}, whatif.Shard{Index: 2, Count: 4}, nil},
		{"slurm list", map[string]string{"SLURM_ARRAY_TASK_ID": "3", "SLURM_ARRAY_TASK_MIN": "1", "SLURM_ARRAY_TASK_MAX": "8", "SLURM_ARRAY_TASK_COUNT": "3"}, whatif.Shard{}, []string{"not a range", "SLURM_ARRAY_TASK_MIN=1", "SLURM_ARRAY_TASK_MAX=8", "SLURM_ARRAY_TASK_COUNT=3", "--array=0-2"}},
		{"slurm off step", map[string]string{"SLURM_ARRAY_TASK_ID": "15", "SLURM_ARRAY_TASK_MIN": "10", "SLURM_ARRAY_TASK_MAX": "40", "SLURM_ARRAY_TASK_STEP": "10", "SLURM_ARRAY_TASK_COUNT": "4"}, whatif.Shard{}, []string{"SLURM_ARRAY_TASK_ID=15"}},
		{"slurm missing min", map[string]string{"SLURM_ARRAY_TASK_ID": "3", "SLURM_ARRAY_TASK_MAX": "8", "SLURM_ARRAY_TASK_COUNT": "8"}, whatif.Shard{}, []string{"SLURM_ARRAY_TASK_MIN is not set"}},
		{"aws batch", map[string]string{"AWS_BATCH_JOB_ARRAY_INDEX": "0", "AWS_BATCH_JOB_ARRAY_SIZE": "16"}, whatif.Shard{Index: 0, Count: 16}, nil},
		{"aws batch out of range", map[string]string{"AWS_BATCH_JOB_ARRAY_INDEX": "16", "AWS_BATCH_JOB_ARRAY_SIZE": "16"}, whatif.Shard{}, []string{"AWS_BATCH_JOB_ARRAY_INDEX=16", "outside 0..15", "AWS_BATCH_JOB_ARRAY_SIZE=16"}},
		{"aws batch without size", map[string]string{"AWS_BATCH_JOB_ARRAY_INDEX": "2"}, whatif.Shard{}, []string{"AWS_BATCH_JOB_ARRAY_SIZE is not set"}},
		{"none", map[string]string{"ROUTESIM_SHARD_COUNT": "8"}, whatif.Shard{}, []string{"no scheduler", "JOB_COMPLETION_INDEX", "SLURM_ARRAY_TASK_ID", "AWS_BATCH_JOB_ARRAY_INDEX"}},
		{"two", map[string]string{"JOB_COMPLETION_INDEX": "1", "ROUTESIM_SHARD_COUNT": "8", "AWS_BATCH_JOB_ARRAY_INDEX": "1", "AWS_BATCH_JOB_ARRAY_SIZE": "8"}, whatif.Shard{}, []string{"more than one scheduler", "JOB_COMPLETION_INDEX=1", "AWS_BATCH_JOB_ARRAY_INDEX=1"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := whatif.ShardFromEnv(func(k string) string { return tc.env[k] })
			if tc.err == nil {
				require.NoError(t, err)
				assert.Equal(t, tc.want, got)
				return
			}
			require.Error(t, err)
			assert.True(t, errors.Is(err, whatif.ErrShard), "got %v; want ErrShard", err)
			for _, s := range tc.err {
				assert.Contains(t, err.Error(), s)
			}
		})
	}
}
