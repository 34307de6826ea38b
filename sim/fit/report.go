package fit

import (
	"fmt"
	"io"
	"maps"
	"slices"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/routesim/routesim/sim"
)

// WriteReport writes the report as text: what was read, each stream's rate, handle time,
// after-contact work and patience with their intervals and goodness of fit, the agent
// groups, and the warnings. The cost is O(lanes + groups).
func (r *Report) WriteReport(w io.Writer) error {
	b := &strings.Builder{}
	pct := r.Confidence * 100
	fmt.Fprintf(b, "read %d files, %d records: %d bad, %d duplicates replaced, %d contacts kept (%d not queued)\n",
		r.Files, r.Objects, r.Bad, r.Duplicates, r.Contacts, r.NotQueued)
	for _, e := range r.BadExamples {
		fmt.Fprintf(b, "  bad: %s\n", e)
	}
	fmt.Fprintf(b, "initiation methods: %s\n", counts(r.Methods))
	cycle := "a day"
	if r.Weekly {
		cycle = "a week (per day of week)"
	}
	fmt.Fprintf(b, "arrivals from %s to %s (%s): %d days; cycle %s, intervals of %v\n",
		r.First.Format(time.DateTime), r.Last.Format(time.DateTime), r.Location, r.Days, cycle, r.Interval)
	fmt.Fprintf(b, "intervals are %g%% confidence intervals\n\n", pct)
	tw := tabwriter.NewWriter(b, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "queue/channel\tarrivals\trate/h [CI]\tpeak/h\tanswered\tabandoned\tmethods")
	for _, l := range r.Lanes {
		fmt.Fprintf(tw, "%s/%s\t%d\t%.2f [%.2f, %.2f]\t%.1f at %s\t%d\t%d\t%s\n", l.Queue, l.Channel, l.Arrivals,
			l.Rate, l.RateLo, l.RateHi, l.Peak, l.PeakAt, l.Answered, l.Abandoned, counts(l.Methods))
	}
	tw.Flush()
	fmt.Fprintln(b)
	tw = tabwriter.NewWriter(b, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "fit\tn\tmean s [CI]\tcv\tchosen\tgoodness of fit")
	for _, l := range r.Lanes {
		name := l.Queue + "/" + string(l.Channel)
		if l.Handle != nil {
			distRow(tw, name+" handle", l.Handle)
		}
		if l.ACW != nil {
			distRow(tw, name+" acw", l.ACW)
		}
		if p := l.Patience; p != nil && p.Dist != nil {
			med := "not reached"
			if p.Median >= 0 {
				med = fmt.Sprintf("%.0fs", p.Median)
			}
			fmt.Fprintf(tw, "%s patience\t%d ab. + %d cens.\t%.1f [%.1f, %.1f]\t%s\t%s\tKM gap %.3f (KM median %s)\n", name,
				p.Abandoned, p.Censored, p.Mean, p.MeanLo, p.MeanHi, cvOf(*p.Dist), p.Dist.Type, p.KMGap, med)
		}
	}
	for _, g := range r.Groups {
		if g.ACW != nil {
			distRow(tw, "group "+g.ID+" acw", g.ACW)
		}
	}
	tw.Flush()
	fmt.Fprintln(b)
	tw = tabwriter.NewWriter(b, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "agent group (estimated)\tagents\thandled\tconcurrency\tserves")
	for _, g := range r.Groups {
		conc := "1"
		if len(g.Concurrency) > 0 {
			var parts []string
			for _, ch := range slices.Sorted(maps.Keys(g.Concurrency)) {
				parts = append(parts, fmt.Sprintf("%s %d", ch, g.Concurrency[ch]))
			}
			conc = strings.Join(parts, ", ")
		}
		fmt.Fprintf(tw, "%s\t%d\t%d\t%s\t%s\n", g.ID, g.Agents, g.Handled, conc, strings.Join(g.Lanes, " "))
	}
	tw.Flush()
	if len(r.Warnings) > 0 {
		fmt.Fprintln(b, "\nwarnings:")
		for _, w := range r.Warnings {
			fmt.Fprintf(b, "  - %s\n", w)
		}
	}
	_, err := io.WriteString(w, b.String())
	return err
}

func distRow(w io.Writer, name string, f *DistFit) {
	fmt.Fprintf(w, "%s\t%d\t%.1f [%.1f, %.1f]\t%.2f\t%s\tKS %.3f (5%% critical %.3f)\n", name, f.N, f.Mean, f.MeanLo, f.MeanHi,
		f.CV, describe(f.Dist), f.KS, f.KSCritical)
}

func describe(d sim.Dist) string {
	if d.Type == sim.Deterministic || d.Type == sim.Exponential {
		return fmt.Sprintf("%s %v", d.Type, d.Mean)
	}
	return fmt.Sprintf("%s %v cv %.2f", d.Type, d.Mean, d.CV)
}

func cvOf(d sim.Dist) string {
	if d.Type == sim.Exponential {
		return "1.00"
	}
	return fmt.Sprintf("%.2f", d.CV)
}

func counts(m map[string]int) string {
	var parts []string
	for _, k := range slices.Sorted(maps.Keys(m)) {
		if m[k] != 0 {
			parts = append(parts, fmt.Sprintf("%s %d", k, m[k]))
		}
	}
	return strings.Join(parts, ", ")
}
