package fairness

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"errors"
	"image/png"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/routesim/routesim/routing"
	"github.com/routesim/routesim/sim"
	"github.com/routesim/routesim/sim/simtest"
	"github.com/routesim/routesim/sim/theory"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

var (
	quickOnce sync.Once
	quickRes  *SuiteResult
	quickErr  error
)

// quickResult runs QuickSuite once for every test that reads it, with 3 replications a cell
// under the race detector, which slows the simulation down tenfold.
func quickResult(t *testing.T) *SuiteResult {
	t.Helper()
	quickOnce.Do(func() {
		start := time.Now()
		s := QuickSuite()
		if simtest.Race {
			s.Reps = 3
		}
		quickRes, quickErr = RunSuite(context.Background(), s, SuiteOptions{})
		t.Logf("quick suite: %v", time.Since(start).Round(time.Millisecond))
	})
	if quickErr != nil {
		t.Fatal(quickErr)
	}
	return quickRes
}

// singleQueue reports whether the named scenario of s has one queue.
func singleQueue(s *Suite, name string) bool {
	i, _ := s.CellIndex(name, s.RuleSets[0].Name)
	return len(s.Scenarios[i].Queues) == 1
}

func TestSuiteValid(t *testing.T) {
	for _, s := range []*Suite{DefaultSuite(), QuickSuite()} {
		if err := s.Validate(); err != nil {
			t.Errorf("suite %s: %v", s.Name, err)
		}
		if got := len(s.Scenarios) * len(s.RuleSets); got != 36 {
			t.Errorf("suite %s: %d cells; want 6 scenarios × 6 rule sets = 36", s.Name, got)
		}
	}
}

func TestSuiteValidateErrors(t *testing.T) {
	for _, tc := range []struct {
		name string
		edit func(s *Suite)
	}{
		{"no reps", func(s *Suite) { s.Reps = 0 }},
		{"confidence 1", func(s *Suite) { s.Confidence = 1 }},
		{"zero window", func(s *Suite) { s.Window = 0 }},
		{"repeated scenario", func(s *Suite) { s.Scenarios[1].Name = s.Scenarios[0].Name }},
		{"repeated rule set", func(s *Suite) { s.RuleSets[1].Name = s.RuleSets[0].Name }},
		{"shares", func(s *Suite) { s.Scenarios[0].Classes[0].Share = 0.5 }},
		{"priorities decrease", func(s *Suite) { s.Scenarios[0].Classes[2].Priority = 1 }},
		{"three queues", func(s *Suite) {
			s.Scenarios[0].Queues = append(s.Scenarios[0].Queues, SuiteQueue{ID: "a", Agents: 1, Load: 1}, SuiteQueue{ID: "b", Agents: 1, Load: 1})
		}},
		{"no agents", func(s *Suite) { s.Scenarios[0].Queues[0].Agents = 0 }},
		{"no hours", func(s *Suite) { s.Scenarios[0].Hours = 0 }},
		{"age bonus without priorities", func(s *Suite) { s.RuleSets[0].AgeBonus = true }},
		{"fractional delay", func(s *Suite) { s.RuleSets[4].OverflowDelay = dur(1500 * time.Millisecond) }},
		{"backup share 1", func(s *Suite) { s.RuleSets[4].BackupShare = 1 }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := DefaultSuite()
			tc.edit(s)
			err := s.Validate()
			if !errors.Is(err, ErrInvalid) {
				t.Errorf("got %v; want an error wrapping ErrInvalid", err)
			}
		})
	}
}

