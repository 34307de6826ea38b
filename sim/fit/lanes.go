package fit

import (
	"math"

	"github.com/routesim/routesim/routing"
	"github.com/routesim/routesim/sim"
)

// Thin-data thresholds of the warnings.
const (
	thinArrivals = 100
	thinSample   = 30
	thinInterval = 5
)

// laneData collects one lane's samples.
type laneData struct {
	counts        []float64
	methods       map[string]int
	handle, acw   []float64
	ab, cens      []float64
	answered, ab2 int
}

// arrivals fits every lane: queues, rates, handle, after-contact work and patience.
func (f *fitter) arrivals(sc *sim.Scenario) {
	d := f.d
	ls := make([]laneData, len(f.lanes))
	for i := range ls {
		ls[i] = laneData{counts: make([]float64, f.nCyc), methods: map[string]int{}}
	}
	customer := d.names["CUSTOMER_DISCONNECT"]
	if _, ok := d.names["CUSTOMER_DISCONNECT"]; !ok {
		customer = -2
	}
	for i := range d.rows {
		r := &d.rows[i]
		if r.queue < 0 {
			continue
		}
		l := &ls[f.laneIdx[laneKey{r.queue, r.channel()}]]
		day, k := f.local(r.enq)
		l.counts[f.cyc(day, k)]++
		l.methods[d.nameOf[r.method]]++
		wait := -1.0
		switch {
		case r.conn > 0:
			l.answered++
			wait = float64(r.conn-r.enq) / 1e9
			if r.handle >= 0 {
				l.handle = append(l.handle, float64(r.handle))
			}
			if r.acw >= 0 {
				l.acw = append(l.acw, float64(r.acw))
			}
		case r.deq > 0:
			wait = float64(r.deq-r.enq) / 1e9
		case r.disc > 0:
			wait = float64(r.disc-r.enq) / 1e9
		case r.last > r.enq:
			wait = float64(r.last-r.enq) / 1e9 // still waiting at its last update
		}
		abandoned := r.conn == 0 && (r.deq > 0 || r.disc > 0) && (r.reason == customer || r.reason < 0)
		if abandoned {
			l.ab2++
		}
		if r.callback || wait < 0 {
			continue // a queued callback does not abandon
		}
		if abandoned {
			l.ab = append(l.ab, wait)
		} else {
			l.cens = append(l.cens, wait)
		}
	}
	ex := f.exposure()
	hours := f.opts.Interval.Hours()
	var allHandle []float64
	for i := range ls {
		allHandle = append(allHandle, ls[i].handle...)
	}
	var fallback *DistFit
	if len(allHandle) > 0 {
		fb := FitDist(allHandle, f.opts.Confidence)
		fallback = &fb
	}
	seen := map[int32]bool{}
	for i, k := range f.lanes {
		name := d.nameOf[k.queue]
		if !seen[k.queue] {
			seen[k.queue] = true
			sc.Queues = append(sc.Queues, routing.QueueConfig{ID: name, Name: name})
		}
		lr, arr := f.lane(k, &ls[i], ex, hours, fallback)
		f.rep.Lanes = append(f.rep.Lanes, lr)
		sc.Arrivals = append(sc.Arrivals, arr)
	}
}

// lane fits one lane.
func (f *fitter) lane(k laneKey, l *laneData, ex []float64, hours float64, fallback *DistFit) (LaneReport, sim.Arrivals) {
	conf := f.opts.Confidence
	name := f.d.nameOf[k.queue] + "/" + string(k.channel)
	lr := LaneReport{Queue: f.d.nameOf[k.queue], Channel: k.channel, Methods: l.methods, Answered: l.answered, Abandoned: l.ab2}
	arr := sim.Arrivals{Queue: lr.Queue, Channel: k.channel, RatesPerHour: make([]float64, f.nCyc)}
	var n, exposure float64
	thin := 0
	for c, cnt := range l.counts {
		rate := 0.0
		if ex[c] > 0 {
			rate = cnt / (ex[c] * hours)
		}
		arr.RatesPerHour[c] = math.Round(rate*1e4) / 1e4
		n += cnt
		exposure += ex[c] * hours
		if rate > lr.Peak {
			lr.Peak, lr.PeakAt = rate, f.intervalKey(c)
		}
		if cnt > 0 && cnt < thinInterval {
			thin++
		}
	}
	lr.Arrivals = int(n)
	lo, hi := poissonCI(n, conf)
	lr.Rate, lr.RateLo, lr.RateHi = n/exposure, lo/exposure, hi/exposure
	if n < thinArrivals {
		f.warn("%s: only %d arrivals", name, lr.Arrivals)
	}
	if thin > 0 {
		f.warn("%s: %d intervals of the cycle have fewer than %d arrivals; their rates are rough", name, thin, thinInterval)
	}
	switch {
	case len(l.handle) > 0:
		h := FitDist(l.handle, conf)
		lr.Handle = &h
		arr.HandleTime = h.Dist
		if h.N < thinSample {
			f.warn("%s: handle time rests on %d contacts", name, h.N)
		}
	case fallback != nil:
		arr.HandleTime = fallback.Dist
		f.warn("%s: no answered contact with AgentInteractionDuration; handle time of all queues used", name)
	default:
		arr.HandleTime = sim.Exp(sim.Duration(300e9))
		f.warn("%s: no answered contact anywhere; handle time set to exponential, mean 5m, as a placeholder", name)
	}
	if len(l.acw) > 0 {
		a := FitDist(l.acw, conf)
		lr.ACW = &a
	}
	p := FitPatience(l.ab, l.cens, conf)
	lr.Patience = &p
	arr.Patience = p.Dist
	switch {
	case p.Abandoned == 0:
		f.warn("%s: no contact abandoned; patience left out (contacts never abandon)", name)
	case p.Abandoned < thinSample:
		f.warn("%s: patience rests on %d abandoned contacts", name, p.Abandoned)
	}
	return lr, arr
}

// intervalKey names interval c of the cycle: "08:15", or "Tue 08:15" in a weekly cycle.
func (f *fitter) intervalKey(c int) string {
	s := int64(c%f.nInt) * f.intervalS
	key := ""
	if f.nCyc > f.nInt {
		key = [7]string{"Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"}[c/f.nInt] + " "
	}
	return key + twoDigits(s/3600) + ":" + twoDigits(s%3600/60)
}

func twoDigits(n int64) string { return string([]byte{byte('0' + n/10), byte('0' + n%10)}) }
