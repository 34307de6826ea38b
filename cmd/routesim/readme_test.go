package main

// The README and docs/*.md show routesim command lines in fenced shell blocks. These tests
// extract every one and check that routesim would accept its flags, without running it: each
// is given to runMain with "-h" appended, so the command's own flag set parses the documented
// flags and then stops at -h, as "routesim <command> ... -h" does. An unknown flag, a bad
// flag value, an unknown command or a stray argument makes runMain exit with status 2, and
// the test fails naming the file and line.

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// docCommand is a routesim command line found in a document.
type docCommand struct {
	file string
	line int      // of the block line where the command starts
	args []string // after "routesim" (or "go run ./cmd/routesim"): the command and its flags
}

func (c docCommand) String() string {
	return fmt.Sprintf("%s:%d: routesim %s", c.file, c.line, strings.Join(c.args, " "))
}

// docFiles returns README.md and docs/*.md, relative to the module root.
func docFiles(t *testing.T) []string {
	t.Helper()
	docs, err := filepath.Glob(filepath.Join("..", "..", "docs", "*.md"))
	require.NoError(t, err)
	return append([]string{filepath.Join("..", "..", "README.md")}, docs...)
}

// shellLangs are the info strings of the fenced blocks searched for commands.
var shellLangs = []string{"sh", "shell", "bash", "console"}

// fencedShellLines returns the lines of the fenced shell blocks of a Markdown document, each
// with its line number, continuation lines (ending in a backslash) joined to the next.
func fencedShellLines(text string) (lines []string, numbers []int) {
	in, cont := false, false
	for i, l := range strings.Split(text, "\n") {
		trimmed := strings.TrimSpace(l)
		if fence, ok := strings.CutPrefix(trimmed, "```"); ok {
			// An opening fence of a shell block starts one; any other fence (the closing
			// one, or a block of another language, whose lines are skipped) ends it.
			in = !in && slices.Contains(shellLangs, strings.TrimSpace(fence))
			cont = false
			continue
		}
		if !in {
			continue
		}
		joined := strings.TrimSuffix(l, "\\")
		if cont {
			lines[len(lines)-1] += " " + joined
		} else {
			lines = append(lines, joined)
			numbers = append(numbers, i+1)
		}
		cont = strings.HasSuffix(l, "\\")
	}
	return lines, numbers
}

// shellWords splits one shell line into words and operators, as a POSIX shell would for
// the simple cases documentation uses: single and double quotes, backslash escapes, a
// comment from an unquoted # that starts a word, and the operators | || & && ; ( ) and
// redirections, which come back as their own words.
func shellWords(line string) []string {
	var words []string
	var w strings.Builder
	inWord := false
	flush := func() {
		if inWord {
			words = append(words, w.String())
			w.Reset()
			inWord = false
		}
	}
	for i := 0; i < len(line); i++ {
		ch := line[i]
		switch {
		case ch == '\'':
			inWord = true
			j := strings.IndexByte(line[i+1:], '\'')
			if j < 0 {
				j = len(line) - i - 1
			}
			w.WriteString(line[i+1 : i+1+j])
			i += j + 1
		case ch == '"':
			inWord = true
			for i++; i < len(line) && line[i] != '"'; i++ {
				if line[i] == '\\' && i+1 < len(line) {
					i++
				}
				w.WriteByte(line[i])
			}
		case ch == '\\' && i+1 < len(line):
			inWord = true
			i++
			w.WriteByte(line[i])
		case ch == '#' && !inWord:
			i = len(line)
		case ch == ' ' || ch == '\t':
			flush()
		case strings.IndexByte("|&;()<>", ch) >= 0:
			if ch == '(' && inWord && strings.HasSuffix(w.String(), "$") {
				w.WriteByte(ch) // $( is part of a word
				continue
			}
			if (ch == '>' || ch == '<') && inWord && isAllDigits(w.String()) {
				w.Reset() // 2> : the descriptor belongs to the redirection
				inWord = false
			}
			flush()
			op := string(ch)
			if i+1 < len(line) && (line[i+1] == ch && ch != '(' && ch != ')' || ch == '>' && line[i+1] == '&') {
				op += string(line[i+1])
				i++
			}
			words = append(words, op)
		default:
			inWord = true
			w.WriteByte(ch)
		}
	}
	flush()
	return words
}

