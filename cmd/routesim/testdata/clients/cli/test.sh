#!/bin/sh
# Drives `routesim emulate` with the AWS CLI (`aws connect ...`, v1 or v2), as a user's shell
# test would. It starts the emulator (the binary named by ROUTESIM_BIN) on a free port with
# the built-in configuration, runs one scenario, stops it, then does the same with
# ../signed.json for SigV4. Checks use the CLI's --query and jq; an error is checked by the
# CLI's exit status, its stderr ("An error occurred (Code)") and the HTTP status in --debug.
# Run: ROUTESIM_BIN=/path/to/routesim sh test.sh   (AWS=/path/to/aws to pick the CLI)
set -eu

: "${ROUTESIM_BIN:?set ROUTESIM_BIN to a routesim binary (go build -o ... ./cmd/routesim)}"
AWS=${AWS:-aws}
here=$(cd "$(dirname "$0")" && pwd)
tmp=$(mktemp -d)
pid=
checks=0
failed=0
skipped=0

cleanup() {
  if [ -n "$pid" ]; then kill "$pid" 2>/dev/null || true; fi
  rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 1' INT TERM

# A clean environment: no profile, no instance metadata, one attempt per call.
export AWS_ACCESS_KEY_ID=test AWS_SECRET_ACCESS_KEY=test AWS_DEFAULT_REGION=us-east-1
export AWS_CONFIG_FILE="$tmp/none" AWS_SHARED_CREDENTIALS_FILE="$tmp/none"
export AWS_EC2_METADATA_DISABLED=true AWS_MAX_ATTEMPTS=1 AWS_PAGER=""
unset AWS_SESSION_TOKEN AWS_PROFILE AWS_ENDPOINT_URL 2>/dev/null || true

# start [CONFIG [FLAGS...]]: run the emulator on a free port; E is the endpoint its banner prints.
start() {
  cfg=${1:-}
  [ $# -gt 0 ] && shift
  : >"$tmp/banner" # emptied here: the background job's own redirection may come after the first read below
  "$ROUTESIM_BIN" emulate -addr 127.0.0.1:0 ${cfg:+-config "$cfg"} "$@" >>"$tmp/banner" 2>"$tmp/emulator.err" &
  pid=$!
  tries=0
  until E=$(awk '$1 == "endpoint" { print $2; found = 1; exit } END { exit !found }' "$tmp/banner"); do
    tries=$((tries + 1))
    if [ "$tries" -gt 100 ] || ! kill -0 "$pid" 2>/dev/null; then
      echo "routesim emulate printed no endpoint:" >&2; cat "$tmp/emulator.err" >&2; exit 1
    fi
    sleep 0.1
  done
}

# stop: SIGTERM, and the exit status must be 0 (a clean shutdown).
stop() {
  kill "$pid"
  rc=0; wait "$pid" || rc=$?
  pid=
  check "emulator exit status after SIGTERM" "$rc" 0
}

# c OPERATION ARGS...: aws connect against the emulator's instance.
c() {
  op=$1; shift
  "$AWS" connect "$op" --endpoint-url "$E" --instance-id 7c3a1f52-9d4e-4b6a-8f21-3e5d9c0b7a14 "$@"
}

# check NAME GOT WANT: count a failure (and go on) unless GOT = WANT.
check() {
  checks=$((checks + 1))
  if [ "$2" != "$3" ]; then
    failed=$((failed + 1))
    printf 'FAIL %s:\n  got  %s\n  want %s\n' "$1" "$2" "$3" >&2
  fi
}

# fails NAME CODE STATUS OPERATION ARGS...: the call must exit non-zero, print
# "An error occurred (CODE)" and have been answered with HTTP STATUS.
fails() {
  name=$1 code=$2 status=$3; shift 3
  rc=0; c "$@" --debug >"$tmp/out" 2>"$tmp/err" || rc=$?
  check "$name: exit status is non-zero" "$([ "$rc" -ne 0 ] && echo yes || echo "no ($rc)")" yes
  check "$name: error code" "$(sed -n 's/^An error occurred (\([A-Za-z]*\)).*/\1/p' "$tmp/err" | tail -n 1)" "$code"
  check "$name: HTTP status" "$(sed -n 's/.*HTTP\/1.1" \([0-9]*\) .*/\1/p' "$tmp/err" | tail -n 1)" "$status"
}

# optional WHAT OPERATION ARGS...: run a call that needs a newer CLI; when this CLI does not
# know the operation or an option, say so and return 1 (the caller skips those checks).
optional() {
  what=$1; shift
  rc=0; c "$@" >"$tmp/out" 2>"$tmp/err" || rc=$?
  if [ "$rc" -ne 0 ] && grep -qE 'Invalid choice|Unknown options' "$tmp/err"; then
    echo "SKIP $what: $("$AWS" --version 2>&1) does not have it" >&2
    skipped=$((skipped + 1))
    return 1
  fi
  cat "$tmp/out"
  if [ "$rc" -ne 0 ]; then cat "$tmp/err" >&2; exit "$rc"; fi
}

# task FLOW NAME: start a task; prints its ContactId.
task() { c start-task-contact --contact-flow-id "$1" --name "$2" --query ContactId --output text; }

describe() { c describe-contact --contact-id "$1" --query "$2" --output text; }

position() {
  c get-contact-metrics --contact-id "$1" --metrics Name=POSITION_IN_QUEUE \
    --query 'MetricResults[0].Value.Number' --output text
}

# --- built-in configuration -----------------------------------------------------------------
start

# Three support tasks and a sales task (sales is the profile's priority 1).
a=$(task flow-support A)
b=$(task flow-support B)
cc=$(task flow-support C)
s=$(task flow-sales S)
c update-contact-routing-data --contact-id "$cc" --queue-priority 1
c update-contact-routing-data --contact-id "$b" --queue-time-adjustment-seconds 60
c update-contact-routing-data --contact-id "$b" --queue-time-adjustment-seconds 60
check "DescribeContact of B" "$(describe "$b" '[Contact.Channel, Contact.QueueInfo.Id, Contact.QueuePriority, Contact.QueueTimeAdjustmentSeconds, Contact.AgentInfo.Id]')" \
  "$(printf 'TASK\tqueue-support\t5\t120\tNone')"
check "POSITION_IN_QUEUE of B (+120 s of routing age)" "$(position "$b")" 2.0
check "POSITION_IN_QUEUE of A" "$(position "$a")" 3.0

c get-current-metric-data --filters Channels=TASK --groupings QUEUE \
  --current-metrics Name=CONTACTS_IN_QUEUE,Unit=COUNT Name=OLDEST_CONTACT_AGE,Unit=SECONDS >"$tmp/metrics.json"
check "GetCurrentMetricData by queue" "$(jq -c '[.MetricResults[] | {q: .Dimensions.Queue.Id,
    n: .Collections[0].Value, real: (.Collections[1].Value < 60)}] | sort_by(.q)' "$tmp/metrics.json")" \
  '[{"q":"queue-sales","n":1,"real":true},{"q":"queue-support","n":3,"real":true}]'

