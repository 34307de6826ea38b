// Drives `routesim emulate` with the AWS SDK for JavaScript v3, as a user's test suite would.
// Each test starts its own emulator (the binary named by ROUTESIM_BIN) on a free port with the
// built-in configuration, or ../signed.json for the SigV4 cases, and stops it afterwards.
// Run: npm ci && ROUTESIM_BIN=/path/to/routesim node --test
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawn, execFileSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { createHash, createHmac } from "node:crypto";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import path from "node:path";
import * as sdk from "@aws-sdk/client-connect";
import { SignatureV4 } from "@smithy/signature-v4";

const {
  ConnectClient, StartTaskContactCommand, StartChatContactCommand, UpdateContactRoutingDataCommand,
  DescribeContactCommand, StopContactCommand, PutUserStatusCommand, GetContactMetricsCommand,
  GetCurrentMetricDataCommand,
} = sdk;

const here = path.dirname(fileURLToPath(import.meta.url));
const signedConfig = path.join(here, "..", "signed.json");
const Instance = "7c3a1f52-9d4e-4b6a-8f21-3e5d9c0b7a14"; // the default configuration's instance (alias routesim-instance)
const Available = "status-available";
const Offline = "status-offline";
// The access key of ../signed.json.
const Key = "AKIDROUTESIMTEST";
const Secret = "routesim-test-secret";

// startEmulator runs routesim emulate on a free port and resolves once its banner names the
// endpoint.
function startEmulator(config, extra = []) {
  const bin = process.env.ROUTESIM_BIN;
  if (!bin) throw new Error("set ROUTESIM_BIN to a routesim binary (go build -o ... ./cmd/routesim)");
  const args = ["emulate", "-addr", "127.0.0.1:0", ...(config ? ["-config", config] : []), ...extra];
  const proc = spawn(bin, args, { stdio: ["ignore", "pipe", "inherit"] });
  const exited = new Promise((resolve) => proc.on("exit", (code, signal) => resolve({ code, signal })));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => { proc.kill(); reject(new Error("no endpoint within 10 s")); }, 10000);
    proc.on("error", reject);
    createInterface({ input: proc.stdout }).on("line", (line) => {
      const f = line.trim().split(/\s+/);
      if (f[0] === "endpoint") {
        clearTimeout(timer);
        const endpoint = f[1];
        resolve({
          endpoint,
          async stop() { proc.kill("SIGTERM"); return exited; },
          // control calls /_routesim/PATH with a JSON body and resolves to { status, body };
          // sign, { key, secret }, signs the request with SigV4 as the SDK signs its calls.
          async control(method, p, body, sign) {
            const text = body === undefined ? undefined : JSON.stringify(body);
            let headers = { "content-type": "application/json" };
            if (sign) headers = await signControl(endpoint, method, `/_routesim/${p}`, headers, text, sign);
            const r = await fetch(`${endpoint}/_routesim/${p}`, { method, headers, body: text });
            return { status: r.status, body: await r.json() };
          },
        });
      }
    });
  });
}

// Sha256 is the hash SignatureV4 asks for, from node:crypto: an HMAC when given a secret.
class Sha256 {
  constructor(secret) { this.h = secret ? createHmac("sha256", secret) : createHash("sha256"); }
  update(data) { this.h.update(data); }
  async digest() { return new Uint8Array(this.h.digest()); }
}

// signControl returns headers with a SigV4 signature of a control request (service "connect",
// region us-east-1), made with the SDK's own signer.
async function signControl(endpoint, method, p, headers, body, { key, secret }) {
  const u = new URL(endpoint);
  const signer = new SignatureV4({ service: "connect", region: "us-east-1", sha256: Sha256,
    credentials: { accessKeyId: key, secretAccessKey: secret } });
  const signed = await signer.sign({ method, protocol: u.protocol, hostname: u.hostname, port: Number(u.port),
    path: p, query: {}, headers: { ...headers, host: u.host }, body });
  const { host, ...out } = signed.headers; // fetch sends the same host itself
  return out;
}

function client(endpoint, key = "test", secret = "test", extra = {}) {
  return new ConnectClient({
    endpoint, region: "us-east-1", maxAttempts: 1,
    credentials: { accessKeyId: key, secretAccessKey: secret }, ...extra,
  });
}

