#!/usr/bin/env python3
"""Summarizes the benchmark results: JMH JSON files (-rf json) and SpawnFootprint outputs.

  python3 bench/jmh_summary.py RESULT_FILES...             one line per workload:
      <workload>: reactant=<ops/s> peer=<ops/s> ratio=<x.xx>
  python3 bench/jmh_summary.py --markdown RESULT_FILES...  the tables of docs/benchmarks.md

A result file is either a JMH JSON file or a text file holding SpawnFootprint's RESULT lines.
Standard library only.
"""
import json
import re
import sys

PKG = "io.reactant.bench."


def load(paths):
    """Returns {(short benchmark name, frozen params): (score, error, unit)} and memory results."""
    rows, memory = {}, {}
    for path in paths:
        with open(path, encoding="utf-8") as f:
            text = f.read()
        if text.lstrip().startswith("["):
            for r in json.loads(text):
                name = r["benchmark"].replace(PKG, "")
                params = tuple(sorted((r.get("params") or {}).items()))
                pm = r["primaryMetric"]
                if r.get("mode") == "sample":
                    # latency rows: keep the mean and the percentiles under their own name
                    pc = pm.get("scorePercentiles") or {}
                    rows[(name + " [latency]", params)] = (
                        pm["score"], pm.get("scoreError"), pm["scoreUnit"],
                        pc.get("50.0"), pc.get("99.0"))
                    continue
                # with several forks, each fork's mean too: a JVM's score can differ from the
                # next one's by more than the iterations of one differ (see docs/benchmarks.md)
                raw = pm.get("rawData") or []
                forks = [sum(it) / len(it) for it in raw if it] if len(raw) > 1 else None
                rows[(name, params)] = (pm["score"], pm.get("scoreError"), pm["scoreUnit"], forks)
                for sec, m in (r.get("secondaryMetrics") or {}).items():
                    rows[(name + ":" + sec, params)] = (m["score"], m.get("scoreError"), m["scoreUnit"])
        for line in text.splitlines():
            if line.startswith("RESULT "):
                kv = dict(p.split("=", 1) for p in line.split()[1:])
                memory[kv["system"]] = kv
    return rows, memory


def find(rows, name, **params):
    """The (score, error, unit) of a benchmark whose params include the given ones, or None.

    A row without one of the params matches it (a result file from before the param existed).
    Several matching rows (a param run with several values that the line does not name, such as
    -p declared=10,100) stop the summary rather than let the order of the files pick one."""
    want = {k: str(v) for k, v in params.items()}
    found = [(p, v) for (n, p), v in rows.items()
             if n == name and all(dict(p).get(k, x) == x for k, x in want.items())]
    if len(found) > 1:
        raise SystemExit("%s: %d rows match (%s): keep one value of each param in the results"
                         % (name, len(found),
                            "; ".join(", ".join("%s=%s" % kv for kv in p) for p, _ in found)))
    return found[0][1] if found else None


# a throughput score in any of JMH's time units (-tu), as operations per second
PER_SECOND = {"ops/ns": 1e9, "ops/us": 1e6, "ops/ms": 1e3, "ops/s": 1.0, "ops/min": 1 / 60,
              "ops/hr": 1 / 3600, "ops/day": 1 / 86400}


def score(rows, name, **params):
    """The score in operations per second; fails on a row that is not a throughput."""
    v = find(rows, name, **params)
    if v is None:
        return None
    if v[2] not in PER_SECOND:
        raise SystemExit("%s: its score is in %s, not operations per time (run it with -bm thrpt)"
                         % (name, v[2]))
    return v[0] * PER_SECOND[v[2]]


# (workload, reactant row, [(peer label, peer row)...], params)
# the peer of a line is the best (highest) of its peer rows; its label names the variant. Each
# Pekko row runs with its dispatcher's throughput at 5 (Pekko's default) and at 100 (param
# dispatcherThroughput, see Peers.java): a Pekko peer stands for both, labelled by the better.
# Result files from before the param have one row, which both variants match.
PEKKO_THROUGHPUTS = (5, 100)


def pekko(label, row):
    """The peer rows of one Pekko variant, one per dispatcher throughput."""
    return [("%s-throughput-%d" % (label, t), row, {"dispatcherThroughput": t})
            for t in PEKKO_THROUGHPUTS]


