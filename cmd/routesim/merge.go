package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/routesim/routesim/sim/whatif"
)

func init() {
	commands["merge"] = command{
		summary: "join the partial results of a sharded what-if into the files the unsharded run writes",
		run:     runMerge,
	}
}

// runMerge implements "routesim merge [-out DIR] [-format table|json|csv] [-charts=false]
// [-workers N] [-scenario FILE [-reps N] [-seed N] [-shards N] [-wait D] [-poll D]] PARTIAL...",
// where each PARTIAL is a partial-i-of-n.json file or a directory holding them.
func runMerge(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("merge", stderr)
	out := fs.String("out", defaultWhatIfOut, "directory for the merged result files (created if needed)")
	format := fs.String("format", "table", "what to print on standard output: table, json or csv")
	charts := fs.Bool("charts", true, "draw the charts (SVG and PNG)")
	var sel selection
	fs.StringVar(&sel.spec, "scenario", "", "the what-if file the shards ran: only partial results of that run (its fingerprint, with -reps and -seed) are merged, others are ignored as stale")
	fs.IntVar(&sel.reps, "reps", 0, "the -reps the shards ran with, for -scenario")
	seed := fs.Uint64("seed", 0, "the -seed the shards ran with, for -scenario")
	fs.IntVar(&sel.shards, "shards", 0, "the number of shards to expect (default: that of the partial results found)")
	wait := fs.Duration("wait", 0, "wait up to this long for every shard's complete partial result of the -scenario run, then fail naming the missing shards")
	poll := fs.Duration("poll", 10*time.Second, "how often -wait looks for partial results")
	workers := fs.Int("workers", 0, "simulations run at once to build the what-if's roster, if it has one (default: all cores); results do not depend on it")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: routesim merge [-out DIR] [-format table|json|csv] [-scenario FILE [-reps N] [-seed N] [-shards N] [-wait D]] PARTIAL...\n\nPARTIAL is a shard's partial-i-of-n.json, or a directory of them; every shard of the what-if must be given once.")
		fs.PrintDefaults()
	}
	inputs, err := parseInterleaved(fs, args)
	if err != nil {
		return err
	}
	if err := checkFormat(*format); err != nil {
		return err
	}
	switch {
	case len(inputs) == 0:
		return fmt.Errorf("%w: no partial results given; want partial-i-of-n.json files or directories of them", errUsage)
	case *wait < 0 || *poll <= 0:
		return fmt.Errorf("%w: -wait %v and -poll %v: want -wait >= 0 and -poll > 0", errUsage, *wait, *poll)
	case *wait > 0 && sel.spec == "":
		return fmt.Errorf("%w: -wait needs -scenario, the what-if file the shards ran, to tell this run's partial results from stale ones", errUsage)
	case sel.shards < 0:
		return fmt.Errorf("%w: -shards %d is negative", errUsage, sel.shards)
	}
	fs.Visit(func(f *flag.Flag) {
		if f.Name == "seed" {
			sel.seed = seed
		}
	})
	parts, paths, err := sel.gather(ctx, inputs, *wait, *poll, stderr)
	if err != nil {
		return err
	}
	res, err := whatif.Merge(parts, paths)
	if err != nil {
		return err
	}
	if *workers < 0 {
		return fmt.Errorf("%w: -workers %d is negative", errUsage, *workers)
	}
	// The roster's iterations depend on one another: it is built here, from the merged
	// staffing, exactly as the unsharded run builds it.
	if err := whatif.CompleteRoster(ctx, res, whatif.Options{Workers: *workers, Clock: time.Now}); err != nil {
		return err
	}
	files, err := writeOutputs(*out, res, *charts)
	if err != nil {
		return err
	}
	if err := printResult(res, *format, stdout); err != nil {
		return err
	}
	note := stdout
	if *format != "table" {
		note = stderr
	}
	fmt.Fprintf(note, "\nmerged %d partial results; wrote %s: %s\n", len(parts), *out, strings.Join(files, ", "))
	return nil
}

// parseInterleaved parses flags that may come before, between or after the positional
// arguments, and returns the latter.
func parseInterleaved(fs *flag.FlagSet, args []string) ([]string, error) {
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				return nil, err
			}
			return nil, fmt.Errorf("%w: %v", errUsage, err)
		}
		args = fs.Args()
		if len(args) == 0 {
			return pos, nil
		}
		pos = append(pos, args[0])
		args = args[1:]
	}
}

// expandPartials replaces each directory among inputs by the partial-*.json files in it.
func expandPartials(inputs []string) ([]string, error) {
	var paths []string
	for _, in := range inputs {
		st, err := os.Stat(in)
		if err != nil {
			return nil, err
		}
		if !st.IsDir() {
			paths = append(paths, in)
			continue
		}
		found, err := filepath.Glob(filepath.Join(in, "partial-*.json"))
		if err != nil {
			return nil, err
		}
		if len(found) == 0 {
			return nil, fmt.Errorf("%s: no partial-*.json files in the directory", in)
		}
		slices.Sort(found)
		paths = append(paths, found...)
	}
	return paths, nil
}

func readPartial(path string) (*whatif.Result, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	res, err := whatif.ReadResult(f)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return res, nil
}
