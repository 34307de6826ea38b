// Package chart draws the charts of a what-if (whatif.Result) with gonum.org/v1/plot, as
// SVG and PNG: service level, average speed of answer and abandonment against the agents of
// each sweep axis, per queue and per class with their confidence bands; and the staffing
// the solver found over the day against Erlang C and the scenario's schedule.
//
// A chart is a Figure, a grid of plots drawn on one canvas of a known size: its SVG is an
// XML document whose root is <svg>, its PNG an image of exactly PixelSize() pixels. Charts
// depend only on the result, so equal results give equal files.
package chart
