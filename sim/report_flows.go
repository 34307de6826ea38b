package sim

import (
	"fmt"
	"io"
	"text/tabwriter"
)

// writeFlows writes the flow table of WriteTable: a row for all queues ("-"), then one
// per queue with attempts; nothing without flows.
func (r *Result) writeFlows(w io.Writer) error {
	if r.Flows == nil {
		return nil
	}
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprint(tw, "flows\tkey\t")
	var head FlowFigures[Estimate]
	head.each(func(name string, _ *Estimate) { fmt.Fprintf(tw, "%s\t", name) })
	fmt.Fprintln(tw)
	row := func(key string, f *FlowFigures[Estimate]) {
		fmt.Fprintf(tw, "flows\t%s\t", token(key))
		f.each(func(_ string, e *Estimate) { fmt.Fprintf(tw, "%s\t", fmtEst(*e)) })
		fmt.Fprintln(tw)
	}
	row("-", &r.Flows.Overall)
	for i := range r.Flows.Queues {
		if q := &r.Flows.Queues[i]; q.Attempts.Mean > 0 || q.TransfersIn.Mean > 0 {
			row(q.Key, &q.FlowFigures)
		}
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	_, err := fmt.Fprintln(w)
	return err
}

// flowRows writes the flow figures as WriteCSV rows of scope "flows".
func (r *Result) flowRows(row func(scope, key, name string, e Estimate)) {
	if r.Flows == nil {
		return
	}
	r.Flows.Overall.each(func(name string, e *Estimate) { row("flows", "", name, *e) })
	for i := range r.Flows.Queues {
		q := &r.Flows.Queues[i]
		q.each(func(name string, e *Estimate) { row("flows", q.Key, name, *e) })
	}
}
