package whatif

import (
	"fmt"
	"strconv"
	"strings"
)

// The environment variables ShardFromEnv reads, by scheduler.
const (
	// EnvK8sIndex is a Kubernetes Indexed Job's completion index; Kubernetes does not tell
	// the pod the number of completions, so EnvShardCount, set beside completions in the Job
	// spec, gives the count.
	EnvK8sIndex   = "JOB_COMPLETION_INDEX"
	EnvShardCount = "ROUTESIM_SHARD_COUNT"
	// EnvSlurmID .. EnvSlurmCount describe a Slurm job array task.
	EnvSlurmID    = "SLURM_ARRAY_TASK_ID"
	EnvSlurmMin   = "SLURM_ARRAY_TASK_MIN"
	EnvSlurmMax   = "SLURM_ARRAY_TASK_MAX"
	EnvSlurmStep  = "SLURM_ARRAY_TASK_STEP"
	EnvSlurmCount = "SLURM_ARRAY_TASK_COUNT"
	// EnvBatchIndex and EnvBatchSize describe an AWS Batch array job's child.
	EnvBatchIndex = "AWS_BATCH_JOB_ARRAY_INDEX"
	EnvBatchSize  = "AWS_BATCH_JOB_ARRAY_SIZE"
)

// ShardFromEnv returns the shard of this process from the environment of the scheduler
// running it, as "-shard auto" does; getenv is os.Getenv or a stand-in. A scheduler is
// recognised by its index variable:
//
//   - a Kubernetes Indexed Job: index JOB_COMPLETION_INDEX, count ROUTESIM_SHARD_COUNT;
//   - a Slurm job array: index (SLURM_ARRAY_TASK_ID - SLURM_ARRAY_TASK_MIN) /
//     SLURM_ARRAY_TASK_STEP (step 1 when unset), count SLURM_ARRAY_TASK_COUNT; the array must
//     be a range min-max[:step] whose tasks map onto 0..count-1, so that
//     (max - min) / step + 1 = count;
//   - an AWS Batch array job: index AWS_BATCH_JOB_ARRAY_INDEX (from 0), count
//     AWS_BATCH_JOB_ARRAY_SIZE.
//
// It returns an error wrapping ErrShard that names the variables when none of the three index
// variables is set, when more than one is, when a variable is missing or not a whole number,
// when a Slurm array is a list that does not map onto 0..count-1, and when the index is not
// in 0..count-1. The cost is a few lookups.
func ShardFromEnv(getenv func(string) string) (Shard, error) {
	type sched struct {
		name, index string
		read        func() (Shard, error)
	}
	all := []sched{
		{"a Kubernetes Indexed Job", EnvK8sIndex, func() (Shard, error) { return k8sShard(getenv) }},
		{"a Slurm job array", EnvSlurmID, func() (Shard, error) { return slurmShard(getenv) }},
		{"an AWS Batch array job", EnvBatchIndex, func() (Shard, error) { return batchShard(getenv) }},
	}
	var found []sched
	var looked []string
	for _, s := range all {
		looked = append(looked, s.index)
		if getenv(s.index) != "" {
			found = append(found, s)
		}
	}
	switch len(found) {
	case 0:
		return Shard{}, fmt.Errorf("%w: -shard auto found no scheduler: none of %s is set (Kubernetes Indexed Job with %s, Slurm job array, AWS Batch array job); give -shard i/n instead",
			ErrShard, strings.Join(looked, ", "), EnvShardCount)
	case 1:
	default:
		var names []string
		for _, s := range found {
			names = append(names, fmt.Sprintf("%s=%s (%s)", s.index, getenv(s.index), s.name))
		}
		return Shard{}, fmt.Errorf("%w: -shard auto found more than one scheduler: %s; unset all but one, or give -shard i/n", ErrShard, strings.Join(names, ", "))
	}
	sh, err := found[0].read()
	if err != nil {
		return Shard{}, err
	}
	return sh, nil
}

// envInt reads a whole number from variable name, which must be set.
func envInt(getenv func(string) string, name string) (int, error) {
	v := getenv(name)
	if v == "" {
		return 0, fmt.Errorf("%w: -shard auto: %s is not set", ErrShard, name)
	}
	n, err := strconv.Atoi(strings.TrimSpace(v))
	if err != nil {
		return 0, fmt.Errorf("%w: -shard auto: %s=%q is not a whole number", ErrShard, name, v)
	}
	return n, nil
}

// inRange checks index against count, naming the variables they came from.
func inRange(index, count int, indexVars, countVar string) (Shard, error) {
	switch {
	case count < 1:
		return Shard{}, fmt.Errorf("%w: -shard auto: %s=%d; the number of shards must be at least 1", ErrShard, countVar, count)
	case index < 0 || index >= count:
		return Shard{}, fmt.Errorf("%w: -shard auto: index %d (from %s) is outside 0..%d (%s=%d)", ErrShard, index, indexVars, count-1, countVar, count)
	}
	return Shard{Index: index, Count: count}, nil
}

func k8sShard(getenv func(string) string) (Shard, error) {
	i, err := envInt(getenv, EnvK8sIndex)
	if err != nil {
		return Shard{}, err
	}
	if getenv(EnvShardCount) == "" {
		return Shard{}, fmt.Errorf("%w: -shard auto: %s=%d is set but %s is not: set it in the Job spec to the Job's completions (Kubernetes does not tell the pod)", ErrShard, EnvK8sIndex, i, EnvShardCount)
	}
	n, err := envInt(getenv, EnvShardCount)
	if err != nil {
		return Shard{}, err
	}
	return inRange(i, n, EnvK8sIndex+"="+strconv.Itoa(i), EnvShardCount)
}

func slurmShard(getenv func(string) string) (Shard, error) {
	var v [4]int
	for k, name := range []string{EnvSlurmID, EnvSlurmMin, EnvSlurmMax, EnvSlurmCount} {
		n, err := envInt(getenv, name)
		if err != nil {
			return Shard{}, err
		}
		v[k] = n
	}
	id, lo, hi, count := v[0], v[1], v[2], v[3]
	step := 1
	if getenv(EnvSlurmStep) != "" {
		s, err := envInt(getenv, EnvSlurmStep)
		if err != nil {
			return Shard{}, err
		}
		step = s
	}
	array := fmt.Sprintf("%s=%d %s=%d %s=%d %s=%d", EnvSlurmMin, lo, EnvSlurmMax, hi, EnvSlurmStep, step, EnvSlurmCount, count)
	if step < 1 || hi < lo || (hi-lo)%step != 0 || (hi-lo)/step+1 != count || (id-lo)%step != 0 {
		return Shard{}, fmt.Errorf("%w: -shard auto: the Slurm array (%s, %s=%d) is not a range min-max[:step] whose tasks map onto 0..count-1, such as a list; submit it as --array=0-%d",
			ErrShard, array, EnvSlurmID, id, max(count, 1)-1)
	}
	return inRange((id-lo)/step, count, fmt.Sprintf("(%s=%d - %s=%d) / %s=%d", EnvSlurmID, id, EnvSlurmMin, lo, EnvSlurmStep, step), EnvSlurmCount)
}

func batchShard(getenv func(string) string) (Shard, error) {
	i, err := envInt(getenv, EnvBatchIndex)
	if err != nil {
		return Shard{}, err
	}
	n, err := envInt(getenv, EnvBatchSize)
	if err != nil {
		return Shard{}, err
	}
	return inRange(i, n, EnvBatchIndex+"="+strconv.Itoa(i), EnvBatchSize)
}
