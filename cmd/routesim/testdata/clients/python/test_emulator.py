"""Drives `routesim emulate` with boto3, as a user's test suite would.

Each test starts its own emulator (the binary named by ROUTESIM_BIN) on a free port with the
built-in configuration, or ../signed.json for the SigV4 cases, and stops it afterwards.
Run: ROUTESIM_BIN=/path/to/routesim python3 -m unittest -v test_emulator
Cases that need members newer than the installed botocore model (RoutingCriteria, the
predefined-attribute and user-proficiency operations) are skipped with a message.
"""

import json
import os
import queue
import subprocess
import tempfile
import threading
import time
import unittest
import urllib.error
import urllib.request

import boto3
import botocore
import botocore.auth
import botocore.awsrequest
import botocore.credentials
import botocore.exceptions
from botocore import UNSIGNED
from botocore.config import Config

HERE = os.path.dirname(os.path.abspath(__file__))
SIGNED_CONFIG = os.path.join(HERE, "..", "signed.json")
INSTANCE = "7c3a1f52-9d4e-4b6a-8f21-3e5d9c0b7a14"  # the default configuration's instance (alias routesim-instance)
AVAILABLE, OFFLINE = "status-available", "status-offline"
# The access key of ../signed.json.
KEY, SECRET = "AKIDROUTESIMTEST", "routesim-test-secret"


class Emulator:
    """A routesim emulate process on a free port; endpoint is what its banner printed."""

    def __init__(self, config=None, extra=()):
        binary = os.environ.get("ROUTESIM_BIN")
        if not binary:
            raise RuntimeError("set ROUTESIM_BIN to a routesim binary (go build -o ... ./cmd/routesim)")
        args = [binary, "emulate", "-addr", "127.0.0.1:0"]
        if config:
            args += ["-config", config]
        args += list(extra)
        self.stderr = tempfile.TemporaryFile()
        self.proc = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=self.stderr, text=True)
        lines = queue.Queue()
        threading.Thread(target=lambda: [lines.put(l) for l in self.proc.stdout], daemon=True).start()
        self.endpoint = None
        deadline = time.monotonic() + 10
        while self.endpoint is None:
            try:
                fields = lines.get(timeout=max(0.01, deadline - time.monotonic())).split()
            except queue.Empty:
                self.stop()
                raise RuntimeError("routesim emulate printed no endpoint within 10 s")
            if fields[:1] == ["endpoint"]:
                self.endpoint = fields[1]

    def stop(self):
        """stop sends SIGTERM and returns the exit status (0 after a clean shutdown)."""
        if self.proc.poll() is None:
            self.proc.terminate()
        rc = self.proc.wait(timeout=10)
        self.proc.stdout.close()
        self.stderr.close()
        return rc

    def control(self, method, path, body=None, sign=None):
        """control calls /_routesim/PATH with a JSON body; sign=(key, secret) signs it with SigV4.
        It returns (status, parsed JSON answer)."""
        data = json.dumps(body).encode() if body is not None else b""
        url = self.endpoint + "/_routesim/" + path
        headers = {"Content-Type": "application/json"}
        if sign:
            req = botocore.awsrequest.AWSRequest(method=method, url=url, data=data, headers=headers)
            botocore.auth.SigV4Auth(botocore.credentials.Credentials(*sign), "connect", "us-east-1").add_auth(req)
            headers = dict(req.headers.items())
        try:
            with urllib.request.urlopen(urllib.request.Request(url, data=data or None, method=method, headers=headers)) as r:
                return r.status, json.loads(r.read())
        except urllib.error.HTTPError as e:
            return e.code, json.loads(e.read())

    def client(self, key="test", secret="test", **config):
        return boto3.client("connect", endpoint_url=self.endpoint, region_name="us-east-1",
                            aws_access_key_id=key, aws_secret_access_key=secret,
                            config=Config(retries={"max_attempts": 1}, **config))


def has_member(client, operation, member):
    model = client.meta.service_model
    if operation not in model.operation_names:
        return False
    return member is None or member in model.operation_model(operation).input_shape.members


def steps_status(contact):
    return [s["Status"] for s in contact.get("RoutingCriteria", {}).get("Steps", [])]


