package main

import (
	"context"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/routesim/routesim/bench/fairness"
	"github.com/schollz/progressbar/v3"
)

func init() {
	commands["fairness"] = command{
		summary: "routing-fairness suite: scenarios × rule sets, Markdown table with CIs and theory, CSV, JSON, charts",
		run:     runFairness,
	}
}

// defaultFairnessOut is the output directory of "routesim fairness" without -out.
const defaultFairnessOut = "routesim-fairness-out"

// runFairness implements "routesim fairness [-out DIR] [-quick] [-reps N] [-seed N]
// [-workers N] [-confidence C] [-charts=false]".
func runFairness(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("fairness", stderr)
	out := fs.String("out", defaultFairnessOut, "directory for fairness.md, fairness.json, fairness.csv and the charts (created if needed)")
	quick := fs.Bool("quick", false, fmt.Sprintf("run the quick suite: %d replications per cell, each 200 times shorter (seconds; wide intervals)", fairness.QuickSuiteReps))
	reps := fs.Int("reps", 0, fmt.Sprintf("replications per cell (default %d, or %d with -quick)", fairness.DefaultSuiteReps, fairness.QuickSuiteReps))
	seed := fs.Uint64("seed", fairness.DefaultSuiteSeed, "base seed; the cells of a scenario share their random numbers")
	workers := fs.Int("workers", 0, "replications run at once (default: all cores); results do not depend on it")
	conf := fs.Float64("confidence", fairness.DefaultSuiteConfidence, "level of the confidence intervals, in (0, 1)")
	charts := fs.Bool("charts", true, "draw the charts (SVG and PNG)")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: routesim fairness [-out DIR] [-quick] [-reps N] [-seed N] [-workers N] [-confidence C] [-charts=false]")
		fmt.Fprintln(stderr, "\nRuns the routing-fairness suite (see the README, Routing fairness) and prints its tables as Markdown.")
		fs.PrintDefaults()
	}
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	switch {
	case *reps < 0 || *reps == 1:
		return fmt.Errorf("%w: -reps %d: want at least 2 for an interval", errUsage, *reps)
	case *workers < 0:
		return fmt.Errorf("%w: -workers %d is negative", errUsage, *workers)
	case !(*conf > 0 && *conf < 1):
		return fmt.Errorf("%w: -confidence %v is not in (0, 1)", errUsage, *conf)
	case *out == "":
		return fmt.Errorf("%w: -out must name a directory", errUsage)
	}
	s := fairness.DefaultSuite()
	if *quick {
		s = fairness.QuickSuite()
	}
	if *reps > 0 {
		s.Reps = *reps
	}
	s.Seed, s.Confidence = *seed, *conf
	opts := fairness.SuiteOptions{Workers: *workers}
	bar := fairnessProgress(stderr, &opts)
	start := time.Now()
	res, err := fairness.RunSuite(ctx, s, opts)
	if bar != nil {
		_ = bar.Finish()
	}
	if err != nil {
		return err
	}
	elapsed := time.Since(start).Round(time.Millisecond)
	files, err := fairness.WriteSuiteFiles(*out, res, *charts)
	if err != nil {
		return err
	}
	if err := res.WriteMarkdown(stdout); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "\nwrote %s: %s (%d cells, %d contacts in %v)\n", *out, strings.Join(files, ", "), len(res.Cells), res.Contacts, elapsed)
	return nil
}

// fairnessProgress sets opts.Progress to drive a progress bar on stderr when it is a terminal,
// and returns the bar (nil otherwise: the command is quiet).
func fairnessProgress(stderr io.Writer, opts *fairness.SuiteOptions) *progressbar.ProgressBar {
	if !isTerminal(stderr) {
		return nil
	}
	bar := progressbar.NewOptions(1,
		progressbar.OptionSetWriter(stderr),
		progressbar.OptionSetDescription("fairness"),
		progressbar.OptionShowCount(),
		progressbar.OptionThrottle(100*time.Millisecond),
		progressbar.OptionSetPredictTime(true),
		progressbar.OptionClearOnFinish(),
	)
	opts.Progress = func(done, total int) {
		bar.ChangeMax(total)
		_ = bar.Set(done)
	}
	return bar
}