// TestSuiteBuild checks the classes and routing profiles each rule set gives a scenario.
func TestSuiteBuild(t *testing.T) {
	s := DefaultSuite()
	build := func(scenario, ruleSet string) *sim.Scenario {
		t.Helper()
		i, j := s.CellIndex(scenario, ruleSet)
		sc, err := s.Build(i, j)
		require.NoError(t, err)
		return sc
	}
	type cls struct {
		prio  int64
		age   sim.Duration
		rules int
	}
	classes := func(sc *sim.Scenario) []cls {
		var out []cls
		for _, c := range sc.Classes {
			out = append(out, cls{c.Priority, c.AgeAdjustment, len(c.Rules)})
		}
		return out
	}
	for _, tc := range []struct {
		ruleSet string
		want    []cls
	}{
		{"fifo", []cls{{5, 0, 0}, {5, 0, 0}, {5, 0, 0}}},
		{"priority", []cls{{1, 0, 0}, {2, 0, 0}, {3, 0, 0}}},
		{"priority+age", []cls{{1, 0, 0}, {2, dur(2 * time.Minute), 0}, {2, 0, 0}}},
		{"escalation", []cls{{1, 0, 0}, {2, 0, 2}, {3, 0, 4}}},
		{"delayed-overflow", []cls{{1, 0, 0}, {2, 0, 0}, {3, 0, 0}}},
	} {
		t.Run(tc.ruleSet, func(t *testing.T) {
			if got := classes(build("balanced", tc.ruleSet)); !slices.Equal(got, tc.want) {
				t.Errorf("balanced classes: got %v; want %v", got, tc.want)
			}
		})
	}
	t.Run("escalation rules", func(t *testing.T) {
		bronze := build("balanced", "escalation").Classes[2]
		var got []string
		for _, r := range bronze.Rules {
			switch {
			case r.SetPriority != nil:
				got = append(got, r.After.String()+" priority "+ftoa(float64(*r.SetPriority)))
			default:
				got = append(got, r.After.String()+" age +"+r.AddAge.String())
			}
		}
		want := []string{"2m0s priority 2", "2m0s age +2m0s", "4m0s priority 1", "4m0s age +2m0s"}
		if !slices.Equal(got, want) {
			t.Errorf("bronze escalation rules: got %v; want %v", got, want)
		}
	})
	t.Run("backup team", func(t *testing.T) {
		sc := build("balanced", "delayed-overflow")
		var got []string
		for k, g := range sc.AgentGroups {
			q := sc.RoutingProfiles[k].Queues[0]
			got = append(got, g.ID+" "+ftoa(float64(g.Count))+" delay "+ftoa(float64(q.DelaySeconds)))
		}
		want := []string{"q-team 8 delay 0", "q-backup 2 delay 60"}
		if !slices.Equal(got, want) {
			t.Errorf("delayed overflow on one queue: got %v; want %v", got, want)
		}
		if got := build("balanced", "priority").AgentGroups; len(got) != 1 || got[0].Count != 10 {
			t.Errorf("priority on one queue: groups %+v; want one of 10", got)
		}
	})
	t.Run("overflow delays", func(t *testing.T) {
		for ruleSet, delay := range map[string]int{"priority": 0, "delayed-overflow": 60} {
			sc := build("overflow", ruleSet)
			for _, p := range sc.RoutingProfiles {
				own, other := p.Queues[0], p.Queues[1]
				if own.Priority != 1 || own.DelaySeconds != 0 || other.Priority != 2 || other.DelaySeconds != delay {
					t.Errorf("%s, profile %s: entries %+v; want own queue at priority 1 at once, the other at priority 2 after %d s", ruleSet, p.ID, p.Queues, delay)
				}
			}
		}
	})
	t.Run("rates and seeds", func(t *testing.T) {
		sc := build("heavy", "fifo")
		// 0.95 × 10 agents / 300 s = 114 contacts per hour.
		if got := sc.Arrivals[0].RatePerHour; math.Abs(got-114) > 1e-9 {
			t.Errorf("heavy arrival rate %v per hour; want 114", got)
		}
		if a, b := build("heavy", "fifo").Seed, build("heavy", "escalation").Seed; a != b {
			t.Errorf("rule sets of one scenario have seeds %d and %d; want equal", a, b)
		}
		if a, b := build("heavy", "fifo").Seed, build("balanced", "fifo").Seed; a == b {
			t.Errorf("two scenarios share seed %d; want different", a)
		}
	})
}

