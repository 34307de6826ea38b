package fairness

import (
	"cmp"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/stretchr/testify/require"
)

// bruteInversions counts pairs i < j with s[i] > s[j] in O(n²).
func bruteInversions(s []uint64) uint64 {
	var n uint64
	for i := range s {
		for j := i + 1; j < len(s); j++ {
			if s[i] > s[j] {
				n++
			}
		}
	}
	return n
}

func TestInversionsHand(t *testing.T) {
	tests := []struct {
		name string
		seqs []uint64
		want uint64
	}{
		{"empty", nil, 0},
		{"one", []uint64{7}, 0},
		{"in order", []uint64{0, 1, 2, 3}, 0},
		{"2,0,1", []uint64{2, 0, 1}, 2}, // the arrival 2 was served before 0 and 1
		{"reverse of 4", []uint64{3, 2, 1, 0}, 6},
		{"one swap", []uint64{0, 2, 1, 3}, 1},
		{"equal values form no pair", []uint64{1, 1, 0}, 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := slices.Clone(tt.seqs)
			if got := Inversions(tt.seqs); got != tt.want {
				t.Errorf("Inversions(%v) = %d; want %d", tt.seqs, got, tt.want)
			}
			if !slices.Equal(in, tt.seqs) {
				t.Errorf("Inversions modified its input: %v; want %v", tt.seqs, in)
			}
		})
	}
}

func TestInversionsRandomPermutations(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 1))
	for _, n := range []int{2, 3, 10, 100, 1000} {
		t.Run(fmt.Sprint(n), func(t *testing.T) {
			for range 20 {
				s := make([]uint64, n)
				for i, p := range r.Perm(n) {
					s[i] = uint64(p)
				}
				if got, want := Inversions(s), bruteInversions(s); got != want {
					t.Fatalf("Inversions(%v) = %d; want %d", s, got, want)
				}
			}
		})
	}
}

func TestKendallTau(t *testing.T) {
	tests := []struct {
		name string
		seqs []uint64
		want float64
	}{
		{"identity", []uint64{0, 1, 2, 3, 4}, 1},
		{"reverse", []uint64{4, 3, 2, 1, 0}, -1},
		{"2,0,1", []uint64{2, 0, 1}, -1.0 / 3},           // 1 - 4·2/(3·2)
		{"one swap of 4", []uint64{1, 0, 2, 3}, 2.0 / 3}, // 1 - 4·1/(4·3)
		{"single", []uint64{9}, 1},
		{"empty", nil, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := KendallTau(tt.seqs); math.Abs(got-tt.want) > 1e-12 {
				t.Errorf("KendallTau(%v) = %v; want %v", tt.seqs, got, tt.want)
			}
		})
	}
}

// bruteTauB is Kendall's tau-b by its definition, over all pairs.
func bruteTauB(x, y []float64) float64 {
	var c, d, tx, ty, p float64
	for i := range x {
		for j := i + 1; j < len(x); j++ {
			p++
			dx, dy := cmp.Compare(x[i], x[j]), cmp.Compare(y[i], y[j])
			if dx == 0 {
				tx++
			}
			if dy == 0 {
				ty++
			}
			switch {
			case dx*dy > 0:
				c++
			case dx*dy < 0:
				d++
			}
		}
	}
	return (c - d) / math.Sqrt((p-tx)*(p-ty))
}