// emulatorTest runs fn(h) against a fresh emulator; h holds the client and helpers.
function emulatorTest(name, opts, fn) {
  if (typeof opts === "function") [opts, fn] = [{}, opts];
  test(name, { skip: opts.skip }, async () => {
    const emu = await startEmulator(opts.config, opts.args);
    try {
      const c = client(emu.endpoint);
      const h = {
        emu, c,
        send: (Cmd, input) => c.send(new Cmd({ InstanceId: Instance, ...input })),
        task: async (flow, name = "t") => (await h.send(StartTaskContactCommand, { ContactFlowId: flow, Name: name })).ContactId,
        describe: async (id) => (await h.send(DescribeContactCommand, { ContactId: id })).Contact,
        agent: async (id) => (await h.describe(id)).AgentInfo?.Id ?? null,
        agents: async (...ids) => Promise.all(ids.map(h.agent)),
        position: async (id) => (await h.send(GetContactMetricsCommand, {
          ContactId: id, Metrics: [{ Name: "POSITION_IN_QUEUE" }],
        })).MetricResults[0].Value.Number,
        status: (user, s) => h.send(PutUserStatusCommand, { UserId: user, AgentStatusId: s }),
        route: (id, fields) => h.send(UpdateContactRoutingDataCommand, { ContactId: id, ...fields }),
      };
      await fn(h);
    } finally {
      const { code } = await emu.stop();
      assert.equal(code, 0, "exit status after SIGTERM; want 0 (clean shutdown)");
    }
  });
}

// rejectsWith asserts that p fails with the named error and HTTP status, as SDK v3 exposes
// them, and returns the error.
async function rejectsWith(p, name, status) {
  let err;
  await assert.rejects(p, (e) => { err = e; return true; });
  assert.equal(err.name, name, `error name ${err.name}: ${err.message}`);
  assert.equal(err.$metadata?.httpStatusCode, status, `HTTP status of ${name}`);
  assert.ok(err.$metadata?.requestId, `no x-amzn-RequestId on ${name}`);
  return err;
}

const lang = (value, level) => ({
  AttributeCondition: { Name: "Language", Value: value, ProficiencyLevel: level, ComparisonOperator: "NumberGreaterOrEqualTo" },
});
const statuses = (contact) => (contact.RoutingCriteria?.Steps ?? []).map((s) => s.Status);
// RoutingCriteria came with these commands (late 2023); package-lock.json pins a later SDK.
const noProficiencyOps = sdk.AssociateUserProficienciesCommand === undefined || sdk.CreatePredefinedAttributeCommand === undefined
  ? "this @aws-sdk/client-connect has no proficiency or predefined-attribute commands" : false;

emulatorTest("StartTaskContact and StartChatContact, then DescribeContact", async (h) => {
  const task = await h.task("flow-sales", "demo");
  let got = await h.describe(task);
  assert.equal(got.Id, task);
  assert.equal(got.Channel, "TASK");
  assert.equal(got.InitiationMethod, "API");
  assert.equal(got.QueueInfo.Id, "queue-sales");
  assert.ok(got.QueueInfo.EnqueueTimestamp instanceof Date, "EnqueueTimestamp parses to a Date");
  assert.equal(got.QueuePriority, 5, "default QueuePriority");
  assert.equal(got.AgentInfo, undefined, "a waiting contact has no agent");

  got = await h.describe(await h.task("flow-support-urgent"));
  assert.deepEqual([got.QueuePriority, got.QueueTimeAdjustmentSeconds], [1, 60], "the urgent flow's priority and age");

  const chat = await h.send(StartChatContactCommand, { ContactFlowId: "flow-support", ParticipantDetails: { DisplayName: "customer" } });
  assert.ok(chat.ParticipantToken, "no ParticipantToken");
  got = await h.describe(chat.ContactId);
  assert.deepEqual([got.Channel, got.QueueInfo.Id], ["CHAT", "queue-support"]);
});

