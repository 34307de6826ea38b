#!/usr/bin/env bash
# bench/run.sh runs routesim's benchmarks, summarises them with benchstat and rewrites the
# tables of docs/performance.md between its marker comments, leaving the prose around them.
#
#   bench/run.sh                 # -count 10: the figures docs/performance.md shows
#   COUNT=1 bench/run.sh         # a smoke run: every group once, minutes instead of an hour
#
# Environment:
#   COUNT      runs of each benchmark (default 10)
#   BENCHTIME  -benchtime of each run (default: go test's, 1s)
#   OUT        directory for the raw go test output (default: a new temporary directory)
#   DOC        the file whose tables are rewritten (default docs/performance.md)
#   FROM       a directory of an earlier run's raw output (an OUT): summarise it again and
#              rewrite the tables, without running anything
#   ONLY       names of the groups to run, space-separated (default: every group), e.g.
#              ONLY="queue paired" bench/run.sh
#
# Each group is one go test run and one table; its raw output stays in OUT/<group>.txt, so
# benchstat can compare it later with another run (benchstat old/queue.txt new/queue.txt).
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$PATH:/usr/local/go/bin"

COUNT="${COUNT:-10}"
BENCHTIME="${BENCHTIME:-}"
FROM="${FROM:-}"
ONLY="${ONLY:-}"
OUT="${FROM:-${OUT:-$(mktemp -d -t routesim-bench.XXXXXX)}}"
DOC="${DOC:-docs/performance.md}"
BENCHSTAT=(go run golang.org/x/perf/cmd/benchstat@v0.0.0-20260908200009-22c9c6c9d4da)

mkdir -p "$OUT"
[ -f "$DOC" ] || { echo "bench/run.sh: $DOC not found" >&2; exit 1; }

# group name ; -bench pattern ; benchstat flags ; package (default ./bench/...) ; go test flags
# that the group needs whatever BENCHTIME says (they come last, so they win)
groups=(
  "queue;^Benchmark(Hold|Push|Pop|Update|UpdatePeek|Remove)$/impl=/n=1e6$;-col /impl"
  "queuesmall;^Benchmark(Hold|Update)$/impl=(routesim|containerheap)$/n=1e3$;-col /impl"
  "paired;^BenchmarkPaired$;"
  "pushall;^BenchmarkPushAll$;-col /order"
  "router;^BenchmarkRouter(SteadyState|IDFloor|Criteria)$;"
  "emulator;^BenchmarkEmulator$;-col /path"
  "sim;^BenchmarkSimContacts$;"
  "simcriteria;^BenchmarkSimDefaultCentre$;-col /criteria"
  "simdetail;^BenchmarkSimIntervalDetail$;-col /detail"
  "suites;^Benchmark(WhatIfDefault|Fairness)$;"
  "roster;^BenchmarkCoverLP$;;./sim/whatif;-benchtime 5x"
  "fit;^BenchmarkFitMillion$;;./sim/fit;-benchtime 1x -cpu 1"
)

benchtime=()
[ -n "$BENCHTIME" ] && benchtime=(-benchtime "$BENCHTIME")

# replace NAME FILE: the lines between <!-- bench:NAME --> and <!-- /bench:NAME --> in $DOC
# become the contents of FILE.
replace() {
  local name="$1" file="$2" tmp
  grep -q "^<!-- bench:$name -->\$" "$DOC" && grep -q "^<!-- /bench:$name -->\$" "$DOC" ||
    { echo "bench/run.sh: $DOC lacks the markers <!-- bench:$name --> and <!-- /bench:$name -->" >&2; exit 1; }
  tmp="$(mktemp)"
  awk -v name="$name" -v file="$file" '
    $0 == "<!-- bench:" name " -->" { print; while ((getline line < file) > 0) print line; skip = 1; next }
    $0 == "<!-- /bench:" name " -->" { skip = 0 }
    !skip { print }
  ' "$DOC" > "$tmp"
  mv "$tmp" "$DOC"
}

if [ -z "$FROM" ]; then
  cpu="$(grep -m1 '^model name' /proc/cpuinfo 2>/dev/null | sed 's/^[^:]*: *//')"
  {
    echo "- \`$(go version)\`, GOARCH=$(go env GOARCH), $(nproc) CPUs: ${cpu:-unknown CPU model}"
    echo "- run on $(date -u +%Y-%m-%d) at commit $(git rev-parse --short HEAD 2>/dev/null || echo unknown), -count $COUNT${BENCHTIME:+, -benchtime $BENCHTIME}${ONLY:+, groups: $ONLY (the other tables are from earlier runs)}"
    echo "- load average when it started (other work on the machine skews the figures): $(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo unknown)"
  } > "$OUT/machine.md"
fi
replace machine "$OUT/machine.md"

for g in "${groups[@]}"; do
  IFS=';' read -r name pattern statflags pkg extra <<< "$g"
  pkg="${pkg:-./bench/...}"
  if [ -n "$ONLY" ] && [[ " $ONLY " != *" $name "* ]]; then
    continue
  fi
  start=$SECONDS
  if [ -z "$FROM" ]; then
    echo "== $name: go test $pkg -run '^\$' -bench '$pattern' -count $COUNT -benchmem $extra" >&2
    # shellcheck disable=SC2086 # extra is a list of flags
    go test "$pkg" -run '^$' -bench "$pattern" -count "$COUNT" -benchmem "${benchtime[@]}" $extra \
      -timeout 3h > "$OUT/$name.txt"
  fi
  # The label NAME=FILE names benchstat's column after the group, not after the file.
  # shellcheck disable=SC2086 # statflags is a list of flags
  { echo '```'; "${BENCHSTAT[@]}" $statflags "$name=$OUT/$name.txt"; echo '```'; } > "$OUT/$name.md"
  replace "$name" "$OUT/$name.md"
  echo "   $name: $((SECONDS - start)) s" >&2
done

echo "bench/run.sh: rewrote the tables of $DOC; raw output in $OUT" >&2