// TestSuiteTheoryLaws checks which laws SuiteTheory sets beside which cells, and Cobham's
// waits with classes sharing a priority level.
func TestSuiteTheoryLaws(t *testing.T) {
	s := DefaultSuite()
	laws := func(scenario, ruleSet string) []string {
		i, j := s.CellIndex(scenario, ruleSet)
		cell := emptyCell(&s.Scenarios[i], len(s.WaitThresholds))
		var out []string
		for _, c := range SuiteTheory(&s.Scenarios[i], &s.RuleSets[j], cell) {
			out = append(out, c.Class+" "+c.Figure+" "+c.Law)
		}
		return out
	}
	for _, tc := range []struct {
		scenario, ruleSet string
		want              []string
	}{
		{"balanced", "fifo", []string{"all meanWait Erlang C", "gold meanWait Erlang C", "silver meanWait Erlang C", "bronze meanWait Erlang C"}},
		{"balanced", "priority", []string{"all meanWait conservation (Erlang C)", "gold meanWait Cobham", "silver meanWait Cobham", "bronze meanWait Cobham"}},
		{"balanced", "priority+age", []string{"all meanWait conservation (Erlang C)", "gold meanWait Cobham"}},
		{"balanced", "escalation", []string{"all meanWait conservation (Erlang C)"}},
		{"balanced", "delayed-overflow", nil},
		{"overload", "fifo", []string{"all meanTimeInQueue Erlang A", "all abandonRate Erlang A"}},
		{"overload", "priority", nil},
		{"overflow", "fifo", []string{"all meanWait conservation (Erlang C)"}},
		{"overflow", "priority", []string{"all meanWait conservation (Erlang C)"}},
		{"overflow", "delayed-overflow", nil},
	} {
		if got := laws(tc.scenario, tc.ruleSet); !slices.Equal(got, tc.want) {
			t.Errorf("%s/%s: got %q; want %q", tc.scenario, tc.ruleSet, got, tc.want)
		}
	}

	// Under priority plus age the callbacks scenario has two levels: vip (10%) at 1, inbound and
	// callback (90%) at 2. Cobham's top level: C(c, a)/(cμ(1 - σ_1)), σ_1 = 0.1·0.85.
	i, j := s.CellIndex("callbacks", "priority+age")
	sc := &s.Scenarios[i]
	mu, lambda := 1/300.0, 0.85*10/300.0
	levels, waits := cobhamLevels(sc, &s.RuleSets[j], 10, mu, lambda)
	want := theory.ErlangC(10, lambda/mu) / (10 * mu * (1 - 0.1*0.85))
	if !slices.Equal(levels, []int64{1, 2}) || math.Abs(waits[0]-want) > 1e-9*want {
		t.Errorf("callbacks priority+age: levels %v, top wait %v; want [1 2], %v", levels, waits, want)
	}
	// The level below waits as Cobham's lowest class, and the arrival-weighted mean is Erlang
	// C's (conservation).
	wc, _ := theory.ErlangCMeanWait(10, lambda, mu)
	if mean := 0.1*waits[0] + 0.9*waits[1]; math.Abs(mean-wc) > 1e-9*wc {
		t.Errorf("callbacks priority+age: weighted Cobham wait %v; want Erlang C's %v", mean, wc)
	}
}

// emptyCell returns a cell of sc whose figures are all NaN, for SuiteTheory.
func emptyCell(sc *SuiteScenario, thresholds int) *SuiteCell {
	var names []string
	for _, c := range sc.Classes {
		names = append(names, c.ID)
	}
	rep := repFigures(Report{WaitThresholds: make([]float64, thresholds), LowestClass: -1}, names, 0)
	s := DefaultSuite()
	cell := &SuiteCell{Overall: aggregateClass([]*SuiteClassFigures[float64]{&rep.Overall}, s.WaitThresholds, 0.99)}
	for k := range rep.Classes {
		cell.Classes = append(cell.Classes, aggregateClass([]*SuiteClassFigures[float64]{&rep.Classes[k]}, s.WaitThresholds, 0.99))
	}
	return cell
}

