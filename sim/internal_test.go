package sim

import (
	"math"
	"math/rand/v2"
	"slices"
	"testing"
	"time"

	"pgregory.net/rapid"
)

// TestHistQuantile: every quantile read from the histogram is within 1/256 of the exact
// nearest-rank quantile, or within the resolution of 1 µs.
func TestHistQuantile(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		vals := rapid.SliceOfN(rapid.Int64Range(0, 1<<45), 1, 300).Draw(t, "vals")
		var h hist
		for _, v := range vals {
			h.record(v)
		}
		sorted := slices.Clone(vals)
		slices.Sort(sorted)
		for _, q := range []float64{0, 0.01, 0.5, 0.9, 0.99, 1} {
			rank := max(int(math.Ceil(q*float64(len(sorted)))), 1)
			exact := float64(sorted[rank-1])
			got := h.quantile(q)
			if math.Abs(got-exact) > math.Max(exact/256, histUnit) { // see hist
				t.Fatalf("q%v = %v; exact %v", q, got, exact)
			}
		}
		if h.max != sorted[len(sorted)-1] {
			t.Fatalf("max %d; want %d", h.max, sorted[len(sorted)-1])
		}
	})
}

// TestHistSpill: a bucket past 2^32-1 counts keeps its count exactly.
func TestHistSpill(t *testing.T) {
	var h hist
	h.record(5000)
	h.record(0)
	c, i := bucket(5)
	h.chunks[c][i] = math.MaxUint32 // as if 2^32-1 values of 5 µs had been recorded
	h.n += math.MaxUint32 - 1
	h.inChunk[c] += math.MaxUint32 - 1
	h.record(5000)
	if got, want := h.over[c<<16|i]+uint64(h.chunks[c][i]), uint64(math.MaxUint32)+1; got != want {
		t.Fatalf("bucket count %d; want %d", got, want)
	}
	if q := h.quantile(1e-12); q != 0 {
		t.Fatalf("lowest quantile %v; want 0", q)
	}
	if q := h.quantile(0.5); q != 5000 {
		t.Fatalf("median %v; want 5000", q)
	}
}

func TestHistEmptyAndReset(t *testing.T) {
	var h hist
	if !math.IsNaN(h.quantile(0.5)) {
		t.Fatal("empty histogram quantile is not NaN")
	}
	h.record(5)
	h.reset()
	if h.n != 0 || !math.IsNaN(h.quantile(0.5)) {
		t.Fatal("reset histogram is not empty")
	}
	if a := testing.AllocsPerRun(100, func() { h.record(1e9) }); a != 0 {
		t.Fatalf("record allocates %v times once its bucket exists", a)
	}
}

// TestArrivalOrder checks ahead against a plain slice model through random arrivals and
// departures, across ring growth.
func TestArrivalOrder(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		var o arrivalOrder
		var waiting []uint64 // model: arrival numbers still waiting, ascending
		t.Repeat(map[string]func(*rapid.T){
			"arrive": func(t *rapid.T) {
				s := o.arrive()
				if len(waiting) > 0 && s <= waiting[len(waiting)-1] {
					t.Fatalf("arrival number %d not increasing", s)
				}
				waiting = append(waiting, s)
			},
			"leave": func(t *rapid.T) {
				if len(waiting) == 0 {
					t.Skip("none waiting")
				}
				i := rapid.IntRange(0, len(waiting)-1).Draw(t, "i")
				s := waiting[i]
				if got := o.ahead(s); got != i {
					t.Fatalf("ahead(%d) = %d; want %d", s, got, i)
				}
				o.leave(s)
				waiting = slices.Delete(waiting, i, i+1)
			},
			"": func(t *rapid.T) {
				if len(waiting) > 0 && o.base > waiting[0] {
					t.Fatalf("base %d past waiting %d", o.base, waiting[0])
				}
			},
		})
	})
}

