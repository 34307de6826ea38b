package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/schollz/progressbar/v3"
	"golang.org/x/term"

	"github.com/routesim/routesim/sim"
)

func init() {
	commands["run"] = command{
		summary: "simulate a scenario's replications and report figures with confidence intervals",
		run:     runRun,
	}
}

// runRun implements "routesim run -scenario FILE [-reps N] [-seed N] [-workers N]
// [-confidence C] [-format table|json|csv] [-out FILE]".
func runRun(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("run", stderr)
	scenario := fs.String("scenario", "", "scenario JSON file (required; see Scenario files in the README)")
	reps := fs.Int("reps", 0, "replications (default: the scenario's, else 10)")
	seed := fs.Uint64("seed", 0, "seed of every random stream (default: the scenario's)")
	workers := fs.Int("workers", 0, "replications run at once (default: all cores); results do not depend on it")
	conf := fs.Float64("confidence", 0.95, "level of the confidence intervals, in (0, 1)")
	format := fs.String("format", "table", "output format: table, json or csv")
	out := fs.String("out", "", "write the results to this file instead of standard output")
	recordsOut := fs.String("records-out", "", "also write every simulated contact to this file as an Amazon Connect contact record (JSON lines), replications one after another from the scenario's start")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: routesim run -scenario FILE [-reps N] [-seed N] [-workers N] [-confidence C] [-format table|json|csv] [-out FILE] [-records-out FILE]")
		fs.PrintDefaults()
	}
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	switch {
	case *scenario == "":
		return fmt.Errorf("%w: -scenario is required", errUsage)
	case *format != "table" && *format != "json" && *format != "csv":
		return fmt.Errorf("%w: -format %q: want table, json or csv", errUsage, *format)
	case *reps < 0:
		return fmt.Errorf("%w: -reps %d is negative", errUsage, *reps)
	case *workers < 0:
		return fmt.Errorf("%w: -workers %d is negative", errUsage, *workers)
	case !(*conf > 0 && *conf < 1):
		return fmt.Errorf("%w: -confidence %v is not in (0, 1)", errUsage, *conf)
	}
	sc, err := sim.LoadScenario(*scenario)
	if err != nil {
		return err
	}
	opts := sim.RunOptions{Reps: *reps, Workers: *workers, Confidence: *conf}
	fs.Visit(func(f *flag.Flag) {
		if f.Name == "seed" {
			opts.Seed = seed
		}
	})
	var bar *progressbar.ProgressBar
	if isTerminal(stderr) {
		bar = newBar(stderr, sc, *reps)
		opts.Progress = func(done float64, total int) { _ = bar.Set64(int64(done * 1000)) }
	}
	var recs *recordFiles
	if *recordsOut != "" {
		s := sc.Seed
		if opts.Seed != nil {
			s = *opts.Seed
		}
		if recs, err = newRecordFiles(*recordsOut, sc, s); err != nil {
			return err
		}
		defer recs.cleanup()
		opts.OnContact, opts.OnReplicationDone = recs.contact, recs.done
	}
	res, err := sim.Run(ctx, sc, opts)
	if bar != nil {
		_ = bar.Finish()
	}
	if err != nil {
		return err
	}
	if recs != nil {
		if err := recs.finish(res.Replications); err != nil {
			return err
		}
	}
	return writeResult(res, *format, *out, stdout)
}

// writeResult writes res in format to the file out, or to stdout when out is empty.
func writeResult(res *sim.Result, format, out string, stdout io.Writer) (err error) {
	w := stdout
	if out != "" {
		f, err := os.Create(out)
		if err != nil {
			return err
		}
		defer func() {
			if cerr := f.Close(); err == nil {
				err = cerr
			}
		}()
		w = f
	}
	switch format {
	case "json":
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		return enc.Encode(res)
	case "csv":
		return res.WriteCSV(w)
	}
	return res.WriteTable(w)
}

func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	return ok && term.IsTerminal(int(f.Fd()))
}

func newBar(w io.Writer, sc *sim.Scenario, reps int) *progressbar.ProgressBar {
	if reps == 0 {
		reps = sc.Replications
	}
	if reps == 0 {
		reps = sim.DefaultReplications
	}
	return progressbar.NewOptions64(int64(reps)*1000,
		progressbar.OptionSetWriter(w),
		progressbar.OptionSetDescription("simulating"),
		progressbar.OptionThrottle(100*time.Millisecond),
		progressbar.OptionSetPredictTime(true),
		progressbar.OptionClearOnFinish(),
	)
}