A2A_PEERS = pekko("pekko-scala-ask", "ActorToActorBench.pekkoScalaAsk") \
    + pekko("pekko-tell", "ActorToActorBench.pekkoTell")

# the ingress rows without context propagation (the others measure what it costs)
NO_PROPAGATION = {"propagation": "none"}

PAIRS = [
    ("ingress-rr-1-in-flight", "IngressRequestResponseBench.reactant_1",
     pekko("pekko-scala-ask", "IngressRequestResponseBench.pekkoScalaAsk_1"), NO_PROPAGATION),
    ("ingress-rr-64-in-flight", "IngressRequestResponseBench.reactant_64",
     pekko("pekko-scala-ask", "IngressRequestResponseBench.pekkoScalaAsk_64"), NO_PROPAGATION),
    ("ingress-rr-1-in-flight", "IngressRequestResponseBench.reactant_1",
     [("reactor-locked", "IngressRequestResponseBench.reactorLocked_1", {})], NO_PROPAGATION),
    ("ingress-rr-1-in-flight", "IngressRequestResponseBench.reactant_1",
     [("floor-hand-off", "IngressRequestResponseBench.floorHandOff_1", {})], NO_PROPAGATION),
    ("ingress-rr-64-in-flight", "IngressRequestResponseBench.reactant_64",
     [("floor-hand-off", "IngressRequestResponseBench.floorHandOff_64", {})], NO_PROPAGATION),
    ("fire-and-forget-1-actor-oneway", "FireAndForgetBench.reactantOneway",
     pekko("pekko-tell", "FireAndForgetBench.pekkoTell"), {"actors": 1}),
    ("fire-and-forget-1-actor-unawaited", "FireAndForgetBench.reactantUnawaited",
     pekko("pekko-tell", "FireAndForgetBench.pekkoTell"), {"actors": 1}),
    ("fire-and-forget-1000-actors-oneway", "FireAndForgetBench.reactantOneway",
     pekko("pekko-tell", "FireAndForgetBench.pekkoTell"), {"actors": 1000}),
    ("fire-and-forget-1000-actors-unawaited", "FireAndForgetBench.reactantUnawaited",
     pekko("pekko-tell", "FireAndForgetBench.pekkoTell"), {"actors": 1000}),
] + [
    # the concatMap driver (the conservative lines), then the repeat driver
    (workload + suffix, "ActorToActorBench." + row, A2A_PEERS, {"length": length})
    for suffix, row in (("", "reactantAwait"), ("-repeat-driver", "reactantAwaitRepeat"))
    for workload, length in (("actor-to-actor-ping-pong", 1), ("actor-to-actor-chain-10", 10))
] + [
    # Pekko's read awaited with Await.result, or with the Countdown: the better of the two
    ("query-under-updates", "QueryBench.reactant:reactantRead",
     pekko("pekko-scala-ask-read", "QueryBench.pekko:pekkoRead")
     + pekko("pekko-scala-ask-read-countdown", "QueryBench.pekkoCountdown:pekkoCountdownRead"), {}),
]

# semantics: Reactant against itself; "peer" is the baseline turn
SELF = [
    ("turn-1-cell", ("TurnCostBench.write", {"cells": 1}), ("turn-0-cells", ("TurnCostBench.write", {"cells": 0}))),
    ("turn-10-cells", ("TurnCostBench.write", {"cells": 10}), ("turn-0-cells", ("TurnCostBench.write", {"cells": 0}))),
    ("turn-10-named-cells", ("TurnCostBench.writeTenNamed", {}), ("turn-0-cells", ("TurnCostBench.write", {"cells": 0}))),
    ("turn-100-cells", ("TurnCostBench.write", {"cells": 100}), ("turn-0-cells", ("TurnCostBench.write", {"cells": 0}))),
    ("turn-10-long-cells", ("TurnCostBench.writeLong", {"cells": 10}), ("turn-0-cells", ("TurnCostBench.write", {"cells": 0}))),
    ("turn-100-long-cells", ("TurnCostBench.writeLong", {"cells": 100}), ("turn-0-cells", ("TurnCostBench.write", {"cells": 0}))),
    ("turn-trap-rollback", ("TurnCostBench.trap", {}), ("turn-1-cell", ("TurnCostBench.write", {"cells": 1}))),
    ("await-completed", ("TurnCostBench.awaitCompleted", {}), ("await?-completed", ("TurnCostBench.awaitIfReady", {}))),
]