func TestKendallTauB(t *testing.T) {
	tests := []struct {
		name string
		x, y []float64
		want float64
	}{
		// scipy.stats.kendalltau documentation example: tau = -0.47140452079103173.
		{"scipy example", []float64{12, 2, 1, 12, 2}, []float64{1, 4, 7, 1, 0}, -0.47140452079103173},
		{"identity", []float64{1, 2, 3}, []float64{10, 20, 30}, 1},
		{"reverse", []float64{1, 2, 3}, []float64{3, 2, 1}, -1},
		{"all x tied", []float64{1, 1, 1}, []float64{1, 2, 3}, math.NaN()},
		{"one point", []float64{1}, []float64{1}, math.NaN()},
		{"NaN input", []float64{1, math.NaN()}, []float64{1, 2}, math.NaN()},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := KendallTauB(tt.x, tt.y)
			if math.IsNaN(tt.want) != math.IsNaN(got) || math.Abs(got-tt.want) > 1e-12 {
				t.Errorf("KendallTauB(%v, %v) = %v; want %v", tt.x, tt.y, got, tt.want)
			}
		})
	}
	t.Run("random with ties against brute force", func(t *testing.T) {
		r := rand.New(rand.NewPCG(3, 4))
		for _, n := range []int{2, 5, 50, 300} {
			for range 20 {
				x, y := make([]float64, n), make([]float64, n)
				for i := range x {
					x[i], y[i] = float64(r.IntN(n/2+2)), float64(r.IntN(n/3+2))
				}
				got, want := KendallTauB(x, y), bruteTauB(x, y)
				if math.IsNaN(got) != math.IsNaN(want) || math.Abs(got-want) > 1e-12 {
					t.Fatalf("KendallTauB(%v, %v) = %v; want %v", x, y, got, want)
				}
			}
		}
	})
	t.Run("without ties equals KendallTau", func(t *testing.T) {
		r := rand.New(rand.NewPCG(5, 6))
		seqs := make([]uint64, 200)
		x, y := make([]float64, 200), make([]float64, 200)
		for i, p := range r.Perm(200) {
			seqs[i], x[i], y[i] = uint64(p), float64(p), float64(i)
		}
		if got, want := KendallTauB(x, y), KendallTau(seqs); math.Abs(got-want) > 1e-12 {
			t.Errorf("KendallTauB = %v; want KendallTau = %v", got, want)
		}
	})
}

func TestJain(t *testing.T) {
	tests := []struct {
		name string
		xs   []float64
		want float64
	}{
		{"equal", []float64{1, 1, 1, 1}, 1},
		{"one of four", []float64{1, 0, 0, 0}, 0.25},
		{"1,2,3", []float64{1, 2, 3}, 36.0 / 42}, // (1+2+3)² / (3·(1+4+9))
		{"two of four", []float64{5, 5, 0, 0}, 0.5},
		{"empty", nil, 1},
		{"all zero", []float64{0, 0}, 1},
		{"huge values", []float64{1e300, 1e300}, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Jain(tt.xs); math.Abs(got-tt.want) > 1e-12 {
				t.Errorf("Jain(%v) = %v; want %v", tt.xs, got, tt.want)
			}
		})
	}
	t.Run("bounds", func(t *testing.T) {
		r := rand.New(rand.NewPCG(1, 2))
		for range 1000 {
			n := 1 + r.IntN(20)
			xs := make([]float64, n)
			for i := range xs {
				xs[i] = r.ExpFloat64() * float64(r.IntN(3))
			}
			j := Jain(xs)
			if j < 1/float64(n)-1e-12 || j > 1 {
				t.Fatalf("Jain(%v) = %v; want within [1/%d, 1]", xs, j, n)
			}
		}
	})
	for _, bad := range []float64{-1, math.NaN(), math.Inf(1)} {
		t.Run(fmt.Sprint("panics on ", bad), func(t *testing.T) {
			defer func() {
				if recover() == nil {
					t.Errorf("Jain([1 %v]) did not panic; want a panic", bad)
				}
			}()
			Jain([]float64{1, bad})
		})
	}
}