def condition(value, level):
    return {"AttributeCondition": {"Name": "Language", "Value": value, "ProficiencyLevel": level,
                                   "ComparisonOperator": "NumberGreaterOrEqualTo"}}


class EmulatorTest(unittest.TestCase):
    config = None

    def setUp(self):
        self.emu = Emulator(self.config)
        self.addCleanup(self.stop_emulator)  # also when a subclass's setUp skips the test
        self.c = self.emu.client()

    def stop_emulator(self):
        self.assertEqual(self.emu.stop(), 0, "exit status after SIGTERM; want 0 (clean shutdown)")

    # helpers

    def task(self, flow, name="t"):
        return self.c.start_task_contact(InstanceId=INSTANCE, ContactFlowId=flow, Name=name)["ContactId"]

    def describe(self, contact_id):
        return self.c.describe_contact(InstanceId=INSTANCE, ContactId=contact_id)["Contact"]

    def agent(self, contact_id):
        return self.describe(contact_id).get("AgentInfo", {}).get("Id")

    def position(self, contact_id):
        out = self.c.get_contact_metrics(InstanceId=INSTANCE, ContactId=contact_id,
                                         Metrics=[{"Name": "POSITION_IN_QUEUE"}])
        return out["MetricResults"][0]["Value"]["Number"]

    def status(self, user, status):
        self.c.put_user_status(InstanceId=INSTANCE, UserId=user, AgentStatusId=status)

    def route(self, contact_id, **fields):
        return self.c.update_contact_routing_data(InstanceId=INSTANCE, ContactId=contact_id, **fields)

    def assertError(self, ctx, code, status):
        err = ctx.exception.response
        self.assertEqual(err["Error"]["Code"], code, "error code")
        self.assertEqual(err["ResponseMetadata"]["HTTPStatusCode"], status, "HTTP status of %s" % code)
        self.assertTrue(err["ResponseMetadata"].get("RequestId"), "no x-amzn-RequestId on %s" % code)
        return err["Error"]["Message"]


