#!/usr/bin/env bash
# A bounded soak: the packaged service under a steady open-loop load of mixed requests (about
# 70 % of its measured capacity) for SOAK_MINUTES, one vegeta run per minute, after a short
# warm-up. The embedding cache is off, so every request runs the model even though each minute
# replays the same corpus. After
# each minute it records throughput, latency percentiles, errors, resident memory and the heap
# left after a full GC, and writes the table to docs/soak.md.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/../.." && pwd)
WORK=${BENCH_WORK:-"$ROOT/target/bench"}
PORT=${BENCH_PORT:-8089}
MINUTES=${SOAK_MINUTES:-10}
OUT=${SOAK_OUT:-"$ROOT/docs/soak.md"}
SERVICE_PID=""

usage() {
  cat <<'USAGE'
usage: scripts/bench/soak.sh RATE

RATE  requests per second to hold (about 70 % of the capacity that
      scripts/bench/run-benchmark.sh measured)

Environment: SOAK_MINUTES (default 10), BENCH_PORT (8089), BENCH_WORK (target/bench, where
run-benchmark.sh left the corpus and the built application), SOAK_OUT (docs/soak.md).
USAGE
}

log() { printf '== %s\n' "$*" >&2; }
die() { printf 'error: %s\n' "$*" >&2; exit 1; }

stop_service() {
  if [[ -n "$SERVICE_PID" ]]; then
    kill "$SERVICE_PID" 2>/dev/null || true
    wait "$SERVICE_PID" 2>/dev/null || true
  fi
}

heap_after_gc_kib() {
  jcmd "$SERVICE_PID" GC.run >/dev/null
  jcmd "$SERVICE_PID" GC.heap_info | awk '/used/ {for (i = 1; i <= NF; i++) if ($i == "used") {
    v = $(i + 1); sub(/K,?$/, "", v); print v; exit}}'
}

main() {
  if [[ $# -ne 1 || "$1" == "--help" || "$1" == "-h" ]]; then
    usage
    [[ $# -eq 1 ]] && return 0
    return 2
  fi
  local rate=$1 vegeta minute
  vegeta=$(command -v vegeta || echo "$(go env GOPATH)/bin/vegeta")
  [[ -x "$vegeta" ]] || die "vegeta is missing: run scripts/bench/run-benchmark.sh first"
  [[ -f "$WORK/targets.json" ]] || die "no corpus in $WORK: run scripts/bench/run-benchmark.sh first"
  trap stop_service EXIT

  log "starting the service"
  env QUARKUS_HTTP_PORT="$PORT" MGEO_ENGINE_EXECUTION_PROVIDER=cpu MGEO_CACHE_ENABLED=false \
    java -jar "$ROOT/target/quarkus-app/quarkus-run.jar" > "$WORK/service-soak.log" 2>&1 &
  SERVICE_PID=$!
  for _ in $(seq 1 120); do
    curl -sf "http://127.0.0.1:$PORT/q/health/ready" >/dev/null && break
    sleep 0.5
  done
  curl -sf "http://127.0.0.1:$PORT/q/health/ready" >/dev/null || die "the service did not start"

  log "warming up"
  "$vegeta" attack -targets="$WORK/targets-warm.json" -format=json -rate="$rate" -duration=15s \
    -max-workers=256 > /dev/null

  : > "$WORK/soak.jsonl"
  for minute in $(seq 1 "$MINUTES"); do
    log "minute $minute of $MINUTES at $rate/s"
    "$vegeta" attack -targets="$WORK/targets.json" -format=json -rate="$rate" -duration=60s \
      -max-workers=256 -timeout=30s | "$vegeta" report -type=json > "$WORK/soak-minute.json"
    local rss heap
    rss=$(awk '/VmRSS/ {print $2}' "/proc/$SERVICE_PID/status")
    heap=$(heap_after_gc_kib)
    python3 - "$WORK/soak-minute.json" "$minute" "$rss" "$heap" >> "$WORK/soak.jsonl" <<'PY'
import json, sys
run = json.load(open(sys.argv[1]))
lat = run["latencies"]
print(json.dumps({"minute": int(sys.argv[2]), "rate": run["rate"],
                  "ok": run["throughput"] * run["success"], "success": run["success"],
                  "p50": lat["50th"], "p99": lat["99th"], "codes": run["status_codes"],
                  "rss_kib": int(sys.argv[3]), "heap_kib": int(sys.argv[4])}))
PY
  done

  python3 - "$WORK/soak.jsonl" "$rate" "$MINUTES" > "$OUT" <<'PY'
import json, sys
rows = [json.loads(l) for l in open(sys.argv[1])]
print("# Soak\n")
print(f"Produced by `SOAK_MINUTES={sys.argv[3]} scripts/bench/soak.sh {sys.argv[2]}`: the"
      " packaged service (embedded int8 model on the CPU, cache off so that every request"
      " runs the model), an open loop of mixed requests from the benchmark corpus after a"
      " 15 s warm-up, one vegeta run per minute.\n")
print("| minute | answers/s | success | p50 ms | p99 ms | RSS MiB | heap after GC MiB |")
print("|---|---|---|---|---|---|---|")
for r in rows:
    print(f"| {r['minute']} | {r['ok']:.0f} | {r['success']:.2%} | {r['p50'] / 1e6:.1f} |"
          f" {r['p99'] / 1e6:.1f} | {r['rss_kib'] / 1024:.0f} | {r['heap_kib'] / 1024:.0f} |")
errors = sum(1 for r in rows if r["success"] < 1)
print(f"\nMinutes with any error: {errors}. RSS from {rows[0]['rss_kib'] / 1024:.0f} to"
      f" {rows[-1]['rss_kib'] / 1024:.0f} MiB; heap after GC from {rows[0]['heap_kib'] / 1024:.0f}"
      f" to {rows[-1]['heap_kib'] / 1024:.0f} MiB; p99 from {rows[0]['p99'] / 1e6:.1f} to"
      f" {rows[-1]['p99'] / 1e6:.1f} ms.")
PY
  log "wrote $OUT"
}

main "$@"
