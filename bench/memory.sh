#!/usr/bin/env bash
# Workload 6: bytes per idle actor and spawn rate, Reactant then Pekko typed, each in its own JVM
# with a fixed heap. Usage: bench/memory.sh [count=1000000] [out-dir=target/bench-memory]
# Env: HEAP (default 6g), JAVA (default java), EXTRA_JVM_ARGS, STALE_OK.
set -euo pipefail
cd "$(dirname "$0")/.."
COUNT=${1:-1000000}
OUT=${2:-target/bench-memory}
HEAP=${HEAP:-6g}
JAVA=${JAVA:-java}
JAR=toolkit-benchmarks/target/benchmarks.jar
[ -f "$JAR" ] || { echo "no $JAR: build it with: mvn -B -q -pl toolkit-benchmarks -am package -DskipTests" >&2; exit 1; }
# a jar older than the compiled classes would measure old code (STALE_OK=1 measures it anyway)
[ "${STALE_OK:-0}" = 1 ] || python3 bench/jar_fresh.py "$JAR" \
  || { echo "rebuild it: mvn -B -q -pl toolkit-benchmarks -am package -DskipTests" >&2; exit 1; }
mkdir -p "$OUT"
for system in reactant pekko; do
  # shellcheck disable=SC2086
  "$JAVA" -Xms"$HEAP" -Xmx"$HEAP" -XX:+UseG1GC ${EXTRA_JVM_ARGS:-} -cp "$JAR" \
      io.reactant.bench.memory.SpawnFootprint "$system" "$COUNT" --histogram | tee "$OUT/memory-$system.txt"
done
