package fairness

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/routesim/routesim/internal/atomicfile"

	"github.com/routesim/routesim/sim"
)

// WriteMarkdown writes the result as Markdown: a fairness table with a row per cell, a
// table of the waits per class for each scenario, the theory beside the simulated figures,
// and the definitions of the scenarios and rule sets. Every figure is "mean ± half-width"
// of its confidence interval. Kendall's tau is left to the CSV and JSON: over thousands of
// contacts it rounds to 1 whatever the rule set, as far-apart pairs always keep their
// order, while the inversions per contact tell the rule sets apart.
func (r *SuiteResult) WriteMarkdown(w io.Writer) error {
	bw := bufio.NewWriter(w)
	s := r.Suite
	fmt.Fprintf(bw, "# Routing fairness suite %q\n\n", s.Name)
	fmt.Fprintf(bw, "%d scenarios × %d rule sets, %d replications per cell, %s%% confidence intervals (mean ± half-width), seed %d, %s contacts simulated.\n\n",
		len(s.Scenarios), len(s.RuleSets), s.Reps, ftoa(100*s.Confidence), s.Seed, thousands(r.Contacts))

	fmt.Fprintf(bw, "## Fairness by scenario and rule set\n\n")
	mdRow(bw, "scenario", "rule set", "mean wait (s)", "p95 wait (s)", "abandoned (%)", "Jain, class waits",
		"max/min class wait", "inversions per contact", "within class", "lowest class, max wait (s)", "Jain, agent occupancy")
	mdRule(bw, 2, 9)
	for i := range r.Cells {
		c := &r.Cells[i]
		mdRow(bw, c.Scenario, c.RuleSet, est(c.Overall.MeanWait), est(c.Overall.P95), pct(c.Overall.AbandonRate),
			est(c.Across.JainMeanWait), est(c.Across.MaxClassRatio), est(c.Overall.InversionsPerContact),
			est(c.Across.WithinClassInversionsPerContact), est(c.Across.StarvationMaxWait),
			est(c.Across.AgentOccupancyJain))
	}

	fmt.Fprintf(bw, "\n## Wait per class (s)\n")
	for i := range s.Scenarios {
		sc := &s.Scenarios[i]
		fmt.Fprintf(bw, "\n### %s: %s\n\n", sc.Name, sc.Title)
		head := []string{"rule set"}
		for _, cl := range sc.Classes {
			head = append(head, cl.ID+" mean", cl.ID+" p95")
		}
		if sc.Patience > 0 {
			for _, cl := range sc.Classes {
				head = append(head, cl.ID+" abandoned (%)")
			}
		}
		mdRow(bw, head...)
		mdRule(bw, 1, len(head)-1)
		for _, c := range r.Cells {
			if c.Scenario != sc.Name {
				continue
			}
			row := []string{c.RuleSet}
			for _, k := range c.Classes {
				row = append(row, est(k.MeanWait), est(k.P95))
			}
			if sc.Patience > 0 {
				for _, k := range c.Classes {
					row = append(row, pct(k.AbandonRate))
				}
			}
			mdRow(bw, row...)
		}
	}

	fmt.Fprintf(bw, "\n## Theory beside simulation\n\n")
	mdRow(bw, "scenario", "rule set", "class", "figure", "law", "theory", "simulated", "inside CI")
	mdRule(bw, 5, 3)
	for _, c := range r.Cells {
		for _, t := range c.Theory {
			th, sm := num(t.Theory, 4), est(t.Sim)
			if t.Figure == "abandonRate" {
				th, sm = num(100*t.Theory, 3), pct(t.Sim)
			}
			mdRow(bw, c.Scenario, c.RuleSet, t.Class, figureLabel(t.Figure), t.Law, th, sm, yesNo(t.Inside))
		}
	}

	fmt.Fprintf(bw, "\n## Definitions\n\nScenarios (exponential handle time of mean %s, Poisson arrivals):\n\n", span(s.Scenarios[0].Handle))
	for _, sc := range s.Scenarios {
		fmt.Fprintf(bw, "- **%s**: %s; classes %s; %s measured hours per replication.\n", sc.Name, sc.Title, classList(sc.Classes), ftoa(sc.Hours))
	}
	fmt.Fprintf(bw, "\nRule sets:\n\n")
	for _, rs := range s.RuleSets {
		fmt.Fprintf(bw, "- **%s**: %s.\n", rs.Name, rs.Title)
	}
	fmt.Fprintf(bw, "\nEach replication runs a warm-up of %s and a cool-down of %s around its measured hours; contacts that arrive in either load the centre but are not measured.\n", span(s.Warmup), span(s.Cooldown))
	return bw.Flush()
}