func TestJainAgents(t *testing.T) {
	tests := []struct {
		name           string
		agents         []AgentObs
		wantOcc, wantI float64
	}{
		{"equal", []AgentObs{{Busy: 30, Idle: 10}, {Busy: 30, Idle: 10}}, 1, 1},
		// occupancies 0.5 and 1: (1.5)²/(2·1.25) = 0.9; idle 10 and 0: 1/2.
		{"one never idle", []AgentObs{{Busy: 10, Idle: 10}, {Busy: 20, Idle: 0}}, 0.9, 0.5},
		{"offline agent left out", []AgentObs{{Busy: 5, Idle: 5}, {}, {Busy: 5, Idle: 5}}, 1, 1},
		{"none", nil, 1, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			occ, err := JainOccupancy(tt.agents)
			if err != nil || math.Abs(occ-tt.wantOcc) > 1e-12 {
				t.Errorf("JainOccupancy(%v) = %v, %v; want %v, nil", tt.agents, occ, err, tt.wantOcc)
			}
			idle, err := JainIdleShare(tt.agents)
			if err != nil || math.Abs(idle-tt.wantI) > 1e-12 {
				t.Errorf("JainIdleShare(%v) = %v, %v; want %v, nil", tt.agents, idle, err, tt.wantI)
			}
		})
	}
	bad := []AgentObs{{Busy: -1, Idle: 1}}
	if _, err := JainOccupancy(bad); !errors.Is(err, ErrInvalid) {
		t.Errorf("JainOccupancy(%v) error = %v; want ErrInvalid", bad, err)
	}
	if _, err := JainIdleShare(bad); !errors.Is(err, ErrInvalid) {
		t.Errorf("JainIdleShare(%v) error = %v; want ErrInvalid", bad, err)
	}
}

// stream returns n contacts in the order they leave the queue, numbered from first: arrivals
// every 0.1 s on average, exponential waits (mean meanWait), about a fifth abandoned, classes
// 1..3, exponential handle times of mean 30 s.
func stream(r *rand.Rand, n int, first uint64, meanWait float64) []ContactObs {
	obs := make([]ContactObs, n)
	var t float64
	for i := range obs {
		t += r.ExpFloat64() * 0.1
		obs[i] = ContactObs{
			ArrivalSeq: first + uint64(i),
			Class:      1 + r.IntN(3),
			Arrival:    t,
			Dequeued:   t + r.ExpFloat64()*meanWait,
			Handle:     r.ExpFloat64() * 30,
			Served:     r.Float64() > 0.2,
		}
	}
	slices.SortStableFunc(obs, func(a, b ContactObs) int { return cmp.Compare(a.Dequeued, b.Dequeued) })
	return obs
}

// bruteOrder counts, over the served contacts of obs (in service order), the pairs in which
// the later arrival was served first, overall and within a class.
func bruteOrder(obs []ContactObs) (all, within uint64, perClass map[int]uint64) {
	perClass = make(map[int]uint64)
	for i, a := range obs {
		for _, b := range obs[i+1:] {
			if a.Served && b.Served && a.ArrivalSeq > b.ArrivalSeq {
				all++
				if a.Class == b.Class {
					within++
					perClass[a.Class]++
				}
			}
		}
	}
	return all, within, perClass
}

func mustReport(t *testing.T, a *Accumulator, obs []ContactObs) Report {
	t.Helper()
	for _, o := range obs {
		if err := a.Add(o); err != nil {
			t.Fatalf("Add(%+v) = %v; want nil", o, err)
		}
	}
	r, err := a.Report(nil)
	require.NoError(t, err, "Report")
	return r
}

func TestFairnessInversionsAgainstBruteForce(t *testing.T) {
	r := rand.New(rand.NewPCG(11, 12))
	for _, tc := range []struct {
		n        int
		meanWait float64
	}{{1, 1}, {2, 1}, {50, 5}, {2000, 1}, {2000, 20}, {3000, 200}} {
		t.Run(fmt.Sprintf("n=%d wait=%v", tc.n, tc.meanWait), func(t *testing.T) {
			obs := stream(r, tc.n, 0, tc.meanWait)
			all, within, perClass := bruteOrder(obs)
			a := new(Accumulator)
			rep := mustReport(t, a, obs)
			if rep.Inversions != all || rep.InversionsWithinClass != within {
				t.Errorf("Inversions, InversionsWithinClass = %d, %d; want %d, %d",
					rep.Inversions, rep.InversionsWithinClass, all, within)
			}
			for _, c := range rep.Classes {
				if c.Inversions != perClass[c.Class] {
					t.Errorf("class %d Inversions = %d; want %d", c.Class, c.Inversions, perClass[c.Class])
				}
			}
			wantTau := tauFromInversions(all, rep.Overall.Served)
			if rep.KendallTau != wantTau || rep.Overall.KendallTau != wantTau {
				t.Errorf("KendallTau = %v (overall %v); want %v", rep.KendallTau, rep.Overall.KendallTau, wantTau)
			}
			// The batch form, given the contacts shuffled, must agree.
			shuffled := slices.Clone(obs)
			r.Shuffle(len(shuffled), func(i, j int) { shuffled[i], shuffled[j] = shuffled[j], shuffled[i] })
			batch, err := Measure(shuffled, nil, Config{})
			if err != nil || batch.Inversions != all || batch.InversionsWithinClass != within {
				t.Errorf("Measure: Inversions %d, within %d, error %v; want %d, %d, nil",
					batch.Inversions, batch.InversionsWithinClass, err, all, within)
			}
		})
	}
}