// TestSuiteFIFOZeroInversions: under FIFO on one queue no contact is served before one that
// arrived earlier, in any replication.
func TestSuiteFIFOZeroInversions(t *testing.T) {
	res := quickResult(t)
	for _, c := range res.Cells {
		if c.RuleSet != "fifo" || !singleQueue(res.Suite, c.Scenario) {
			continue
		}
		for r, rep := range c.Reps {
			if rep.Report.Inversions != 0 || rep.Report.KendallTau != 1 || rep.Report.Overall.Served == 0 {
				t.Errorf("%s/fifo, replication %d: %d inversions, Kendall's tau %v over %d served; want 0, 1 over some",
					c.Scenario, r, rep.Report.Inversions, rep.Report.KendallTau, rep.Report.Overall.Served)
			}
		}
	}
}

// TestSuitePriorityNoWithinClassInversions: with one queue, every rule set of the suite keeps
// each class in arrival order (a class shares its priority, age bonus and escalation steps,
// and a profile delay makes the oldest contacts eligible first), while priorities reorder
// across classes.
func TestSuitePriorityNoWithinClassInversions(t *testing.T) {
	res := quickResult(t)
	for _, c := range res.Cells {
		if !singleQueue(res.Suite, c.Scenario) {
			continue
		}
		var across uint64
		for r, rep := range c.Reps {
			if rep.Report.InversionsWithinClass != 0 {
				t.Errorf("%s/%s, replication %d: %d inversions within a class; want 0", c.Scenario, c.RuleSet, r, rep.Report.InversionsWithinClass)
			}
			across += rep.Report.Inversions
		}
		if c.RuleSet == "priority" && across == 0 {
			t.Errorf("%s/priority: no inversions across classes; want some", c.Scenario)
		}
	}
}

// TestSuiteInversionsMatchSim checks the suite's ordering of contacts against the simulator's
// own count: with one queue, no abandonment and every contact served before the horizon, the
// pairs served against arrival order are the sum over contacts of ContactRecord.Overtook.
func TestSuiteInversionsMatchSim(t *testing.T) {
	s := DefaultSuite()
	s.Warmup, s.Cooldown = 0, 0
	i, _ := s.CellIndex("callbacks", "fifo")
	sc := &s.Scenarios[i]
	for j, rs := range s.RuleSets {
		t.Run(rs.Name, func(t *testing.T) {
			cell, err := s.Build(i, j)
			require.NoError(t, err)
			// Arrivals for 8 hours at 95% load, then none for 4: the queue drains.
			cell.Horizon, cell.Interval = dur(12*time.Hour), dur(4*time.Hour)
			cell.Cycle = cell.Horizon
			a := &cell.Arrivals[0]
			a.RatesPerHour, a.RatePerHour = []float64{a.RatePerHour * 0.95 / 0.85, a.RatePerHour * 0.95 / 0.85, 0}, 0
			var overtook, open int64
			if _, err := sim.RunReplication(context.Background(), cell, 7, 0, sim.Hooks{OnContact: func(r sim.ContactRecord) {
				overtook += int64(r.Overtook)
				if r.Reason == routing.NotEnded && r.Routed < 0 {
					open++
				}
			}}); err != nil {
				t.Fatal(err)
			}
			var rr Replicator
			cell.Seed = 7
			rep, err := rr.run(context.Background(), s, sc, cell, 0)
			require.NoError(t, err)
			if open != 0 || rep.Across.Censored != 0 {
				t.Fatalf("%d contacts still waiting at the horizon; want none", open)
			}
			if got := int64(rep.Report.Inversions); got != overtook || rep.Report.Overall.Served < 500 {
				t.Errorf("suite counts %d inversions over %d served; the simulator %d", got, rep.Report.Overall.Served, overtook)
			}
		})
	}
}