func classList(cs []SuiteClass) string {
	parts := make([]string, len(cs))
	for i, c := range cs {
		parts[i] = fmt.Sprintf("%s %s%% (priority %d", c.ID, ftoa(100*c.Share), c.Priority)
		if c.AgeBonus != 0 {
			parts[i] += ", age bonus " + span(c.AgeBonus)
		}
		parts[i] += ")"
	}
	return strings.Join(parts, ", ")
}

// span formats a duration in the largest whole unit: "2 h", "5 min", "90 s".
func span(d sim.Duration) string {
	switch t := d.D(); {
	case t != 0 && t%time.Hour == 0:
		return strconv.FormatInt(int64(t/time.Hour), 10) + " h"
	case t != 0 && t%time.Minute == 0:
		return strconv.FormatInt(int64(t/time.Minute), 10) + " min"
	}
	return strconv.FormatFloat(d.Seconds(), 'f', -1, 64) + " s"
}

func figureLabel(f string) string {
	switch f {
	case "meanWait":
		return "mean wait (s)"
	case "meanTimeInQueue":
		return "mean time in queue (s)"
	case "abandonRate":
		return "abandoned (%)"
	}
	return f
}

func yesNo(b bool) string {
	if b {
		return "yes"
	}
	return "**no**"
}

func mdRow(w io.Writer, cells ...string) {
	for i, c := range cells {
		cells[i] = strings.ReplaceAll(c, "|", `\|`)
	}
	fmt.Fprintf(w, "| %s |\n", strings.Join(cells, " | "))
}

// mdRule writes the separator row: left columns left-aligned, the others right-aligned.
func mdRule(w io.Writer, left, right int) {
	var b strings.Builder
	b.WriteString("|")
	for range left {
		b.WriteString("---|")
	}
	for range right {
		b.WriteString("---:|")
	}
	fmt.Fprintln(w, b.String())
}

// decimals returns the digits after the point that show x to about three significant digits.
func decimals(x float64) int {
	a := math.Abs(x)
	switch {
	case a >= 100 || a == 0:
		return 0
	case a >= 10:
		return 1
	case a >= 1:
		return 2
	}
	return min(2-int(math.Floor(math.Log10(a))), 8)
}

// num formats x with about digits significant digits; "–" for NaN.
func num(x float64, digits int) string {
	if math.IsNaN(x) {
		return "–"
	}
	if math.IsInf(x, 0) {
		return "∞"
	}
	d := max(decimals(x)+digits-3, 0)
	if x == 0 {
		d = 0
	}
	return strconv.FormatFloat(x, 'f', d, 64)
}

// est formats an estimate as "mean ± half-width", both with the mean's decimals.
func est(e sim.Estimate) string {
	if math.IsNaN(e.Mean) {
		return "–"
	}
	if math.IsNaN(e.HalfWidth) {
		return num(e.Mean, 3)
	}
	ref := e.Mean
	if ref == 0 {
		ref = e.HalfWidth
	}
	d := decimals(ref)
	if e.Mean == 0 && e.HalfWidth == 0 {
		return "0"
	}
	return strconv.FormatFloat(e.Mean, 'f', d, 64) + " ± " + strconv.FormatFloat(e.HalfWidth, 'f', d, 64)
}

// pct formats a share as a percentage estimate.
func pct(e sim.Estimate) string {
	return est(sim.Estimate{Mean: 100 * e.Mean, HalfWidth: 100 * e.HalfWidth, StdDev: 100 * e.StdDev, N: e.N})
}