func TestFairnessInversionsSparseSequences(t *testing.T) {
	// Sequences with gaps never filled pin the window of sequences; counts stay exact.
	r := rand.New(rand.NewPCG(13, 14))
	obs := stream(r, 1500, 0, 30)
	for i := range obs {
		obs[i].ArrivalSeq = 3*obs[i].ArrivalSeq + 7
	}
	all, within, _ := bruteOrder(obs)
	rep := mustReport(t, new(Accumulator), obs)
	if rep.Inversions != all || rep.InversionsWithinClass != within {
		t.Errorf("Inversions, InversionsWithinClass = %d, %d; want %d, %d",
			rep.Inversions, rep.InversionsWithinClass, all, within)
	}
}

func TestFairnessInversionMemoryBounded(t *testing.T) {
	// Waits of mean 1 s with arrivals every 0.1 s: some tens of contacts in flight. The
	// window of sequences must stay near that, not grow with the 200000 contacts.
	r := rand.New(rand.NewPCG(21, 22))
	obs := stream(r, 200000, 1, 1)
	a, err := NewAccumulator(Config{FirstSeq: 1})
	require.NoError(t, err, "NewAccumulator")
	mustReport(t, a, obs)
	if got := len(a.order.slot); got > 4096 {
		t.Errorf("window of sequences holds %d slots after 200000 contacts; want at most 4096", got)
	}
	if got, want := a.order.low, uint64(200001); got != want {
		t.Errorf("oldest sequence not yet added = %d; want %d", got, want)
	}
}

func TestFairnessSkip(t *testing.T) {
	r := rand.New(rand.NewPCG(31, 32))
	obs := stream(r, 3000, 1, 3)
	// Leave out the contacts of even sequence below 1000, as a warm-up would, and skip them.
	var kept []ContactObs
	a, _ := NewAccumulator(Config{FirstSeq: 1})
	for _, o := range obs {
		if o.ArrivalSeq < 1000 && o.ArrivalSeq%2 == 0 {
			if err := a.Skip(o.ArrivalSeq); err != nil {
				t.Fatalf("Skip(%d) = %v; want nil", o.ArrivalSeq, err)
			}
			continue
		}
		kept = append(kept, o)
	}
	rep := mustReport(t, a, kept)
	all, within, _ := bruteOrder(kept)
	if rep.Inversions != all || rep.InversionsWithinClass != within {
		t.Errorf("Inversions, InversionsWithinClass = %d, %d; want %d, %d",
			rep.Inversions, rep.InversionsWithinClass, all, within)
	}
	if a.order.low != 3001 {
		t.Errorf("oldest sequence not yet added = %d; want 3001", a.order.low)
	}
	if err := a.Skip(2); !errors.Is(err, ErrOrder) {
		t.Errorf("Skip(2) twice: error %v; want ErrOrder", err)
	}
	if err := a.Skip(0); !errors.Is(err, ErrOrder) {
		t.Errorf("Skip(0) below FirstSeq 1: error %v; want ErrOrder", err)
	}
}

// exactRank returns the nearest-rank p-quantile of xs.
func exactRank(xs []float64, p float64) float64 {
	s := slices.Clone(xs)
	slices.Sort(s)
	return s[histRank(p, uint64(len(s)))-1]
}

