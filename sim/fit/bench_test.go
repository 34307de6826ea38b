package fit_test

import (
	"bytes"
	"io"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/routesim/routesim/sim/fit"
)

// recordGen is an io.Reader of n contact records, JSON lines, made from templates (real
// simulated records) with each copy's ContactId made unique: records are generated as they
// are read, so a million cost no memory.
type recordGen struct {
	templates [][]byte
	idAt      []int // offset of the ContactId's last 12 hex digits in each template
	n, i      int
	buf, cur  []byte
}

func newRecordGen(t testing.TB, n int) *recordGen {
	recs := simulate(t, knownScenario(1))
	g := &recordGen{n: n}
	for _, line := range bytes.Split(bytes.TrimSpace(recs), []byte("\n")) {
		at := bytes.Index(line, []byte(`"ContactId":"`)) + len(`"ContactId":"`) + 36 - 12
		g.templates = append(g.templates, append(line, '\n'))
		g.idAt = append(g.idAt, at)
	}
	return g
}

func (g *recordGen) Read(p []byte) (int, error) {
	n := 0
	for n < len(p) {
		if len(g.cur) == 0 {
			if g.i == g.n {
				if n == 0 {
					return 0, io.EOF
				}
				return n, nil
			}
			k := g.i % len(g.templates)
			rec := append(g.buf[:0], g.templates[k]...)
			g.buf = rec
			const hex = "0123456789abcdef"
			for j, v := 11, g.i; j >= 0; j-- {
				rec[g.idAt[k]+j] = hex[v&15]
				v >>= 4
			}
			g.cur = rec
			g.i++
		}
		c := copy(p[n:], g.cur)
		n += c
		g.cur = g.cur[c:]
	}
	return n, nil
}

// BenchmarkFitMillion reads and fits 1,000,000 contact records (about 600 bytes each,
// generated as they are read) on one core: the target is about 10 s.
//
//	go test -run - -bench FitMillion -benchtime 1x -cpu 1 ./sim/fit
func BenchmarkFitMillion(b *testing.B) {
	const n = 1_000_000
	g := newRecordGen(b, n)
	b.ReportAllocs()
	var bytesRead int64
	cpu0 := cpuSeconds()
	for b.Loop() {
		g.i, g.cur = 0, nil
		d := fit.NewData()
		cr := &countingReader{r: g}
		require.NoError(b, d.Read("gen", cr))
		bytesRead = cr.n
		require.Equal(b, n, d.Contacts())
		require.Zero(b, d.Bad)
		res, err := fit.Fit(d, fit.Options{})
		require.NoError(b, err)
		require.Equal(b, n, res.Report.Lanes[0].Arrivals)
	}
	b.ReportMetric(float64(bytesRead)/n, "bytes/record")
	b.ReportMetric(b.Elapsed().Seconds()/float64(b.N), "s/million")
	// CPU time (user + system) of the process over the loop: on a shared machine the wall
	// time above counts the time other processes had the core.
	b.ReportMetric((cpuSeconds()-cpu0)/float64(b.N), "cpu-s/million")
}

func cpuSeconds() float64 {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano()).Seconds()
}

type countingReader struct {
	r io.Reader
	n int64
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += int64(n)
	return n, err
}