// TestSuiteQuickFigures checks the shape of the quick suite's result and that its figures
// hang together.
func TestSuiteQuickFigures(t *testing.T) {
	res := quickResult(t)
	s := res.Suite
	if len(res.Cells) != 36 {
		t.Fatalf("%d cells; want 36", len(res.Cells))
	}
	for n, c := range res.Cells {
		sc, rs := &s.Scenarios[n/len(s.RuleSets)], &s.RuleSets[n%len(s.RuleSets)]
		if c.Scenario != sc.Name || c.RuleSet != rs.Name || len(c.Classes) != len(sc.Classes) || len(c.Reps) != s.Reps {
			t.Fatalf("cell %d: %s/%s with %d classes, %d replications; want %s/%s, %d, %d", n, c.Scenario, c.RuleSet,
				len(c.Classes), len(c.Reps), sc.Name, rs.Name, len(sc.Classes), s.Reps)
		}
		var served float64
		for _, k := range c.Classes {
			served += k.Served.Mean
		}
		if c.Overall.Served.Mean <= 0 || math.Abs(served-c.Overall.Served.Mean) > 1e-6*served {
			t.Errorf("%s/%s: classes serve %v; overall %v", c.Scenario, c.RuleSet, served, c.Overall.Served.Mean)
		}
		if j := c.Across.JainMeanWait.Mean; !(j >= 1.0/3-1e-9 && j <= 1) {
			t.Errorf("%s/%s: Jain's index %v; want in [1/3, 1] for 3 classes", c.Scenario, c.RuleSet, j)
		}
		if ab := c.Overall.AbandonRate.Mean; (sc.Patience == 0) != (ab == 0) {
			t.Errorf("%s/%s: abandonment %v with patience %v", c.Scenario, c.RuleSet, ab, sc.Patience)
		}
		if c.Contacts <= 0 {
			t.Errorf("%s/%s: %d contacts", c.Scenario, c.RuleSet, c.Contacts)
		}
	}
	// Common random numbers: the rule sets of a scenario see the same arrivals.
	a, b := res.Cell("balanced", "fifo"), res.Cell("balanced", "priority")
	if a.Contacts != b.Contacts || a.Overall.Contacts.Mean != b.Overall.Contacts.Mean {
		t.Errorf("balanced: fifo and priority simulate %d and %d contacts; want the same", a.Contacts, b.Contacts)
	}
}

func TestSuiteDeterministic(t *testing.T) {
	small := func() *Suite {
		s := QuickSuite()
		s.Scenarios = []SuiteScenario{s.Scenarios[2], s.Scenarios[5]} // overload, overflow
		s.RuleSets = []RuleSet{s.RuleSets[1], s.RuleSets[4]}          // priority, delayed-overflow
		s.Reps = 3
		return s
	}
	var outs [][]byte
	for _, workers := range []int{1, 3} {
		res, err := RunSuite(context.Background(), small(), SuiteOptions{Workers: workers})
		require.NoError(t, err)
		var buf bytes.Buffer
		if err := res.WriteJSON(&buf); err != nil {
			t.Fatal(err)
		}
		outs = append(outs, buf.Bytes())
	}
	if !bytes.Equal(outs[0], outs[1]) {
		t.Errorf("results differ between 1 and 3 workers")
	}
}

func TestSuiteCancel(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := RunSuite(ctx, QuickSuite(), SuiteOptions{}); !errors.Is(err, context.Canceled) {
		t.Errorf("got %v; want context.Canceled", err)
	}
}

// parseMarkdownTables returns the tables of a Markdown document, each a list of rows of
// cells, header first, and fails on a table whose rows differ in width or whose second row
// is not a separator.
func parseMarkdownTables(t *testing.T, md string) [][][]string {
	t.Helper()
	var tables [][][]string
	var cur [][]string
	flush := func() {
		if cur == nil {
			return
		}
		if len(cur) < 3 {
			t.Errorf("table %q has no rows", cur[0])
		}
		for i, row := range cur {
			if len(row) != len(cur[0]) {
				t.Errorf("table %q: row %d has %d cells; want %d", cur[0], i, len(row), len(cur[0]))
			}
		}
		for _, c := range cur[1] {
			if strings.Trim(c, "-:") != "" || !strings.Contains(c, "---") {
				t.Errorf("table %q: second row %q is not a separator", cur[0], cur[1])
			}
		}
		tables = append(tables, cur)
		cur = nil
	}
	for _, line := range strings.Split(md, "\n") {
		if !strings.HasPrefix(line, "|") {
			flush()
			continue
		}
		if !strings.HasSuffix(line, "|") {
			t.Errorf("table row %q does not end with |", line)
		}
		var cells []string
		for _, c := range strings.Split(strings.ReplaceAll(strings.Trim(line, "|"), `\|`, "\x00"), "|") {
			cells = append(cells, strings.TrimSpace(strings.ReplaceAll(c, "\x00", "|")))
		}
		cur = append(cur, cells)
	}
	flush()
	return tables
}