fails "both QueuePriority and QueueTimeAdjustmentSeconds" InvalidParameterException 400 \
  update-contact-routing-data --contact-id "$a" --queue-priority 2 --queue-time-adjustment-seconds 30
check "message of the refused update" "$(grep '^An error occurred' "$tmp/err" | grep -c 'set exactly one')" 1
fails "unknown contact" ResourceNotFoundException 404 \
  update-contact-routing-data --contact-id no-such-contact --queue-priority 1

# agent-1 takes two tasks (TASK concurrency 2): S, then C (priority 1).
c put-user-status --user-id agent-1 --agent-status-id status-available
check "agents of S, C, B" "$(describe "$s" Contact.AgentInfo.Id) $(describe "$cc" Contact.AgentInfo.Id) $(describe "$b" Contact.AgentInfo.Id)" \
  "agent-1 agent-1 None"
check "POSITION_IN_QUEUE of A after agent-1" "$(position "$a")" 2.0
fails "a contact with an agent" ResourceConflictException 409 \
  update-contact-routing-data --contact-id "$s" --queue-priority 1
c put-user-status --user-id agent-2 --agent-status-id status-available
check "agents of B, A" "$(describe "$b" Contact.AgentInfo.Id) $(describe "$a" Contact.AgentInfo.Id)" "agent-2 agent-2"