func thousands(n int64) string {
	s := strconv.FormatInt(n, 10)
	var b strings.Builder
	for i, ch := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(ch)
	}
	return b.String()
}

// WriteCSV writes every figure of every cell, one per row: scenario, ruleSet, class (a
// class, "all", or empty for the figures across classes), figure, mean, halfWidth, stdDev,
// n; then law, theory and insideCI where a theory check covers the figure. NaN is written
// as an empty field.
func (r *SuiteResult) WriteCSV(w io.Writer) error {
	cw := csv.NewWriter(w)
	_ = cw.Write([]string{"scenario", "ruleSet", "class", "figure", "mean", "halfWidth", "stdDev", "n", "law", "theory", "insideCI"})
	for _, c := range r.Cells {
		row := func(class, figure string, e *sim.Estimate) {
			rec := []string{c.Scenario, c.RuleSet, class, figure, sim.CSVFloat(e.Mean), sim.CSVFloat(e.HalfWidth), sim.CSVFloat(e.StdDev), strconv.Itoa(e.N), "", "", ""}
			for _, t := range c.Theory {
				if t.Class == class && t.Figure == figure {
					rec[8], rec[9], rec[10] = t.Law, sim.CSVFloat(t.Theory), strconv.FormatBool(t.Inside)
				}
			}
			_ = cw.Write(rec)
		}
		for _, k := range append([]SuiteClassFigures[sim.Estimate]{c.Overall}, c.Classes...) {
			k.each(r.Suite.WaitThresholds, func(name string, e *sim.Estimate) { row(k.Class, name, e) })
		}
		c.Across.each(func(name string, e *sim.Estimate) { row("", name, e) })
	}
	cw.Flush()
	return cw.Error()
}

// WriteJSON writes the result as indented JSON: the suite's definition, then every cell's
// estimates ({"mean", "stdDev", "halfWidth", "n"}, null for NaN) and theory checks.
func (r *SuiteResult) WriteJSON(w io.Writer) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(r)
}

// Files written by WriteSuiteFiles.
const (
	SuiteMarkdownFile = "fairness.md"
	SuiteJSONFile     = "fairness.json"
	SuiteCSVFile      = "fairness.csv"
)

// WriteSuiteFiles writes the result into dir (created if needed): fairness.md, fairness.json
// and fairness.csv, and, when charts is true, the charts of SuiteCharts as NAME.svg and
// NAME.png; when charts is false it removes the charts an earlier run left there. It returns the names of the files written. Each file is written to a temporary
// file in dir and renamed into place, so none is ever seen half-written.
func WriteSuiteFiles(dir string, r *SuiteResult, charts bool) ([]string, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	var files []string
	put := func(name string, write func(io.Writer) error) error {
		var buf bytes.Buffer
		if err := write(&buf); err != nil {
			return fmt.Errorf("fairness: %s: %w", name, err)
		}
		if err := atomicfile.WriteFile(filepath.Join(dir, name), buf.Bytes(), 0o644); err != nil {
			return err
		}
		files = append(files, name)
		return nil
	}
	for _, f := range []struct {
		name  string
		write func(io.Writer) error
	}{{SuiteMarkdownFile, r.WriteMarkdown}, {SuiteJSONFile, r.WriteJSON}, {SuiteCSVFile, r.WriteCSV}} {
		if err := put(f.name, f.write); err != nil {
			return files, err
		}
	}
	if !charts {
		for _, name := range SuiteChartNames {
			for _, ext := range []string{".svg", ".png"} {
				if err := os.Remove(filepath.Join(dir, name+ext)); err != nil && !errors.Is(err, fs.ErrNotExist) {
					return files, err
				}
			}
		}
		return files, nil
	}
	figs, err := SuiteCharts(r)
	if err != nil {
		return files, err
	}
	for _, f := range figs {
		if err := put(f.Name+".svg", f.Figure.WriteSVG); err != nil {
			return files, err
		}
		if err := put(f.Name+".png", f.Figure.WritePNG); err != nil {
			return files, err
		}
	}
	return files, nil
}
