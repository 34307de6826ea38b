package sim

import (
	"math"
	"time"

	"github.com/routesim/routesim/contact"
	"github.com/routesim/routesim/routing"
)

// The built-in default: what "routesim whatif" runs with no flags, documented in
// the README, "Capacity what-if" ("routesim whatif -print-default" prints it as a what-if file to edit).

// DefaultScenario returns the built-in scenario: a mid-size centre of 52 agents open
// 08:00-20:00 with two voice queues.
//
//   - Queues sales and support. Contacts arrive by a daily curve in 15-minute intervals
//     with a late-morning peak (10:30) and a larger early-afternoon one (14:15):
//     DefaultCurve × 125 per hour into sales, × 165 into support and × 30 callbacks into
//     support, 0 outside opening hours: about 1,090 sales and 1,700 support contacts a day
//     (260 of them callbacks), sales peaking at 109 an hour at 10:30 and 187 at 14:15.
//   - Classes: standard (priority 5); vip, 10% of the inbound contacts of both queues, at
//     priority 1; callback, the support callbacks, with a routing-age bonus of 120 s.
//   - Handle time lognormal, mean 5 min (sales) and 5.5 min (support), cv 0.8; patience
//     exponential, mean 3 min; callbacks do not abandon.
//   - Routing profiles: "sales" serves sales first and support second, support only after a
//     contact has waited 60 s (the overflow); "support" serves support.
//   - Agent groups, by team and shift: sales-early and support-early 08:00-16:00,
//     sales-late and support-late 12:00-20:00; 10 sales and 16 support agents a shift.
//   - One day (24 h horizon, no warm-up: the centre opens empty), 10 replications, seed 1,
//     service level at 20 s.
func DefaultScenario() *Scenario {
	sales, support, callbacks := curve(125), curve(165), curve(30)
	lognormal := func(mean time.Duration) Dist { return Dist{Type: LogNormal, Mean: Duration(mean), CV: 0.8} }
	patience := Exp(Duration(3 * time.Minute))
	shift := func(from, to time.Duration) []Shift { return []Shift{{Start: Duration(from), End: Duration(to)}} }
	early, late := shift(8*time.Hour, 16*time.Hour), shift(12*time.Hour, 20*time.Hour)
	inbound := []ClassWeight{{Class: "standard", Weight: 0.9}, {Class: "vip", Weight: 0.1}}
	return &Scenario{
		Name:         "default: mid-size centre, sales and support",
		Horizon:      Duration(24 * time.Hour),
		Interval:     Duration(15 * time.Minute),
		Cycle:        Duration(24 * time.Hour),
		Replications: 10,
		Seed:         1,
		ServiceLevel: []Duration{Duration(20 * time.Second)},
		Queues:       []routing.QueueConfig{{ID: "sales", Name: "Sales"}, {ID: "support", Name: "Support"}},
		RoutingProfiles: []routing.ProfileConfig{
			{ID: "sales", Name: "Sales, overflow to Support after 60 s", Queues: []routing.ProfileQueueConfig{
				{QueueID: "sales", Channel: contact.Voice, Priority: 1},
				{QueueID: "support", Channel: contact.Voice, Priority: 2, DelaySeconds: 60},
			}},
			{ID: "support", Name: "Support", Queues: []routing.ProfileQueueConfig{
				{QueueID: "support", Channel: contact.Voice, Priority: 1},
			}},
		},
		AgentGroups: []AgentGroup{
			{ID: "sales-early", Count: 10, RoutingProfileID: "sales", Shifts: early},
			{ID: "sales-late", Count: 10, RoutingProfileID: "sales", Shifts: late},
			{ID: "support-early", Count: 16, RoutingProfileID: "support", Shifts: early},
			{ID: "support-late", Count: 16, RoutingProfileID: "support", Shifts: late},
		},
		Classes: []Class{
			{ID: "standard", Priority: contact.DefaultPriority},
			{ID: "vip", Priority: 1},
			{ID: "callback", Priority: contact.DefaultPriority, AgeAdjustment: Duration(120 * time.Second)},
		},
		Arrivals: []Arrivals{
			{Queue: "sales", Channel: contact.Voice, RatesPerHour: sales, Classes: inbound,
				HandleTime: lognormal(5 * time.Minute), Patience: &patience},
			{Queue: "support", Channel: contact.Voice, RatesPerHour: support, Classes: inbound,
				HandleTime: lognormal(330 * time.Second), Patience: &patience},
			{Queue: "support", Channel: contact.Voice, RatesPerHour: callbacks, Class: "callback",
				HandleTime: lognormal(330 * time.Second)},
		},
	}
}

// DefaultCurve returns the default scenario's daily arrival curve at hour h of the day (0 to
// 24): 0 outside 08:00-20:00, otherwise
//
//	0.3 + 0.55·exp(-(h-10.5)²/(2·0.9²)) + 1.2·exp(-(h-14.25)²/(2·1.3²))
//
// about 0.3 at the opening and the close, 0.87 at the morning peak and 1.5 at the afternoon
// one.
func DefaultCurve(h float64) float64 {
	if h < 8 || h >= 20 {
		return 0
	}
	g := func(mu, sigma float64) float64 { return math.Exp(-(h - mu) * (h - mu) / (2 * sigma * sigma)) }
	return 0.3 + 0.55*g(10.5, 0.9) + 1.2*g(14.25, 1.3)
}

// curve returns peak × DefaultCurve at the middle of each 15-minute interval of a day,
// rounded to a whole number of contacts per hour.
func curve(peak float64) []float64 {
	rates := make([]float64, 96)
	for i := range rates {
		rates[i] = math.Round(peak * DefaultCurve((float64(i)+0.5)/4))
	}
	return rates
}