class ContactTest(EmulatorTest):
    def test_start_task_and_chat(self):
        task = self.task("flow-sales", "demo")
        got = self.describe(task)
        self.assertEqual(got["Id"], task)
        self.assertEqual(got["Channel"], "TASK")
        self.assertEqual(got["InitiationMethod"], "API")
        self.assertEqual(got["QueueInfo"]["Id"], "queue-sales")
        self.assertEqual(got["QueuePriority"], 5, "default QueuePriority")
        self.assertNotIn("AgentInfo", got, "a waiting contact has no agent")

        urgent = self.describe(self.task("flow-support-urgent"))
        self.assertEqual((urgent["QueuePriority"], urgent["QueueTimeAdjustmentSeconds"]), (1, 60),
                         "the urgent flow's priority and age adjustment")

        chat = self.c.start_chat_contact(InstanceId=INSTANCE, ContactFlowId="flow-support",
                                         ParticipantDetails={"DisplayName": "customer"})
        self.assertTrue(chat["ParticipantToken"], "no ParticipantToken")
        got = self.describe(chat["ContactId"])
        self.assertEqual((got["Channel"], got["QueueInfo"]["Id"]), ("CHAT", "queue-support"))

        again = self.c.start_task_contact(InstanceId=INSTANCE, ContactFlowId="flow-sales", Name="x", ClientToken="tok-1")
        same = self.c.start_task_contact(InstanceId=INSTANCE, ContactFlowId="flow-sales", Name="x", ClientToken="tok-1")
        self.assertEqual(again["ContactId"], same["ContactId"], "a repeated ClientToken returns the same contact")

    def test_routing_data_and_order(self):
        # Four support tasks A..D and then one sales task S. Sales is the profile's priority 1.
        a, b, c, d = (self.task("flow-support", n) for n in "ABCD")
        s = self.task("flow-sales", "S")
        self.route(c, QueuePriority=1)
        self.route(b, QueueTimeAdjustmentSeconds=60)
        self.route(b, QueueTimeAdjustmentSeconds=60)
        self.route(d, QueuePriority=9)
        got = self.describe(b)
        self.assertEqual(got["QueueTimeAdjustmentSeconds"], 120, "two +60 adjustments add up")
        self.assertEqual(got["QueuePriority"], 5)
        self.assertLess(time.time() - got["QueueInfo"]["EnqueueTimestamp"].timestamp(), 60,
                        "EnqueueTimestamp is the real enqueue time, not moved by the adjustment")
        self.assertEqual(self.describe(c)["QueuePriority"], 1)
        self.assertEqual([self.position(x) for x in (c, b, a, d)], [1, 2, 3, 4],
                         "positions in queue-support: priority, then routing age, then arrival")
        self.assertEqual(self.position(s), 1, "S is alone in queue-sales")

        # Agents take two tasks each (TASK concurrency 2): sales first, then support in order.
        self.status("agent-1", AVAILABLE)
        self.assertEqual([self.agent(x) for x in (s, c, b, a, d)], ["agent-1", "agent-1", None, None, None])
        self.assertIn("ConnectedToAgentTimestamp", self.describe(s)["AgentInfo"])
        self.assertEqual([self.position(x) for x in (b, a, d)], [1, 2, 3])
        self.status("agent-2", AVAILABLE)
        self.assertEqual([self.agent(x) for x in (b, a, d)], ["agent-2", "agent-2", None])
        self.status("agent-3", AVAILABLE)
        self.assertEqual(self.agent(d), "agent-3")

        # Ending a contact frees a slot; an agent set offline takes no more.
        self.status("agent-1", OFFLINE)
        self.c.stop_contact(InstanceId=INSTANCE, ContactId=s)
        self.assertIn("DisconnectTimestamp", self.describe(s))
        e = self.task("flow-sales", "E")
        self.assertEqual(self.agent(e), "agent-3", "agent-3 has a free slot; agent-1 is offline")

    def test_extreme_values(self):
        first, second = self.task("flow-support"), self.task("flow-support")
        self.route(first, QueueTimeAdjustmentSeconds=-300)  # negative: younger in routing age
        self.assertEqual(self.position(first), 2)
        self.route(second, QueuePriority=9223372036854775807)  # the largest long: last
        self.assertEqual(self.describe(second)["QueuePriority"], 9223372036854775807)
        self.assertEqual([self.position(first), self.position(second)], [1, 2])
        self.route(second, QueueTimeAdjustmentSeconds=2147483647)
        self.route(second, QueueTimeAdjustmentSeconds=2147483647)
        self.assertEqual(self.describe(second)["QueueTimeAdjustmentSeconds"], 2147483647,
                         "the cumulative adjustment is reported clamped to the int32 range")

    def test_metrics(self):
        self.task("flow-sales")
        late = self.task("flow-support")
        self.task("flow-support")
        self.route(late, QueueTimeAdjustmentSeconds=600)

        def current(groupings, names):
            out = self.c.get_current_metric_data(
                InstanceId=INSTANCE, Filters={"Queues": ["queue-sales", "queue-support"], "Channels": ["TASK"]},
                Groupings=groupings, CurrentMetrics=[{"Name": n, "Unit": "SECONDS" if n == "OLDEST_CONTACT_AGE" else "COUNT"}
                                for n in names])
            res = {}
            for r in out["MetricResults"]:
                q = r.get("Dimensions", {}).get("Queue", {}).get("Id")
                res[q] = {col["Metric"]["Name"]: col["Value"] for col in r["Collections"]}
            return res

        got = current(["QUEUE"], ["CONTACTS_IN_QUEUE", "OLDEST_CONTACT_AGE"])
        self.assertEqual(got["queue-sales"]["CONTACTS_IN_QUEUE"], 1)
        self.assertEqual(got["queue-support"]["CONTACTS_IN_QUEUE"], 2)
        self.assertLess(got["queue-support"]["OLDEST_CONTACT_AGE"], 60,
                        "OLDEST_CONTACT_AGE is real wait, not moved by the +600 s adjustment")
        self.assertEqual(self.position(late), 1, "the +600 s adjustment moves the later contact first")

        self.status("agent-1", AVAILABLE)
        got = current([], ["CONTACTS_IN_QUEUE", "AGENTS_ONLINE", "AGENTS_ON_CONTACT"])
        self.assertEqual(got[None], {"CONTACTS_IN_QUEUE": 1, "AGENTS_ONLINE": 1, "AGENTS_ON_CONTACT": 1})

    def test_errors(self):
        ex = self.c.exceptions
        waiting = self.task("flow-support")
        with self.assertRaises(ex.InvalidParameterException) as ctx:
            self.route(waiting, QueuePriority=2, QueueTimeAdjustmentSeconds=30)
        self.assertIn("set exactly one", self.assertError(ctx, "InvalidParameterException", 400))
        with self.assertRaises(ex.InvalidParameterException) as ctx:
            self.route(waiting)
        self.assertError(ctx, "InvalidParameterException", 400)
        self.assertEqual(self.describe(waiting)["QueuePriority"], 5, "a refused update changes nothing")

        with self.assertRaises(ex.ResourceNotFoundException) as ctx:
            self.route("no-such-contact", QueuePriority=1)
        self.assertError(ctx, "ResourceNotFoundException", 404)
        with self.assertRaises(ex.ResourceNotFoundException) as ctx:
            self.c.describe_contact(InstanceId="no-such-instance", ContactId=waiting)
        self.assertError(ctx, "ResourceNotFoundException", 404)
        with self.assertRaises(ex.ResourceNotFoundException) as ctx:
            self.status("agent-1", "status-lunch")
        self.assertError(ctx, "ResourceNotFoundException", 404)

        self.status("agent-1", AVAILABLE)
        self.assertEqual(self.agent(waiting), "agent-1")
        with self.assertRaises(ex.ResourceConflictException) as ctx:
            self.route(waiting, QueuePriority=1)
        self.assertError(ctx, "ResourceConflictException", 409)
        with self.assertRaises(ex.ResourceConflictException) as ctx:
            self.position(waiting)
        self.assertError(ctx, "ResourceConflictException", 409)
        self.c.stop_contact(InstanceId=INSTANCE, ContactId=waiting)
        with self.assertRaises(ex.ResourceConflictException) as ctx:
            self.c.stop_contact(InstanceId=INSTANCE, ContactId=waiting)
        self.assertError(ctx, "ResourceConflictException", 409)
        with self.assertRaises(ex.ResourceConflictException) as ctx:
            self.route(waiting, QueueTimeAdjustmentSeconds=10)
        self.assertError(ctx, "ResourceConflictException", 409)

        # botocore checks QueuePriority >= 1 itself; the emulator is not reached.
        with self.assertRaises(botocore.exceptions.ParamValidationError):
            self.route(self.task("flow-sales"), QueuePriority=0)


