package main

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/routesim/routesim/contact"
	"github.com/routesim/routesim/routing"
	"github.com/routesim/routesim/sim"
	"github.com/routesim/routesim/sim/simtest"
	"github.com/routesim/routesim/sim/whatif"
)

func simDuration(d time.Duration) sim.Duration { return sim.Duration(d) }

// whatIfFile writes a small what-if to a temporary file and returns its path: one queue
// and two classes, 3 to 5 agents under two variants, and the solver on four 15-minute
// intervals; 3 replications. The scenario is in its own file, referred to by scenarioFile.
func whatIfFile(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	patience := sim.Exp(simDuration(3 * time.Minute))
	sc := &sim.Scenario{
		Horizon: simDuration(time.Hour), Cycle: simDuration(time.Hour),
		Queues:          []routing.QueueConfig{{ID: "q"}},
		RoutingProfiles: []routing.ProfileConfig{{ID: "p", Queues: []routing.ProfileQueueConfig{{QueueID: "q", Channel: contact.Voice, Priority: 1}}}},
		AgentGroups:     []sim.AgentGroup{{ID: "agents", Count: 4, RoutingProfileID: "p"}},
		Classes:         []sim.Class{{ID: "std"}, {ID: "vip", Priority: 1}},
		Arrivals: []sim.Arrivals{{Queue: "q", RatesPerHour: []float64{40, 60, 50, 30},
			Classes:    []sim.ClassWeight{{Class: "std", Weight: 9}, {Class: "vip", Weight: 1}},
			HandleTime: sim.Exp(simDuration(4 * time.Minute)), Patience: &patience}},
	}
	writeJSONFile(t, filepath.Join(dir, "centre.json"), sc)
	w := &whatif.WhatIf{
		Name:         "small",
		ScenarioFile: "centre.json",
		Reps:         3,
		Sweep: whatif.Sweep{
			Agents:   []whatif.AgentRange{{Name: "agents", From: 3, To: 5}},
			Variants: []whatif.Variant{{Name: "base"}, {Name: "fifo", Patch: json.RawMessage(`{"classes":{"vip":{"priority":5}}}`)}},
		},
		Solve: &whatif.Solve{Horizon: simDuration(30 * time.Minute), Warmup: simDuration(10 * time.Minute)},
	}
	path := filepath.Join(dir, "whatif.json")
	writeJSONFile(t, path, w)
	return path
}

func writeJSONFile(t *testing.T, path string, v any) {
	t.Helper()
	b, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, b, 0o644); err != nil {
		t.Fatal(err)
	}
}

// runCommand runs routesim with args and returns its exit status, stdout and stderr.
func runCommand(t *testing.T, ctx context.Context, args ...string) (int, string, string) {
	t.Helper()
	var out, errb bytes.Buffer
	code := runMain(ctx, args, &out, &errb)
	return code, out.String(), errb.String()
}

func mustRunCommand(t *testing.T, args ...string) string {
	t.Helper()
	code, out, errs := runCommand(t, context.Background(), args...)
	if code != 0 {
		t.Fatalf("routesim %s: exit %d\n%s", strings.Join(args, " "), code, errs)
	}
	return out
}

var outputFiles = []string{"whatif.json", "points.csv", "occupancy.csv", "staffing.csv",
	"service-level.svg", "service-level.png", "asa.svg", "asa.png", "abandonment.svg", "abandonment.png",
	"staffing.svg", "staffing.png"}

func TestWhatIfWritesFiles(t *testing.T) {
	spec := whatIfFile(t)
	dir := filepath.Join(t.TempDir(), "out")
	out := mustRunCommand(t, "whatif", "-scenario", spec, "-out", dir)
	for _, s := range []string{"targets (met when", "Sweep:", "Fewest agents meeting every target", "Staffing per interval", "SL20s q", "ErlangC", "wrote " + dir} {
		if !strings.Contains(out, s) {
			t.Errorf("table output lacks %q:\n%s", s, out)
		}
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	for _, f := range outputFiles {
		if !slices.Contains(names, f) {
			t.Errorf("%s not written; the directory holds %v", f, names)
		}
	}
	if len(names) != len(outputFiles) {
		t.Errorf("the directory holds %v; want exactly %v", names, outputFiles)
	}
	res := readWhatIfResult(t, filepath.Join(dir, "whatif.json"))
	if !res.Complete || len(res.Points) != 6 || len(res.Staffing) != 4 {
		t.Errorf("whatif.json: complete %v, %d points, %d intervals; want true, 6, 4", res.Complete, len(res.Points), len(res.Staffing))
	}
	rows := readCSVFile(t, filepath.Join(dir, "points.csv"))
	// A row per point and cell (all, queue q, classes std and vip), after the header.
	if len(rows) != 1+6*4 || rows[0][0] != "point" || rows[0][2] != "agents" {
		t.Errorf("points.csv: %d rows, header %v; want 25 rows starting point,variant,agents", len(rows), rows[0])
	}
	if rows := readCSVFile(t, filepath.Join(dir, "staffing.csv")); len(rows) != 1+4 {
		t.Errorf("staffing.csv: %d rows; want 5", len(rows))
	}
}

func readWhatIfResult(t *testing.T, path string) *whatif.Result {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	res, err := whatif.ReadResult(f)
	if err != nil {
		t.Fatal(err)
	}
	return res
}

func readCSVFile(t *testing.T, path string) [][]string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	rows, err := csv.NewReader(bytes.NewReader(b)).ReadAll()
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	return rows
}

