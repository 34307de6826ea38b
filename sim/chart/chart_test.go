package chart_test

import (
	"bytes"
	"encoding/xml"
	"image"
	"image/png"
	"os"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/routesim/routesim/sim/chart"
	"github.com/stretchr/testify/require"
)

// smallData is the data of a small what-if: one queue, two classes, an axis of three agent
// counts under two variants, targets on all three metrics, and the solver on four
// 15-minute intervals of one pool.
func smallData() *chart.Data {
	d := &chart.Data{
		Name: "small", Reps: 3, Confidence: 0.95, Threshold: 20 * time.Second,
		Axes:     []chart.Axis{{Name: "agents", Groups: []string{"agents"}, Values: []int{3, 4, 5}, Base: 4}},
		Variants: []string{"base", "fifo"},
		Queues:   []string{"q"},
		Classes:  []string{"std", "vip"},
		Pools:    []string{"p"},
		Targets: []chart.Target{{Metric: chart.ServiceLevel, Bound: 0.8}, {Metric: chart.Abandonment, Bound: 0.05},
			{Metric: chart.ASA, Bound: 30}, {Metric: chart.ServiceLevel, Bound: 0.9}},
	}
	figs := func(n, k float64) chart.Figures {
		return chart.Figures{
			ServiceLevel: chart.Estimate{Mean: 1 - k/n, HalfWidth: 0.03},
			ASA:          chart.Estimate{Mean: 60 * k / n, HalfWidth: 4},
			AbandonRate:  chart.Estimate{Mean: 0.1 * k / n, HalfWidth: 0.01},
		}
	}
	for vi, v := range d.Variants {
		for _, n := range d.Axes[0].Values {
			k := 1.5 + float64(vi)/2
			d.Points = append(d.Points, chart.Point{Variant: v, Agents: map[string]int{"agents": n},
				Queues:  map[string]chart.Figures{"q": figs(float64(n), k)},
				Classes: map[string]chart.Figures{"std": figs(float64(n), k+0.2), "vip": figs(float64(n), k-0.5)}})
		}
	}
	for i := range 4 {
		d.Staffing = append(d.Staffing, chart.Interval{Start: time.Duration(8*60+15*i) * time.Minute, Length: 15 * time.Minute,
			Pools: []chart.PoolStaffing{{Agents: 3 + i%2, ErlangC: 3 + i/2, Scheduled: 4}}})
	}
	return d
}

func TestWriteAll(t *testing.T) {
	res := smallData()
	dir := t.TempDir()
	files, err := chart.WriteAll(dir, res)
	require.NoError(t, err)
	want := []string{"service-level.svg", "service-level.png", "asa.svg", "asa.png",
		"abandonment.svg", "abandonment.png", "staffing.svg", "staffing.png"}
	if !slices.Equal(files, want) {
		t.Fatalf("WriteAll wrote %v; want %v", files, want)
	}
	figs := map[string]*chart.Figure{}
	for _, m := range []chart.Metric{chart.ServiceLevel, chart.ASA, chart.Abandonment} {
		f, err := chart.Sweep(res, m)
		require.NoError(t, err)
		figs[m.FileName()] = f
	}
	f, err := chart.Staffing(res)
	require.NoError(t, err)
	figs["staffing"] = f
	for _, name := range files {
		b, err := os.ReadFile(filepath.Join(dir, name))
		require.NoError(t, err)
		if len(b) == 0 {
			t.Fatalf("%s is empty", name)
		}
		base := name[:len(name)-4]
		switch filepath.Ext(name) {
		case ".svg":
			checkSVG(t, name, b)
		case ".png":
			w, h := figs[base].PixelSize()
			checkPNG(t, name, b, w, h)
		}
	}
	if left, _ := filepath.Glob(filepath.Join(dir, ".*tmp*")); len(left) > 0 {
		t.Errorf("temporary files left behind: %v", left)
	}
}

// checkSVG checks that b is XML whose root element is <svg> and that it draws paths and
// text.
func checkSVG(t *testing.T, name string, b []byte) {
	t.Helper()
	dec := xml.NewDecoder(bytes.NewReader(b))
	var root string
	paths, texts := 0, 0
	for {
		tok, err := dec.Token()
		if err != nil {
			break
		}
		if se, ok := tok.(xml.StartElement); ok {
			if root == "" {
				root = se.Name.Local
			}
			switch se.Name.Local {
			case "path":
				paths++
			case "text":
				texts++
			}
		}
	}
	if _, err := xml.NewDecoder(bytes.NewReader(b)).Token(); err != nil {
		t.Fatalf("%s: not XML: %v", name, err)
	}
	if root != "svg" || paths < 10 || texts < 10 {
		t.Errorf("%s: root <%s>, %d paths, %d texts; want <svg> with at least 10 of each", name, root, paths, texts)
	}
}

// checkPNG checks that b decodes as a PNG of w×h pixels that is not blank.
func checkPNG(t *testing.T, name string, b []byte, w, h int) {
	t.Helper()
	img, err := png.Decode(bytes.NewReader(b))
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	if got := img.Bounds(); got != image.Rect(0, 0, w, h) {
		t.Errorf("%s: %v; want %dx%d", name, got, w, h)
	}
	colours := map[[4]uint32]bool{}
	for y := 0; y < h; y += 7 {
		for x := 0; x < w; x += 7 {
			r, g, b, a := img.At(x, y).RGBA()
			colours[[4]uint32{r, g, b, a}] = true
		}
	}
	if len(colours) < 5 {
		t.Errorf("%s: %d colours; want a drawing, not a blank image", name, len(colours))
	}
}

func TestChartsNeedData(t *testing.T) {
	res := &chart.Data{}
	if _, err := chart.Sweep(res, chart.ServiceLevel); err == nil {
		t.Error("Sweep of a result with no axis: no error")
	}
	if _, err := chart.Staffing(res); err == nil {
		t.Error("Staffing of a result with no intervals: no error")
	}
	files, err := chart.WriteAll(t.TempDir(), res)
	if err != nil || len(files) != 0 {
		t.Errorf("WriteAll of an empty result = %v, %v; want no files, no error", files, err)
	}
}

func TestChartsRejectMismatchedData(t *testing.T) {
	d := smallData()
	d.Points[1].Agents = map[string]int{}
	if _, err := chart.Sweep(d, chart.ASA); err == nil {
		t.Error("Sweep of a point without the axis's agents: no error")
	}
	d = smallData()
	d.Staffing[2].Pools = nil
	if _, err := chart.Staffing(d); err == nil {
		t.Error("Staffing of an interval without its pools: no error")
	}
}

func TestFigureSize(t *testing.T) {
	res := smallData()
	f, err := chart.Sweep(res, chart.ServiceLevel)
	require.NoError(t, err)
	// One axis + the legend column, two variants: 4.4 in + 1.9 in wide, 2 × 3.2 in + 0.45 in
	// high, at 96 dpi.
	if w, h := f.PixelSize(); w != 605 || h != 658 {
		t.Errorf("PixelSize = %d×%d; want 605×658", w, h)
	}
	if len(f.Plots) != 2 || len(f.Plots[0]) != 1 {
		t.Errorf("grid %d×%d; want a row per variant, a column per axis", len(f.Plots), len(f.Plots[0]))
	}
}