def fmt(x):
    return "n/a" if x is None else "%.0f" % x


def ratio(a, b):
    return "n/a" if a is None or not b else "%.2f" % (a / b)


def lines(rows, memory):
    out = []
    for workload, mine, peers, params in PAIRS:
        r = score(rows, mine, **params)
        best = None
        for label, name, own in peers:
            p = score(rows, name, **params, **own)
            if p is not None and (best is None or p > best[1]):
                best = (label, p)
        if r is None and best is None:
            continue
        label, p = best if best else (peers[0][0], None)
        out.append("%s (vs %s): reactant=%s peer=%s ratio=%s" % (workload, label, fmt(r), fmt(p), ratio(r, p)))
    for workload, (mine, mp), (base_label, (base, bp)) in SELF:
        r, b = score(rows, mine, **mp), score(rows, base, **bp)
        if r is None and b is None:
            continue
        out.append("%s (vs %s, Reactant itself): reactant=%s peer=%s ratio=%s"
                   % (workload, base_label, fmt(r), fmt(b), ratio(r, b)))
    re_, pk = memory.get("reactant"), memory.get("pekko")
    if re_ or pk:
        g = lambda m, k: float(m[k]) if m and k in m else None
        n = (re_ or pk)["actors"]
        r, p = g(re_, "spawnPerSec"), g(pk, "spawnPerSec")
        out.append("spawn-%s-actors (vs pekko, 100 parents): reactant=%s peer=%s ratio=%s" % (n, fmt(r), fmt(p), ratio(r, p)))
        r, p = g(re_, "bytesPerActor"), g(pk, "bytesPerActor")
        out.append("bytes-per-idle-actor (vs pekko; bytes, not ops/s: lower is better): reactant=%s peer=%s ratio=%s"
                   % (fmt(r), fmt(p), ratio(r, p)))
    return out


def cell(v):
    if v is None:
        return "–"
    if len(v) == 5:  # latency: mean, p50, p99
        return "mean {:,.1f}, p50 {:,.1f}, p99 {:,.1f}".format(v[0], v[3] or 0, v[4] or 0)
    s, e, _ = v[:3]
    forks = v[3] if len(v) == 4 else None
    if forks:
        return "{:,.0f} (forks {})".format(s, " / ".join("{:,.0f}".format(f) for f in forks))
    try:
        e = float(e)
    except (TypeError, ValueError):
        e = None
    if e is None or e != e:  # NaN: a single iteration
        return "{:,.0f}".format(s)
    return "{:,.0f} ± {:,.0f}".format(s, e)


def markdown(rows, memory):
    """Every row of every workload, grouped by benchmark class: the mean with JMH's 99.9 % error,
    or, for a row measured in several forks, the mean over them and each fork's mean."""
    out = []
    by_class = {}
    for (name, params), v in sorted(rows.items()):
        cls = name.split(".")[0]
        by_class.setdefault(cls, []).append((name, params, v))
    for cls, items in by_class.items():
        out.append("\n#### %s\n" % cls)
        out.append("| benchmark | params | score | unit |")
        out.append("| --- | --- | ---: | --- |")
        for name, params, v in items:
            p = ", ".join("%s=%s" % kv for kv in params) or "–"
            out.append("| %s | %s | %s | %s |" % (name.split(".", 1)[1], p, cell(v), v[2]))
    if memory:
        out.append("\n#### SpawnFootprint\n")
        out.append("| system | actors | spawned/s | bytes per idle actor | with the caller's reference |")
        out.append("| --- | ---: | ---: | ---: | ---: |")
        for s, m in sorted(memory.items()):
            out.append("| %s | {:,} | {:,.0f} | %s | %s |".format(int(m["actors"]), float(m["spawnPerSec"]))
                       % (s, m["bytesPerActor"], m["bytesPerActorWithRef"]))
    out.append("\n#### Summary lines\n")
    out.append("```")
    out.extend(lines(rows, memory))
    out.append("```")
    return out


def main(argv):
    md = "--markdown" in argv
    paths = [a for a in argv if a != "--markdown"]
    if not paths:
        print(__doc__, file=sys.stderr)
        return 2
    rows, memory = load(paths)
    print("\n".join(markdown(rows, memory) if md else lines(rows, memory)))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
