// Package theory holds the queueing-theory oracles that routesim's simulator is validated
// against and that the what-if and fairness tools show beside simulated figures: Erlang B and
// C for M/M/c, Erlang A (M/M/c+M, exponential patience) after Garnett, Mandelbaum & Reiman
// (2002), Cobham's non-preemptive priority waits, and Erlang C staffing.
//
// Conventions: rates are per second (or any one time unit, consistently); c is the number of
// agents; a = λ/μ is the offered load in Erlangs. Functions return an error wrapping
// ErrUnstable when the formula needs a stable system (a < c) and the input is not, and one
// wrapping ErrInvalid for inputs out of their domain.
package theory