// TestWhatIfShardsMergeToUnsharded runs a what-if whole and as 3 shards, merges the shards,
// and requires the merged files to be byte for byte the unsharded run's: JSON and CSV, and
// the charts too but under the race detector, where drawing them is slow.
func TestWhatIfShardsMergeToUnsharded(t *testing.T) {
	spec := whatIfFile(t)
	tmp := t.TempDir()
	whole, parts, merged := filepath.Join(tmp, "whole"), filepath.Join(tmp, "parts"), filepath.Join(tmp, "merged")
	charts := fmt.Sprintf("-charts=%v", !simtest.Race)
	mustRunCommand(t, "whatif", "-scenario", spec, "-out", whole, charts)
	for i := range 3 {
		out := mustRunCommand(t, "whatif", "-scenario", spec, "-out", parts, "-shard", fmt.Sprintf("%d/3", i), "-workers", "1")
		if !strings.Contains(out, fmt.Sprintf("partial-%d-of-3.json", i)) {
			t.Errorf("shard %d/3 output does not name its partial file: %s", i, out)
		}
	}
	// Flags may follow the partial results.
	mustRunCommand(t, "merge", parts, "-out", merged, charts)
	files := outputFiles
	if simtest.Race {
		files = outputFiles[:4]
	}
	for _, f := range files {
		a, err := os.ReadFile(filepath.Join(whole, f))
		if err != nil {
			t.Fatal(err)
		}
		b, err := os.ReadFile(filepath.Join(merged, f))
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(a, b) {
			t.Errorf("merged %s differs from the unsharded run's (%d and %d bytes)", f, len(b), len(a))
		}
	}
}

func TestWhatIfBadShard(t *testing.T) {
	spec := whatIfFile(t)
	for _, tc := range []struct{ shard, msg string }{
		{"3/3", "the index must be in 0..2"},
		{"-1/4", "the index must be in 0..3"},
		{"1/0", "at least 1"},
		{"1", "want i/n"},
		{"one/two", "whole numbers"},
	} {
		t.Run(tc.shard, func(t *testing.T) {
			code, _, errs := runCommand(t, context.Background(), "whatif", "-scenario", spec, "-out", t.TempDir(), "-shard", tc.shard)
			if code != 2 || !strings.Contains(errs, tc.msg) {
				t.Errorf("-shard %s: exit %d, %q; want exit 2 saying %q", tc.shard, code, errs, tc.msg)
			}
		})
	}
}

func TestMergeRejectsMismatchedPartials(t *testing.T) {
	spec := whatIfFile(t)
	tmp := t.TempDir()
	a, b := filepath.Join(tmp, "a"), filepath.Join(tmp, "b")
	for i := range 2 {
		mustRunCommand(t, "whatif", "-scenario", spec, "-out", a, "-shard", fmt.Sprintf("%d/2", i))
		mustRunCommand(t, "whatif", "-scenario", spec, "-out", b, "-shard", fmt.Sprintf("%d/2", i), "-seed", "99")
	}
	p := func(dir string, i int) string { return filepath.Join(dir, fmt.Sprintf("partial-%d-of-2.json", i)) }
	for _, tc := range []struct {
		name string
		args []string
		code int
		msg  string
	}{
		{"other seed", []string{p(a, 0), p(b, 1)}, 1, "from a different what-if"},
		{"missing shard", []string{p(a, 0)}, 1, "missing shard(s) 1/2"},
		{"shard twice", []string{p(a, 0), p(a, 0), p(a, 1)}, 1, "given twice"},
		{"not a result", []string{spec}, 1, "reading a what-if result"},
		{"nothing", nil, 2, "no partial results given"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			args := append([]string{"merge", "-out", filepath.Join(tmp, "merged")}, tc.args...)
			code, _, errs := runCommand(t, context.Background(), args...)
			if code != tc.code || !strings.Contains(errs, tc.msg) {
				t.Errorf("merge %v: exit %d, %q; want exit %d saying %q", tc.args, code, errs, tc.code, tc.msg)
			}
		})
	}
}