func TestFairnessHistogramQuantiles(t *testing.T) {
	r := rand.New(rand.NewPCG(41, 42))
	gens := map[string]func() float64{
		"exponential":              func() float64 { return r.ExpFloat64() * 20 },
		"lognormal wide":           func() float64 { return math.Exp(r.NormFloat64() * 6) },
		"half zeros":               func() float64 { return float64(r.IntN(2)) * r.ExpFloat64() },
		"constant":                 func() float64 { return 42 },
		"tiny to huge (1e-9..1e9)": func() float64 { return math.Pow(10, -9+18*r.Float64()) },
	}
	for name, gen := range gens {
		t.Run(name, func(t *testing.T) {
			for _, n := range []int{1, 7, 100, 10000} {
				var h logHist
				xs := make([]float64, n)
				for i := range xs {
					xs[i] = gen()
					h.add(xs[i])
				}
				for _, p := range []float64{0, 0.01, 0.5, 0.95, 0.99, 0.999, 1} {
					got, want := h.quantile(p), exactRank(xs, p)
					if math.Abs(got-want) > HistRelErr*want {
						t.Errorf("n=%d: quantile(%v) = %v; want %v within %.4f relative", n, p, got, want, HistRelErr)
					}
				}
			}
		})
	}
	var empty logHist
	if got := empty.quantile(0.5); got != 0 {
		t.Errorf("empty quantile(0.5) = %v; want 0", got)
	}
}

func TestFairnessClassFigures(t *testing.T) {
	r := rand.New(rand.NewPCG(51, 52))
	obs := stream(r, 5000, 0, 10)
	thresholds := []float64{0, 5, 20}
	a, err := NewAccumulator(Config{WaitThresholds: thresholds})
	require.NoError(t, err, "NewAccumulator")
	rep := mustReport(t, a, obs)
	check := func(t *testing.T, got ClassStats, sel func(ContactObs) bool) {
		var waits, slows, ab []float64
		for _, o := range obs {
			switch {
			case !sel(o):
			case o.Served:
				waits = append(waits, o.Wait())
				if o.Handle > 0 {
					slows = append(slows, o.Slowdown())
				}
			default:
				ab = append(ab, o.Wait())
			}
		}
		mean := func(xs []float64) float64 {
			var s float64
			for _, x := range xs {
				s += x
			}
			return s / float64(len(xs))
		}
		if got.Served != uint64(len(waits)) || got.Abandoned != uint64(len(ab)) || got.Count != got.Served+got.Abandoned {
			t.Errorf("Count, Served, Abandoned = %d, %d, %d; want %d, %d, %d",
				got.Count, got.Served, got.Abandoned, len(waits)+len(ab), len(waits), len(ab))
		}
		for _, f := range []struct {
			name      string
			got, want float64
			tol       float64
		}{
			{"MeanWait", got.MeanWait, mean(waits), 1e-9},
			{"MaxWait", got.MaxWait, slices.Max(waits), 0},
			{"P50", got.P50, exactRank(waits, 0.50), HistRelErr},
			{"P95", got.P95, exactRank(waits, 0.95), HistRelErr},
			{"P99", got.P99, exactRank(waits, 0.99), HistRelErr},
			{"MeanSlowdown", got.MeanSlowdown, mean(slows), 1e-9},
			{"MeanAbandonWait", got.MeanAbandonWait, mean(ab), 1e-9},
			{"MaxAbandonWait", got.MaxAbandonWait, slices.Max(ab), 0},
		} {
			if math.Abs(f.got-f.want) > f.tol*f.want {
				t.Errorf("%s = %v; want %v (relative tolerance %v)", f.name, f.got, f.want, f.tol)
			}
		}
		for i, th := range thresholds {
			var over int
			for _, w := range waits {
				if w > th {
					over++
				}
			}
			if want := float64(over) / float64(len(waits)); got.PWaitOver[i] != want {
				t.Errorf("PWaitOver(%v) = %v; want %v", th, got.PWaitOver[i], want)
			}
		}
	}
	t.Run("overall", func(t *testing.T) {
		if rep.Overall.Class != -1 {
			t.Errorf("Overall.Class = %d; want -1", rep.Overall.Class)
		}
		check(t, rep.Overall, func(ContactObs) bool { return true })
	})
	if len(rep.Classes) != 3 {
		t.Fatalf("%d classes; want 3", len(rep.Classes))
	}
	for i, c := range rep.Classes {
		t.Run(fmt.Sprint("class ", c.Class), func(t *testing.T) {
			if c.Class != i+1 {
				t.Errorf("Classes[%d].Class = %d; want %d", i, c.Class, i+1)
			}
			check(t, c, func(o ContactObs) bool { return o.Class == c.Class })
		})
	}
}

