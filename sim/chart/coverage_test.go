package chart_test

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/routesim/routesim/sim/chart"
)

// coverageData is a two-pool roster over a week of hourly intervals.
func coverageData() *chart.Data {
	d := &chart.Data{Name: "roster", Pools: []string{"a", "b"}}
	c := &chart.Coverage{Interval: time.Hour}
	for _, name := range d.Pools {
		p := chart.CoveragePool{Name: name}
		for k := range 168 {
			r := 0
			if h := k % 24; h >= 8 && h < 20 {
				r = 5 + h%4
			}
			p.Required, p.TwoStep, p.Final = append(p.Required, r), append(p.TwoStep, r+1), append(p.Final, r+2)
		}
		c.Pools = append(c.Pools, p)
	}
	d.Coverage = c
	return d
}

func TestCoverageChart(t *testing.T) {
	f, err := chart.CoverageChart(coverageData())
	require.NoError(t, err)
	assert.Len(t, f.Plots, 2, "one panel per pool")
	var b bytes.Buffer
	require.NoError(t, f.WriteSVG(&b))
	assert.Contains(t, b.String(), "pool b")
	assert.Contains(t, b.String(), "day of the cycle", "a week is labelled by day")

	dir := t.TempDir()
	files, err := chart.WriteAll(dir, coverageData())
	require.NoError(t, err)
	assert.Equal(t, []string{"coverage.svg", "coverage.png"}, files)
	_, err = os.Stat(filepath.Join(dir, "coverage.png"))
	assert.NoError(t, err)

	_, err = chart.CoverageChart(&chart.Data{})
	assert.ErrorContains(t, err, "no roster")
	bad := coverageData()
	bad.Coverage.Pools[1].Final = bad.Coverage.Pools[1].Final[:10]
	_, err = chart.CoverageChart(bad)
	assert.ErrorContains(t, err, "pool b: 168 required, 168 two-step and 10 final values")
}
