#!/usr/bin/env bash
# Paired A/B runs: the same JMH selection on two (or more) benchmark jars, one fork at a time,
# alternated (A, B, A, B, ...), then the median and every fork's score per jar and row. On a
# noisy 2-core machine this separates a change from the fork-to-fork swings far better than one
# long run of each jar. Save a jar before a change (cp toolkit-benchmarks/target/benchmarks.jar
# /tmp/before.jar), build the change, and compare.
# Usage: bench/ab.sh ROUNDS "JMH ARGS" JAR_A [JAR_B ...]   (one jar: repeated single forks)
# Example: bench/ab.sh 5 "TurnCostBench.write -p cells=0,10 -wi 3 -w 1s -i 3 -r 1s" \
#            /tmp/before.jar toolkit-benchmarks/target/benchmarks.jar
# Env: JAVA (default java), OUT (default a new directory under target/), STALE_OK
set -euo pipefail
cd "$(dirname "$0")/.."
if [ $# -lt 3 ]; then
  sed -n '2,11p' "$0" >&2
  exit 2
fi
ROUNDS=$1; shift
ARGS=$1; shift
JAVA=${JAVA:-java}
OUT=${OUT:-target/bench-ab-$(date +%Y%m%d-%H%M%S)}
# the build's own jar must hold the compiled classes, or the pair compares a change with itself
# (saved jars, such as a copy of the jar before a change, are not checked; STALE_OK=1 skips it)
for jar in "$@"; do
  if [ "${STALE_OK:-0}" != 1 ] && [ "$(realpath -m "$jar")" = "$(realpath -m toolkit-benchmarks/target/benchmarks.jar)" ]; then
    python3 bench/jar_fresh.py "$jar" \
      || { echo "rebuild it: mvn -B -q -pl toolkit-benchmarks -am package -DskipTests" >&2; exit 1; }
  fi
done
mkdir -p "$OUT"
for round in $(seq 1 "$ROUNDS"); do
  i=0
  for jar in "$@"; do
    i=$((i + 1))
    echo "== round $round, jar $i: $jar ($(date +%T))" >&2
    # shellcheck disable=SC2086
    "$JAVA" -jar "$jar" $ARGS -f 1 -foe true -rf json -rff "$OUT/jar$i-round$round.json" > "$OUT/jar$i-round$round.log" 2>&1 \
      || { tail -20 "$OUT/jar$i-round$round.log" >&2; exit 1; }
  done
done
python3 - "$OUT" "$@" <<'PY'
import collections, glob, json, statistics, sys
out, jars = sys.argv[1], sys.argv[2:]
rows = collections.defaultdict(list)
for i, _ in enumerate(jars, 1):
    for f in sorted(glob.glob(f"{out}/jar{i}-round*.json")):
        for b in json.load(open(f)):
            params = ", ".join(f"{k}={v}" for k, v in sorted(b.get("params", {}).items()))
            name = b["benchmark"].rsplit(".", 2)[-2] + "." + b["benchmark"].rsplit(".", 1)[-1]
            suffix = f" ({params})" if params else ""
            rows[(name + suffix, i)].append(b["primaryMetric"]["score"])
            # a group's primary score adds its threads' rates (QueryBench: reads + update
            # windows): each thread's, and each profiler's metric, under its own name
            for sec, m in (b.get("secondaryMetrics") or {}).items():
                rows[(name + ":" + sec + suffix, i)].append(m["score"])
for name in sorted({n for n, _ in rows}):
    print(name)
    for i, jar in enumerate(jars, 1):
        v = rows.get((name, i), [])
        if v:
            print(f"  {jar}: median {statistics.median(v):,.0f}  forks " + " ".join(f"{x:,.0f}" for x in v))
PY
echo "(JSON and logs in $OUT)"