func TestFairnessSlowdownAndAcrossClasses(t *testing.T) {
	// Class 1: waits 0 and 10 for handles 10 and 10: mean wait 5, slowdowns 0 and 1, mean 0.5.
	// Class 2: wait 20 for handle 5: slowdown 4. Class 3: only an abandoned contact.
	obs := []ContactObs{
		{ArrivalSeq: 0, Class: 1, Arrival: 0, Dequeued: 0, Handle: 10, Served: true},
		{ArrivalSeq: 1, Class: 2, Arrival: 1, Dequeued: 11, Handle: 5, Served: false},
		{ArrivalSeq: 2, Class: 1, Arrival: 2, Dequeued: 12, Handle: 10, Served: true},
		{ArrivalSeq: 3, Class: 3, Arrival: 3, Dequeued: 40},
		{ArrivalSeq: 4, Class: 2, Arrival: 10, Dequeued: 30, Handle: 5, Served: true},
	}
	rep, err := Measure(obs, nil, Config{})
	require.NoError(t, err, "Measure")
	c1, c2 := rep.Classes[0], rep.Classes[1]
	for _, f := range []struct {
		name      string
		got, want float64
	}{
		{"class 1 MeanWait", c1.MeanWait, 5},
		{"class 1 MeanSlowdown", c1.MeanSlowdown, 0.5},
		{"class 2 MeanWait", c2.MeanWait, 20},
		{"class 2 MeanSlowdown", c2.MeanSlowdown, 4},
		{"class 2 MeanAbandonWait", c2.MeanAbandonWait, 10},
		{"JainMeanWait", rep.JainMeanWait, 625.0 / 850},          // (5+20)² / (2·(25+400))
		{"JainMeanSlowdown", rep.JainMeanSlowdown, 20.25 / 32.5}, // (0.5+4)² / (2·(0.25+16))
		{"MaxClassRatio", rep.MaxClassRatio, 4},                  // 20 / 5
		{"MaxClassSlowdownRatio", rep.MaxClassSlowdownRatio, 8},  // 4 / 0.5
		{"StarvationMaxWait", rep.StarvationMaxWait, 37},         // class 3, abandoned after 37 s
		{"LowestClass", float64(rep.LowestClass), 3},
	} {
		if math.Abs(f.got-f.want) > 1e-12 {
			t.Errorf("%s = %v; want %v", f.name, f.got, f.want)
		}
	}
	// One class that never waits: the ratio to a waiting class is infinite.
	rep, _ = Measure([]ContactObs{
		{ArrivalSeq: 0, Class: 1, Dequeued: 0, Handle: 1, Served: true},
		{ArrivalSeq: 1, Class: 2, Dequeued: 3, Handle: 1, Served: true},
	}, nil, Config{})
	if !math.IsInf(rep.MaxClassRatio, 1) || rep.JainMeanWait != 0.5 {
		t.Errorf("MaxClassRatio, JainMeanWait = %v, %v; want +Inf, 0.5", rep.MaxClassRatio, rep.JainMeanWait)
	}
}

func TestFairnessStarvation(t *testing.T) {
	// Class 9 is the lowest. Its served contacts wait at most 50 s; one abandons after 80 s.
	// Class 1 waits longer (100 s) but is not the lowest class.
	obs := []ContactObs{
		{ArrivalSeq: 0, Class: 9, Arrival: 0, Dequeued: 50, Handle: 1, Served: true},
		{ArrivalSeq: 1, Class: 1, Arrival: 1, Dequeued: 101, Handle: 1, Served: true},
		{ArrivalSeq: 2, Class: 9, Arrival: 30, Dequeued: 110},
	}
	rep, err := Measure(obs, nil, Config{MinWindowCount: 1})
	require.NoError(t, err, "Measure")
	if rep.LowestClass != 9 || rep.StarvationMaxWait != 80 || rep.StarvationWindowP99 != 50 {
		t.Errorf("LowestClass, StarvationMaxWait, StarvationWindowP99 = %d, %v, %v; want 9, 80, 50",
			rep.LowestClass, rep.StarvationMaxWait, rep.StarvationWindowP99)
	}
}

