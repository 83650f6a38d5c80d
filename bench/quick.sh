#!/usr/bin/env bash
# Quick mode: every workload with short JMH settings (well under 5 minutes on 2 cores), then one
# line per workload:  <workload> (vs <peer variant>): reactant=<ops/s> peer=<ops/s> ratio=<x.xx>
# The numbers are indicative only (1 fork, 1 short iteration): measure with bench/run-all.sh.
# Two 1-s warm-up iterations: after one, the concatMap ping-pong's C2 code was sometimes not
# ready, and its 2-s iteration read 0.93x Pekko's tell against 1.45x in the full run.
# A row that throws stops the run (JMH's -foe true: without it JMH exits 0 and the row's line
# would read n/a or be missing).
# Usage: bench/quick.sh [out-dir=target/bench-quick]     Env: JAVA (default java), STALE_OK
set -euo pipefail
cd "$(dirname "$0")/.."
OUT=${1:-target/bench-quick}
JAVA=${JAVA:-java}
JAR=toolkit-benchmarks/target/benchmarks.jar
if [ ! -f "$JAR" ]; then
  mvn -B -q -pl toolkit-benchmarks -am package -DskipTests
fi
# a jar older than the compiled classes would measure old code (STALE_OK=1 measures it anyway)
[ "${STALE_OK:-0}" = 1 ] || python3 bench/jar_fresh.py "$JAR" \
  || { echo "rebuild it: mvn -B -q -pl toolkit-benchmarks -am package -DskipTests" >&2; exit 1; }
mkdir -p "$OUT"
start=$(date +%s)
# the idiomatic-wait rows of workload 1 (reactantBlock, pekkoScalaAskAwait) are left to the full run
"$JAVA" -jar "$JAR" 'io\.reactant\.bench\.(IngressRequestResponse|FireAndForget|ActorToActor|TurnCost|Query)Bench\.' \
    -e 'Block_|AskAwait_' -p propagation=none -f 1 -wi 2 -w 1s -i 1 -r 2s -foe true \
    -rf json -rff "$OUT/jmh.json" > "$OUT/jmh.log" 2>&1 \
  || { tail -40 "$OUT/jmh.log" >&2; exit 1; }
HEAP=2g bench/memory.sh 200000 "$OUT" > "$OUT/memory.log" 2>&1 \
  || { tail -40 "$OUT/memory.log" >&2; exit 1; }
python3 bench/jmh_summary.py "$OUT/jmh.json" "$OUT/memory-reactant.txt" "$OUT/memory-pekko.txt"
echo "(quick mode, $(( $(date +%s) - start )) s; JMH log and JSON in $OUT)"
