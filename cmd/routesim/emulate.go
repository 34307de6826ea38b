package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net"
	"os"
	"strings"

	"github.com/routesim/routesim/routing/connectapi"
)

func init() {
	commands["emulate"] = command{
		summary: "serve the contact-routing part of the Amazon Connect API to AWS SDK clients",
		run:     runEmulate,
	}
}

func runEmulate(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("emulate", stderr)
	addr := fs.String("addr", "127.0.0.1:4566", "`address` to listen on (port 0 picks a free one)")
	cfgPath := fs.String("config", "", "configuration JSON `file` (default: the built-in one; see -print-config)")
	printCfg := fs.Bool("print-config", false, "print the configuration in effect as JSON and exit")
	verbose := fs.Bool("v", false, "log every request to stderr")
	limits := addServerFlags(fs)
	tc := addTestDoubleFlags(fs)
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: routesim emulate [-addr 127.0.0.1:4566] [-config FILE] [-print-config] [-v]")
		fmt.Fprintln(stderr, "                        [-clock wall|manual] [-start RFC3339] [-control=false] [-state FILE] [-state-every 10s]")
		fmt.Fprintln(stderr, "\nServes these Amazon Connect operations over HTTP, as Connect does, for AWS SDK and")
		fmt.Fprintln(stderr, "AWS CLI clients pointed at the printed endpoint (docs/emulator.md says what each does")
		fmt.Fprintln(stderr, "and does not model):")
		fmt.Fprintln(stderr, wrapWords(connectapi.Operations(), "  ", 92))
		fmt.Fprintln(stderr, "and the control endpoints under /_routesim/ (state, clock, reset, snapshot) for test suites.")
		fmt.Fprintln(stderr)
		fs.PrintDefaults()
	}
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	eo, err := tc.options()
	if err != nil {
		return err
	}
	cfg, err := emulatorConfig(*cfgPath)
	if err != nil {
		return err
	}
	if *printCfg {
		_, err := stdout.Write(cfg.JSON())
		return err
	}
	var opts []connectapi.Option
	if *verbose {
		opts = append(opts, connectapi.WithLogger(slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: slog.LevelDebug}))))
	}
	e, err := connectapi.NewEmulator(cfg, eo, opts...)
	if err != nil {
		return err
	}
	st, err := openState(tc.state, tc.stateEvery, e, stderr)
	if err != nil {
		return err
	}
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		return err
	}
	printBanner(stdout, "http://"+ln.Addr().String(), &cfg)
	printTestDouble(stdout, e, eo, tc.state)
	stopWriter := st.start()
	err = serveUntilDone(ctx, ln, e, e.RunTimers, limits, stderr)
	stopWriter()
	if werr := st.write(true); werr != nil && err == nil {
		err = werr
	}
	return err
}

// emulatorConfig reads the configuration file, or returns the built-in default.
func emulatorConfig(path string) (connectapi.Config, error) {
	if path == "" {
		return connectapi.DefaultConfig(), nil
	}
	f, err := os.Open(path)
	if err != nil {
		return connectapi.Config{}, err
	}
	defer f.Close()
	cfg, err := connectapi.LoadConfig(f)
	if err != nil {
		return connectapi.Config{}, fmt.Errorf("%s: %w", path, err)
	}
	return cfg, nil
}

// printBanner tells a client what it needs: the endpoint, the region and the IDs.
func printBanner(w io.Writer, endpoint string, cfg *connectapi.Config) {
	fmt.Fprintf(w, "routesim emulate: Amazon Connect routing API\n")
	fmt.Fprintf(w, "  endpoint     %s\n", endpoint)
	fmt.Fprintf(w, "  region       %s (requests signed for any region are accepted)\n", cfg.Region)
	if len(cfg.Credentials) == 0 {
		fmt.Fprintf(w, "  credentials  any (signatures are not checked)\n")
	} else {
		keys := make([]string, len(cfg.Credentials))
		for i, c := range cfg.Credentials {
			keys[i] = c.AccessKeyID
		}
		fmt.Fprintf(w, "  credentials  SigV4 required, access keys %s\n", strings.Join(keys, ", "))
	}
	for _, in := range cfg.Instances {
		fmt.Fprintf(w, "  instance     %s\n", in.ID)
		if in.Alias != "" {
			fmt.Fprintf(w, "    alias           %s\n", in.Alias)
		}
		var qs []string
		for _, q := range in.Queues {
			qs = append(qs, q.ID)
		}
		fmt.Fprintf(w, "    queues          %s\n", strings.Join(qs, ", "))
		for _, f := range in.Flows {
			extra := ""
			if f.Priority > 0 {
				extra += fmt.Sprintf(", priority %d", f.Priority)
			}
			if f.AgeAdjustmentSeconds != 0 {
				extra += fmt.Sprintf(", age %+ds", f.AgeAdjustmentSeconds)
			}
			if f.RoutingCriteria != nil {
				extra += fmt.Sprintf(", routing criteria of %d steps", len(f.RoutingCriteria.Steps))
			}
			fmt.Fprintf(w, "    flow            %s -> queue %s%s\n", f.ID, f.QueueID, extra)
		}
		for _, a := range in.PredefinedAttributes {
			fmt.Fprintf(w, "    attribute       %s: %s\n", a.Name, strings.Join(a.Values, ", "))
		}
		var as []string
		for _, a := range in.Agents {
			as = append(as, a.ID)
		}
		fmt.Fprintf(w, "    agents          %s (offline until PutUserStatus)\n", strings.Join(as, ", "))
		fmt.Fprintf(w, "    agent statuses  available %s, offline %s", in.AgentStatuses.Available, in.AgentStatuses.Offline)
		for _, c := range in.AgentStatuses.Custom {
			fmt.Fprintf(w, ", %s %s", c.Name, c.ID)
		}
		fmt.Fprintln(w)
	}
	if len(cfg.Instances) > 0 && len(cfg.Instances[0].Flows) > 0 {
		in := cfg.Instances[0]
		fmt.Fprintf(w, "try: aws connect start-task-contact --endpoint-url %s --region %s --instance-id %s --contact-flow-id %s --name demo\n",
			endpoint, cfg.Region, in.ID, in.Flows[0].ID)
	}
}

// wrapWords joins words with ", " into lines of at most width characters, each starting
// with indent.
func wrapWords(words []string, indent string, width int) string {
	var b strings.Builder
	line := indent
	for i, w := range words {
		if i < len(words)-1 {
			w += ","
		}
		if line != indent && len(line)+1+len(w) > width {
			b.WriteString(line + "\n")
			line = indent
		}
		if line != indent {
			line += " "
		}
		line += w
	}
	b.WriteString(line)
	return b.String()
}