# A chat goes to the one agent with room.
chat=$(c start-chat-contact --contact-flow-id flow-support --participant-details DisplayName=customer --query ContactId --output text)
c put-user-status --user-id agent-3 --agent-status-id status-available
check "the chat" "$(describe "$chat" '[Contact.Channel, Contact.AgentInfo.Id]')" "$(printf 'CHAT\tagent-3')"

c get-current-metric-data --filters '{"Channels": ["TASK", "CHAT"]}' --current-metrics Name=CONTACTS_IN_QUEUE,Unit=COUNT Name=AGENTS_ON_CONTACT,Unit=COUNT \
  --query 'MetricResults[0].Collections[].Value' --output text >"$tmp/m"
check "GetCurrentMetricData: in queue, on contact" "$(cat "$tmp/m")" "$(printf '0.0\t3.0')"

# Proficiency routing: R, for French >= 4 only, waits while every agent is busy; S ends, and
# agent-1 (English 5) has room but no French until it gains French 4.
r=$(task flow-support R)
criteria=yes
optional "UpdateContactRoutingData --routing-criteria" update-contact-routing-data --contact-id "$r" \
  --routing-criteria '{"Steps": [{"Expression": {"AttributeCondition": {"Name": "Language",
    "Value": "French", "ProficiencyLevel": 4, "ComparisonOperator": "NumberGreaterOrEqualTo"}}}]}' || criteria=no
c stop-contact --contact-id "$s"
fails "StopContact of an ended contact" ResourceConflictException 409 stop-contact --contact-id "$s"
if [ "$criteria" = yes ]; then
  check "R waits for French" "$(describe "$r" '[Contact.AgentInfo.Id, Contact.RoutingCriteria.Steps[].Status]')" \
    "$(printf 'None\nACTIVE')"
fi
if optional "AssociateUserProficiencies" associate-user-proficiencies --user-id agent-1 \
    --user-proficiencies AttributeName=Language,AttributeValue=French,Level=4; then
  if [ "$criteria" = yes ]; then
    check "R after AssociateUserProficiencies" "$(describe "$r" '[Contact.AgentInfo.Id, Contact.RoutingCriteria.Steps[].Status]')" \
      "$(printf 'agent-1\nJOINED')"
  fi
  check "ListUserProficiencies of agent-1" "$(c list-user-proficiencies --user-id agent-1 \
    --query 'UserProficiencyList[].[AttributeValue, Level]' --output text | tr '\t\n' ': ')" "English:5.0 French:4.0 "
fi

# Predefined attributes.
if optional "CreatePredefinedAttribute" create-predefined-attribute --name Tier --values StringList=Gold,Silver; then
  check "ListPredefinedAttributes" "$(c list-predefined-attributes --query 'PredefinedAttributeSummaryList[].Name' --output text)" \
    "$(printf 'Language\tTier')"
  fails "DeletePredefinedAttribute of an attribute in use" ResourceInUseException 409 \
    delete-predefined-attribute --name Language
  c delete-predefined-attribute --name Tier
fi
stop