class CriteriaTest(EmulatorTest):
    def setUp(self):
        super().setUp()
        if not has_member(self.c, "UpdateContactRoutingData", "RoutingCriteria"):
            self.skipTest("botocore %s has no UpdateContactRoutingData.RoutingCriteria" % botocore.__version__)
        if not has_member(self.c, "AssociateUserProficiencies", None):
            self.skipTest("botocore %s has no AssociateUserProficiencies" % botocore.__version__)

    def test_proficiency_routing(self):
        contact = self.task("flow-support")
        self.route(contact, RoutingCriteria={"Steps": [
            {"Expiry": {"DurationInSeconds": 30}, "Expression": condition("French", 4)},
            {"Expression": condition("English", 1)}]})
        self.status("agent-1", AVAILABLE)  # English 5 only
        got = self.describe(contact)
        self.assertNotIn("AgentInfo", got, "agent-1 (no French) took a French-only contact")
        self.assertEqual(steps_status(got), ["ACTIVE", "INACTIVE"])
        self.assertEqual(got["RoutingCriteria"]["Steps"][0]["Expiry"]["DurationInSeconds"], 30)
        self.c.associate_user_proficiencies(InstanceId=INSTANCE, UserId="agent-1", UserProficiencies=[
            {"AttributeName": "Language", "AttributeValue": "French", "Level": 4}])
        got = self.describe(contact)
        self.assertEqual(got.get("AgentInfo", {}).get("Id"), "agent-1", "agent-1 with French 4 takes it at once")
        self.assertEqual(steps_status(got), ["JOINED", "INACTIVE"])

    def test_step_expiry_and_agent_ids(self):
        contact = self.task("flow-sales")
        self.route(contact, QueuePriority=3, RoutingCriteria={"Steps": [
            {"Expiry": {"DurationInSeconds": 1},
             "Expression": {"AttributeCondition": {"MatchCriteria": {"AgentsCriteria": {"AgentIds": ["agent-3"]}},
                                                   "ComparisonOperator": "Match"}}},
            {"Expression": condition("English", 1)}]})
        self.assertEqual(self.describe(contact)["QueuePriority"], 3, "criteria and priority in one call")
        self.status("agent-1", AVAILABLE)
        self.assertIsNone(self.agent(contact), "only agent-3 may take it during step 1")
        deadline = time.monotonic() + 5
        while self.agent(contact) is None and time.monotonic() < deadline:
            time.sleep(0.1)
        got = self.describe(contact)
        self.assertEqual(got.get("AgentInfo", {}).get("Id"), "agent-1", "after step 1 expired (1 s)")
        self.assertEqual(steps_status(got), ["EXPIRED", "JOINED"])

    def test_bad_criteria(self):
        contact = self.task("flow-support")
        with self.assertRaises(self.c.exceptions.InvalidParameterException) as ctx:
            self.route(contact, RoutingCriteria={"Steps": [{"Expression": condition("German", 1)}]})
        msg = self.assertError(ctx, "InvalidParameterException", 400)
        self.assertIn("RoutingCriteria.Steps[0].Expression.AttributeCondition.Value", msg)


