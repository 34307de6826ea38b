package chart

import (
	"bytes"
	"fmt"
	"image/color"
	"io"
	"path/filepath"

	"github.com/routesim/routesim/internal/atomicfile"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/font"
	"gonum.org/v1/plot/text"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgimg"
	"gonum.org/v1/plot/vg/vgsvg"
)

// DPI is the resolution of every PNG.
const DPI = 96

// Figure is a grid of plots under a title, ready to be written as SVG or PNG. The zero value
// is not usable; Sweep and Staffing build figures. Not safe for concurrent use.
type Figure struct {
	// Title is drawn centred above the grid.
	Title string
	// Plots is the grid, row by row; every row has the same length, and a nil entry leaves
	// its tile empty.
	Plots [][]*plot.Plot
	// Legend, when set, is drawn in a column of width LegendWidth right of the grid (a plot
	// with hidden axes that holds only a legend).
	Legend      *plot.Plot
	LegendWidth vg.Length
	// Width and Height are the size of the canvas.
	Width, Height vg.Length
}

// titleHeight is the band above the grid that holds the title.
const titleHeight = 0.45 * vg.Inch

// draw draws the figure on a canvas of its size.
func (f *Figure) draw(c vg.CanvasSizer) {
	dc := draw.New(c)
	if f.Title != "" {
		sty := text.Style{Color: color.Black, Font: font.From(plot.DefaultFont, 14), Handler: plot.DefaultTextHandler,
			XAlign: draw.XCenter, YAlign: draw.YCenter}
		dc.FillText(sty, vg.Point{X: f.Width / 2, Y: f.Height - titleHeight/2}, f.Title)
	}
	rows := len(f.Plots)
	if rows == 0 {
		return
	}
	t := draw.Tiles{Rows: rows, Cols: len(f.Plots[0]), PadTop: titleHeight, PadBottom: vg.Millimeter * 2,
		PadLeft: vg.Millimeter * 2, PadRight: vg.Millimeter*4 + f.LegendWidth, PadX: vg.Millimeter * 8, PadY: vg.Millimeter * 8}
	if f.Legend != nil {
		f.Legend.Draw(draw.Crop(dc, f.Width-f.LegendWidth, 0, 0, -titleHeight-vg.Millimeter*4))
	}
	canvases := plot.Align(f.Plots, t, dc)
	for j, row := range f.Plots {
		for i, p := range row {
			if p != nil {
				p.Draw(canvases[j][i])
			}
		}
	}
}

// WriteSVG writes the figure as an SVG document.
func (f *Figure) WriteSVG(w io.Writer) error {
	c := vgsvg.New(f.Width, f.Height)
	f.draw(c)
	_, err := c.WriteTo(w)
	return err
}

// WritePNG writes the figure as a PNG image of PixelSize pixels at DPI.
func (f *Figure) WritePNG(w io.Writer) error {
	c := vgimg.NewWith(vgimg.UseWH(f.Width, f.Height), vgimg.UseDPI(DPI))
	f.draw(c)
	_, err := vgimg.PngCanvas{Canvas: c}.WriteTo(w)
	return err
}

// PixelSize returns the width and height in pixels of the figure's PNG.
func (f *Figure) PixelSize() (w, h int) {
	px := func(l vg.Length) int { return int(l/vg.Inch*DPI + 0.5) }
	return px(f.Width), px(f.Height)
}

// WriteAll draws every chart of res into dir as NAME.svg and NAME.png and returns the file
// names written: service-level, asa and abandonment when the sweep has an axis, staffing
// when the solver ran, coverage when a roster was built. Each file is written to a temporary file in dir and renamed into
// place, so none is ever seen half-written.
func WriteAll(dir string, res *Data) ([]string, error) {
	var figs []struct {
		name string
		fig  *Figure
	}
	if len(res.Axes) > 0 && len(res.Points) > 0 {
		for _, m := range []Metric{ServiceLevel, ASA, Abandonment} {
			f, err := Sweep(res, m)
			if err != nil {
				return nil, err
			}
			figs = append(figs, struct {
				name string
				fig  *Figure
			}{m.FileName(), f})
		}
	}
	if len(res.Staffing) > 0 {
		f, err := Staffing(res)
		if err != nil {
			return nil, err
		}
		figs = append(figs, struct {
			name string
			fig  *Figure
		}{"staffing", f})
	}
	if res.Coverage != nil {
		f, err := CoverageChart(res)
		if err != nil {
			return nil, err
		}
		figs = append(figs, struct {
			name string
			fig  *Figure
		}{"coverage", f})
	}
	var files []string
	for _, f := range figs {
		for _, ext := range []string{".svg", ".png"} {
			var buf bytes.Buffer
			write := f.fig.WriteSVG
			if ext == ".png" {
				write = f.fig.WritePNG
			}
			if err := write(&buf); err != nil {
				return files, fmt.Errorf("chart: %s%s: %w", f.name, ext, err)
			}
			name := f.name + ext
			if err := atomicfile.WriteFile(filepath.Join(dir, name), buf.Bytes(), 0o644); err != nil {
				return files, err
			}
			files = append(files, name)
		}
	}
	return files, nil
}
