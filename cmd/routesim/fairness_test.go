package main

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"os"
	"path/filepath"
	"runtime/debug"
	"slices"
	"strings"
	"testing"

	"github.com/routesim/routesim/bench/fairness"
)

// underRace reports whether the test binary was built with -race: drawing charts is then
// slow, and the command test skips them.
func underRace() bool {
	bi, ok := debug.ReadBuildInfo()
	if !ok {
		return false
	}
	for _, s := range bi.Settings {
		if s.Key == "-race" && s.Value == "true" {
			return true
		}
	}
	return false
}

// markdownTables returns the tables of a Markdown document as rows of cells, header first,
// and fails the test on a table whose rows differ in width or that has no separator row.
func markdownTables(t *testing.T, md string) [][][]string {
	t.Helper()
	var tables [][][]string
	var cur [][]string
	end := func() {
		if cur == nil {
			return
		}
		for i, row := range cur {
			if len(row) != len(cur[0]) {
				t.Errorf("table %q: row %d has %d cells; want %d", cur[0], i, len(row), len(cur[0]))
			}
		}
		if len(cur) < 3 || strings.Trim(strings.Join(cur[1], ""), "-:") != "" {
			t.Errorf("table %q: no separator row, or no rows", cur[0])
		}
		tables = append(tables, cur)
		cur = nil
	}
	for _, line := range strings.Split(md, "\n") {
		if !strings.HasPrefix(line, "|") {
			end()
			continue
		}
		var cells []string
		for _, c := range strings.Split(strings.Trim(line, "|"), "|") {
			cells = append(cells, strings.TrimSpace(c))
		}
		cur = append(cur, cells)
	}
	end()
	return tables
}

func TestFairnessQuick(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "out")
	args := []string{"fairness", "-quick", "-out", dir, "-workers", "2"}
	charts, reps := !underRace(), fairness.QuickSuiteReps
	if !charts { // the race detector slows the simulation and the drawing down
		reps = 2
		args = append(args, "-charts=false", "-reps", "2")
	}
	var stdout, stderr bytes.Buffer
	if code := runMain(context.Background(), args, &stdout, &stderr); code != 0 {
		t.Fatalf("routesim %s: exit %d\n%s", strings.Join(args, " "), code, stderr.String())
	}
	out := stdout.String()
	tables := markdownTables(t, out)
	// The fairness table, one per scenario, and the theory.
	if len(tables) != 8 {
		t.Fatalf("%d Markdown tables; want 8:\n%s", len(tables), out)
	}
	if got := len(tables[0]) - 2; got != 36 {
		t.Errorf("fairness table: %d rows; want 36 cells", got)
	}
	if h := tables[7][0]; !slices.Equal(h, []string{"scenario", "rule set", "class", "figure", "law", "theory", "simulated", "inside CI"}) {
		t.Errorf("theory table header %q", h)
	}
	for _, s := range []string{"# Routing fairness suite \"quick\"", "Erlang C", "Cobham", "conservation (Erlang C)", "Erlang A", "wrote " + dir} {
		if !strings.Contains(out, s) {
			t.Errorf("output lacks %q", s)
		}
	}
	want := []string{fairness.SuiteMarkdownFile, fairness.SuiteJSONFile, fairness.SuiteCSVFile}
	if charts {
		for _, n := range fairness.SuiteChartNames {
			want = append(want, n+".svg", n+".png")
		}
	}
	for _, f := range want {
		fi, err := os.Stat(filepath.Join(dir, f))
		if err != nil || fi.Size() == 0 {
			t.Errorf("%s: %v, want a non-empty file", f, err)
		}
	}
	md, _ := os.ReadFile(filepath.Join(dir, fairness.SuiteMarkdownFile))
	if !strings.HasPrefix(out, string(md)) {
		t.Errorf("%s differs from the tables printed", fairness.SuiteMarkdownFile)
	}
	var res struct {
		Suite struct {
			Reps int `json:"reps"`
		} `json:"suite"`
		Cells []json.RawMessage `json:"cells"`
	}
	b, _ := os.ReadFile(filepath.Join(dir, fairness.SuiteJSONFile))
	if err := json.Unmarshal(b, &res); err != nil || len(res.Cells) != 36 || res.Suite.Reps != reps {
		t.Errorf("%s: %v, %d cells, %d replications; want 36, %d", fairness.SuiteJSONFile, err, len(res.Cells), res.Suite.Reps, reps)
	}
	f, _ := os.Open(filepath.Join(dir, fairness.SuiteCSVFile))
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	if err != nil || len(rows) < 36 || rows[0][0] != "scenario" {
		t.Errorf("%s: %v, %d rows", fairness.SuiteCSVFile, err, len(rows))
	}
}

func TestFairnessUsage(t *testing.T) {
	for _, args := range [][]string{
		{"fairness", "-reps", "1"},
		{"fairness", "-reps", "-3"},
		{"fairness", "-workers", "-1"},
		{"fairness", "-confidence", "1.5"},
		{"fairness", "-out", ""},
		{"fairness", "extra"},
		{"fairness", "-nosuchflag"},
	} {
		var stdout, stderr bytes.Buffer
		if code := runMain(context.Background(), args, &stdout, &stderr); code != 2 {
			t.Errorf("routesim %s: exit %d; want 2 (usage)", strings.Join(args, " "), code)
		}
	}
	var stdout, stderr bytes.Buffer
	if code := runMain(context.Background(), []string{"fairness", "-h"}, &stdout, &stderr); code != 0 || !strings.Contains(stderr.String(), "-quick") {
		t.Errorf("routesim fairness -h: exit %d, usage %q", code, stderr.String())
	}
}

func TestFairnessCancelled(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	var stdout, stderr bytes.Buffer
	if code := runMain(ctx, []string{"fairness", "-quick", "-out", t.TempDir()}, &stdout, &stderr); code != 1 {
		t.Errorf("cancelled run: exit %d; want 1", code)
	}
}
