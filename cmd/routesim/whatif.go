package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/routesim/routesim/internal/atomicfile"

	"github.com/schollz/progressbar/v3"

	"github.com/routesim/routesim/sim/chart"
	"github.com/routesim/routesim/sim/whatif"
)

func init() {
	commands["whatif"] = command{
		summary: "capacity what-if: sweep agents and rules, solve staffing per interval, write tables, CSV, JSON and charts",
		run:     runWhatIf,
	}
}

// defaultWhatIfOut is the output directory of "routesim whatif" without -out.
const defaultWhatIfOut = "routesim-whatif-out"

// runWhatIf implements "routesim whatif [-scenario FILE] [-out DIR] [-reps N] [-seed N]
// [-workers N] [-format table|json|csv] [-shard i/n|auto] [-charts=false] [-print-default]".
func runWhatIf(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("whatif", stderr)
	scenario := fs.String("scenario", "", "what-if file, or a plain scenario file to run as is (default: the built-in what-if; see Capacity what-if in the README)")
	out := fs.String("out", defaultWhatIfOut, "directory for the result files (created if needed)")
	reps := fs.Int("reps", 0, "replications of every run (default: the what-if's)")
	seed := fs.Uint64("seed", 0, "base seed (default: the what-if's)")
	workers := fs.Int("workers", 0, "simulations run at once (default: all cores); results do not depend on it")
	format := fs.String("format", "table", "what to print on standard output: table, json (whatif.json) or csv (points.csv, or staffing.csv without a sweep)")
	shard := fs.String("shard", "", "run only shard i of n (0 <= i < n), or \"auto\" to take i and n from a Kubernetes Indexed Job, Slurm array or AWS Batch array job, and write DIR/partial-i-of-n.json for \"routesim merge\"")
	charts := fs.Bool("charts", true, "draw the charts (SVG and PNG)")
	printDefault := fs.Bool("print-default", false, "print the built-in what-if as a file to edit, and exit")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: routesim whatif [-scenario FILE] [-out DIR] [-reps N] [-seed N] [-workers N] [-format table|json|csv] [-shard i/n|auto]")
		fs.PrintDefaults()
	}
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if *printDefault {
		b, err := json.MarshalIndent(whatif.Default(), "", "  ")
		if err != nil {
			return err
		}
		_, err = fmt.Fprintf(stdout, "%s\n", compactNumberLists(b))
		return err
	}
	if err := checkFormat(*format); err != nil {
		return err
	}
	switch {
	case *reps < 0:
		return fmt.Errorf("%w: -reps %d is negative", errUsage, *reps)
	case *workers < 0:
		return fmt.Errorf("%w: -workers %d is negative", errUsage, *workers)
	case *out == "":
		return fmt.Errorf("%w: -out must name a directory", errUsage)
	}
	opts := whatif.Options{Reps: *reps, Workers: *workers, Clock: time.Now}
	switch *shard {
	case "":
	case "auto":
		s, err := whatif.ShardFromEnv(os.Getenv)
		if err != nil {
			return err
		}
		opts.Shard = s
	default:
		s, err := whatif.ParseShard(*shard)
		if err != nil {
			return fmt.Errorf("%w: -shard: %v", errUsage, err)
		}
		opts.Shard = s
	}
	fs.Visit(func(f *flag.Flag) {
		if f.Name == "seed" {
			opts.Seed = seed
		}
	})
	w := whatif.Default()
	if *scenario != "" {
		var err error
		if w, err = whatif.Load(*scenario); err != nil {
			return err
		}
	}
	bar := whatIfProgress(stderr, &opts)
	start := time.Now()
	res, err := whatif.Run(ctx, w, opts)
	if bar != nil {
		_ = bar.Finish()
	}
	if res == nil {
		return err
	}
	elapsed := time.Since(start).Round(time.Millisecond)
	if opts.Shard.Count > 0 {
		return writeShard(res, *out, elapsed, stdout, err)
	}
	files, werr := writeOutputs(*out, res, *charts)
	if werr != nil {
		return werr
	}
	if perr := printResult(res, *format, stdout); perr != nil {
		return perr
	}
	note := stdout
	if *format != "table" {
		note = stderr
	}
	fmt.Fprintf(note, "\nwrote %s: %s (%d tasks in %v)\n", *out, strings.Join(files, ", "), len(res.Points)+len(res.Staffing), elapsed)
	if err != nil {
		return fmt.Errorf("interrupted (%v): the %d of %d tasks that finished are in %s, marked \"complete\": false", err, len(res.Points)+len(res.Staffing), res.Tasks, *out)
	}
	return nil
}

// numberList matches a JSON list of numbers as json.MarshalIndent writes it, one per line.
var numberList = regexp.MustCompile(`\[\s*-?[0-9][0-9.eE+-]*(?:,\s*-?[0-9][0-9.eE+-]*)*\s*\]`)

var space = regexp.MustCompile(`\s+`)