class QueueTest(EmulatorTest):
    """Queues, hours of operation, transfers and contact attributes, as a suite that looks
    its IDs up by name at start-up uses them."""

    def setUp(self):
        super().setUp()
        if not has_member(self.c, "TransferContact", None):
            self.skipTest("botocore %s has no TransferContact" % botocore.__version__)

    def queue_ids(self):
        pages = self.c.get_paginator("list_queues").paginate(InstanceId=INSTANCE, QueueTypes=["STANDARD"])
        return {q["Name"]: q["Id"] for page in pages for q in page["QueueSummaryList"]}

    def test_queues_and_transfer(self):
        ex = self.c.exceptions
        ids = self.queue_ids()
        self.assertEqual(set(ids), {"Sales", "Support"})
        hours = self.c.list_hours_of_operations(InstanceId=INSTANCE)["HoursOfOperationSummaryList"]
        self.assertEqual([h["Name"] for h in hours], ["Basic Hours"])
        made = self.c.create_queue(InstanceId=INSTANCE, Name="Billing", HoursOfOperationId=hours[0]["Id"], MaxContacts=1)
        self.assertEqual(self.queue_ids()["Billing"], made["QueueId"])
        got = self.c.describe_queue(InstanceId=INSTANCE, QueueId=made["QueueId"])["Queue"]
        self.assertEqual((got["Name"], got["Status"], got["MaxContacts"]), ("Billing", "ENABLED", 1))
        with self.assertRaises(ex.DuplicateResourceException) as ctx:
            self.c.create_queue(InstanceId=INSTANCE, Name="Billing", HoursOfOperationId=hours[0]["Id"])
        self.assertError(ctx, "DuplicateResourceException", 409)

        task = self.c.start_task_contact(InstanceId=INSTANCE, ContactFlowId="flow-sales", Name="refund",
                                         Attributes={"order": "42"})["ContactId"]
        moved = self.c.transfer_contact(InstanceId=INSTANCE, ContactId=task, QueueId=made["QueueId"],
                                        ContactFlowId="flow-sales")["ContactId"]
        got = self.describe(moved)
        self.assertEqual((got["QueueInfo"]["Id"], got["PreviousContactId"], got["Name"]), (made["QueueId"], task, "refund"))
        self.assertEqual(self.describe(task)["DisconnectReason"], "TRANSFER")
        self.c.update_contact_attributes(InstanceId=INSTANCE, InitialContactId=task, Attributes={"state": "open"})
        attrs = self.c.get_contact_attributes(InstanceId=INSTANCE, InitialContactId=moved)["Attributes"]
        self.assertEqual(attrs, {"order": "42", "state": "open"})

        other = self.task("flow-sales")  # Billing holds its 1 contact: full
        with self.assertRaises(ex.ServiceQuotaExceededException) as ctx:
            self.c.transfer_contact(InstanceId=INSTANCE, ContactId=other, QueueId=made["QueueId"], ContactFlowId="flow-sales")
        self.assertError(ctx, "ServiceQuotaExceededException", 402)
        self.c.update_queue_status(InstanceId=INSTANCE, QueueId=ids["Sales"], Status="DISABLED")
        with self.assertRaises(ex.InvalidRequestException) as ctx:
            self.task("flow-sales")
        self.assertError(ctx, "InvalidRequestException", 400)
        self.status("agent-1", AVAILABLE)
        self.assertEqual(self.agent(other), "agent-1", "a DISABLED queue's waiting contacts are still routed")