// TestCalendarOrder: events come out by (time, scheduling order), whatever the order of
// pushes and pops.
func TestCalendarOrder(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		var c calendar
		var model []event
		t.Repeat(map[string]func(*rapid.T){
			"push": func(t *rapid.T) {
				e := event{at: rapid.Int64Range(0, 20).Draw(t, "at"), kind: evKind(rapid.IntRange(1, 2).Draw(t, "kind"))}
				c.push(e)
				e.seq = c.seq
				model = append(model, e)
			},
			"pop": func(t *rapid.T) {
				if len(model) == 0 {
					t.Skip("empty")
				}
				i := 0
				for j := range model {
					if model[j].before(&model[i]) {
						i = j
					}
				}
				got := c.pop()
				if got.at != model[i].at || got.seq != model[i].seq {
					t.Fatalf("popped (%d, %d); want (%d, %d)", got.at, got.seq, model[i].at, model[i].seq)
				}
				model = slices.Delete(model, i, i+1)
			},
		})
	})
}

// TestSamplers: each distribution's sample mean and coefficient of variation match its
// parameters, and drawing allocates nothing.
func TestSamplers(t *testing.T) {
	const n = 200_000
	mean := Duration(100 * time.Second)
	for _, tc := range []struct {
		d      Dist
		wantCV float64
	}{
		{Exp(mean), 1},
		{Dist{Type: LogNormal, Mean: mean, CV: 0.5}, 0.5},
		{Dist{Type: LogNormal, Mean: mean, CV: 2}, 2},
		{Dist{Type: Gamma, Mean: mean, CV: 0.5}, 0.5},
		{Dist{Type: Gamma, Mean: mean, CV: 1.5}, 1.5},
		{Fixed(mean), 0},
		{Dist{Type: Empirical, Values: []Duration{50 * Duration(time.Second), 150 * Duration(time.Second)}}, 0.5},
		{Dist{Type: Empirical, Values: []Duration{0, 100 * Duration(time.Second), 400 * Duration(time.Second)}, Weights: []float64{1, 0, 1}}, 0},
	} {
		t.Run(tc.d.Type, func(t *testing.T) {
			if err := tc.d.validate("d"); err != nil {
				t.Fatal(err)
			}
			s := newSampler(&tc.d, rand.NewPCG(1, 2))
			var sum, sum2 float64
			for range n {
				x := float64(s.sample())
				sum += x
				sum2 += x * x
			}
			m := sum / n
			cv := math.Sqrt(sum2/n-m*m) / m
			want := tc.d.MeanSeconds() * 1e9
			wantCV := tc.wantCV
			if tc.d.Type == Empirical && len(tc.d.Weights) > 0 {
				wantCV = 1 // values 0 and 400 s, equally likely: mean 200, sd 200
			}
			// Tolerances: several standard errors of the mean for the heaviest tail here.
			if math.Abs(m-want) > 0.03*want {
				t.Errorf("mean %v s; want %v s", m/1e9, want/1e9)
			}
			if math.Abs(cv-wantCV) > 0.06*math.Max(wantCV, 0.1) {
				t.Errorf("cv %v; want %v", cv, wantCV)
			}
			if a := testing.AllocsPerRun(100, func() { s.sample() }); a != 0 {
				t.Errorf("sample allocates %v times", a)
			}
		})
	}
}

// TestStreamsIndependent: the streams of different purposes and indices, and of different
// replications, differ; the same (seed, rep, purpose, index) gives the same stream.
func TestStreamsIndependent(t *testing.T) {
	first := func(seed uint64, rep int, p uint64, i int) uint64 { return newStream(repKey(seed, rep), p, i).Uint64() }
	seen := map[uint64]bool{}
	for rep := range 3 {
		for p := purposeArrivals; p <= purposeACW; p++ {
			for i := range 3 {
				v := first(1, rep, p, i)
				if seen[v] {
					t.Fatalf("stream (rep %d, purpose %d, index %d) repeats another's first draw", rep, p, i)
				}
				seen[v] = true
				if v != first(1, rep, p, i) {
					t.Fatal("a stream is not reproducible")
				}
			}
		}
	}
}

func TestSum128(t *testing.T) {
	var s sum128
	for range 4 {
		s.add(math.MaxInt64)
	}
	if got, want := s.float(), 4*float64(math.MaxInt64); got != want {
		t.Fatalf("sum %v; want %v", got, want)
	}
}
