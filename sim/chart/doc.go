// Package chart draws the charts of a capacity what-if with gonum.org/v1/plot, as SVG and
// PNG: service level, average speed of answer and abandonment against the agents of each
// sweep axis, per queue and per class with their confidence bands; and the staffing the
// solver found over the day against Erlang C and the scenario's schedule. It also gives
// other charts (the fairness suite's) the Figure they are drawn on.
//
// Charts draw Data, which callers fill from their results (routesim converts a sim/whatif
// result): chart imports only the standard library and gonum, no routesim package.
//
// A chart is a Figure, a grid of plots drawn on one canvas of a known size: its SVG is an
// XML document whose root is <svg>, its PNG an image of exactly PixelSize() pixels. Charts
// depend only on their Data, so equal data give equal files.
package chart