func TestFairnessWorstWindowP99(t *testing.T) {
	// One contact leaves each second from t = 1 to 100, each after a 1 s wait, except the one
	// at t = 55, which waited 50 s. Windows of 10 s start every 5 s; the p99 of 10 waits is
	// their largest, so the windows [50, 60) and [55, 65) score 50, and [50, 60) closes first.
	var obs []ContactObs
	for i := range 100 {
		d := float64(i + 1)
		w := 1.0
		if d == 55 {
			w = 50
		}
		obs = append(obs, ContactObs{ArrivalSeq: uint64(i), Arrival: d - w, Dequeued: d, Handle: 1, Served: true})
	}
	tests := []struct {
		name               string
		minCount           int
		wantP99, wantStart float64
		wantWindows        int
	}{
		// Windows k = -1..20 hold 4, 9, then 10 each (k = 1..18), 6 and 1 contacts.
		{"every window", 1, 50, 50, 22},
		{"windows of at least 10", 10, 50, 50, 18},
		{"no window big enough", 11, 0, 0, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rep, err := Measure(obs, nil, Config{Window: 10, MinWindowCount: tt.minCount})
			require.NoError(t, err, "Measure")
			o := rep.Overall
			if o.WorstWindowP99 != tt.wantP99 || o.WorstWindowStart != tt.wantStart || o.Windows != tt.wantWindows {
				t.Errorf("WorstWindowP99, WorstWindowStart, Windows = %v, %v, %d; want %v, %v, %d",
					o.WorstWindowP99, o.WorstWindowStart, o.Windows, tt.wantP99, tt.wantStart, tt.wantWindows)
			}
		})
	}
}

func TestFairnessReportMidway(t *testing.T) {
	// Report must not disturb the accumulator: reports taken along the way leave the final
	// one equal to that of an accumulator never asked.
	r := rand.New(rand.NewPCG(61, 62))
	obs := stream(r, 3000, 0, 5)
	cfg := Config{Window: 60, MinWindowCount: 5, WaitThresholds: []float64{10}}
	quiet, _ := NewAccumulator(cfg)
	asked, _ := NewAccumulator(cfg)
	for i, o := range obs {
		if quiet.Add(o) != nil || asked.Add(o) != nil {
			t.Fatalf("Add(%+v) failed", o)
		}
		if i%97 == 0 {
			if _, err := asked.Report(nil); err != nil {
				t.Fatalf("Report = %v; want nil", err)
			}
		}
	}
	want, _ := quiet.Report(nil)
	got, _ := asked.Report(nil)
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("report after midway reports = %+v; want %+v", got, want)
	}
}

func TestFairnessZeroValueAndEmpty(t *testing.T) {
	var a Accumulator
	rep, err := a.Report(nil)
	require.NoError(t, err, "Report")
	if rep.KendallTau != 1 || rep.JainMeanWait != 1 || rep.MaxClassRatio != 1 || rep.LowestClass != -1 ||
		rep.Window != DefaultWindow || rep.MinWindowCount != DefaultMinWindowCount || len(rep.Classes) != 0 {
		t.Errorf("empty report = %+v; want tau 1, Jain 1, ratio 1, lowest class -1, defaults, no classes", rep)
	}
	agents := []AgentObs{{Busy: 10, Idle: 10}, {Busy: 20, Idle: 0}}
	rep, err = a.Report(agents)
	if err != nil || rep.Agents != 2 || math.Abs(rep.AgentOccupancyJain-0.9) > 1e-12 || rep.AgentIdleJain != 0.5 {
		t.Errorf("Report(%v) = agents %d, occupancy %v, idle %v, error %v; want 2, 0.9, 0.5, nil",
			agents, rep.Agents, rep.AgentOccupancyJain, rep.AgentIdleJain, err)
	}
	if _, err := a.Report([]AgentObs{{Busy: math.NaN()}}); !errors.Is(err, ErrInvalid) {
		t.Errorf("Report with a NaN busy time: error %v; want ErrInvalid", err)
	}
}

