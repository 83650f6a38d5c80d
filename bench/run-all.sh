#!/usr/bin/env bash
# The full measured run of workloads 1-6, for a quiet machine. Each JMH class runs on its own
# (each well under 10 minutes on 2 cores) with the settings of its annotations: 1 fork, 3 warm-up
# iterations of 2 s, 5 measured iterations of 2 s; 3 forks of 3 x 1 s warm-up and 3 x 2 s
# measured for workloads 2-4, whose scores swing from one JVM to the next. RUNS=2 runs the whole
# suite twice, into <out>/run-1 and <out>/run-2, to see how much the numbers move between runs.
# A row that throws stops the run (JMH's -foe true: without it JMH exits 0 and goes on), and the
# end of its log is shown. Each Pekko row runs twice, its dispatcher's throughput at 5 (Pekko's
# default) and 100 (its best here); the summary compares Reactant with the better.
# Usage: bench/run-all.sh [out-dir=target/bench-full]   Env: RUNS (default 1), JAVA, JMH_ARGS, STALE_OK
set -euo pipefail
cd "$(dirname "$0")/.."
OUT=${1:-target/bench-full}
RUNS=${RUNS:-1}
JAVA=${JAVA:-java}
JAR=toolkit-benchmarks/target/benchmarks.jar
[ -f "$JAR" ] || mvn -B -q -pl toolkit-benchmarks -am package -DskipTests
# a jar older than the compiled classes would measure old code (STALE_OK=1 measures it anyway)
[ "${STALE_OK:-0}" = 1 ] || python3 bench/jar_fresh.py "$JAR" \
  || { echo "rebuild it: mvn -B -q -pl toolkit-benchmarks -am package -DskipTests" >&2; exit 1; }
# runs JMH into <log>, then prints the log's lines matching <pattern>; a JMH that fails shows the
# end of its log and stops the run (a pattern matching nothing says so rather than stopping it)
jmh() {
  local log=$1 pattern=$2
  shift 2
  if ! "$JAVA" -jar "$JAR" "$@" > "$log" 2>&1; then
    tail -40 "$log" >&2
    echo "JMH failed: see $log" >&2
    exit 1
  fi
  grep -E "$pattern" "$log" || echo "(no result line in $log)"
}
for run in $(seq 1 "$RUNS"); do
  dir="$OUT/run-$run"
  mkdir -p "$dir"
  for bench in IngressRequestResponseBench FireAndForgetBench ActorToActorBench TurnCostBench QueryBench; do
    echo "== run $run: $bench ($(date +%T))"
    # shellcheck disable=SC2086
    jmh "$dir/$bench.log" '^(Benchmark|[A-Z][A-Za-z]+Bench\.)' "io\.reactant\.bench\.$bench\." \
        -foe true ${JMH_ARGS:-} -rf json -rff "$dir/$bench.json"
  done
  echo "== run $run: latency of one call in flight, JMH sample mode ($(date +%T))"
  # shellcheck disable=SC2086
  jmh "$dir/IngressLatency.log" '^(Benchmark|IngressRequestResponseBench\.[A-Za-z_0-9]+( |:p0.(50|99)))' \
      'io\.reactant\.bench\.IngressRequestResponseBench\..*_1$' -bm sample -tu us -foe true \
      ${JMH_ARGS:-} -rf json -rff "$dir/IngressLatency.json"
  echo "== run $run: SpawnFootprint ($(date +%T))"
  bench/memory.sh 1000000 "$dir" > "$dir/memory.log" 2>&1 \
    || { tail -40 "$dir/memory.log" >&2; echo "memory.sh failed: see $dir/memory.log" >&2; exit 1; }
  grep -E '^(spawned|heap per|RESULT)' "$dir/memory.log" || echo "(no result line in $dir/memory.log)"
  python3 bench/jmh_summary.py --markdown "$dir"/*.json "$dir"/memory-*.txt > "$dir/summary.md"
  echo "== run $run: tables in $dir/summary.md"
  python3 bench/jmh_summary.py "$dir"/*.json "$dir"/memory-*.txt
done