func isAllDigits(s string) bool {
	return s != "" && strings.Trim(s, "0123456789") == ""
}

// routesimArgs returns the arguments of the routesim invocation in one simple command (a
// list of words without control operators), if any: the words after "routesim" (or a path
// ending in /routesim), or after "go run [flags] <...>/cmd/routesim[@version]", up to the
// first redirection.
func routesimArgs(words []string) ([]string, bool) {
	for i, w := range words {
		var rest []string
		switch {
		case w == "routesim" || strings.HasSuffix(w, "/routesim") && !strings.Contains(w, "cmd/"):
			rest = words[i+1:]
		case w == "go" && i+1 < len(words) && words[i+1] == "run":
			j := i + 2
			for j < len(words) && strings.HasPrefix(words[j], "-") {
				j++
			}
			if j >= len(words) {
				return nil, false
			}
			pkg, _, _ := strings.Cut(words[j], "@")
			if pkg != "./cmd/routesim" && !strings.HasSuffix(pkg, "/cmd/routesim") {
				return nil, false
			}
			rest = words[j+1:]
		default:
			continue
		}
		for k, a := range rest {
			if strings.HasPrefix(a, "<") || strings.HasPrefix(a, ">") {
				return rest[:k], true
			}
		}
		return rest, true
	}
	return nil, false
}

// docCommands returns every routesim command line in the fenced shell blocks of text.
func docCommands(file, text string) []docCommand {
	var cmds []docCommand
	lines, numbers := fencedShellLines(text)
	for i, l := range lines {
		var simple []string
		for _, w := range append(shellWords(l), ";") {
			switch w {
			case "|", "||", "&", "&&", ";", "(", ")":
				if args, ok := routesimArgs(simple); ok {
					cmds = append(cmds, docCommand{file: file, line: numbers[i], args: args})
				}
				simple = simple[:0]
			default:
				simple = append(simple, w)
			}
		}
	}
	return cmds
}