# --- manual clock, control endpoints (curl), --no-sign-request, AWS_ENDPOINT_URL_CONNECT ------
# ctl METHOD PATH [JSON]: a control request; prints the answer, fails on a status other than 200.
ctl() {
  curl -sS --fail-with-body -X "$1" -H 'Content-Type: application/json' ${3:+--data "$3"} "$E/_routesim/$2"
}
"$ROUTESIM_BIN" emulate -print-config | jq '.instances[0].routingProfiles[].queues[].delaySeconds = 60' >"$tmp/delayed.json"
start "$tmp/delayed.json" -clock manual
began=$(date +%s)
c put-user-status --user-id agent-1 --agent-status-id status-available --no-sign-request
# AWS_ENDPOINT_URL_CONNECT: AWS CLI v1 from 1.29, v2 from 2.13; an older one gets --endpoint-url.
if "$AWS" --version 2>&1 | awk -F'[/. ]' '{ exit !($2 > 2 || $2 == 2 && $3 >= 13 || $2 == 1 && $3 >= 29) }'; then
  id=$(AWS_ENDPOINT_URL_CONNECT=$E "$AWS" connect start-task-contact --instance-id 7c3a1f52-9d4e-4b6a-8f21-3e5d9c0b7a14 \
    --contact-flow-id flow-sales --name delayed --query ContactId --output text)
else
  echo "SKIP AWS_ENDPOINT_URL_CONNECT: $("$AWS" --version 2>&1) does not know it" >&2
  skipped=$((skipped + 1))
  id=$(task flow-sales delayed)
fi
check "waiting inside its 60 s delay" "$(describe "$id" Contact.AgentInfo.Id)" None
check "state: waiting in queue-sales" "$(ctl GET state | jq -r '.instances[0].queues[] | select(.id == "queue-sales") | .waiting[].contactId')" "$id"
check "clock after advancing 59 s" "$(ctl POST clock '{"advance": "59s"}' | jq -r .time)" 2026-01-01T09:00:59Z
check "still waiting at 59 s" "$(describe "$id" Contact.AgentInfo.Id)" None
ctl POST clock '{"advance": "1s"}' >/dev/null
check "routed at 60 s" "$(describe "$id" Contact.AgentInfo.Id)" agent-1
check "the 60 s scenario in a few seconds of wall time (CLI start-up included)" "$(( $(date +%s) - began < 20 ))" 1
ctl GET snapshot >"$tmp/snap.json"
check "reset puts the clock back" "$(ctl POST reset | jq -r .time)" 2026-01-01T09:00:00Z
fails "the contact after reset" ResourceNotFoundException 404 describe-contact --contact-id "$id"
ctl POST snapshot "@$tmp/snap.json" >/dev/null
check "the contact after restoring the snapshot" "$(describe "$id" Contact.AgentInfo.Id)" agent-1
check "snapshot after restore" "$(ctl GET snapshot | jq -S . | cksum)" "$(jq -S . "$tmp/snap.json" | cksum)"
stop
start "" -control=false
check "control endpoints off: 404" "$(curl -s -o /dev/null -w '%{http_code}' "$E/_routesim/state")" 404
stop

# --- SigV4 ------------------------------------------------------------------------------------
start "$here/../signed.json"
export AWS_ACCESS_KEY_ID=AKIDROUTESIMTEST AWS_SECRET_ACCESS_KEY=routesim-test-secret
id=$(task flow-sales signed)
check "signed request: DescribeContact" "$(describe "$id" Contact.QueueInfo.Id)" queue-sales
check "unsigned control request: 403" "$(curl -s -o /dev/null -w '%{http_code}' "$E/_routesim/state")" 403
check "control request signed with curl --aws-sigv4" "$(curl -s -o /dev/null -w '%{http_code}' \
  --aws-sigv4 aws:amz:us-east-1:connect --user "$AWS_ACCESS_KEY_ID:$AWS_SECRET_ACCESS_KEY" "$E/_routesim/state")" 200
export AWS_SECRET_ACCESS_KEY=not-the-secret
fails "wrongly signed request" InvalidSignatureException 403 describe-contact --contact-id "$id"
stop

echo "cli: $checks checks, $failed failed, $skipped parts skipped"
[ "$failed" -eq 0 ]
