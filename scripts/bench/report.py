#!/usr/bin/env python3
"""Helpers of run-benchmark.sh: vegeta targets from a corpus, the measured capacity, and the
markdown report built from the JMH and vegeta results of one run."""

import base64
import json
import os
import sys

CONCURRENCY = [1, 8, 32, 128]


def targets(corpus, url):
    with open(corpus, encoding="utf-8") as lines:
        for line in lines:
            body = base64.b64encode(line.strip().encode("utf-8")).decode("ascii")
            print(json.dumps({"method": "POST", "url": url, "body": body,
                              "header": {"Content-Type": ["application/json"]}}))


def load(work, name):
    with open(os.path.join(work, name + ".json"), encoding="utf-8") as f:
        return json.load(f)


def ok_throughput(run):
    """Successful answers per second over the whole run (vegeta counts only successes)."""
    return run["throughput"]


def percentiles_by_status(work, name):
    """p50, p95, p99 in nanoseconds of the answers with each status, from vegeta's CSV."""
    import csv
    by_code = {}
    with open(os.path.join(work, name + ".csv"), encoding="utf-8") as f:
        for row in csv.reader(f):
            by_code.setdefault(row[1], []).append(int(row[2]))
    result = {}
    for code, values in by_code.items():
        values.sort()
        pick = lambda q: values[min(len(values) - 1, int(q * len(values)))]
        result[code] = (len(values), pick(0.50), pick(0.95), pick(0.99))
    return result


def capacity(work):
    best = max(ok_throughput(load(work, f"batched-c{c}")) for c in CONCURRENCY)
    print(int(best))


def ms(nanos):
    return f"{nanos / 1e6:.1f}"


def status_share(run, code):
    total = run["requests"] or 1
    return run["status_codes"].get(str(code), 0) / total


def row(label, run, mem=None):
    lat = run["latencies"]
    errors = 1 - run["success"] - status_share(run, 503)
    cells = [label, f"{ok_throughput(run):.0f}", ms(lat["50th"]), ms(lat["95th"]),
             ms(lat["99th"]), f"{max(errors, 0):.2%}", f"{status_share(run, 503):.2%}"]
    if mem is not None:
        cells.append(f"{mem['rss_before_kib'] / 1024:.0f} → {mem['rss_after_kib'] / 1024:.0f}")
    return "| " + " | ".join(cells) + " |"


def jmh(work):
    with open(os.path.join(work, "jmh.json"), encoding="utf-8") as f:
        results = json.load(f)
    rows = []
    for r in results:
        size = int(r["params"]["batchSize"])
        score = r["primaryMetric"]["score"]
        error = r["primaryMetric"]["scoreError"]
        rows.append((size, score * size, error * size))
    return sorted(rows)