func TestWhatIfInterruptedKeepsPartialResult(t *testing.T) {
	spec := whatIfFile(t)
	dir := t.TempDir()
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	code, _, errs := runCommand(t, ctx, "whatif", "-scenario", spec, "-out", dir)
	if code != 1 || !strings.Contains(errs, "interrupted") {
		t.Fatalf("exit %d, %q; want 1, interrupted", code, errs)
	}
	res := readWhatIfResult(t, filepath.Join(dir, "whatif.json"))
	if res.Complete {
		t.Error("whatif.json of an interrupted run says complete")
	}
}

func TestWhatIfFormats(t *testing.T) {
	spec := whatIfFile(t)
	out := mustRunCommand(t, "whatif", "-scenario", spec, "-out", t.TempDir(), "-format", "json", "-charts=false")
	if _, err := whatif.ReadResult(strings.NewReader(out)); err != nil {
		t.Errorf("-format json: %v", err)
	}
	out = mustRunCommand(t, "whatif", "-scenario", spec, "-out", t.TempDir(), "-format", "csv", "-charts=false")
	rows, err := csv.NewReader(strings.NewReader(out)).ReadAll()
	if err != nil || len(rows) != 25 {
		t.Errorf("-format csv: %d rows, %v; want points.csv's 25", len(rows), err)
	}
	code, _, errs := runCommand(t, context.Background(), "whatif", "-format", "xml")
	if code != 2 || !strings.Contains(errs, "want table, json or csv") {
		t.Errorf("-format xml: exit %d, %q; want a usage error", code, errs)
	}
}

func TestWhatIfPrintDefault(t *testing.T) {
	out := mustRunCommand(t, "whatif", "-print-default")
	w, err := whatif.Decode(strings.NewReader(out))
	if err != nil {
		t.Fatal(err)
	}
	got, _ := json.Marshal(w)
	want, _ := json.Marshal(whatif.Default())
	if !bytes.Equal(got, want) {
		t.Error("-print-default does not decode to the built-in what-if")
	}
}

// TestWhatIfDefaultFileIsCurrent: docs/whatif-default.json is what -print-default prints.
func TestWhatIfDefaultFileIsCurrent(t *testing.T) {
	want, err := os.ReadFile(filepath.Join("..", "..", "docs", "whatif-default.json"))
	if err != nil {
		t.Fatal(err)
	}
	if got := mustRunCommand(t, "whatif", "-print-default"); got != string(want) {
		t.Error("docs/whatif-default.json is out of date: run go run ./cmd/routesim whatif -print-default > docs/whatif-default.json")
	}
}

// TestWhatIfDefaultFileIsTheDefault: running docs/whatif-default.json asks the same question
// as running with no flags (equal fingerprints), so its partial results merge.
func TestWhatIfDefaultFileIsTheDefault(t *testing.T) {
	w, err := whatif.Load(filepath.Join("..", "..", "docs", "whatif-default.json"))
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel() // plan only: nothing runs
	fromFile, _ := whatif.Run(ctx, w, whatif.Options{})
	builtIn, _ := whatif.Run(ctx, whatif.Default(), whatif.Options{})
	if fromFile == nil || builtIn == nil || fromFile.Fingerprint != builtIn.Fingerprint {
		t.Errorf("docs/whatif-default.json and the built-in what-if have different fingerprints")
	}
}

// TestWhatIfDocExample: the what-if file shown in docs/whatif.md is valid for the built-in
// centre (which stands in for its centre.json).
func TestWhatIfDocExample(t *testing.T) {
	doc, err := os.ReadFile(filepath.Join("..", "..", "docs", "whatif.md"))
	if err != nil {
		t.Fatal(err)
	}
	_, rest, ok := strings.Cut(string(doc), "\n## The what-if file\n\n```json\n")
	block, _, ok2 := strings.Cut(rest, "```")
	if !ok || !ok2 {
		t.Fatal("docs/whatif.md has no JSON block under \"## The what-if file\"")
	}
	w, err := whatif.Decode(strings.NewReader(block))
	if err != nil {
		t.Fatal(err)
	}
	w.ScenarioFile, w.Scenario = "", sim.DefaultScenario()
	ctx, cancel := context.WithCancel(context.Background())
	cancel() // plan only: nothing runs
	res, err := whatif.Run(ctx, w, whatif.Options{})
	if res == nil {
		t.Fatalf("the documented what-if: %v", err)
	}
	if res.Tasks != 4*3*5+3 {
		t.Errorf("the documented what-if has %d tasks; want 63", res.Tasks)
	}
}