// compactNumberLists puts each list of numbers of indented JSON on one line, so that a
// scenario's 96 rates per day read as a row.
func compactNumberLists(b []byte) []byte {
	return numberList.ReplaceAllFunc(b, func(m []byte) []byte {
		return bytes.ReplaceAll(space.ReplaceAll(m, nil), []byte(","), []byte(", "))
	})
}

func checkFormat(format string) error {
	switch format {
	case "table", "json", "csv":
		return nil
	}
	return fmt.Errorf("%w: -format %q: want table, json or csv", errUsage, format)
}

// whatIfProgress sets opts.Progress to drive a progress bar on stderr when it is a terminal, and
// returns the bar (nil otherwise: the command is quiet).
func whatIfProgress(stderr io.Writer, opts *whatif.Options) *progressbar.ProgressBar {
	if !isTerminal(stderr) {
		return nil
	}
	bar := progressbar.NewOptions(1,
		progressbar.OptionSetWriter(stderr),
		progressbar.OptionSetDescription("what-if"),
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

// shardFile names the partial result of a shard.
func shardFile(s *whatif.Shard) string { return fmt.Sprintf("partial-%d-of-%d.json", s.Index, s.Count) }

// writeShard writes a shard's partial result into dir and reports it; runErr is the run's
// error (a cancellation), returned after the write.
func writeShard(res *whatif.Result, dir string, elapsed time.Duration, stdout io.Writer, runErr error) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	var buf bytes.Buffer
	if err := res.WriteJSON(&buf); err != nil {
		return err
	}
	path := filepath.Join(dir, shardFile(res.Shard))
	if err := atomicfile.WriteFile(path, buf.Bytes(), 0o644); err != nil {
		return err
	}
	done := len(res.Points) + len(res.Staffing)
	fmt.Fprintf(stdout, "shard %v: %d tasks of %d in %v; wrote %s\n", *res.Shard, done, res.Tasks, elapsed, path)
	if runErr != nil {
		return fmt.Errorf("interrupted (%v): %s is incomplete; run shard %v again before merging", runErr, path, *res.Shard)
	}
	return nil
}

// printResult prints res on stdout in format.
func printResult(res *whatif.Result, format string, stdout io.Writer) error {
	switch format {
	case "json":
		return res.WriteJSON(stdout)
	case "csv":
		if len(res.Points) == 0 && len(res.Staffing) > 0 {
			return res.WriteStaffingCSV(stdout)
		}
		return res.WritePointsCSV(stdout)
	}
	return res.WriteTable(stdout)
}

// chartNames are the base names of every chart a what-if may draw.
var chartNames = []string{"service-level", "asa", "abandonment", "staffing", "coverage"}

// rosterFiles are the files written only when the what-if builds a roster.
var rosterFiles = []string{"roster.csv", "coverage.csv", "goals.csv"}

// writeOutputs writes the result files of a whole what-if into dir, each atomically:
// whatif.json, points.csv, occupancy.csv, staffing.csv, roster.csv, coverage.csv and
// goals.csv when the what-if built a roster, and, when charts is set, the charts.
// It removes the charts of an earlier run that this one does not draw, so that none is left
// that disagrees with the data. It returns the names written.
func writeOutputs(dir string, res *whatif.Result, charts bool) ([]string, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	files := []struct {
		name  string
		write func(io.Writer) error
	}{
		{"whatif.json", res.WriteJSON},
		{"points.csv", res.WritePointsCSV},
		{"occupancy.csv", res.WriteOccupancyCSV},
		{"staffing.csv", res.WriteStaffingCSV},
	}
	if res.Roster != nil {
		files = append(files, []struct {
			name  string
			write func(io.Writer) error
		}{{"roster.csv", res.WriteRosterCSV}, {"coverage.csv", res.WriteCoverageCSV}, {"goals.csv", res.WriteGoalsCSV}}...)
	} else {
		for _, n := range rosterFiles {
			if err := os.Remove(filepath.Join(dir, n)); err != nil && !errors.Is(err, os.ErrNotExist) {
				return nil, err
			}
		}
	}
	var names []string
	for _, f := range files {
		var buf bytes.Buffer
		if err := f.write(&buf); err != nil {
			return names, fmt.Errorf("%s: %w", f.name, err)
		}
		if err := atomicfile.WriteFile(filepath.Join(dir, f.name), buf.Bytes(), 0o644); err != nil {
			return names, err
		}
		names = append(names, f.name)
	}
	var drawn []string
	if charts {
		var err error
		drawn, err = chart.WriteAll(dir, res.ChartData())
		names = append(names, drawn...)
		if err != nil {
			return names, err
		}
	}
	for _, n := range chartNames {
		for _, ext := range []string{".svg", ".png"} {
			if !slices.Contains(drawn, n+ext) {
				if err := os.Remove(filepath.Join(dir, n+ext)); err != nil && !errors.Is(err, os.ErrNotExist) {
					return names, err
				}
			}
		}
	}
	return names, nil
}