def markdown(work):
    engine = jmh(work)
    ceiling = max(pairs for _, pairs, _ in engine)
    out = []
    out.append("# Benchmark\n")
    out.append("Commands: `scripts/bench/run-benchmark.sh` runs every step; a rerun of some"
               " steps, e.g. `BENCH_STEPS=\"engine overload cache\""
               " scripts/bench/run-benchmark.sh`, keeps the other steps' results from the same"
               " work directory (`target/bench`). This file: the full run, then those three"
               " steps again. Machine: a 2-core"
               " x86-64 VM without a GPU: the embedded bge-small-zh-v1.5 int8 model on the CPU"
               " provider, two intra-op threads, vegeta on the same two cores as the service."
               " Requests are single pairs from a generated corpus"
               " (`scripts/bench/make_corpus.py`) where about 10 % of the addresses repeat;"
               " the cache is off except in the cache section.\n")
    out.append("## a. Raw engine ceiling (JMH, no HTTP)\n")
    out.append("| batch size | pairs/s | ± (99.9 %) |")
    out.append("|---|---|---|")
    for size, pairs, error in engine:
        out.append(f"| {size} | {pairs:.0f} | {error:.0f} |")
    out.append(f"\nCeiling: **{ceiling:.0f} pairs/s**.\n")
    header = ("| run | answers/s | p50 ms | p95 ms | p99 ms | errors | rejected (503) |\n"
              "|---|---|---|---|---|---|---|")
    for mode, title in (("batched", "b. Service with batching"),
                        ("naive", "c. Service without batching (one inference per request)")):
        out.append(f"## {title}\n")
        out.append(header)
        for c in CONCURRENCY:
            out.append(row(f"concurrency {c}", load(work, f"{mode}-c{c}")))
        out.append("")
    batched = {c: ok_throughput(load(work, f"batched-c{c}")) for c in CONCURRENCY}
    naive = {c: ok_throughput(load(work, f"naive-c{c}")) for c in CONCURRENCY}
    best = max(batched.values())
    out.append("## Against the goals\n")
    out.append(f"- Batching against naive at concurrency 32: {batched[32]:.0f} / {naive[32]:.0f}"
               f" = **{batched[32] / naive[32]:.2f}×**.")
    out.append(f"- Saturated HTTP throughput against the engine ceiling: {best:.0f} /"
               f" {ceiling:.0f} = **{best / ceiling:.0%}**.")
    for c in CONCURRENCY:
        lat = load(work, f"batched-c{c}")["latencies"]
        out.append(f"- Batched, concurrency {c}: p99 / p50 = {lat['99th'] / lat['50th']:.2f}.")
    single = next(pairs for size, pairs, _ in engine if size == 1)
    out.append(f"- The most batching can gain on this hardware is the engine's best batch against"
               f" batch 1: {ceiling:.0f} / {single:.0f} = **{ceiling / single:.2f}×**. Both"
               " service modes already run inference on one thread with the cores to itself;"
               " what batching adds on a CPU is only what a larger batch adds inside the"
               " engine.")
    out.append("")
    overload = load(work, "overload")
    with open(os.path.join(work, "overload.mem.json"), encoding="utf-8") as f:
        mem = json.load(f)
    out.append("## Overload at twice capacity\n")
    out.append(f"Open loop at {overload['rate']:.0f} requests/s, twice the best measured"
               " throughput, with `MGEO_BATCH_MAX_QUEUED_PAIRS=128`.\n")
    out.append(header.replace("|\n|---", "| RSS MiB before → after |\n|---") + "---|")
    out.append(row("all requests", overload, mem))
    out.append("")
    out.append("| answered | count | p50 ms | p95 ms | p99 ms |")
    out.append("|---|---|---|---|---|")
    for code, (count, p50, p95, p99) in sorted(percentiles_by_status(work, "overload").items()):
        out.append(f"| {code} | {count} | {ms(p50)} | {ms(p95)} | {ms(p99)} |")
    out.append("")
    out.append("## Embedding cache, half the addresses repeating (concurrency 32)\n")
    out.append(header)
    off = load(work, "cache-off-c32")
    on = load(work, "cache-on-c32")
    out.append(row("cache off", off))
    out.append(row("cache on", on))
    out.append(f"\nCache on against off: **{ok_throughput(on) / ok_throughput(off):.2f}×**.")
    hits = os.path.join(work, "cache-on-c32.hits.txt")
    if os.path.exists(hits):
        with open(hits, encoding="utf-8") as f:
            ratio = float(f.read().split()[-1])
        out.append(f"The cache answered {ratio:.0%} of address lookups, so"
                   f" {1 - ratio:.0%} of addresses still went to the model. With the cache off,"
                   " repeated addresses inside one batch are already embedded once, and the"
                   " work the cache cannot remove (HTTP, JSON, tokenizing, and the load"
                   " generator on the same two cores) takes a larger share as inference"
                   " shrinks.")
    out.append("")
    overload_rows = percentiles_by_status(work, "overload")
    if "200" in overload_rows:
        out.append("Under overload the accepted requests' latency is bounded by the queue:"
                   " about `mgeo.batch.max-queued-pairs` / throughput, plus a batch. Rejections"
                   " cost CPU on this machine (the load generator shares its two cores), which"
                   " is why accepted throughput falls below the closed-loop capacity.\n")
    soak = os.path.join(work, "soak.jsonl")
    rows = []
    if os.path.exists(soak):
        with open(soak, encoding="utf-8") as f:
            rows = [json.loads(line) for line in f if line.strip()]
    if rows:
        out.append("## Soak\n")
        out.append(f"`SOAK_MINUTES={len(rows)} scripts/bench/soak.sh {rows[0]['rate']:.0f}`:"
                   " the service with the cache off (every request runs the model), an open loop"
                   " at about 70 % of the capacity above, one vegeta run per minute. Full table:"
                   " [soak.md](soak.md).\n")
        out.append("| minute | answers/s | success | p50 ms | p99 ms | RSS MiB | heap after GC MiB |")
        out.append("|---|---|---|---|---|---|---|")
        for r in rows:
            out.append(f"| {r['minute']} | {r['ok']:.0f} | {r['success']:.2%} |"
                       f" {ms(r['p50'])} | {ms(r['p99'])} | {r['rss_kib'] / 1024:.0f} |"
                       f" {r['heap_kib'] / 1024:.0f} |")
        out.append("")
    print("\n".join(out))


def main():
    command = sys.argv[1]
    if command == "targets":
        targets(sys.argv[2], sys.argv[3])
    elif command == "capacity":
        capacity(sys.argv[2])
    elif command == "markdown":
        markdown(sys.argv[2])
    else:
        sys.exit(f"unknown command {command}")


if __name__ == "__main__":
    main()