// checkParses reports whether routesim accepts args (a command and its flags), by running
// runMain with "-h" appended and a cancelled context: the command's flag set parses args and
// stops at -h before the command does anything.
func checkParses(args []string) error {
	if len(args) == 0 {
		return fmt.Errorf("no command after routesim")
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel() // should a command ever run instead of stopping at -h, it stops at once
	var stdout, stderr bytes.Buffer
	code := runMain(ctx, append(slices.Clip(args), "-h"), &stdout, &stderr)
	switch {
	case code != 0:
		return fmt.Errorf("exit status %d: %s", code, strings.TrimSpace(firstLine(stderr.String())))
	case stdout.Len() > 0:
		return fmt.Errorf("printed to standard output, so it ran instead of stopping at -h: %q", firstLine(stdout.String()))
	}
	return nil
}

func firstLine(s string) string {
	l, _, _ := strings.Cut(s, "\n")
	return l
}

// TestDocCommandsParse checks every routesim command line of the README and docs/*.md.
func TestDocCommandsParse(t *testing.T) {
	total := 0
	for _, f := range docFiles(t) {
		b, err := os.ReadFile(f)
		require.NoError(t, err)
		rel, _ := filepath.Rel(filepath.Join("..", ".."), f)
		cmds := docCommands(rel, string(b))
		total += len(cmds)
		for _, c := range cmds {
			t.Log(c)
			assert.NoError(t, checkParses(c.args), "%s: want a command line routesim accepts", c)
		}
	}
	// The README alone shows more than ten; finding fewer means the extraction broke.
	assert.GreaterOrEqual(t, total, 10, "routesim command lines found in README.md and docs/*.md")
}

// TestDocCommandsExtract pins the extraction on the shapes the documents use.
func TestDocCommandsExtract(t *testing.T) {
	doc := "text `routesim nosuch` outside a block is not a command\n" +
		"```sh\n" +
		"go run ./cmd/routesim whatif      # the main job\n" +
		"routesim whatif -print-default > whatif.json\n" +
		"seq 0 7 | parallel -j 4 routesim whatif -scenario 'my file.json' -shard {}/8 -out parts\n" +
		"routesim emulate -addr 127.0.0.1:0 \\\n" +
		"    -v 2>err.log &\n" +
		"go install github.com/routesim/routesim/cmd/routesim@latest\n" +
		"kubectl create configmap routesim-whatif --from-file=whatif.json\n" +
		"# routesim in a comment\n" +
		"```\n" +
		"```json\n" +
		"{\"note\": \"routesim run -nosuch\"}\n" +
		"```\n"
	var got []string
	for _, c := range docCommands("doc.md", doc) {
		got = append(got, fmt.Sprintf("%d: %q", c.line, c.args))
	}
	want := []string{
		`3: ["whatif"]`,
		`4: ["whatif" "-print-default"]`,
		`5: ["whatif" "-scenario" "my file.json" "-shard" "{}/8" "-out" "parts"]`,
		`6: ["emulate" "-addr" "127.0.0.1:0" "-v"]`,
	}
	assert.Equal(t, want, got, "routesim command lines extracted from the sample document")
}

// TestDocCommandsCheck pins what checkParses accepts and refuses, so that a document naming
// a flag that does not exist fails TestDocCommandsParse.
func TestDocCommandsCheck(t *testing.T) {
	for _, tc := range []struct {
		args []string
		ok   bool
	}{
		{[]string{"whatif"}, true},
		{[]string{"whatif", "-scenario", "whatif.json", "-shard", "3/8", "-out", "parts", "-workers", "1"}, true},
		{[]string{"whatif", "-charts=false", "-format", "csv"}, true},
		{[]string{"merge", "-out", "merged", "parts", "-charts=false"}, true},
		{[]string{"run", "-scenario", "centre.json", "-reps", "40"}, true},
		{[]string{"fairness", "-quick"}, true},
		{[]string{"emulate", "-addr", "127.0.0.1:0", "-v"}, true},
		{[]string{"whatif", "-no-such-flag"}, false},
		{[]string{"run", "-reps", "many"}, false},
		{[]string{"fairness", "quick"}, false},
		{[]string{"emulate", "--config-file", "x.json"}, false},
		{[]string{"no-such-command"}, false},
		{nil, false},
	} {
		err := checkParses(tc.args)
		if tc.ok {
			assert.NoError(t, err, "routesim %s: want accepted", strings.Join(tc.args, " "))
		} else {
			assert.Error(t, err, "routesim %s: want refused", strings.Join(tc.args, " "))
		}
	}
}

// flagMention matches an inline code span that starts with a flag: `-name`, `-name value`,
// `-name=value`.
var flagMention = regexp.MustCompile("`(-[a-z][a-z0-9-]*)[ =`]")

// goTestFlags are the flags of go test and of other tools the documents name inline.
var goTestFlags = []string{"-race", "-count", "-run", "-bench", "-benchtime", "-benchmem", "-short", "-timeout", "-cpu", "-v"}

// TestDocFlagMentionsExist checks that every flag the README and docs/*.md name inline (as
// `-name ...` in prose and tables) is a flag of some routesim command, or of go test.
func TestDocFlagMentionsExist(t *testing.T) {
	known := map[string]bool{}
	for _, f := range goTestFlags {
		known[f] = true
	}
	usageFlag := regexp.MustCompile(`(?m)^\s+(-[a-z][a-z0-9-]*)`)
	for name := range commands {
		var stdout, stderr bytes.Buffer
		require.Equal(t, 0, runMain(context.Background(), []string{name, "-h"}, &stdout, &stderr), "routesim %s -h", name)
		for _, m := range usageFlag.FindAllStringSubmatch(stderr.String(), -1) {
			known[m[1]] = true
		}
	}
	require.True(t, known["-scenario"], "flags read from the commands' usage: %v", known)
	for _, f := range docFiles(t) {
		b, err := os.ReadFile(f)
		require.NoError(t, err)
		rel, _ := filepath.Rel(filepath.Join("..", ".."), f)
		for i, l := range strings.Split(string(b), "\n") {
			for _, m := range flagMention.FindAllStringSubmatch(l, -1) {
				assert.True(t, known[m[1]], "%s:%d names flag %s, which no routesim command has", rel, i+1, m[1])
			}
		}
	}
}
