#!/usr/bin/env bash
# Measures the service on this machine and writes docs/benchmark.md:
#   a. the raw engine ceiling with JMH (no HTTP, best batch size);
#   b. the packaged service with batching, driven by vegeta at concurrency 1, 8, 32, 128;
#   c. the same service with batching off (one inference per request);
#   an overload run at twice the measured capacity, and the embedding cache on and off on a
#   corpus where half the addresses repeat. The embedded int8 model runs on the CPU.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/../.." && pwd)
WORK=${BENCH_WORK:-"$ROOT/target/bench"}
PORT=${BENCH_PORT:-8089}
DURATION=${BENCH_DURATION:-20s}
OUT=${BENCH_OUT:-"$ROOT/docs/benchmark.md"}
STEPS=${BENCH_STEPS:-"engine batched naive overload cache"}
VEGETA_VERSION=v12.12.0
SERVICE_PID=""

usage() {
  cat <<'USAGE'
usage: scripts/bench/run-benchmark.sh [--help]

Builds the application, generates the corpora, runs JMH and vegeta, and writes
docs/benchmark.md. Environment: BENCH_DURATION (default 20s per load step), BENCH_PORT
(8089), BENCH_WORK (target/bench), BENCH_OUT (docs/benchmark.md), BENCH_STEPS (default
"engine batched naive overload cache": a subset reruns those steps and rewrites the report
from the results already in BENCH_WORK). Needs Go to install vegeta when it is missing. Run
it on an otherwise idle machine.
USAGE
}

log() { printf '== %s\n' "$*" >&2; }
die() { printf 'error: %s\n' "$*" >&2; exit 1; }

vegeta_bin() {
  if command -v vegeta >/dev/null 2>&1; then
    command -v vegeta
    return
  fi
  local bin
  bin="$(go env GOPATH)/bin/vegeta"
  if [[ ! -x "$bin" ]]; then
    log "installing vegeta $VEGETA_VERSION"
    go install "github.com/tsenart/vegeta/v12@$VEGETA_VERSION" >&2
  fi
  echo "$bin"
}

build() {
  log "building the application and the benchmarks"
  (cd "$ROOT" && ./mvnw -q -B package -DskipTests)
  (cd "$ROOT" && ./mvnw -q -B test-compile dependency:build-classpath \
    -Dmdep.outputFile="$WORK/classpath.txt" -Dmdep.includeScope=test)
}

corpora() {
  log "generating corpora"
  python3 "$ROOT/scripts/bench/make_corpus.py" --pairs 20000 --repeat-share 0.1 "$WORK/corpus.jsonl"
  python3 "$ROOT/scripts/bench/make_corpus.py" --pairs 20000 --repeat-share 0.5 --seed 11 \
    "$WORK/corpus-half.jsonl"
  python3 "$ROOT/scripts/bench/make_corpus.py" --pairs 3000 --seed 99 "$WORK/corpus-warm.jsonl"
  python3 "$ROOT/scripts/bench/report.py" targets "$WORK/corpus-warm.jsonl" \
    "http://127.0.0.1:$PORT/compare" > "$WORK/targets-warm.json"
  python3 "$ROOT/scripts/bench/report.py" targets "$WORK/corpus.jsonl" \
    "http://127.0.0.1:$PORT/compare" > "$WORK/targets.json"
  python3 "$ROOT/scripts/bench/report.py" targets "$WORK/corpus-half.jsonl" \
    "http://127.0.0.1:$PORT/compare" > "$WORK/targets-half.json"
}

engine_ceiling() {
  log "JMH: raw engine ceiling"
  java -cp "$ROOT/target/test-classes:$ROOT/target/classes:$(cat "$WORK/classpath.txt")" \
    org.openjdk.jmh.Main EngineBenchmark -f 1 -wi 2 -w 5s -i 5 -r 5s \
    -jvmArgsAppend "-Dbench.corpus=$WORK/corpus.jsonl" -rf json -rff "$WORK/jmh.json" >&2
}

