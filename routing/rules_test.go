package routing_test

import (
	"testing"

	"github.com/routesim/routesim/contact"
	"github.com/routesim/routesim/routing"
)

const (
	voiceCh = contact.Voice
	chatCh  = contact.Chat
)

// conc returns p with the given chat concurrency.
func conc(p routing.ProfileConfig, chats int) routing.ProfileConfig {
	p.Concurrency = map[contact.Channel]int{contact.Chat: chats}
	return p
}

// cross returns p with cross-channel concurrency.
func cross(p routing.ProfileConfig) routing.ProfileConfig {
	p.CrossChannel = true
	return p
}

func instance(qs []routing.QueueConfig, ps []routing.ProfileConfig, as []routing.AgentConfig) routing.InstanceConfig {
	return routing.InstanceConfig{Queues: qs, RoutingProfiles: ps, Agents: as}
}

// TestRoutingRules checks each routing rule of doc.go on a small script: contacts arrive,
// agents come and go, the clock moves (firing timers at their own times), and the routes made
// are compared after each check point. The instance is verified after every step.
func TestRoutingRules(t *testing.T) {
	oneQueue := instance(queues("q1"),
		[]routing.ProfileConfig{profile("p", entry("q1", voiceCh, 1, 0))},
		agents("a1:p", "a2:p", "a3:p"))
	twoPrio := instance(queues("q1", "q2"),
		[]routing.ProfileConfig{profile("p", entry("q1", voiceCh, 1, 0), entry("q2", voiceCh, 2, 0))},
		agents("a1:p"))
	twoEqual := instance(queues("q1", "q2"),
		[]routing.ProfileConfig{profile("p", entry("q1", voiceCh, 1, 0), entry("q2", voiceCh, 1, 0))},
		agents("a1:p"))
	delayed := instance(queues("q1"),
		[]routing.ProfileConfig{profile("p", entry("q1", voiceCh, 1, 10))},
		agents("a1:p", "a2:p"))
	voiceChat := func(p routing.ProfileConfig) routing.InstanceConfig {
		return instance(queues("q1"), []routing.ProfileConfig{p}, agents("a1:p", "a2:p"))
	}
	vc := profile("p", entry("q1", voiceCh, 1, 0), entry("q1", chatCh, 1, 0))
	// a1 serves q0 at once and q1 after 10 s; a2 serves only q1 after 10 s.
	acwAndDelay := instance(queues("q0", "q1"),
		[]routing.ProfileConfig{
			profile("p", entry("q0", voiceCh, 1, 0), entry("q1", voiceCh, 1, 10)),
			profile("p2", entry("q1", voiceCh, 1, 10)),
		}, agents("a1:p", "a2:p2"))

	tests := []struct {
		name  string
		cfg   routing.InstanceConfig
		steps []step
	}{
		// An agent's choice: profile priority, then (QueuePriority, routing age, arrival).
		{"profile priority beats QueuePriority and age", twoPrio, []step{
			voice("c1", "q2", int64(1)), at(10), voice("c2", "q1", int64(9)), at(20),
			avail("a1"), routes("c2>a1"),
			done("c2", 0), routes("c1>a1"),
		}},
		{"equal profile priority: best QueuePriority across queues", twoEqual, []step{
			voice("c1", "q1"), at(10), voice("c2", "q2", int64(3)), at(20),
			avail("a1"), routes("c2>a1"),
			done("c2", 0), routes("c1>a1"),
		}},
		{"equal profile and QueuePriority: oldest routing age across queues", twoEqual, []step{
			voice("c1", "q1"), at(10), voice("c2", "q2", sec(20)), at(20),
			avail("a1"), routes("c2>a1"),
			done("c2", 0), routes("c1>a1"),
		}},
		{"equal routing age across queues: arrival order", twoEqual, []step{
			// c2's key, t10-10s, equals c1's, t0; c1 arrived first.
			voice("c1", "q2"), at(10), voice("c2", "q1", sec(10)), at(20),
			avail("a1"), routes("c1>a1"),
			done("c1", 0), routes("c2>a1"),
		}},
		{"routing age adjustment overtakes real age in a queue", oneQueue, []step{
			voice("c1", "q1"), at(5), voice("c2", "q1"), positions("c1=1", "c2=2"),
			age("c2", 10), positions("c2=1", "c1=2"),
			avail("a1"), routes("c2>a1"), avail("a2"), routes("c1>a2"),
		}},
		{"negative age adjustment falls back", oneQueue, []step{
			voice("c1", "q1", -sec(60)), at(10), voice("c2", "q1"), positions("c2=1", "c1=2"),
			avail("a1", "a2"), routes("c2>a1", "c1>a2"),
		}},
		{"two +60 s adjustments add up", oneQueue, []step{
			voice("c1", "q1"), at(100), voice("c2", "q1"), age("c2", 60), positions("c1=1"),
			age("c2", 60), positions("c2=1", "c1=2"),
			avail("a1"), routes("c2>a1"),
		}},
		{"QueuePriority: lower number first, updates apply", oneQueue, []step{
			voice("c1", "q1"), at(1), voice("c2", "q1"), at(2), voice("c3", "q1", int64(9)),
			prio("c3", 1), prio("c1", 9223372036854775807), positions("c3=1", "c2=2", "c1=3"),
			avail("a1", "a2", "a3"), routes("c3>a1", "c2>a2", "c1>a3"),
		}},
		// Delays, judged per contact.
		{"delay: eligible contact offered while a better one is inside its delay", delayed, []step{
			avail("a1"), voice("c1", "q1"), at(5), voice("c2", "q1", int64(1)),
			at(9), routes(), at(10), routes("c1>a1"),
			at(12), done("c1", 0), routes(), at(14), routes(), at(15), routes("c2>a1"),
		}},
		{"delay: contact eligible at exactly its delay", delayed, []step{
			voice("c1", "q1"), at(10), avail("a1"), routes("c1>a1"),
		}},
		{"updates reorder contacts already past their delay", delayed, []step{
			voice("c1", "q1"), at(1), voice("c2", "q1"), at(2), voice("c3", "q1"), voice("c4", "q1"), at(12),
			prio("c3", 1), age("c2", 100), age("c1", -100), avail("a1"), routes("c3>a1"),
			avail("a2"), routes("c2>a2"), done("c3", 0), routes("c4>a1"),
		}},
		{"delay-0 profile serves first, delayed profile after its delay", instance(queues("q1"),
			[]routing.ProfileConfig{
				profile("fast", entry("q1", voiceCh, 1, 0)),
				profile("slow", entry("q1", voiceCh, 1, 20)),
			}, agents("s1:slow", "f1:fast")), []step{
			avail("s1"), at(1), avail("f1"),
			voice("c1", "q1"), routes("c1>f1"), // s1 idle longer, but c1 is not yet eligible for it
			at(2), voice("c2", "q1"), at(21), routes(), at(22), routes("c2>s1"),
			at(23), voice("c3", "q1"), at(30), done("c1", 0), routes("c3>f1"),
			at(50), routes(),
		}},
		{"delayed higher-priority entry lets a lower one be served", instance(queues("q1", "q2"),
			[]routing.ProfileConfig{profile("p", entry("q1", voiceCh, 1, 30), entry("q2", voiceCh, 2, 0))},
			agents("a1:p")), []step{
			voice("c1", "q1"), at(1), voice("c2", "q2"), at(2), avail("a1"), routes("c2>a1"),
			at(10), voice("c3", "q2"), done("c2", 0), routes("c3>a1"),
			at(20), done("c3", 0), routes(), at(30), routes("c1>a1"),
		}},
		{"expiry goes to the longest idle agent among the eligible profiles", instance(queues("q1"),
			[]routing.ProfileConfig{
				profile("p10", entry("q1", voiceCh, 1, 10)),
				profile("p5", entry("q1", voiceCh, 1, 5)),
				profile("q10", entry("q1", voiceCh, 1, 10)),
			}, agents("a10:p10", "a5:p5", "b10:q10")), []step{
			avail("b10"), at(1), avail("a10"), at(2), avail("a5"),
			voice("c1", "q1"), at(7), routes("c1>a5"),
			voice("c2", "q1"), at(12), routes(), at(17), routes("c2>b10"),
			voice("c3", "q1"), at(22), routes(), at(27), routes("c3>a10"),
		}},
		// Longest idle agent first; finishing sends an agent to the back.
		{"arrival goes to the agent idle longest", oneQueue, []step{
			avail("a2"), at(1), avail("a1"), at(2), avail("a3"), at(3),
			voice("c1", "q1"), voice("c2", "q1"), voice("c3", "q1"), routes("c1>a2", "c2>a1", "c3>a3"),
			at(10), done("c2", 0), at(11), done("c1", 0), at(12),
			voice("c4", "q1"), voice("c5", "q1"), routes("c4>a1", "c5>a2"),
		}},
		{"equal idle time: configuration order", oneQueue, []step{
			avail("a3", "a2", "a1"), voice("c1", "q1"), voice("c2", "q1"), routes("c1>a1", "c2>a2"),
		}},
		{"going available again sends an agent to the back", oneQueue, []step{
			avail("a1"), at(1), avail("a2"), at(2), offline("a1"), at(3), avail("a1"),
			voice("c1", "q1"), voice("c2", "q1"), routes("c1>a2", "c2>a1"),
		}},
		{"after-contact work holds the slot until it ends", oneQueue, []step{
			avail("a1"), at(1), avail("a2"), offline("a3"),
			voice("c1", "q1"), routes("c1>a1"), at(5), done("c1", 10),
			at(6), voice("c2", "q1"), routes("c2>a2"), at(7), voice("c3", "q1"),
			at(14), routes(), at(15), routes("c3>a1"),
		}},
		{"after-contact work ends at the back of the order", oneQueue, []step{
			avail("a1", "a2"), voice("c1", "q1"), voice("c2", "q1"), routes("c1>a1", "c2>a2"),
			at(1), done("c1", 10), at(5), done("c2", 0), at(20),
			voice("c3", "q1"), voice("c4", "q1"), routes("c3>a2", "c4>a1"),
		}},
		{"offline agent keeps its contact and takes no new one", oneQueue, []step{
			avail("a1"), voice("c1", "q1"), routes("c1>a1"), offline("a1"),
			voice("c2", "q1"), done("c1", 0), routes(), at(5), avail("a1"), routes("c2>a1"),
		}},
		{"offline agent's after-contact work ends without routing", oneQueue, []step{
			avail("a1"), voice("c1", "q1"), routes("c1>a1"), done("c1", 5), offline("a1"),
			voice("c2", "q1"), at(10), routes(), avail("a1"), routes("c2>a1"),
		}},
		{"abandoned or stopped waiting contacts are never routed", oneQueue, []step{
			voice("c1", "q1"), voice("c2", "q1"), abandon("c1"), end("c2", routing.Stopped, 0),
			avail("a1"), routes(), voice("c3", "q1"), routes("c3>a1"),
		}},
		{"stopped contact with an agent frees the agent", oneQueue, []step{
			avail("a1"), voice("c1", "q1"), voice("c2", "q1"), routes("c1>a1"),
			end("c1", routing.Stopped, 0), routes("c2>a1"),
		}},
		// Channels and concurrency.
		{"agent busy on voice is not offered chat", voiceChat(conc(vc, 2)), []step{
			avail("a1"), offline("a2"), voice("c1", "q1"), chat("m1", "q1"), routes("c1>a1"),
			done("c1", 0), routes("m1>a1"),
			chat("m2", "q1"), chat("m3", "q1"), voice("c2", "q1"), routes("m2>a1"),
			done("m1", 0), routes("m3>a1"), done("m2", 0), routes(), done("m3", 0), routes("c2>a1"),
		}},
		{"agent in voice after-contact work is not offered chat", voiceChat(conc(vc, 2)), []step{
			avail("a1"), voice("c1", "q1"), done("c1", 10), chat("m1", "q1"),
			routes("c1>a1"), at(9), routes(), at(10), routes("m1>a1"),
		}},
		{"cross-channel agent on voice is offered chat", voiceChat(cross(conc(vc, 2))), []step{
			avail("a1"), offline("a2"), voice("c1", "q1"), chat("m1", "q1"), chat("m2", "q1"), chat("m3", "q1"),
			voice("c2", "q1"), routes("c1>a1", "m1>a1", "m2>a1"),
			done("m1", 0), routes("m3>a1"), done("c1", 0), routes("c2>a1"),
		}},
		{"chat concurrency: up to the limit, fewest contacts first", voiceChat(conc(vc, 3)), []step{
			avail("a2"), at(1), avail("a1"),
			chat("m1", "q1"), chat("m2", "q1"), chat("m3", "q1"), chat("m4", "q1"), chat("m5", "q1"),
			chat("m6", "q1"), chat("m7", "q1"),
			routes("m1>a2", "m2>a1", "m3>a2", "m4>a1", "m5>a2", "m6>a1"),
			at(5), done("m4", 0), routes("m7>a1"),
			at(6), done("m1", 0), done("m3", 0), chat("m8", "q1"), routes("m8>a2"),
		}},
		{"going available while holding a chat sends an agent to the back", voiceChat(conc(vc, 2)), []step{
			avail("a1"), at(1), avail("a2"), chat("m1", "q1"), chat("m2", "q1"), routes("m1>a1", "m2>a2"),
			at(2), offline("a1"), at(3), avail("a1"), at(4), chat("m3", "q1"), routes("m3>a2"),
		}},
		{"available agent takes several waiting chats, best first", voiceChat(conc(vc, 3)), []step{
			chat("m1", "q1"), at(1), chat("m2", "q1", int64(2)), chat("m3", "q1"), chat("m4", "q1", sec(5)),
			avail("a1"), routes("m2>a1", "m4>a1", "m1>a1"),
		}},
		// Timers at the same instant fire in (time, creation) order, each routed in turn
		// (doc.go, "Time"): c1's delay was created first, so it is offered first and a1
		// takes it although c2, whose delay expires at the same instant, ranks better.
		{"contacts whose delays expire at one instant: the agent takes the best of them", delayed, []step{
			avail("a1"), offline("a2"), voice("c1", "q1"), voice("c2", "q1", int64(1)),
			at(10), routes("c2>a1"), done("c2", 0), routes("c1>a1"),
		}},
		{"an expiry and an after-contact work end at one instant: the agent idle longest gets the contact (expiry created first)", acwAndDelay, []step{
			avail("a1"), voice("c0", "q0"), routes("c0>a1"), voice("c1", "q1"),
			at(1), avail("a2"), voice("cx", "q0"), at(5), done("c0", 5),
			at(10), routes("c1>a2", "cx>a1"),
		}},
		{"an expiry and an after-contact work end at one instant: the agent idle longest gets the contact (ACW end created first)", acwAndDelay, []step{
			avail("a1"), voice("c0", "q0"), routes("c0>a1"), done("c0", 10), voice("c1", "q1"),
			at(1), avail("a2"), voice("cx", "q0"),
			at(10), routes("c1>a2", "cx>a1"),
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := newHarness(t, tt.cfg)
			h.run(tt.steps...)
			h.run(routes()) // every route was expected
		})
	}
}