emulatorTest("QueuePriority and QueueTimeAdjustmentSeconds decide who takes which contact", async (h) => {
  const [a, b, c, d] = [await h.task("flow-support", "A"), await h.task("flow-support", "B"),
    await h.task("flow-support", "C"), await h.task("flow-support", "D")];
  const s = await h.task("flow-sales", "S"); // sales is the profile's priority 1
  await h.route(c, { QueuePriority: 1 });
  await h.route(b, { QueueTimeAdjustmentSeconds: 60 });
  await h.route(b, { QueueTimeAdjustmentSeconds: 60 });
  await h.route(d, { QueuePriority: 9 });
  const got = await h.describe(b);
  assert.equal(got.QueueTimeAdjustmentSeconds, 120, "two +60 adjustments add up");
  assert.ok(Date.now() - got.QueueInfo.EnqueueTimestamp.getTime() < 60000, "EnqueueTimestamp is the real enqueue time");
  assert.deepEqual(await Promise.all([c, b, a, d].map(h.position)), [1, 2, 3, 4],
    "positions in queue-support: priority, then routing age, then arrival");

  // Two tasks each (TASK concurrency 2): sales first, then support in order.
  await h.status("agent-1", Available);
  assert.deepEqual(await h.agents(s, c, b, a, d), ["agent-1", "agent-1", null, null, null]);
  assert.ok((await h.describe(c)).AgentInfo.ConnectedToAgentTimestamp instanceof Date);
  assert.deepEqual(await Promise.all([b, a, d].map(h.position)), [1, 2, 3]);
  await h.status("agent-2", Available);
  assert.deepEqual(await h.agents(b, a, d), ["agent-2", "agent-2", null]);
  await h.status("agent-3", Available);
  assert.equal(await h.agent(d), "agent-3");

  await h.status("agent-1", Offline);
  await h.send(StopContactCommand, { ContactId: s });
  assert.ok((await h.describe(s)).DisconnectTimestamp instanceof Date);
  assert.equal(await h.agent(await h.task("flow-sales", "E")), "agent-3", "agent-3 has a free slot; agent-1 is offline");
});

emulatorTest("GetCurrentMetricData and GetContactMetrics", async (h) => {
  await h.task("flow-sales");
  const late = await h.task("flow-support");
  await h.task("flow-support");
  await h.route(late, { QueueTimeAdjustmentSeconds: 600 });
  const current = async (groupings, names) => {
    const out = await h.send(GetCurrentMetricDataCommand, {
      Filters: { Queues: ["queue-sales", "queue-support"], Channels: ["TASK"] }, Groupings: groupings,
      CurrentMetrics: names.map((n) => ({ Name: n, Unit: n === "OLDEST_CONTACT_AGE" ? "SECONDS" : "COUNT" })),
    });
    const res = {};
    for (const r of out.MetricResults) {
      res[r.Dimensions?.Queue?.Id ?? "all"] = Object.fromEntries(r.Collections.map((col) => [col.Metric.Name, col.Value]));
    }
    return res;
  };
  let got = await current(["QUEUE"], ["CONTACTS_IN_QUEUE", "OLDEST_CONTACT_AGE"]);
  assert.equal(got["queue-sales"].CONTACTS_IN_QUEUE, 1);
  assert.equal(got["queue-support"].CONTACTS_IN_QUEUE, 2);
  assert.ok(got["queue-support"].OLDEST_CONTACT_AGE < 60, "OLDEST_CONTACT_AGE is real wait, not moved by +600 s");
  assert.equal(await h.position(late), 1, "the +600 s adjustment moves the later contact first");
  await h.status("agent-1", Available);
  got = await current([], ["CONTACTS_IN_QUEUE", "AGENTS_ONLINE", "AGENTS_ON_CONTACT"]);
  assert.deepEqual(got.all, { CONTACTS_IN_QUEUE: 1, AGENTS_ONLINE: 1, AGENTS_ON_CONTACT: 1 });
});