start_service() {
  local name=$1
  shift
  log "starting the service: $name ($*)"
  env QUARKUS_HTTP_PORT="$PORT" MGEO_ENGINE_EXECUTION_PROVIDER=cpu "$@" \
    java -jar "$ROOT/target/quarkus-app/quarkus-run.jar" > "$WORK/service-$name.log" 2>&1 &
  SERVICE_PID=$!
  for _ in $(seq 1 120); do
    if curl -sf "http://127.0.0.1:$PORT/q/health/ready" >/dev/null; then
      return
    fi
    sleep 0.5
  done
  die "the service did not become ready; see $WORK/service-$name.log"
}

stop_service() {
  if [[ -n "$SERVICE_PID" ]]; then
    kill "$SERVICE_PID" 2>/dev/null || true
    wait "$SERVICE_PID" 2>/dev/null || true
    SERVICE_PID=""
  fi
}

rss_kib() {
  awk '/VmRSS/ {print $2}' "/proc/$SERVICE_PID/status"
}

# attack NAME TARGETS WORKERS [RATE]: closed loop at WORKERS, or open loop at RATE per second.
attack() {
  local name=$1 targets=$2 workers=$3 rate=${4:-0}
  local vegeta
  vegeta=$(vegeta_bin)
  log "vegeta: $name"
  local before after
  before=$(rss_kib)
  "$vegeta" attack -targets="$targets" -format=json -rate="$rate" -duration="$DURATION" \
    -workers="$workers" -max-workers="$workers" -timeout=30s > "$WORK/$name.bin"
  after=$(rss_kib)
  "$vegeta" report -type=json < "$WORK/$name.bin" > "$WORK/$name.json"
  "$vegeta" encode -to=csv < "$WORK/$name.bin" > "$WORK/$name.csv"
  printf '{"rss_before_kib": %s, "rss_after_kib": %s}\n' "$before" "$after" > "$WORK/$name.mem.json"
  rm -f "$WORK/$name.bin"
}

# Warms the JIT and the runtime on a corpus of its own, so that no measured address is cached.
warm() {
  local vegeta
  vegeta=$(vegeta_bin)
  "$vegeta" attack -targets="$WORK/targets-warm.json" -format=json -rate=0 -duration=5s -workers=32 \
    -max-workers=32 > /dev/null
}

main() {
  if [[ "${1:-}" == "--help" || "${1:-}" == "-h" ]]; then
    usage
    return 0
  fi
  mkdir -p "$WORK"
  trap stop_service EXIT
  build
  corpora
  local c step
  for step in $STEPS; do
    case "$step" in
      engine) engine_ceiling ;;
      batched | naive)
        if [[ "$step" == batched ]]; then
          start_service batched MGEO_CACHE_ENABLED=false
        else
          start_service naive MGEO_CACHE_ENABLED=false MGEO_BATCH_MAX_SIZE=1
        fi
        warm
        for c in 1 8 32 128; do
          attack "$step-c$c" "$WORK/targets.json" "$c"
        done
        stop_service
        ;;
      overload)
        # Open loop at twice the best closed-loop throughput, with a queue bound sized to
        # about half a second of work on this machine.
        local rate
        rate=$(python3 "$ROOT/scripts/bench/report.py" capacity "$WORK")
        start_service overload MGEO_CACHE_ENABLED=false MGEO_BATCH_MAX_QUEUED_PAIRS=128
        warm
        attack overload "$WORK/targets.json" 1024 "$((rate * 2))"
        stop_service
        ;;
      cache)
        start_service cache-off MGEO_CACHE_ENABLED=false
        warm
        attack cache-off-c32 "$WORK/targets-half.json" 32
        stop_service
        start_service cache-on MGEO_CACHE_ENABLED=true
        warm
        attack cache-on-c32 "$WORK/targets-half.json" 32
        curl -s "http://127.0.0.1:$PORT/q/metrics" | grep '^mgeo_embedding_cache_hit_ratio' \
          > "$WORK/cache-on-c32.hits.txt"
        stop_service
        ;;
      *) die "unknown step $step" ;;
    esac
  done

  python3 "$ROOT/scripts/bench/report.py" markdown "$WORK" > "$OUT"
  log "wrote $OUT"
}

main "$@"