class AttributesTest(EmulatorTest):
    def setUp(self):
        super().setUp()
        for op in ("CreatePredefinedAttribute", "ListUserProficiencies"):
            if not has_member(self.c, op, None):
                self.skipTest("botocore %s has no %s" % (botocore.__version__, op))

    def test_predefined_attributes(self):
        ex = self.c.exceptions
        self.c.create_predefined_attribute(InstanceId=INSTANCE, Name="Tier", Values={"StringList": ["Gold", "Silver"]})
        got = self.c.describe_predefined_attribute(InstanceId=INSTANCE, Name="Tier")["PredefinedAttribute"]
        self.assertEqual((got["Name"], got["Values"]["StringList"]), ("Tier", ["Gold", "Silver"]))
        pages = self.c.get_paginator("list_predefined_attributes").paginate(InstanceId=INSTANCE, MaxResults=1)
        names = [a["Name"] for page in pages for a in page["PredefinedAttributeSummaryList"]]
        self.assertEqual(names, ["Language", "Tier"], "listed by name, one per page")
        self.c.update_predefined_attribute(InstanceId=INSTANCE, Name="Tier", Values={"StringList": ["Gold", "Bronze"]})
        got = self.c.describe_predefined_attribute(InstanceId=INSTANCE, Name="Tier")["PredefinedAttribute"]
        self.assertEqual(got["Values"]["StringList"], ["Gold", "Bronze"])

        with self.assertRaises(ex.DuplicateResourceException) as ctx:
            self.c.create_predefined_attribute(InstanceId=INSTANCE, Name="Tier", Values={"StringList": ["x"]})
        self.assertError(ctx, "DuplicateResourceException", 409)
        with self.assertRaises(ex.ResourceInUseException) as ctx:
            self.c.delete_predefined_attribute(InstanceId=INSTANCE, Name="Language")
        self.assertIn("agent-1", self.assertError(ctx, "ResourceInUseException", 409))
        self.c.delete_predefined_attribute(InstanceId=INSTANCE, Name="Tier")
        with self.assertRaises(ex.ResourceNotFoundException) as ctx:
            self.c.describe_predefined_attribute(InstanceId=INSTANCE, Name="Tier")
        self.assertError(ctx, "ResourceNotFoundException", 404)

    def test_user_proficiencies(self):
        def listed(user):
            pages = self.c.get_paginator("list_user_proficiencies").paginate(InstanceId=INSTANCE, UserId=user, MaxResults=1)
            return [(p["AttributeValue"], p["Level"]) for page in pages for p in page["UserProficiencyList"]]

        self.assertEqual(listed("agent-2"), [("English", 3), ("French", 4)])
        self.c.associate_user_proficiencies(InstanceId=INSTANCE, UserId="agent-2", UserProficiencies=[
            {"AttributeName": "Language", "AttributeValue": "Spanish", "Level": 2}])
        self.c.update_user_proficiencies(InstanceId=INSTANCE, UserId="agent-2", UserProficiencies=[
            {"AttributeName": "Language", "AttributeValue": "Spanish", "Level": 5}])
        self.assertEqual(listed("agent-2"), [("English", 3), ("French", 4), ("Spanish", 5)])
        self.c.disassociate_user_proficiencies(InstanceId=INSTANCE, UserId="agent-2", UserProficiencies=[
            {"AttributeName": "Language", "AttributeValue": "English"}])
        self.assertEqual(listed("agent-2"), [("French", 4), ("Spanish", 5)])
        with self.assertRaises(self.c.exceptions.InvalidParameterException) as ctx:
            self.c.associate_user_proficiencies(InstanceId=INSTANCE, UserId="agent-2", UserProficiencies=[
                {"AttributeName": "Language", "AttributeValue": "French", "Level": 6}])
        self.assertIn("UserProficiencies[0].Level", self.assertError(ctx, "InvalidParameterException", 400))
        with self.assertRaises(self.c.exceptions.ResourceNotFoundException) as ctx:
            listed("agent-9")
        self.assertError(ctx, "ResourceNotFoundException", 404)