func TestSuiteMarkdown(t *testing.T) {
	res := quickResult(t)
	var buf bytes.Buffer
	if err := res.WriteMarkdown(&buf); err != nil {
		t.Fatal(err)
	}
	tables := parseMarkdownTables(t, buf.String())
	// The fairness table, one per scenario, the theory.
	if len(tables) != 1+6+1 {
		t.Fatalf("%d tables; want 8", len(tables))
	}
	if got := len(tables[0]) - 2; got != 36 {
		t.Errorf("fairness table has %d rows; want 36", got)
	}
	theoryRows := 0
	for _, c := range res.Cells {
		theoryRows += len(c.Theory)
	}
	if got := len(tables[7]) - 2; got != theoryRows || theoryRows == 0 {
		t.Errorf("theory table has %d rows; want %d (> 0)", got, theoryRows)
	}
	if row := tables[0][2]; row[0] != "balanced" || row[1] != "fifo" || !strings.Contains(row[2], " ± ") {
		t.Errorf("first fairness row %q; want balanced, fifo, a mean wait with its interval", row)
	}
}

func TestSuiteCSVAndJSON(t *testing.T) {
	res := quickResult(t)
	var buf bytes.Buffer
	if err := res.WriteCSV(&buf); err != nil {
		t.Fatal(err)
	}
	rows, err := csv.NewReader(&buf).ReadAll()
	require.NoError(t, err)
	withTheory := 0
	for _, r := range rows[1:] {
		if r[8] != "" {
			withTheory++
		}
	}
	want := 0
	for _, c := range res.Cells {
		want += len(c.Theory)
	}
	if withTheory != want {
		t.Errorf("CSV: %d rows with theory; want %d", withTheory, want)
	}
	buf.Reset()
	if err := res.WriteJSON(&buf); err != nil {
		t.Fatal(err)
	}
	var back SuiteResult
	if err := json.Unmarshal(buf.Bytes(), &back); err != nil {
		t.Fatal(err)
	}
	if len(back.Cells) != 36 || back.Suite.Name != "quick" || back.Cells[0].Overall.MeanWait.Mean != res.Cells[0].Overall.MeanWait.Mean {
		t.Errorf("JSON round trip lost the cells")
	}
}