emulatorTest("errors: error.name and $metadata.httpStatusCode", async (h) => {
  const waiting = await h.task("flow-support");
  const both = await rejectsWith(h.route(waiting, { QueuePriority: 2, QueueTimeAdjustmentSeconds: 30 }), "InvalidParameterException", 400);
  assert.match(both.message, /set exactly one/);
  assert.ok(both instanceof sdk.InvalidParameterException, "a typed InvalidParameterException");
  await rejectsWith(h.route(waiting, {}), "InvalidParameterException", 400);
  await rejectsWith(h.route(waiting, { QueuePriority: 0 }), "InvalidParameterException", 400);
  assert.equal((await h.describe(waiting)).QueuePriority, 5, "a refused update changes nothing");

  const nf = await rejectsWith(h.route("no-such-contact", { QueuePriority: 1 }), "ResourceNotFoundException", 404);
  assert.ok(nf instanceof sdk.ResourceNotFoundException, "a typed ResourceNotFoundException");
  await rejectsWith(h.c.send(new DescribeContactCommand({ InstanceId: "no-such-instance", ContactId: waiting })), "ResourceNotFoundException", 404);
  await rejectsWith(h.status("agent-1", "status-lunch"), "ResourceNotFoundException", 404);

  await h.status("agent-1", Available);
  assert.equal(await h.agent(waiting), "agent-1");
  const conflict = await rejectsWith(h.route(waiting, { QueuePriority: 1 }), "ResourceConflictException", 409);
  assert.ok(conflict instanceof sdk.ResourceConflictException, "a typed ResourceConflictException");
  await rejectsWith(h.position(waiting), "ResourceConflictException", 409);
  await h.send(StopContactCommand, { ContactId: waiting });
  await rejectsWith(h.send(StopContactCommand, { ContactId: waiting }), "ResourceConflictException", 409);
  await rejectsWith(h.route(waiting, { QueueTimeAdjustmentSeconds: 10 }), "ResourceConflictException", 409);
});

emulatorTest("RoutingCriteria and AssociateUserProficiencies", { skip: noProficiencyOps }, async (h) => {
  const contact = await h.task("flow-support");
  await h.route(contact, { RoutingCriteria: { Steps: [
    { Expiry: { DurationInSeconds: 30 }, Expression: lang("French", 4) },
    { Expression: lang("English", 1) }] } });
  const bad = await rejectsWith(h.route(contact, { RoutingCriteria: { Steps: [{ Expression: lang("German", 1) }] } }),
    "InvalidParameterException", 400);
  assert.match(bad.message, /^RoutingCriteria\.Steps\[0\]\.Expression\.AttributeCondition\.Value/);
  await h.status("agent-1", Available); // English 5 only
  let got = await h.describe(contact);
  assert.equal(got.AgentInfo, undefined, "agent-1 (no French) took a French-only contact");
  assert.deepEqual(statuses(got), ["ACTIVE", "INACTIVE"]);
  await h.send(sdk.AssociateUserProficienciesCommand, { UserId: "agent-1",
    UserProficiencies: [{ AttributeName: "Language", AttributeValue: "French", Level: 4 }] });
  got = await h.describe(contact);
  assert.equal(got.AgentInfo?.Id, "agent-1", "agent-1 with French 4 takes it at once");
  assert.deepEqual(statuses(got), ["JOINED", "INACTIVE"]);

});

