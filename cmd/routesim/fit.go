package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"time"

	"github.com/routesim/routesim/internal/atomicfile"
	"github.com/routesim/routesim/sim/fit"
)

func init() {
	commands["fit"] = command{
		summary: "fit a scenario to Amazon Connect contact records and report the fit",
		run:     runFit,
	}
}

// runFit implements "routesim fit -records FILE|DIR [-records ...] [-interval 15m] [-tz ZONE]
// [-confidence C] [-out scenario.json]".
func runFit(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("fit", stderr)
	var records multiFlag
	fs.Var(&records, "records", "contact records: a file or a directory read recursively (JSON lines, a JSON array or concatenated objects, gzip or not); repeat for more")
	interval := fs.Duration("interval", 15*time.Minute, "length of a rate and staffing interval; must divide a day")
	tz := fs.String("tz", "UTC", "time zone of the intervals of the day (IANA name, such as Europe/Paris)")
	conf := fs.Float64("confidence", 0.95, "level of the report's confidence intervals, in (0, 1)")
	out := fs.String("out", "", "write the fitted scenario (JSON) to this file")
	reportJSON := fs.String("report-json", "", "also write the report as JSON to this file")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: routesim fit -records FILE|DIR [-interval 15m] [-tz ZONE] [-confidence C] [-out scenario.json] [-report-json FILE]")
		fs.PrintDefaults()
	}
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if len(records) == 0 {
		return fmt.Errorf("%w: -records is required", errUsage)
	}
	loc, err := time.LoadLocation(*tz)
	if err != nil {
		return fmt.Errorf("%w: -tz %q: %v", errUsage, *tz, err)
	}
	if !(*conf > 0 && *conf < 1) {
		return fmt.Errorf("%w: -confidence %v is not in (0, 1)", errUsage, *conf)
	}
	if *interval <= 0 || (24*time.Hour)%*interval != 0 || *interval%time.Second != 0 {
		return fmt.Errorf("%w: -interval %v does not divide a day into whole seconds", errUsage, *interval)
	}
	d, err := fit.Load(ctx, records)
	if err != nil {
		return err
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	res, err := fit.Fit(d, fit.Options{Interval: *interval, Location: loc, Confidence: *conf})
	if err != nil {
		return err
	}
	if err := res.Report.WriteReport(stdout); err != nil {
		return err
	}
	if *out != "" {
		b, err := json.MarshalIndent(res.Scenario, "", "  ")
		if err != nil {
			return err
		}
		if err := atomicfile.WriteFile(*out, append(b, '\n'), 0o644); err != nil {
			return err
		}
		fmt.Fprintf(stdout, "\nwrote %s\n", *out)
	}
	if *reportJSON != "" {
		b, err := json.MarshalIndent(res.Report, "", "  ")
		if err != nil {
			return err
		}
		return atomicfile.WriteFile(*reportJSON, append(b, '\n'), 0o644)
	}
	return nil
}

// multiFlag is a flag that may be repeated.
type multiFlag []string

func (m *multiFlag) String() string { return fmt.Sprint([]string(*m)) }

func (m *multiFlag) Set(s string) error {
	*m = append(*m, s)
	return nil
}
