package sim

import (
	"context"
	"errors"
	"runtime"
	"sync"
)

// Job runs job i (a replication, or a task of a program built on the engine) and returns
// its outcome. A worker calls its Job for one index at a time, so a Job may keep buffers
// (an engine) across calls; ctx is cancelled when another job fails.
type Job[T any] func(ctx context.Context, i int) (T, error)

// Replicate runs jobs 0 .. n-1 on workers goroutines (runtime.GOMAXPROCS(0) when workers
// <= 0, and never more than n), each goroutine with its own Job from newJob, and returns
// the outcomes in index order: when every job depends only on its index, the result is the
// same bit for bit whatever the number of workers. done, when set, is called with the jobs
// finished and n after each one finishes; calls never overlap.
//
// The first job to fail cancels the others and Replicate returns the outcomes of the jobs
// that finished (the others are zero) with an error: that job's error, unless it is
// context.Canceled and ctx itself was cancelled or timed out, in which case ctx's error.
// Replicate returns when every goroutine it started has returned. Beyond the jobs, its cost
// is one channel send per job and O(n) memory for the outcomes.
func Replicate[T any](ctx context.Context, n, workers int, newJob func() Job[T], done func(finished, total int)) ([]T, error) {
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	workers = max(1, min(workers, n))
	inner, cancel := context.WithCancel(ctx)
	defer cancel()
	out := make([]T, n)
	jobs := make(chan int)
	errs := make([]error, workers)
	var mu sync.Mutex
	finished := 0
	var wg sync.WaitGroup
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			job := newJob()
			for i := range jobs {
				v, err := job(inner, i)
				if err != nil {
					errs[w] = err
					cancel()
					return
				}
				out[i] = v
				if done != nil {
					mu.Lock()
					finished++
					done(finished, n)
					mu.Unlock()
				}
			}
		}()
	}
feed:
	for i := range n {
		select {
		case jobs <- i:
		case <-inner.Done():
			break feed
		}
	}
	close(jobs)
	wg.Wait()
	return out, firstError(ctx, errs)
}

// firstError picks the error of a run: a worker's own failure first, then the parent
// context's, then a worker's cancellation.
func firstError(ctx context.Context, errs []error) error {
	for _, e := range errs {
		if e != nil && !errors.Is(e, context.Canceled) {
			return e
		}
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	for _, e := range errs {
		if e != nil {
			return e
		}
	}
	return nil
}