emulatorTest("a step with AgentIds expires after DurationInSeconds", { skip: noProficiencyOps }, async (h) => {
  const contact = await h.task("flow-sales");
  await h.route(contact, { QueuePriority: 3, RoutingCriteria: { Steps: [
    { Expiry: { DurationInSeconds: 1 }, Expression: { AttributeCondition: {
      MatchCriteria: { AgentsCriteria: { AgentIds: ["agent-3"] } }, ComparisonOperator: "Match" } } },
    { Expression: lang("English", 1) }] } });
  await h.status("agent-1", Available);
  assert.equal(await h.agent(contact), null, "only agent-3 may take it during step 1");
  const deadline = Date.now() + 5000;
  while ((await h.agent(contact)) === null && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
  const got = await h.describe(contact);
  assert.equal(got.AgentInfo?.Id, "agent-1", "after step 1 expired (1 s)");
  assert.deepEqual(statuses(got), ["EXPIRED", "JOINED"]);
  assert.equal(got.QueuePriority, 3, "criteria and priority in one call");
});

emulatorTest("predefined attributes and user proficiencies", { skip: noProficiencyOps }, async (h) => {
  await h.send(sdk.CreatePredefinedAttributeCommand, { Name: "Tier", Values: { StringList: ["Gold", "Silver"] } });
  let got = (await h.send(sdk.DescribePredefinedAttributeCommand, { Name: "Tier" })).PredefinedAttribute;
  assert.deepEqual([got.Name, got.Values.StringList], ["Tier", ["Gold", "Silver"]]);
  const names = [];
  for await (const page of sdk.paginateListPredefinedAttributes({ client: h.c }, { InstanceId: Instance, MaxResults: 1 })) {
    names.push(...page.PredefinedAttributeSummaryList.map((a) => a.Name));
  }
  assert.deepEqual(names, ["Language", "Tier"], "listed by name, one per page");
  await h.send(sdk.UpdatePredefinedAttributeCommand, { Name: "Tier", Values: { StringList: ["Gold", "Bronze"] } });
  got = (await h.send(sdk.DescribePredefinedAttributeCommand, { Name: "Tier" })).PredefinedAttribute;
  assert.deepEqual(got.Values.StringList, ["Gold", "Bronze"]);
  await rejectsWith(h.send(sdk.CreatePredefinedAttributeCommand, { Name: "Tier", Values: { StringList: ["x"] } }),
    "DuplicateResourceException", 409);
  const inUse = await rejectsWith(h.send(sdk.DeletePredefinedAttributeCommand, { Name: "Language" }), "ResourceInUseException", 409);
  assert.match(inUse.message, /agent-1/);

  await h.send(sdk.AssociateUserProficienciesCommand, { UserId: "agent-2",
    UserProficiencies: [{ AttributeName: "Tier", AttributeValue: "Gold", Level: 2 }] });
  await h.send(sdk.UpdateUserProficienciesCommand, { UserId: "agent-2",
    UserProficiencies: [{ AttributeName: "Tier", AttributeValue: "Gold", Level: 5 }] });
  await h.send(sdk.DisassociateUserProficienciesCommand, { UserId: "agent-2",
    UserProficiencies: [{ AttributeName: "Language", AttributeValue: "English" }] });
  const profs = [];
  for await (const page of sdk.paginateListUserProficiencies({ client: h.c }, { InstanceId: Instance, UserId: "agent-2", MaxResults: 1 })) {
    profs.push(...page.UserProficiencyList.map((p) => `${p.AttributeName}=${p.AttributeValue}:${p.Level}`));
  }
  assert.deepEqual(profs, ["Language=French:4", "Tier=Gold:5"]);
  const level = await rejectsWith(h.send(sdk.AssociateUserProficienciesCommand, { UserId: "agent-2",
    UserProficiencies: [{ AttributeName: "Tier", AttributeValue: "Gold", Level: 6 }] }), "InvalidParameterException", 400);
  assert.match(level.message, /UserProficiencies\[0\]\.Level/);

  await h.send(sdk.DisassociateUserProficienciesCommand, { UserId: "agent-2",
    UserProficiencies: [{ AttributeName: "Tier", AttributeValue: "Gold" }] });
  await h.send(sdk.DeletePredefinedAttributeCommand, { Name: "Tier" });
  await rejectsWith(h.send(sdk.DescribePredefinedAttributeCommand, { Name: "Tier" }), "ResourceNotFoundException", 404);
});

emulatorTest("SigV4: a signed request passes, a wrongly signed one is refused", { config: signedConfig }, async (h) => {
  const good = client(h.emu.endpoint, Key, Secret);
  const id = (await good.send(new StartTaskContactCommand({ InstanceId: Instance, ContactFlowId: "flow-sales", Name: "signed" }))).ContactId;
  await good.send(new UpdateContactRoutingDataCommand({ InstanceId: Instance, ContactId: id, QueuePriority: 2 }));
  assert.equal((await good.send(new DescribeContactCommand({ InstanceId: Instance, ContactId: id }))).Contact.QueuePriority, 2);

  // The codes AWS's JSON endpoints send, which the SDK acts on (clock skew, retries).
  const refused = {
    "wrong secret": [client(h.emu.endpoint, Key, "not-the-secret"), "InvalidSignatureException"],
    "unknown key": [client(h.emu.endpoint, "AKIDUNKNOWN", Secret), "UnrecognizedClientException"],
    unsigned: [client(h.emu.endpoint, Key, Secret, { signer: { sign: async (req) => req } }), "MissingAuthenticationTokenException"],
  };
  for (const [name, [c, code]] of Object.entries(refused)) {
    const err = await rejectsWith(c.send(new DescribeContactCommand({ InstanceId: Instance, ContactId: id })), code, 403);
    assert.equal(err.name, code, `${name}: ${code}`);
  }
  // The default client (key "test") is refused too.
  await rejectsWith(h.task("flow-sales"), "UnrecognizedClientException", 403);
});

emulatorTest("SigV4: control requests need a signature when credentials are configured", { config: signedConfig }, async (h) => {
  assert.equal((await h.emu.control("GET", "state")).status, 403, "unsigned control request");
  const state = await h.emu.control("GET", "state", undefined, { key: Key, secret: Secret });
  assert.equal(state.status, 200, JSON.stringify(state.body));
  assert.equal(state.body.instances[0].id, Instance);
  // A signed body: the reset goes through, and a wrong secret is refused.
  assert.equal((await h.emu.control("POST", "reset", {}, { key: Key, secret: "wrong" })).status, 403, "wrongly signed reset");
  const reset = await h.emu.control("POST", "reset", {}, { key: Key, secret: Secret });
  assert.equal(reset.status, 200, JSON.stringify(reset.body));
});

// delayedConfig is the built-in configuration with every profile entry delayed by seconds.
function delayedConfig(seconds) {
  const cfg = JSON.parse(execFileSync(process.env.ROUTESIM_BIN ?? "routesim", ["emulate", "-print-config"], { encoding: "utf8" }));
  for (const p of cfg.instances[0].routingProfiles) for (const q of p.queues) q.delaySeconds = seconds;
  const file = path.join(mkdtempSync(path.join(tmpdir(), "routesim-")), "delayed.json");
  writeFileSync(file, JSON.stringify(cfg));
  return file;
}

const manual = { get config() { return delayedConfig(60); }, args: ["-clock", "manual"] };

// ctl calls a control endpoint and checks its status.
async function ctl(h, method, p, body, want = 200) {
  const r = await h.emu.control(method, p, body);
  assert.equal(r.status, want, `${method} /_routesim/${p}: ${JSON.stringify(r.body)}`);
  return r.body;
}

emulatorTest("manual clock: a 60 s profile delay in well under a second", manual, async (h) => {
  const began = performance.now();
  await h.status("agent-1", Available);
  const id = await h.task("flow-sales");
  assert.equal(await h.agent(id), null, "routed inside its 60 s delay");
  assert.equal((await ctl(h, "POST", "clock", { advance: "59s" })).time, "2026-01-01T09:00:59Z");
  assert.equal(await h.agent(id), null, "routed at 59 s");
  await ctl(h, "POST", "clock", { set: "2026-01-01T09:05:00Z" });
  const got = await h.describe(id);
  assert.equal(got.AgentInfo?.Id, "agent-1", "routed once the delay passed");
  assert.equal(got.AgentInfo.ConnectedToAgentTimestamp.toISOString(), "2026-01-01T09:01:00.000Z", "routed at the delay's end");
  const took = performance.now() - began;
  assert.ok(took < 1000, `the 60 s scenario took ${took.toFixed(0)} ms of wall time`);
});

emulatorTest("state, reset and snapshot", manual, async (h) => {
  const a = await h.task("flow-sales");
  await ctl(h, "POST", "clock", { advance: "30s" });
  const b = await h.task("flow-sales");
  await h.route(b, { QueueTimeAdjustmentSeconds: 120 });
  const st = await ctl(h, "GET", "state");
  const sales = st.instances[0].queues.find((q) => q.id === "queue-sales");
  assert.deepEqual(sales.waiting.map((w) => w.contactId), [b, a], "routing order in the state");
  const snap = await ctl(h, "GET", "snapshot");

  assert.equal((await ctl(h, "POST", "reset")).time, "2026-01-01T09:00:00Z");
  await rejectsWith(h.describe(a), "ResourceNotFoundException", 404);

  await ctl(h, "POST", "snapshot", snap);
  assert.deepEqual(await ctl(h, "GET", "snapshot"), snap, "snapshot after restoring it");
  assert.deepEqual([await h.position(a), await h.position(b)], [2, 1], "positions after restore");
});

emulatorTest("control: 409 on the wall clock", async (h) => {
  const r = await h.emu.control("POST", "clock", { advance: "1s" });
  assert.equal(r.status, 409);
  assert.match(r.body.Message, /-clock manual/);
});