func TestFairnessErrors(t *testing.T) {
	ok := ContactObs{ArrivalSeq: 5, Class: 1, Arrival: 10, Dequeued: 20, Handle: 3, Served: true}
	with := func(f func(*ContactObs)) ContactObs { c := ok; f(&c); return c }
	tests := []struct {
		name string
		obs  ContactObs
		want error
	}{
		{"NaN arrival", with(func(c *ContactObs) { c.Arrival = math.NaN() }), ErrInvalid},
		{"infinite dequeue", with(func(c *ContactObs) { c.Dequeued = math.Inf(1) }), ErrInvalid},
		{"dequeued before arrival", with(func(c *ContactObs) { c.Dequeued = 5 }), ErrInvalid},
		{"negative handle", with(func(c *ContactObs) { c.Handle = -1 }), ErrInvalid},
		{"NaN handle", with(func(c *ContactObs) { c.Handle = math.NaN() }), ErrInvalid},
		{"dequeued before the previous contact", with(func(c *ContactObs) { c.ArrivalSeq, c.Arrival, c.Dequeued = 6, 1, 2 }), ErrOrder},
		{"sequence added twice", ok, ErrOrder},
		{"sequence below FirstSeq", with(func(c *ContactObs) { c.ArrivalSeq = 0 }), ErrOrder},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a, _ := NewAccumulator(Config{FirstSeq: 1})
			if err := a.Add(ok); err != nil {
				t.Fatalf("Add(%+v) = %v; want nil", ok, err)
			}
			before, _ := a.Report(nil)
			if err := a.Add(tt.obs); !errors.Is(err, tt.want) {
				t.Errorf("Add(%+v) error = %v; want %v", tt.obs, err, tt.want)
			}
			if after, _ := a.Report(nil); fmt.Sprint(after) != fmt.Sprint(before) {
				t.Errorf("a failed Add changed the report: %+v; want %+v", after, before)
			}
		})
	}
	t.Run("abandoned contact's handle is ignored", func(t *testing.T) {
		var a Accumulator
		c := ContactObs{Arrival: 0, Dequeued: 1, Handle: math.NaN()}
		if err := a.Add(c); err != nil {
			t.Errorf("Add(%+v) = %v; want nil", c, err)
		}
	})
	for _, cfg := range []Config{
		{WaitThresholds: []float64{-1}},
		{Window: -5},
		{Window: math.NaN()},
		{MinWindowCount: -1},
	} {
		if _, err := NewAccumulator(cfg); !errors.Is(err, ErrInvalid) {
			t.Errorf("NewAccumulator(%+v) error = %v; want ErrInvalid", cfg, err)
		}
	}
	dup := []ContactObs{{ArrivalSeq: 3, Dequeued: 1}, {ArrivalSeq: 3, Dequeued: 2}}
	if _, err := Measure(dup, nil, Config{}); !errors.Is(err, ErrOrder) {
		t.Errorf("Measure with a repeated sequence: error %v; want ErrOrder", err)
	}
}

// BenchmarkFairnessAdd times Add over a stream of contacts with some tens in flight, three
// classes and one threshold: the per-contact cost of measuring a simulation.
func BenchmarkFairnessAdd(b *testing.B) {
	obs := stream(rand.New(rand.NewPCG(71, 72)), 1<<16, 0, 2)
	b.ReportAllocs()
	var a *Accumulator
	for i := 0; b.Loop(); i++ {
		if i%len(obs) == 0 {
			a, _ = NewAccumulator(Config{WaitThresholds: []float64{20}})
		}
		if err := a.Add(obs[i%len(obs)]); err != nil {
			b.Fatalf("Add = %v; want nil", err)
		}
	}
	if r, _ := a.Report(nil); r.Overall.Count == 0 {
		b.Fatalf("report counts no contact")
	}
}
