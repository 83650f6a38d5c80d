#!/usr/bin/env bash
# Workload 7 driver: starts a server, then for each endpoint warms it up and measures it with wrk
# on loopback, for a bounded time; prints requests/s and p50/p99 latency per endpoint, and the
# ratio of each endpoint to a baseline endpoint (the bare WebFlux handler). Every endpoint is
# warmed up before any is measured; with -R the endpoints are measured in turn that many times and
# each reports its median round. An endpoint that answers any non-2xx response stops the run
# (exit 1): its rate would not be a valid measurement.
#
# Usage:
#   bench/http.sh [-w WARMUP_S=30] [-d DURATION_S=20] [-R ROUNDS=1] [-t THREADS=2] [-c CONNECTIONS=64]
#                 [-r READY_URL] [-b BASELINE_NAME] [-o OUT_DIR=target/bench-http]
#                 -u 'NAME|METHOD|URL[|JSON_BODY]' [-u ...]  [-- SERVER COMMAND...]
# Without a server command, the endpoints must already be served. Only loopback URLs are accepted.
# A server command with -jar JAR is refused when JAR holds classes older than the build's
# (bench/jar_fresh.py; STALE_OK=1 skips the check).
#
# Example (the command of docs/benchmarks.md, workload 7):
#   bench/http.sh -b bare \
#     -u 'ingress|POST|http://127.0.0.1:8080/actors/Counter/counter-c1/bump|[]' \
#     -u 'counter|POST|http://127.0.0.1:8080/api/counters/c1/bump' \
#     -u 'bare|POST|http://127.0.0.1:8080/bench/bare/counters/c1/bump' \
#     -- java -jar sample-service/target/sample-service-0.1.0-SNAPSHOT.jar --sample.bench.bare-endpoint=true
set -euo pipefail
WARMUP=30; DURATION=20; ROUNDS=1; THREADS=2; CONNS=64; READY=""; BASELINE=""; OUT=target/bench-http
ENDPOINTS=()
while [ $# -gt 0 ]; do
  case "$1" in
    -w) WARMUP=$2; shift 2 ;;
    -d) DURATION=$2; shift 2 ;;
    -R) ROUNDS=$2; shift 2 ;;
    -t) THREADS=$2; shift 2 ;;
    -c) CONNS=$2; shift 2 ;;
    -r) READY=$2; shift 2 ;;
    -b) BASELINE=$2; shift 2 ;;
    -o) OUT=$2; shift 2 ;;
    -u) ENDPOINTS+=("$2"); shift 2 ;;
    --) shift; break ;;
    -h|--help) sed -n '2,22p' "$0"; exit 0 ;;
    *) echo "unknown option $1 (see $0 --help)" >&2; exit 2 ;;
  esac
