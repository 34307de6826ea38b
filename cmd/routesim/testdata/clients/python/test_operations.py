"""Every operation `routesim emulate` serves, called once through boto3 on a representative path.

One scenario on the manual clock: look the built-in IDs up by name, create a queue, a routing
profile, a user and a custom status, route a task to the new user through a transfer, move
time, read the metrics, and tidy up. A botocore event hook records each operation called; the
test ends by comparing that set with the operations the binary lists in `routesim emulate -h`,
so an operation added to the emulator without a Python path here fails this test. Operations
the installed botocore model predates are skipped by name (Debian's python3-boto3 can be old).
Run: ROUTESIM_BIN=/path/to/routesim python3 -m unittest -v test_operations
"""

import datetime
import os
import re
import subprocess
import unittest

from test_emulator import INSTANCE, Emulator


def served_operations():
    """The operation names `routesim emulate -h` lists (its usage goes to stderr)."""
    out = subprocess.run([os.environ["ROUTESIM_BIN"], "emulate", "-h"], capture_output=True, text=True)
    text = out.stderr + out.stdout
    block = text.split("does not model):", 1)[1].split("and the control endpoints", 1)[0]
    return set(re.findall(r"[A-Z][A-Za-z0-9]+", block))


class EveryOperationTest(unittest.TestCase):
    def setUp(self):
        self.emu = Emulator(extra=("-clock", "manual"))
        self.addCleanup(lambda: self.assertEqual(self.emu.stop(), 0))
        self.c = self.emu.client()
        self.called = set()
        self.c.meta.events.register("before-call.connect.*",
                                    lambda model, **_: self.called.add(model.name))
        self.known = set(self.c.meta.service_model.operation_names)

    def call(self, op, **params):
        """call runs op (its API name) on the instance, unless the installed model predates it:
        None then."""
        if op not in self.known:
            return None
        method = {v: k for k, v in self.c.meta.method_to_api_mapping.items()}[op]
        return getattr(self.c, method)(InstanceId=INSTANCE, **params)

    def advance(self, seconds):
        status, body = self.emu.control("POST", "clock", {"advance": f"{seconds}s"})
        self.assertEqual(status, 200, body)
        return datetime.datetime.fromisoformat(body["time"].replace("Z", "+00:00"))

    def test_every_operation(self):
        # Look up by name, as a suite does at start-up.
        queues = {q["Name"]: q["Id"] for q in self.call("ListQueues")["QueueSummaryList"]}
        flows = {f["Name"]: f["Id"] for f in self.call("ListContactFlows")["ContactFlowSummaryList"]}
        statuses = {s["Name"]: s["Id"] for s in self.call("ListAgentStatuses")["AgentStatusSummaryList"]}
        hours = self.call("ListHoursOfOperations")["HoursOfOperationSummaryList"][0]["Id"]
        security = self.call("ListSecurityProfiles")["SecurityProfileSummaryList"][0]["Id"]
        profiles = {p["Name"]: p["Id"] for p in self.call("ListRoutingProfiles")["RoutingProfileSummaryList"]}
        users = {u["Username"]: u["Id"] for u in self.call("ListUsers")["UserSummaryList"]}
        self.assertIn("Sales", queues)
        self.assertIn("flow-sales", flows)
        self.assertEqual(self.call("DescribeQueue", QueueId=queues["Sales"])["Queue"]["Name"], "Sales")
        self.assertEqual(self.call("DescribeAgentStatus", AgentStatusId=statuses["Available"])["AgentStatus"]["Type"], "ROUTABLE")
        self.assertIn("Name", self.call("DescribeRoutingProfile", RoutingProfileId=next(iter(profiles.values())))["RoutingProfile"])

        # A new queue, served by a new profile, worked by a new user.
        q = self.call("CreateQueue", Name="Refunds", HoursOfOperationId=hours)["QueueId"]
        self.call("UpdateQueueName", QueueId=q, Name="Refunds desk")
        self.call("UpdateQueueMaxContacts", QueueId=q, MaxContacts=10)
        self.call("UpdateQueueStatus", QueueId=q, Status="ENABLED")
        p = self.call("CreateRoutingProfile", Name="Refunds team", Description="refunds",
                      DefaultOutboundQueueId=q,
                      MediaConcurrencies=[{"Channel": "TASK", "Concurrency": 2}])["RoutingProfileId"]
        self.call("AssociateRoutingProfileQueues", RoutingProfileId=p, QueueConfigs=[
            {"QueueReference": {"QueueId": q, "Channel": "TASK"}, "Priority": 2, "Delay": 30}])
        self.call("UpdateRoutingProfileQueues", RoutingProfileId=p, QueueConfigs=[
            {"QueueReference": {"QueueId": q, "Channel": "TASK"}, "Priority": 1, "Delay": 30}])
        self.call("AssociateRoutingProfileQueues", RoutingProfileId=p, QueueConfigs=[
            {"QueueReference": {"QueueId": queues["Sales"], "Channel": "TASK"}, "Priority": 5, "Delay": 0}])
        self.call("DisassociateRoutingProfileQueues", RoutingProfileId=p,
                  QueueReferences=[{"QueueId": queues["Sales"], "Channel": "TASK"}])
        listed = self.call("ListRoutingProfileQueues", RoutingProfileId=p)["RoutingProfileQueueConfigSummaryList"]
        self.assertEqual([(e["QueueId"], e["Priority"], e["Delay"]) for e in listed], [(q, 1, 30)])
        self.call("UpdateRoutingProfileConcurrency", RoutingProfileId=p,
                  MediaConcurrencies=[{"Channel": "TASK", "Concurrency": 3}])
        self.call("UpdateRoutingProfileAgentAvailabilityTimer", RoutingProfileId=p,
                  AgentAvailabilityTimer="TIME_SINCE_LAST_INBOUND")
        zoe = self.call("CreateUser", Username="zoe", PhoneConfig={"PhoneType": "SOFT_PHONE"},
                        SecurityProfileIds=[security], RoutingProfileId=profiles.get("All queues", p))["UserId"]
        self.call("UpdateUserRoutingProfile", UserId=zoe, RoutingProfileId=p)
        self.assertEqual(self.call("DescribeUser", UserId=zoe)["User"]["RoutingProfileId"], p)
        brk = self.call("CreateAgentStatus", Name="Coffee", State="ENABLED")["AgentStatusId"]
        self.call("PutUserStatus", UserId=zoe, AgentStatusId=brk)
        self.call("PutUserStatus", UserId=zoe, AgentStatusId=statuses["Available"])

        # Proficiencies and predefined attributes.
        if self.call("CreatePredefinedAttribute", Name="Region", Values={"StringList": ["North", "South"]}) is not None:
            self.call("UpdatePredefinedAttribute", Name="Region", Values={"StringList": ["North", "South", "East"]})
            self.assertIn("East", self.call("DescribePredefinedAttribute", Name="Region")["PredefinedAttribute"]["Values"]["StringList"])
            self.assertIn("Region", [a["Name"] for a in self.call("ListPredefinedAttributes")["PredefinedAttributeSummaryList"]])
            self.call("AssociateUserProficiencies", UserId=zoe, UserProficiencies=[
                {"AttributeName": "Region", "AttributeValue": "North", "Level": 3.0}])
            self.call("UpdateUserProficiencies", UserId=zoe, UserProficiencies=[
                {"AttributeName": "Region", "AttributeValue": "North", "Level": 4.0}])
            profs = self.call("ListUserProficiencies", UserId=zoe)["UserProficiencyList"]
            self.assertEqual([(x["AttributeValue"], x["Level"]) for x in profs], [("North", 4.0)])
            self.call("DisassociateUserProficiencies", UserId=zoe, UserProficiencies=[
                {"AttributeName": "Region", "AttributeValue": "North"}])
            self.call("DeletePredefinedAttribute", Name="Region")

        # A task in Sales, moved to the new queue; it waits out the profile's 30 s delay.
        t = self.call("StartTaskContact", ContactFlowId=flows["flow-sales"], Name="refund 42",
                      Attributes={"order": "42"})["ContactId"]
        self.call("UpdateContactRoutingData", ContactId=t, QueuePriority=2)
        moved = self.call("TransferContact", ContactId=t, QueueId=q, ContactFlowId=flows["flow-sales"])["ContactId"]
        self.call("UpdateContactAttributes", InitialContactId=moved, Attributes={"step": "refund"})
        self.assertEqual(self.call("GetContactAttributes", InitialContactId=moved)["Attributes"],
                         {"order": "42", "step": "refund"})
        metrics = self.call("GetContactMetrics", ContactId=moved, Metrics=[{"Name": "POSITION_IN_QUEUE"}])
        self.assertEqual(metrics["MetricResults"][0]["Value"]["Number"], 1.0)
        self.advance(30)
        self.assertEqual(self.call("DescribeContact", ContactId=moved)["Contact"]["AgentInfo"]["Id"], zoe)
        data = self.call("GetCurrentUserData", Filters={"Agents": [zoe]})["UserDataList"][0]
        self.assertEqual([c["ContactId"] for c in data["Contacts"]], [moved])
        current = self.call("GetCurrentMetricData", Filters={"Queues": [q], "Channels": ["TASK"]},
                            CurrentMetrics=[{"Name": "AGENTS_ON_CONTACT", "Unit": "COUNT"}])
        self.assertEqual(current["MetricResults"][0]["Collections"][0]["Value"], 1.0)
        now = self.advance(60)
        self.call("StopContact", ContactId=moved)
        chat = self.call("StartChatContact", ContactFlowId=flows["flow-sales"],
                         ParticipantDetails={"DisplayName": "c"})["ContactId"]
        self.call("StopContact", ContactId=chat)
        arn = "arn:aws:connect:us-east-1:123456789012:instance/" + INSTANCE
        history = self.c.get_metric_data_v2(
            ResourceArn=arn, StartTime=now - datetime.timedelta(hours=1), EndTime=now,
            Filters=[{"FilterKey": "QUEUE", "FilterValues": [q]}],
            Metrics=[{"Name": "CONTACTS_HANDLED"}]) if "GetMetricDataV2" in self.known else None
        if history is not None:
            self.assertEqual(history["MetricResults"][0]["Collections"][0]["Value"], 1.0)

        served = served_operations()
        missing = sorted(served & self.known - self.called)
        self.assertEqual(missing, [], "operations the emulator serves that this test did not call")
        unknown = sorted(served - self.known)
        if unknown:
            print(f"\n  skipped (botocore {self.c.meta.service_model.api_version} model predates them): {', '.join(unknown)}")


if __name__ == "__main__":
    unittest.main()
