package main

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/routesim/routesim/sim"
)

// scenarioFile writes the example scenario, shortened to 4 hours and edited by edit, to a
// temporary file and returns its path.
func scenarioFile(t *testing.T, edit func(m map[string]any)) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("..", "..", "sim", "testdata", "example.json"))
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatal(err)
	}
	m["horizon"] = "10h"
	m["replications"] = 3
	if edit != nil {
		edit(m)
	}
	b, err = json.Marshal(m)
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "scenario.json")
	if err := os.WriteFile(path, b, 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

func runCmd(args ...string) (code int, stdout, stderr string) {
	var out, errb bytes.Buffer
	code = runMain(context.Background(), append([]string{"run"}, args...), &out, &errb)
	return code, out.String(), errb.String()
}

// TestRunTable: the table splits on spaces into rows of as many fields as its header, each
// value a number, "mean±half-width" or "-".
func TestRunTable(t *testing.T) {
	code, out, errs := runCmd("-scenario", scenarioFile(t, nil), "-workers", "2")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	blocks := strings.Split(strings.TrimSpace(out), "\n\n")
	if len(blocks) != 3 || !strings.HasPrefix(blocks[0], "scenario ") {
		t.Fatalf("got %d blocks; want a title, the figures and the groups:\n%s", len(blocks), out)
	}
	for _, block := range blocks[1:] {
		lines := strings.Split(block, "\n")
		head := strings.Fields(lines[0])
		if len(lines) < 2 {
			t.Fatalf("block has no rows:\n%s", block)
		}
		for _, line := range lines[1:] {
			f := strings.Fields(line)
			if len(f) != len(head) {
				t.Fatalf("row %q has %d fields; header has %d", line, len(f), len(head))
			}
			for _, v := range f[2:] {
				if !isEstimate(v) {
					t.Fatalf("value %q in row %q is not mean±half-width", v, line)
				}
			}
		}
	}
	if !strings.Contains(out, "overall") || !strings.Contains(out, "SL@20s") {
		t.Fatalf("table lacks the overall row or the service level:\n%s", out)
	}
}

func isEstimate(v string) bool {
	if v == "-" {
		return true
	}
	for _, p := range strings.Split(v, "±") {
		if _, err := strconv.ParseFloat(p, 64); err != nil {
			return false
		}
	}
	return true
}

func TestRunJSON(t *testing.T) {
	out := filepath.Join(t.TempDir(), "res.json")
	code, stdout, errs := runCmd("-scenario", scenarioFile(t, nil), "-format", "json", "-reps", "2", "-seed", "9", "-out", out)
	if code != 0 || stdout != "" {
		t.Fatalf("exit %d, stdout %q: %s", code, stdout, errs)
	}
	b, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	var res sim.Result
	if err := json.Unmarshal(b, &res); err != nil {
		t.Fatalf("invalid JSON: %v", err)
	}
	if res.Replications != 2 || res.Seed != 9 || res.Overall.Offered.Mean <= 0 || len(res.Queues) != 2 {
		t.Fatalf("decoded %d reps, seed %d, offered %v, %d queues", res.Replications, res.Seed, res.Overall.Offered, len(res.Queues))
	}
}

func TestRunCSV(t *testing.T) {
	code, out, errs := runCmd("-scenario", scenarioFile(t, nil), "-format", "csv")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	rows, err := csv.NewReader(strings.NewReader(out)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) < 10 || strings.Join(rows[0], ",") != "scope,key,figure,mean,halfWidth,lo,hi,stdDev,n" {
		t.Fatalf("unexpected CSV head %v (%d rows)", rows[0], len(rows))
	}
	if rows[1][0] != "overall" || rows[1][2] != "offered" {
		t.Fatalf("first figure %v; want overall offered", rows[1])
	}
}

// TestRunErrors: bad flags exit 2 and bad scenarios exit 1, naming the flag or field.
func TestRunErrors(t *testing.T) {
	bad := scenarioFile(t, func(m map[string]any) {
		m["agentGroups"].([]any)[1].(map[string]any)["count"] = -3
	})
	for _, tc := range []struct {
		args []string
		code int
		want string
	}{
		{nil, 2, "-scenario is required"},
		{[]string{"-scenario", bad, "-format", "xml"}, 2, "-format"},
		{[]string{"-scenario", bad, "-reps", "-1"}, 2, "-reps"},
		{[]string{"-scenario", bad, "-confidence", "2"}, 2, "-confidence"},
		{[]string{"-scenario", bad, "extra"}, 2, "extra"},
		{[]string{"-scenario", bad}, 1, "agentGroups[1].count: -3 is negative"},
		{[]string{"-scenario", filepath.Join(t.TempDir(), "missing.json")}, 1, "missing.json"},
	} {
		code, _, errs := runCmd(tc.args...)
		if code != tc.code || !strings.Contains(errs, tc.want) {
			t.Errorf("run %v: exit %d, %q; want exit %d naming %q", tc.args, code, errs, tc.code, tc.want)
		}
	}
}