done
[ ${#ENDPOINTS[@]} -gt 0 ] || { echo "no endpoint: give at least one -u 'NAME|METHOD|URL[|BODY]'" >&2; exit 2; }
# a baseline that names no endpoint would silently print no ratio
if [ -n "$BASELINE" ] && ! printf '%s\n' "${ENDPOINTS[@]}" | cut -d'|' -f1 | grep -qxF "$BASELINE"; then
  echo "-b $BASELINE names no endpoint (the first field of a -u)" >&2; exit 2
fi
if ! command -v wrk >/dev/null; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    apt-get install -y -qq wrk >/dev/null 2>&1 || { apt-get update -qq && apt-get install -y -qq wrk; }
  else
    echo "wrk is missing: install the Debian package (apt-get install wrk)" >&2; exit 1
  fi
fi
mkdir -p "$OUT"

for e in "${ENDPOINTS[@]}"; do
  url=$(cut -d'|' -f3 <<<"$e")
  case "$url" in
    http://127.*|http://localhost[:/]*|http://\[::1\]*) ;;
    *) echo "refusing $url: only loopback addresses are load-tested" >&2; exit 2 ;;
  esac
done

SERVER_PID=""
stop_server() {
  if [ -n "$SERVER_PID" ] && kill -0 "$SERVER_PID" 2>/dev/null; then
    kill -TERM -- "-$SERVER_PID" 2>/dev/null || kill -TERM "$SERVER_PID" 2>/dev/null || true
    for _ in $(seq 1 50); do kill -0 "$SERVER_PID" 2>/dev/null || break; sleep 0.2; done
    kill -KILL -- "-$SERVER_PID" 2>/dev/null || true
  fi
}
trap stop_server EXIT

# a server started from an executable jar must hold the code compiled last: a repackaged jar is
# not always rebuilt when only a dependency changed (STALE_OK=1 measures it anyway)
prev=""
for arg in "$@"; do
  if [ "$prev" = "-jar" ] && [ -f "$arg" ] && [ "${STALE_OK:-0}" != 1 ]; then
    python3 "$(dirname "$0")/jar_fresh.py" "$arg" || {
      echo "rebuild it (rm $arg; mvn -B -q -pl <module> -am package -DskipTests), or set STALE_OK=1" >&2
      exit 1; }
  fi
  prev=$arg
done

if [ $# -gt 0 ]; then
  echo "starting: $* (log: $OUT/server.log)"
  setsid "$@" > "$OUT/server.log" 2>&1 &
  SERVER_PID=$!
  ready_url=${READY:-$(cut -d'|' -f3 <<<"${ENDPOINTS[0]}")}
  for i in $(seq 1 240); do
    code=$(curl -s -o /dev/null -m 2 -w '%{http_code}' "$ready_url" || true)
    [ "$code" != "000" ] && [ -n "$code" ] && break
    kill -0 "$SERVER_PID" 2>/dev/null || { echo "the server exited:" >&2; tail -30 "$OUT/server.log" >&2; exit 1; }
    [ "$i" = 240 ] && { echo "the server did not answer $ready_url within 120 s" >&2; exit 1; }
    sleep 0.5
  done
  echo "server ready (pid $SERVER_PID)"
fi

# to milliseconds: wrk prints 812.00us, 1.52ms, 1.01s
to_ms() { awk -v v="$1" 'BEGIN { n = v + 0; if (v ~ /us$/) n /= 1000; else if (v ~ /ms$/) n = n; else if (v ~ /m$/) n *= 60000; else if (v ~ /s$/) n *= 1000; printf "%.3f", n }'; }

declare -A RPS ROUND_RPS P50 P99
NAMES=()
for e in "${ENDPOINTS[@]}"; do
  IFS='|' read -r name method url body <<<"$e"
  NAMES+=("$name")
  lua="$OUT/$name.lua"
  {
    echo "wrk.method = \"$method\""
    echo "wrk.headers[\"Content-Type\"] = \"application/json\""
    echo "wrk.headers[\"Accept\"] = \"application/json\""
    if [ -n "${body:-}" ]; then echo "wrk.body = [=[$body]=]"; fi
  } > "$lua"
done

# every endpoint is warmed before any is measured, so that the first one measured does not pay
# for the JIT compiling the server's shared paths
for e in "${ENDPOINTS[@]}"; do
  IFS='|' read -r name method url body <<<"$e"
  echo "== $name: $method $url — warm-up ${WARMUP}s"
  wrk -t"$THREADS" -c"$CONNS" -d"${WARMUP}s" -s "$OUT/$name.lua" "$url" > "$OUT/$name.warmup.txt" 2>&1
done

# the endpoints are measured in turn, ROUNDS times, so that a slow phase of the host falls on all
# of them; each endpoint's result is its median round
for round in $(seq 1 "$ROUNDS"); do
  for e in "${ENDPOINTS[@]}"; do
    IFS='|' read -r name method url body <<<"$e"
    out="$OUT/$name.round$round.txt"
    echo "== $name, round $round of $ROUNDS: measuring ${DURATION}s (wrk -t$THREADS -c$CONNS -d${DURATION}s --latency)"
    wrk -t"$THREADS" -c"$CONNS" -d"${DURATION}s" --latency -s "$OUT/$name.lua" "$url" > "$out" 2>&1
    rps=$(awk '/^Requests\/sec:/ { print $2 }' "$out")
    p50=$(awk '/Latency Distribution/ { d = 1 } d && $1 == "50%" { print $2; exit }' "$out")
    p99=$(awk '/Latency Distribution/ { d = 1 } d && $1 == "99%" { print $2; exit }' "$out")
    bad=$(awk '/Non-2xx or 3xx responses:/ { print $NF }' "$out")
    errors=$(awk '/Socket errors:/ { sub(/.*Socket errors: /, ""); print }' "$out")
    [ -n "$rps" ] || { echo "wrk gave no result for $name:" >&2; cat "$out" >&2; exit 1; }
    [ -n "$bad" ] && { echo "$name answered non-2xx responses ($bad): NOT a valid measurement" >&2; exit 1; }
    [ -n "$errors" ] && echo "$name: socket errors [$errors]" >&2
    ROUND_RPS[$name]="${ROUND_RPS[$name]:-} $rps"
    P50[$name]="${P50[$name]:-} $(to_ms "$p50")"
    P99[$name]="${P99[$name]:-} $(to_ms "$p99")"
    printf 'http %s, round %d: rps=%.0f p50=%sms p99=%sms\n' "$name" "$round" "$rps" "$(to_ms "$p50")" "$(to_ms "$p99")"
  done
done

median() { tr ' ' '\n' <<<"$1" | awk 'NF' | sort -g | awk '{ v[NR] = $1 } END { if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
RESULTS=()
for name in "${NAMES[@]}"; do
  RPS[$name]=$(median "${ROUND_RPS[$name]}")
  RESULTS+=("$(printf 'http %s: rps=%.0f p50=%sms p99=%sms (medians of %d rounds; rps per round:%s)' \
    "$name" "${RPS[$name]}" "$(median "${P50[$name]}")" "$(median "${P99[$name]}")" "$ROUNDS" "${ROUND_RPS[$name]}")")
done

echo "== summary (wrk -t$THREADS -c$CONNS, ${WARMUP}s warm-up of each endpoint, then $ROUNDS rounds of ${DURATION}s per endpoint)"
printf '%s\n' "${RESULTS[@]}" | tee "$OUT/summary.txt"
if [ -n "$BASELINE" ] && [ -n "${RPS[$BASELINE]:-}" ]; then
  for name in "${!RPS[@]}"; do
    [ "$name" = "$BASELINE" ] && continue
    awk -v n="$name" -v b="$BASELINE" -v r="${RPS[$name]}" -v p="${RPS[$BASELINE]}" \
      'BEGIN { printf "http-%s (vs %s): reactant=%.0f peer=%.0f ratio=%.2f\n", n, b, r, p, r / p }' \
      | tee -a "$OUT/summary.txt"
  done
fi
