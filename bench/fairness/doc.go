// Package fairness measures how routing rules trade wait time between classes of contacts:
// the fairness metrics, and the routing-fairness suite that runs them over scenarios of
// package sim.
//
// # Metrics
//
// Measure (all contacts at once) and Accumulator (one contact at a time, in the order they
// leave the queue) compute a Report: per class and overall, waits (mean, percentiles from a
// histogram of relative error HistRelErr, maximum), slowdown, abandonment and the share
// waiting over thresholds; the inversions of arrival order and Kendall's tau; Jain's index
// across classes and across agents; and starvation (the lowest class's longest wait and its
// worst p99 over sliding windows). An Accumulator's memory follows the contacts in flight,
// not the contacts measured. Neither is safe for concurrent use; errors match ErrInvalid or
// ErrOrder with errors.Is.
//
// # Suite
//
// A Suite (DefaultSuite, QuickSuite) crosses scenarios with rule sets; RunSuite runs each
// cell's replications with sim.Replicate and aggregates them with sim.Aggregate into
// estimates with confidence intervals, with the figures queueing theory gives beside them
// (SuiteTheory). A result depends only on the suite, never on the number of workers; the
// rule sets of a scenario share its random numbers. WriteSuiteFiles writes it as Markdown,
// JSON, CSV and charts.
package fairness
