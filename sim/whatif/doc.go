// Package whatif is the capacity what-if layer on top of the simulator (package sim): it
// sweeps a scenario over agent counts and rule variants, checks targets (service level,
// abandonment, ASA, pool occupancy) at every point, solves the staffing of each interval of
// the cycle beside Erlang A and Erlang C, turns it into agents to schedule after shrinkage and
// their cost (PoolGoal), builds a roster from shift templates that covers it at least cost
// and repairs it by simulation (Roster), and writes the answers as a table, CSV, JSON and
// charts. A sweep can be cut into shards that separate machines run (ShardFromEnv reads the
// shard from Kubernetes, Slurm or AWS Batch) and Merge joins; CompleteRoster then builds the
// roster, which does not shard.
//
// # Contract
//
// A WhatIf (JSON; Load, Decode, Default) is resolved and validated by Run, which reports
// errors wrapping ErrInvalid (as *Error, naming the field). A what-if is cut into tasks,
// sweep points first and then solver intervals, each with a fixed index, key and seed
// (TaskSeed), so a task's figures depend only on the what-if and its index: never on
// Options.Workers nor on the sharding. Run executes its tasks with sim.Replicate and returns
// a Result whose JSON (format Format, "routesim-whatif/1") is the same bytes for equal runs;
// the merge of every shard's result (ReadResult, Merge) equals the unsharded result byte for
// byte. A cancelled Run returns the tasks that finished, with Result.Complete false. A
// roster, when asked for, is built after every task, from the staffing alone, with its own
// seed (so CompleteRoster after Merge gives the same bytes).
//
// Run uses every core by default; results, plans and shards are values, safe to share once
// built. Errors are prefixed "whatif:".
package whatif