func TestSuiteFilesAndCharts(t *testing.T) {
	res := quickResult(t)
	dir := t.TempDir()
	charts := !simtest.Race // drawing is slow under the race detector and has no concurrency
	files, err := WriteSuiteFiles(dir, res, charts)
	require.NoError(t, err)
	want := []string{SuiteMarkdownFile, SuiteJSONFile, SuiteCSVFile}
	if charts {
		want = append(want, "class-waits.svg", "class-waits.png", "fairness-index.svg", "fairness-index.png")
	}
	if !slices.Equal(files, want) {
		t.Errorf("wrote %q; want %q", files, want)
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != len(want) {
		t.Errorf("%d files in the directory; want %d (no temporary files left)", len(entries), len(want))
	}
	if charts {
		figs, err := SuiteCharts(res)
		require.NoError(t, err)
		for _, f := range figs {
			svg, _ := os.ReadFile(filepath.Join(dir, f.Name+".svg"))
			if !bytes.Contains(svg[:min(len(svg), 200)], []byte("<svg")) || len(svg) < 10000 {
				t.Errorf("%s.svg: %d bytes, no <svg> root", f.Name, len(svg))
			}
			b, _ := os.ReadFile(filepath.Join(dir, f.Name+".png"))
			img, err := png.Decode(bytes.NewReader(b))
			if err != nil {
				t.Fatalf("%s.png: %v", f.Name, err)
			}
			w, h := f.Figure.PixelSize()
			if got := img.Bounds().Size(); got.X != w || got.Y != h {
				t.Errorf("%s.png: %v pixels; want %dx%d", f.Name, got, w, h)
			}
		}
	}
	// Without charts, stale ones go.
	if _, err := WriteSuiteFiles(dir, res, false); err != nil {
		t.Fatal(err)
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 3 {
		t.Errorf("%d files after a run without charts; want 3", len(entries))
	}
}

func TestSuiteFormat(t *testing.T) {
	for _, tc := range []struct {
		e    sim.Estimate
		want string
	}{
		{sim.Estimate{Mean: 61.3770, HalfWidth: 3.42}, "61.4 ± 3.4"},
		{sim.Estimate{Mean: 495.4, HalfWidth: 27.8}, "495 ± 28"},
		{sim.Estimate{Mean: 0.9876, HalfWidth: 0.0012}, "0.988 ± 0.001"},
		{sim.Estimate{Mean: 0, HalfWidth: 0}, "0"},
		{sim.Estimate{Mean: 3, HalfWidth: math.NaN()}, "3.00"},
		{sim.Estimate{Mean: math.NaN(), HalfWidth: math.NaN()}, "–"},
	} {
		if got := est(tc.e); got != tc.want {
			t.Errorf("est(%v) = %q; want %q", tc.e, got, tc.want)
		}
	}
	if got := thousands(79123456); got != "79,123,456" {
		t.Errorf("thousands: got %q", got)
	}
}

// maxRelHW bounds the relative half-width of the 99% interval of a validated mean wait: the
// default suite aims at ±3-5%; the lowest class of a priority order at 90-95% load, which
// waits long and rarely, gets ±6-7%.
const maxRelHW = 0.07

// TestValidationFairnessFIFO runs the FIFO column of the default suite: on one queue without
// abandonment, the mean wait of every class and of all must match Erlang C (DESIGN.md's
// oracle: inside the 99% interval, the interval narrow), and no contact is overtaken.
func TestValidationFairnessFIFO(t *testing.T) {
	simtest.SkipLong(t)
	s := DefaultSuite()
	s.RuleSets = s.RuleSets[:1]
	if s.RuleSets[0].Name != "fifo" {
		t.Fatalf("first rule set %q; want fifo", s.RuleSets[0].Name)
	}
	res := runValidation(t, s)
	checked := 0
	for _, c := range res.Cells {
		for _, th := range c.Theory {
			if th.Law != LawErlangC && th.Law != LawErlangA {
				continue
			}
			checked++
			meets(t, c.Scenario+"/"+c.RuleSet+" "+th.Class+" "+th.Figure+" ("+th.Law+")", th)
		}
		if singleQueue(s, c.Scenario) && c.Overall.InversionsPerContact.Mean != 0 {
			t.Errorf("%s/fifo: %v inversions per contact; want 0", c.Scenario, c.Overall.InversionsPerContact)
		}
	}
	// Four scenarios with 4 checks each (all and 3 classes), overload with 2 (Erlang A).
	if checked != 18 {
		t.Errorf("%d Erlang C and A checks; want 18", checked)
	}
}

// TestValidationFairnessTheory runs the whole default suite (what "routesim fairness" runs)
// and requires every theory check inside its interval: Erlang C, Cobham, conservation and
// Erlang A.
func TestValidationFairnessTheory(t *testing.T) {
	simtest.SkipLong(t)
	res := runValidation(t, DefaultSuite())
	n := 0
	for _, c := range res.Cells {
		for _, th := range c.Theory {
			n++
			meets(t, c.Scenario+"/"+c.RuleSet+" "+th.Class+" "+th.Figure+" ("+th.Law+")", th)
		}
	}
	t.Logf("%d theory checks", n)
}

func runValidation(t *testing.T, s *Suite) *SuiteResult {
	t.Helper()
	start := time.Now()
	res, err := RunSuite(context.Background(), s, SuiteOptions{})
	require.NoError(t, err)
	t.Logf("%d cells, %d contacts in %v", len(res.Cells), res.Contacts, time.Since(start).Round(time.Millisecond))
	return res
}

func meets(t *testing.T, name string, th TheoryCheck) {
	t.Helper()
	e := th.Sim
	t.Logf("%-58s sim %.5g ± %.3g (±%.1f%%)   theory %.5g", name, e.Mean, e.HalfWidth, 100*e.RelHalfWidth(), th.Theory)
	if !th.Inside {
		t.Errorf("%s: theory %.5g outside the interval %.5g ± %.3g", name, th.Theory, e.Mean, e.HalfWidth)
	}
	if e.RelHalfWidth() > maxRelHW {
		t.Errorf("%s: interval ±%.1f%% is wider than ±%.0f%%", name, 100*e.RelHalfWidth(), 100*maxRelHW)
	}
}

// TestSuiteDocs checks docs/fairness.md and the example output docs/fairness-default.md
// against DefaultSuite: every scenario and rule set documented, the measured hours as
// defined, and the example's definitions those the suite prints today.
func TestSuiteDocs(t *testing.T) {
	doc, err := os.ReadFile(filepath.Join("..", "..", "docs", "fairness.md"))
	require.NoError(t, err)
	lines := strings.Split(string(doc), "\n")
	row := func(name string) string {
		for _, l := range lines {
			if strings.HasPrefix(l, "| `"+name+"` |") {
				return l
			}
		}
		return ""
	}
	s := DefaultSuite()
	for _, sc := range s.Scenarios {
		if r := row(sc.Name); !strings.HasSuffix(r, "| "+thousands(int64(sc.Hours))+" |") {
			t.Errorf("docs/fairness.md: scenario %s: row %q; want it to end with its %v measured hours", sc.Name, r, sc.Hours)
		}
	}
	for _, rs := range s.RuleSets {
		if row(rs.Name) == "" {
			t.Errorf("docs/fairness.md: no row for rule set %s", rs.Name)
		}
	}
	example, err := os.ReadFile(filepath.Join("..", "..", "docs", "fairness-default.md"))
	require.NoError(t, err)
	var buf bytes.Buffer
	if err := (&SuiteResult{Suite: s}).WriteMarkdown(&buf); err != nil {
		t.Fatal(err)
	}
	defs := func(md string) string { return md[strings.Index(md, "## Definitions"):] }
	if got, want := defs(string(example)), defs(buf.String()); got != want {
		t.Errorf("docs/fairness-default.md is stale; regenerate it with routesim fairness:\n%s\nwant:\n%s", got, want)
	}
}

// TestExpertFirst: the expert-first rule set splits a third of each team into experts of
// the top class, whose contacts carry a step matching them that expires after 30 s; in the
// quick suite's balanced cell the top class then waits longer than under priority alone
// (same random numbers).
func TestExpertFirst(t *testing.T) {
	s := QuickSuite()
	i, j := s.CellIndex("balanced", "expert-first")
	sc, err := s.Build(i, j)
	require.NoError(t, err)
	require.Len(t, sc.AgentGroups, 2, "groups: the team and its experts")
	assert.Equal(t, "q-team-experts", sc.AgentGroups[1].ID)
	assert.Equal(t, 3, sc.AgentGroups[1].Count, "experts: a third of 10, rounded down")
	assert.Equal(t, sc.AgentGroups[0].RoutingProfileID, sc.AgentGroups[1].RoutingProfileID, "experts' profile")
	require.NotNil(t, sc.Classes[0].RoutingCriteria, "gold's routing criteria")
	assert.Nil(t, sc.Classes[1].RoutingCriteria, "silver's routing criteria")

	res := quickResult(t)
	ef, pr := res.Cell("balanced", "expert-first"), res.Cell("balanced", "priority")
	require.NotNil(t, ef)
	assert.Greater(t, ef.Classes[0].MeanWait.Mean, pr.Classes[0].MeanWait.Mean, "gold waits longer for its experts than under priority")
}
