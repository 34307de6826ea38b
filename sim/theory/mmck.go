package theory

import "fmt"

// MMcKBlocking returns the blocking probability of an M/M/c/K queue: c agents, room for K
// contacts in the system (K - c waiting), offered load a = λ/μ. By PASTA it is the
// stationary probability of K in the system,
//
//	P_K = t_K / Σ_{n=0..K} t_n,  t_n = a^n/n! (n <= c),  t_n = a^c/c! · (a/c)^(n-c) (n > c)
//
// (Gross and Harris, Fundamentals of Queueing Theory, §2.5), computed as Erlang B for K = c
// and then by the stable recursion b_n = ρ·b_{n-1} / (1 + ρ·b_{n-1}), ρ = a/c, for
// n = c+1 .. K. Any load is allowed: the system is finite. Errors wrap ErrInvalid for
// c < 1, K < c or a negative or non-finite load. The cost is O(K).
func MMcKBlocking(c, k int, a float64) (float64, error) {
	if err := checkMMc(c, a, 1); err != nil {
		return 0, err
	}
	if k < c {
		return 0, fmt.Errorf("%w: system capacity K = %d is below c = %d agents", ErrInvalid, k, c)
	}
	b := ErlangB(c, a)
	rho := a / float64(c)
	for n := c + 1; n <= k; n++ {
		b = rho * b / (1 + rho*b)
	}
	return b, nil
}
