package theory_test

import (
	"errors"
	"fmt"
	"math"
	"testing"

	"github.com/routesim/routesim/sim/theory"
)

func near(t *testing.T, name string, got, want, tol float64) {
	t.Helper()
	if math.Abs(got-want) > tol {
		t.Errorf("%s: got %.12g; want %.12g (±%g)", name, got, want, tol)
	}
}

func TestErlangBC(t *testing.T) {
	tests := []struct {
		c      int
		a      float64
		wantB  float64
		wantC  float64
		source string
	}{
		// M/M/1: B = a/(1+a), C = ρ.
		{1, 0.5, 0.5 / 1.5, 0.5, "M/M/1 closed form"},
		// M/M/2, a = 1: B = (1/2)/(1 + 1 + 1/2) = 0.2; C = 2ρ²/(1+ρ) = 1/3 with ρ = 1/2.
		{2, 1, 0.2, 1.0 / 3, "M/M/2 closed form (Gross & Harris)"},
		// c = 3, a = 2: B = (8/6)/(1+2+2+8/6) = 4/19; C = B/(1-ρ(1-B)) = (4/19)/(1-(2/3)(15/19)) = 4/9.
		{3, 2, 4.0 / 19, 4.0 / 9, "hand computation"},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprintf("c=%d,a=%g", tt.c, tt.a), func(t *testing.T) {
			near(t, "ErlangB", theory.ErlangB(tt.c, tt.a), tt.wantB, 1e-12)
			near(t, "ErlangC", theory.ErlangC(tt.c, tt.a), tt.wantC, 1e-12)
		})
	}
	if got := theory.ErlangC(3, 3); got != 1 {
		t.Errorf("ErlangC at a = c: got %v; want 1", got)
	}
}

func TestErlangCWaitAndServiceLevel(t *testing.T) {
	// M/M/1 with λ = 0.5, μ = 1: Wq = ρ/(μ - λ) = 1; P(W <= t) = 1 - ρ e^{-(μ-λ)t}.
	w, err := theory.ErlangCMeanWait(1, 0.5, 1)
	if err != nil {
		t.Fatal(err)
	}
	near(t, "mean wait", w, 1, 1e-12)
	sl, err := theory.ErlangCServiceLevel(1, 0.5, 1, 2)
	if err != nil {
		t.Fatal(err)
	}
	near(t, "service level", sl, 1-0.5*math.Exp(-1), 1e-12)
	if _, err := theory.ErlangCMeanWait(2, 2, 1); !errors.Is(err, theory.ErrUnstable) {
		t.Errorf("load 2 on 2 agents: got %v; want ErrUnstable", err)
	}
	if _, err := theory.ErlangCMeanWait(0, 1, 1); !errors.Is(err, theory.ErrInvalid) {
		t.Errorf("0 agents: got %v; want ErrInvalid", err)
	}
}

func TestCobhamConservation(t *testing.T) {
	// Kleinrock's conservation law: with equal exponential service the λ-weighted mean of the
	// class waits equals the FCFS (Erlang C) mean wait.
	c, mu := 10, 1.0/300
	lambdas := []float64{0.005, 0.012, 0.011}
	w, err := theory.Cobham(c, mu, lambdas)
	if err != nil {
		t.Fatal(err)
	}
	total, sum := 0.0, 0.0
	for k, l := range lambdas {
		sum += l * w[k]
		total += l
		if k > 0 && !(w[k] > w[k-1]) {
			t.Errorf("class %d waits %v, not longer than class %d's %v", k, w[k], k-1, w[k-1])
		}
	}
	fcfs, err := theory.ErlangCMeanWait(c, total, mu)
	if err != nil {
		t.Fatal(err)
	}
	near(t, "weighted mean", sum/total, fcfs, 1e-9*fcfs)
	// One class: Cobham is Erlang C.
	one, _ := theory.Cobham(c, mu, []float64{total})
	near(t, "single class", one[0], fcfs, 1e-9*fcfs)
}

func TestErlangAAgainstBirthDeath(t *testing.T) {
	tests := []struct {
		c                 int
		lambda, mu, theta float64
	}{
		{1, 0.5, 1, 0.2},
		{5, 4, 1, 0.5},
		{20, 1.0 / 10, 1.0 / 180, 1.0 / 120},
		{100, 100.0 / 300 * 1.05, 1.0 / 300, 1.0 / 600}, // overloaded: Erlang A is still stable
		{50, 0.1, 1.0 / 240, 1.0 / 30},
		{10, 8, 1, 1e-4}, // the incomplete gamma underflows: the series path
		{10, 8, 1, 1e-6},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprintf("c=%d,λ=%.3g,μ=%.3g,θ=%.3g", tt.c, tt.lambda, tt.mu, tt.theta), func(t *testing.T) {
			got, err := theory.ErlangA(tt.c, tt.lambda, tt.mu, tt.theta)
			if err != nil {
				t.Fatal(err)
			}
			want, err := theory.ErlangABirthDeath(tt.c, tt.lambda, tt.mu, tt.theta)
			if err != nil {
				t.Fatal(err)
			}
			near(t, "P(wait)", got.PWait, want.PWait, 1e-9)
			near(t, "P(abandon)", got.PAbandon, want.PAbandon, 1e-9)
			near(t, "mean wait", got.MeanWait, want.MeanWait, 1e-9*math.Max(1, want.MeanWait))
		})
	}
}

func TestErlangATendsToErlangC(t *testing.T) {
	// With almost infinite patience, Erlang A's P(wait) approaches Erlang C's.
	c, lambda, mu := 10, 8.0, 1.0
	got, err := theory.ErlangA(c, lambda, mu, 1e-6)
	if err != nil {
		t.Fatal(err)
	}
	near(t, "P(wait)", got.PWait, theory.ErlangC(c, lambda/mu), 1e-4)
	w, _ := theory.ErlangCMeanWait(c, lambda, mu)
	near(t, "mean wait", got.MeanWait, w, 1e-3*w)
}

func TestStaffErlangC(t *testing.T) {
	for _, tt := range []struct{ lambda, mu, t, target float64 }{
		{360.0 / 3600, 1.0 / 240, 20, 0.8},
		{1.0 / 60, 1.0 / 300, 30, 0.9},
		{2, 1.0 / 180, 20, 0.8},
	} {
		c, err := theory.StaffErlangC(tt.lambda, tt.mu, tt.t, tt.target)
		if err != nil {
			t.Fatal(err)
		}
		sl, _ := theory.ErlangCServiceLevel(c, tt.lambda, tt.mu, tt.t)
		if sl < tt.target {
			t.Errorf("λ=%v: %d agents give %v < %v", tt.lambda, c, sl, tt.target)
		}
		if prev, err := theory.ErlangCServiceLevel(c-1, tt.lambda, tt.mu, tt.t); err == nil && prev >= tt.target {
			t.Errorf("λ=%v: %d agents already give %v >= %v", tt.lambda, c-1, prev, tt.target)
		}
	}
	if _, err := theory.StaffErlangC(1, 1, 20, 1); !errors.Is(err, theory.ErrInvalid) {
		t.Errorf("target 1: got %v; want ErrInvalid", err)
	}
}

func ExampleErlangC() {
	// 10 agents, 8 Erlangs offered.
	fmt.Printf("P(wait) = %.4f\n", theory.ErlangC(10, 8))
	w, _ := theory.ErlangCMeanWait(10, 8.0/300, 1.0/300)
	fmt.Printf("mean wait = %.1f s\n", w)
	// Output:
	// P(wait) = 0.4092
	// mean wait = 61.4 s
}
