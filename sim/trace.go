package sim

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"strconv"
	"strings"

	"github.com/routesim/routesim/contact"
)

// traceRow is one contact of a trace.
type traceRow struct {
	at       int64 // ns since the start
	queue    string
	channel  contact.Channel
	priority int64 // 0: the class's
	handle   int64
	patience int64 // -1: never abandons
	class    string
}

// traceReader reads a trace CSV one row at a time, so a replication holds one row, never the
// file.
type traceReader struct {
	f    *os.File
	r    *csv.Reader
	path string
	line int
	col  map[string]int
	last int64
}

var traceCols = []string{"arrival", "queue", "channel", "priority", "handle", "patience", "class"}

func openTrace(path string) (*traceReader, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	t := &traceReader{f: f, r: csv.NewReader(f), path: path, col: map[string]int{}}
	t.r.ReuseRecord = true
	t.r.FieldsPerRecord = -1
	head, err := t.r.Read()
	if err != nil {
		f.Close()
		return nil, fmt.Errorf("line 1: reading the header: %w", err)
	}
	t.line = 1
	for i, h := range head {
		name := strings.ToLower(strings.TrimSpace(h))
		known := false
		for _, c := range traceCols {
			known = known || c == name
		}
		if !known {
			f.Close()
			return nil, fmt.Errorf("line 1: unknown column %q (want %s)", h, strings.Join(traceCols, ", "))
		}
		t.col[name] = i
	}
	for _, req := range []string{"arrival", "queue", "handle"} {
		if _, ok := t.col[req]; !ok {
			f.Close()
			return nil, fmt.Errorf("line 1: missing column %q", req)
		}
	}
	return t, nil
}

func (t *traceReader) close() { t.f.Close() }

// next returns the next row, or io.EOF after the last.
func (t *traceReader) next() (traceRow, error) {
	rec, err := t.r.Read()
	if err != nil {
		if errors.Is(err, io.EOF) {
			return traceRow{}, io.EOF
		}
		return traceRow{}, err
	}
	t.line++
	field := func(name string) string {
		i, ok := t.col[name]
		if !ok || i >= len(rec) {
			return ""
		}
		return strings.TrimSpace(rec[i])
	}
	var row traceRow
	if row.at, err = t.seconds("arrival", field("arrival"), false); err != nil {
		return row, err
	}
	if row.at < t.last {
		return row, fmt.Errorf("line %d: column arrival: %v s is before the previous row's; rows must be in order of arrival", t.line, float64(row.at)/1e9)
	}
	t.last = row.at
	if row.handle, err = t.seconds("handle", field("handle"), false); err != nil {
		return row, err
	}
	row.patience = -1
	if p := field("patience"); p != "" {
		if row.patience, err = t.seconds("patience", p, false); err != nil {
			return row, err
		}
	}
	if p := field("priority"); p != "" {
		if row.priority, err = strconv.ParseInt(p, 10, 64); err != nil || row.priority < contact.MinPriority {
			return row, fmt.Errorf("line %d: column priority: %q is not an integer >= 1", t.line, p)
		}
	}
	row.queue = field("queue")
	row.channel = contact.Channel(field("channel"))
	if row.channel == "" {
		row.channel = contact.Voice
	}
	row.class = field("class")
	if row.class == "" {
		row.class = DefaultClass
	}
	return row, nil
}

func (t *traceReader) seconds(col, s string, _ bool) (int64, error) {
	f, err := strconv.ParseFloat(s, 64)
	if err != nil || !(f >= 0) || f > maxTime.Seconds() {
		return 0, fmt.Errorf("line %d: column %s: %q is not a number of seconds >= 0", t.line, col, s)
	}
	return int64(math.Round(f * 1e9)), nil
}

// validateTrace reads the whole trace and checks every row.
func (sc *Scenario) validateTrace() error {
	if sc.Trace.File == "" {
		return fieldErr("trace.file", "must not be empty")
	}
	t, err := openTrace(sc.tracePath())
	if err != nil {
		return fieldErr("trace.file", "%v", err)
	}
	defer t.close()
	lanes := map[string]bool{}
	for {
		row, err := t.next()
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return fieldErr("trace.file", "%s: %v", sc.Trace.File, err)
		}
		if !sc.hasClass(row.class) {
			return fieldErr("trace.file", "%s: line %d: column class: unknown class %q", sc.Trace.File, t.line, row.class)
		}
		key := row.queue + "\x00" + string(row.channel)
		if !lanes[key] {
			if err := sc.checkLane("trace", row.queue, row.channel); err != nil {
				var se *ScenarioError
				errors.As(err, &se)
				return fieldErr("trace.file", "%s: line %d: %s", sc.Trace.File, t.line, se.Reason)
			}
			lanes[key] = true
		}
	}
}