class SigV4Test(EmulatorTest):
    config = SIGNED_CONFIG

    def test_signed_request_passes(self):
        c = self.emu.client(KEY, SECRET)
        contact = c.start_task_contact(InstanceId=INSTANCE, ContactFlowId="flow-sales", Name="signed")["ContactId"]
        c.update_contact_routing_data(InstanceId=INSTANCE, ContactId=contact, QueuePriority=2)
        self.assertEqual(c.describe_contact(InstanceId=INSTANCE, ContactId=contact)["Contact"]["QueuePriority"], 2)
        # Another region in the scope, and a session token, are accepted when signed.
        other = boto3.client("connect", endpoint_url=self.emu.endpoint, region_name="eu-west-2",
                             aws_access_key_id=KEY, aws_secret_access_key=SECRET, aws_session_token="token")
        self.assertEqual(other.describe_contact(InstanceId=INSTANCE, ContactId=contact)["Contact"]["Id"], contact)
        if has_member(c, "ListUserProficiencies", None):  # a signed query string (maxResults, nextToken)
            pages = c.get_paginator("list_user_proficiencies").paginate(InstanceId=INSTANCE, UserId="agent-2", MaxResults=1)
            self.assertEqual(sum(len(p["UserProficiencyList"]) for p in pages), 2)

    def test_wrong_signature_refused(self):
        # The codes AWS's JSON endpoints send, which botocore acts on (clock skew, retries).
        for name, client, code in [("wrong secret", self.emu.client(KEY, "not-the-secret"), "InvalidSignatureException"),
                                   ("unknown key", self.emu.client("AKIDUNKNOWN", SECRET), "UnrecognizedClientException"),
                                   ("unsigned", self.emu.client(signature_version=UNSIGNED), "MissingAuthenticationTokenException")]:
            with self.subTest(name):
                with self.assertRaises(botocore.exceptions.ClientError) as ctx:
                    client.start_task_contact(InstanceId=INSTANCE, ContactFlowId="flow-sales", Name="x")
                self.assertError(ctx, code, 403)
        c = self.emu.client(KEY, SECRET)
        got = c.get_current_metric_data(InstanceId=INSTANCE, Filters={"Channels": ["TASK"]},
                                        CurrentMetrics=[{"Name": "CONTACTS_IN_QUEUE", "Unit": "COUNT"}])
        self.assertEqual(got["MetricResults"][0]["Collections"][0]["Value"], 0, "refused requests started nothing")


def delayed_config(directory, seconds):
    """A copy of the built-in configuration whose profile serves every queue after a delay."""
    out = subprocess.run([os.environ["ROUTESIM_BIN"], "emulate", "-print-config"], check=True,
                         capture_output=True, text=True).stdout
    cfg = json.loads(out)
    for p in cfg["instances"][0]["routingProfiles"]:
        for q in p["queues"]:
            q["delaySeconds"] = seconds
    path = os.path.join(directory, "delayed.json")
    with open(path, "w") as f:
        json.dump(cfg, f)
    return path


