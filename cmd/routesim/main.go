// Command routesim runs routesim's jobs: capacity what-ifs, simulations, the routing-fairness
// suite, the Amazon Connect routing emulator, and the merge of sharded sweeps.
//
// Usage:
//
//	routesim <command> [flags]
//
// Each command is defined in its own file and registers itself in commands; run
// "routesim help" for the list and "routesim <command> -h" for its flags.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"slices"
	"syscall"
)

// command is one subcommand of routesim.
type command struct {
	// summary is the one-line description shown by "routesim help".
	summary string
	// run executes the command with its arguments (after the command name). It writes results
	// to stdout and diagnostics to stderr; ctx is cancelled on SIGINT/SIGTERM.
	run func(ctx context.Context, args []string, stdout, stderr io.Writer) error
}

// commands holds every subcommand, keyed by name; each file adds its own in an init function.
var commands = map[string]command{}

// errUsage marks an error caused by bad flags or arguments: main exits with status 2.
var errUsage = errors.New("usage")

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	os.Exit(runMain(ctx, os.Args[1:], os.Stdout, os.Stderr))
}

// runMain dispatches to a command and returns the exit status: 0 ok, 1 failure, 2 usage.
func runMain(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 || args[0] == "help" || args[0] == "-h" || args[0] == "--help" {
		usage(stderr)
		if len(args) == 0 {
			return 2
		}
		return 0
	}
	cmd, ok := commands[args[0]]
	if !ok {
		fmt.Fprintf(stderr, "routesim: unknown command %q\n\n", args[0])
		usage(stderr)
		return 2
	}
	err := cmd.run(ctx, args[1:], stdout, stderr)
	switch {
	case err == nil:
		return 0
	case errors.Is(err, flag.ErrHelp):
		return 0
	case errors.Is(err, errUsage):
		fmt.Fprintf(stderr, "routesim %s: %v\n", args[0], err)
		return 2
	default:
		fmt.Fprintf(stderr, "routesim %s: %v\n", args[0], err)
		return 1
	}
}

func usage(w io.Writer) {
	fmt.Fprintln(w, "usage: routesim <command> [flags]\n\ncommands:")
	names := make([]string, 0, len(commands))
	for n := range commands {
		names = append(names, n)
	}
	slices.Sort(names)
	for _, n := range names {
		fmt.Fprintf(w, "  %-10s %s\n", n, commands[n].summary)
	}
	fmt.Fprintln(w, "\nrun \"routesim <command> -h\" for a command's flags")
}

// newFlagSet returns a flag set for a command that reports errors instead of exiting.
func newFlagSet(name string, stderr io.Writer) *flag.FlagSet {
	fs := flag.NewFlagSet("routesim "+name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	return fs
}

// parseFlags parses args and wraps a parse failure in errUsage.
func parseFlags(fs *flag.FlagSet, args []string) error {
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return err
		}
		return fmt.Errorf("%w: %v", errUsage, err)
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("%w: unexpected argument %q", errUsage, fs.Arg(0))
	}
	return nil
}