class ControlTest(EmulatorTest):
    """The emulator as a test double: a manual clock, state, reset and snapshots."""

    START = "2026-01-01T09:00:00Z"  # -start's default

    def setUp(self):
        self.dir = tempfile.TemporaryDirectory()
        self.addCleanup(self.dir.cleanup)
        self.config = delayed_config(self.dir.name, 60)
        self.emu = Emulator(self.config, ["-clock", "manual"])
        self.addCleanup(self.stop_emulator)
        self.c = self.emu.client()

    def ctl(self, method, path, body=None, want=200):
        status, out = self.emu.control(method, path, body)
        self.assertEqual(status, want, "%s /_routesim/%s: %s" % (method, path, out))
        return out

    def test_sixty_second_delay_in_no_time(self):
        began = time.monotonic()
        self.status("agent-1", AVAILABLE)
        contact = self.task("flow-sales")
        self.assertIsNone(self.agent(contact), "routed inside its 60 s delay")
        self.assertEqual(self.ctl("POST", "clock", {"advance": "59s"})["time"], "2026-01-01T09:00:59Z")
        self.assertIsNone(self.agent(contact), "routed at 59 s of a 60 s delay")
        self.ctl("POST", "clock", {"advance": "1s"})
        got = self.describe(contact)
        self.assertEqual(got["AgentInfo"]["Id"], "agent-1", "routed once the delay passed")
        self.assertEqual(got["AgentInfo"]["ConnectedToAgentTimestamp"].isoformat(), "2026-01-01T09:01:00+00:00")
        took = time.monotonic() - began
        self.assertLess(took, 1.0, "a 60 s delay scenario took %.2f s of wall time" % took)

    def test_state_lists_waiting_contacts_agents_and_timers(self):
        a = self.task("flow-sales")
        b = self.task("flow-support-urgent")
        self.route(a, QueuePriority=1)
        st = self.ctl("GET", "state")
        self.assertEqual(st["clock"], "manual")
        inst = st["instances"][0]
        sales = [q for q in inst["queues"] if q["id"] == "queue-sales"][0]
        self.assertEqual([w["contactId"] for w in sales["waiting"]], [a])
        self.assertEqual(sales["waiting"][0]["queuePriority"], 1)
        self.assertEqual(sorted(t["contactId"] for t in inst["timers"]), sorted([a, b]))
        self.assertEqual({ag["status"] for ag in inst["agents"]}, {"OFFLINE"})

    def test_reset(self):
        contact = self.task("flow-sales")
        self.status("agent-1", AVAILABLE)
        self.ctl("POST", "clock", {"advance": "5m"})
        self.assertEqual(self.ctl("POST", "reset")["time"], self.START)
        with self.assertRaises(self.c.exceptions.ResourceNotFoundException):
            self.describe(contact)
        st = self.ctl("GET", "state")
        self.assertEqual({ag["status"] for ag in st["instances"][0]["agents"]}, {"OFFLINE"}, "agents after reset")
        self.assertEqual(st["time"], self.START)

    def test_snapshot_restores_exactly(self):
        a = self.task("flow-sales")
        self.ctl("POST", "clock", {"advance": "30s"})
        b = self.task("flow-sales")
        self.route(b, QueueTimeAdjustmentSeconds=120)
        snap = self.ctl("GET", "snapshot")
        self.assertEqual(self.position(b), 1)
        self.ctl("POST", "reset")
        self.task("flow-support")
        self.ctl("POST", "snapshot", snap)
        self.assertEqual(self.ctl("GET", "snapshot"), snap, "snapshot after restoring it")
        self.assertEqual((self.position(a), self.position(b)), (2, 1), "positions after restore")
        self.status("agent-1", AVAILABLE)
        self.ctl("POST", "clock", {"advance": "30s"})
        self.assertEqual(self.agent(a), "agent-1", "a's delay ran on from the snapshot; b's has not")
        self.assertIsNone(self.agent(b))

    def test_control_errors(self):
        self.ctl("POST", "clock", {"advance": "-1s"}, want=400)
        self.ctl("POST", "clock", {"set": "2020-01-01T00:00:00Z"}, want=400)
        self.ctl("GET", "nothing", want=404)


class WallClockControlTest(EmulatorTest):
    def test_clock_refused_on_wall_clock(self):
        status, out = self.emu.control("POST", "clock", {"advance": "1s"})
        self.assertEqual(status, 409, out)
        self.assertIn("-clock manual", out["Message"])


class SignedControlTest(EmulatorTest):
    config = SIGNED_CONFIG

    def test_control_needs_a_signature(self):
        status, _ = self.emu.control("GET", "state")
        self.assertEqual(status, 403, "unsigned control request")
        status, out = self.emu.control("GET", "state", sign=(KEY, SECRET))
        self.assertEqual(status, 200, out)
        status, _ = self.emu.control("POST", "reset", sign=(KEY, "wrong"))
        self.assertEqual(status, 403, "wrongly signed control request")


class ControlOffTest(EmulatorTest):
    def setUp(self):
        self.emu = Emulator(None, ["-control=false"])
        self.addCleanup(self.stop_emulator)
        self.c = self.emu.client()

    def test_control_off(self):
        status, out = self.emu.control("GET", "state")
        self.assertEqual(status, 404, out)


if __name__ == "__main__":
    unittest.main()
