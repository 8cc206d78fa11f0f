#!/usr/bin/env bash
# Checks the Knative manifests and scripts without a cluster:
#   1. installs what is missing: jq and shellcheck (apt), kustomize and kn (go install);
#   2. renders every overlay of knative/overlays and knative/eventing with kustomize;
#   3. validates every rendered Knative object with Knative's own Go API types
#      (scripts/validate-knative: strict decoding, SetDefaults, Validate), with the cluster
#      feature flags an overlay names in a "# validate-with:" line of its kustomization, and
#      proves the validator rejects the broken fixtures in scripts/validate-knative/testdata;
#   4. runs kn offline (--target) on the rendered Service and through kn-deploy.sh;
#   5. runs kn-deploy.sh, kn-rollout.sh and kn-promotion.sh with the real kn against a fake
#      Knative Serving API on a loopback port (scripts/fake-serving-api) and checks what kn
#      sends;
#   6. runs the dry runs of kn-eventing.sh and kn-smoke.sh;
#   7. runs shellcheck on scripts/ and .ci/.
# Idempotent; the first run on a new machine spends several minutes compiling kn and the
# validator. Exits 1 when any check fails, after running all of them.
set -euo pipefail

readonly KN_MODULE_VERSION="v0.42.0"   # knative.dev/client, pinned in scripts/tools/go.mod
readonly KUSTOMIZE_VERSION="v5.8.2"    # sigs.k8s.io/kustomize/kustomize/v5

SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO_ROOT="$(cd "$SCRIPT_DIR/.." && pwd)"
WORK_DIR=""
FAKE_PID=""
FAKE_RUNS=0
FAKE_RUN=""
PASSED=0
FAILED=0
APT_UPDATED=0

usage() {
  cat <<USAGE
Usage: ${0##*/} [-h|--help]

Installs kn, kustomize, jq and shellcheck where missing, then checks knative/ and scripts/
offline: kustomize renders, Knative API validation (with negative fixtures), kn offline
mode, the rollout and promotion scripts against a fake Serving API, and shellcheck.
Prints one line per check and "check-knative: N passed, N failed" at the end.
USAGE
}

step() { printf '\n== %s\n' "$*"; }
pass() { PASSED=$((PASSED + 1)); printf 'ok   %s\n' "$*"; }
fail() { FAILED=$((FAILED + 1)); printf 'FAIL %s\n' "$*" >&2; }
die() { printf '%s: error: %s\n' "${0##*/}" "$*" >&2; exit 1; }

cleanup() {
  if [[ -n "$FAKE_PID" ]]; then
    kill "$FAKE_PID" 2>/dev/null || true
  fi
  if [[ -n "$WORK_DIR" ]]; then
    rm -rf "$WORK_DIR"
  fi
}

# --- 1. tools -----------------------------------------------------------------------------

apt_install() {
  local package="$1"
  if [[ "$(id -u)" != 0 ]]; then
    die "$package is missing and this is not root, so apt-get cannot install it;" \
      "install it (apt-get install -y $package) and run again"
  fi
  command -v apt-get >/dev/null 2>&1 || die "$package is missing and there is no apt-get"
  if [[ "$APT_UPDATED" == 0 ]]; then
    apt-get update -qq || die "apt-get update failed; $package cannot be installed"
    APT_UPDATED=1
  fi
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$package" >/dev/null ||
    die "apt-get install $package failed"
}

ensure_apt_tool() {
  local tool="$1" package="$2"
  if ! command -v "$tool" >/dev/null 2>&1; then
    printf 'installing %s with apt-get\n' "$package"
    apt_install "$package"
  fi
  pass "tool $tool: $(command -v "$tool")"
}

ensure_go() {
  if ! command -v go >/dev/null 2>&1; then
    printf 'installing golang-go with apt-get\n'
    apt_install golang-go
  fi
  # A Go older than the modules need fetches the right toolchain from the Go module proxy,
  # unless the caller chose otherwise.
  export GOTOOLCHAIN="${GOTOOLCHAIN:-auto}"
  GOBIN_DIR="$(go env GOBIN)"
  [[ -n "$GOBIN_DIR" ]] || GOBIN_DIR="$(go env GOPATH)/bin"
  pass "tool go: $(go version)"
}

ensure_kustomize() {
  local bin="$GOBIN_DIR/kustomize"
  if [[ ! -x "$bin" ]] || [[ "$("$bin" version 2>/dev/null)" != "$KUSTOMIZE_VERSION" ]]; then
    printf 'installing kustomize %s with go install (about a minute on a new machine)\n' \
      "$KUSTOMIZE_VERSION"
    nice -n 10 go install "sigs.k8s.io/kustomize/kustomize/v5@$KUSTOMIZE_VERSION"
  fi
  KUSTOMIZE="$bin"
  pass "tool kustomize $("$bin" version)"
}

ensure_kn() {
  local bin="$GOBIN_DIR/kn" installed=""
  if [[ -x "$bin" ]]; then
    installed="$("$bin" version 2>/dev/null | sed -n 's/^Version: *//p')"
  fi
  if [[ "$installed" != "$KN_MODULE_VERSION" ]]; then
    printf 'installing kn %s with go install (a few minutes on a new machine)\n' \
      "$KN_MODULE_VERSION"
    # The versioned form (go install ...@version) cannot be used: see scripts/tools/go.mod.
    (cd "$SCRIPT_DIR/tools" && nice -n 10 go install -buildvcs=false \
      -ldflags "-X knative.dev/client/pkg/kn/commands/version.Version=$KN_MODULE_VERSION" \
      knative.dev/client/cmd/kn)
  fi
  KN="$bin"
  pass "tool kn $KN_MODULE_VERSION: $bin"
}

build_helpers() {
  local name
  for name in validate-knative fake-serving-api; do
    (cd "$SCRIPT_DIR/$name" && nice -n 10 go build -buildvcs=false -o "$WORK_DIR/bin/$name" .) ||
      die "could not build scripts/$name"
    if [[ -n "$(cd "$SCRIPT_DIR/$name" && gofmt -l .)" ]]; then
      fail "scripts/$name is not gofmt-formatted (run: gofmt -w scripts/$name)"
    fi
    if (cd "$SCRIPT_DIR/$name" && nice -n 10 go vet .); then
      pass "built and vetted scripts/$name"
    else
      fail "go vet scripts/$name"
    fi
  done
  VALIDATE="$WORK_DIR/bin/validate-knative"
}

# --- 2 and 3. render and validate -----------------------------------------------------------

# Prints the cluster ConfigMaps an overlay asks to be validated with, one a line, from its
# "# validate-with: FILE" lines (FILE relative to the repository root).
validate_with() {
  sed -n 's/^# validate-with: *//p' "$1/kustomization.yaml"
}

render_and_validate() {
  local dir name out file
  local -a files configs
  mkdir -p "$WORK_DIR/render"
  for dir in "$REPO_ROOT"/knative/overlays/*/ "$REPO_ROOT/knative/eventing/"; do
    dir="${dir%/}"
    name="${dir#"$REPO_ROOT"/knative/}"
    out="$WORK_DIR/render/${name//\//-}.yaml"
    if ! "$KUSTOMIZE" build "$dir" >"$out"; then
      fail "kustomize build knative/$name"
      continue
    fi
    pass "kustomize build knative/$name ($(grep -c '^kind:' "$out") objects)"
    mapfile -t files < <(validate_with "$dir")
    configs=()
    for file in "${files[@]}"; do
      configs+=(--config "$REPO_ROOT/$file")
    done
    if "$VALIDATE" "${configs[@]}" "$out" >"$WORK_DIR/validate.out" 2>&1; then
      pass "Knative validation of knative/$name${files[*]:+ with ${files[*]}}"
    else
      fail "Knative validation of knative/$name: $(cat "$WORK_DIR/validate.out")"
    fi
  done
}

# Runs the validator and expects it to fail with a message containing $2.
expect_rejected() {
  local what="$1" want="$2"
  shift 2
  if "$VALIDATE" "$@" >"$WORK_DIR/reject.out" 2>&1; then
    fail "$what was accepted; the validator should reject it"
  elif grep -qF -- "$want" "$WORK_DIR/reject.out"; then
    pass "$what is rejected: $want"
  else
    fail "$what was rejected for another reason than '$want': $(cat "$WORK_DIR/reject.out")"
  fi
}

negative_checks() {
  local fixture want
  for fixture in "$SCRIPT_DIR"/validate-knative/testdata/bad/*.yaml; do
    want="$(sed -n '1s/^# want: //p' "$fixture")"
    [[ -n "$want" ]] || { fail "$fixture has no '# want:' first line"; continue; }
    expect_rejected "fixture ${fixture##*/}" "$want" "$fixture"
  done
  # The placement overlay must need the feature flags it documents.
  expect_rejected "overlay gpu-nodes without config-features" \
    "must not set the field(s): spec.template.spec.nodeSelector" \
    "$WORK_DIR/render/overlays-gpu-nodes.yaml"
}

# --- 4. kn offline ----------------------------------------------------------------------

# Checks that a Service file kn wrote is still valid and runs the expected image. Further
# arguments go to the validator (--config FILE).
check_kn_output() {
  local what="$1" file="$2" image="$3"
  shift 3
  if [[ ! -f "$file" ]]; then
    fail "$what: kn wrote no $file"
  elif ! "$VALIDATE" "$@" "$file" >"$WORK_DIR/validate.out" 2>&1; then
    fail "$what: the Service kn wrote is invalid: $(cat "$WORK_DIR/validate.out")"
  elif ! grep -q "image: $image\$" "$file"; then
    fail "$what: the Service kn wrote does not run $image"
  else
    pass "$what"
  fi
}

kn_offline() {
  local target="$WORK_DIR/kn-target" file
  file="$target/default/ksvc/address-match.yaml"
  mkdir -p "$target"
  if "$KN" service create address-match --target "$target" \
    -f "$WORK_DIR/render/overlays-gpu.yaml" >/dev/null; then
    check_kn_output "kn service create --target reads the gpu overlay" "$file" \
      "ghcr.io/addressmatch/address-match-function:0.1.0-gpu"
  else
    fail "kn service create --target with the gpu overlay"
  fi

  local deploy="$WORK_DIR/deploy-target"
  file="$deploy/default/ksvc/address-match.yaml"
  export KN KUSTOMIZE
  if "$SCRIPT_DIR/kn-deploy.sh" --overlay cpu --target "$deploy" >/dev/null; then
    check_kn_output "kn-deploy.sh --overlay cpu --target" "$file" \
      "ghcr.io/addressmatch/address-match-function:0.1.0-cpu"
  else
    fail "kn-deploy.sh --overlay cpu --target"
  fi
  if "$SCRIPT_DIR/kn-deploy.sh" --overlay gpu-nodes --target "$deploy" \
    --image ghcr.io/addressmatch/address-match-function:0.1.1-gpu >/dev/null; then
    check_kn_output "kn-deploy.sh replaces it with gpu-nodes and a new image" "$file" \
      "ghcr.io/addressmatch/address-match-function:0.1.1-gpu" \
      --config "$REPO_ROOT/knative/cluster/config-features.yaml"
  else
    fail "kn-deploy.sh --overlay gpu-nodes --image --target"
  fi
  local want="service create address-match -f .* --force --wait --wait-timeout 1800\$"
  if KUBECONFIG=/dev/null "$SCRIPT_DIR/kn-deploy.sh" --overlay gpu --dry-run 2>/dev/null |
    grep -q -- "$want"; then
    pass "kn-deploy.sh --dry-run waits for the gpu overlay's progress deadline (1800 s)"
  else
    fail "kn-deploy.sh --dry-run did not print the expected kn command"
  fi
}

# --- 5. rollout and promotion against the fake Serving API ------------------------------------

# Starts the fake API on a fixture and points KUBECONFIG at it.
start_fake() {
  local fixture="$1"
  FAKE_RUNS=$((FAKE_RUNS + 1))
  local run="$WORK_DIR/fake-$FAKE_RUNS-$fixture"
  stop_fake
  mkdir -p "$run/updates"
  "$WORK_DIR/bin/fake-serving-api" --dir "$SCRIPT_DIR/fake-serving-api/testdata/$fixture" \
    --record "$run/updates" --addr-file "$run/addr" 2>"$run/log" &
  FAKE_PID=$!
  local _
  for _ in $(seq 1 50); do
    [[ -s "$run/addr" ]] && break
    sleep 0.1
  done
  [[ -s "$run/addr" ]] || die "the fake Serving API did not start: $(cat "$run/log")"
  cat >"$run/kubeconfig" <<KUBECONFIG
apiVersion: v1
kind: Config
clusters:
  - name: fake
    cluster:
      server: http://$(cat "$run/addr")
users:
  - name: fake
    user: {}
contexts:
  - name: fake
    context:
      cluster: fake
      user: fake
      namespace: default
current-context: fake
KUBECONFIG
  export KUBECONFIG="$run/kubeconfig"
  FAKE_RUN="$run"
}

stop_fake() {
  if [[ -n "$FAKE_PID" ]]; then
    kill "$FAKE_PID" 2>/dev/null || true
    wait "$FAKE_PID" 2>/dev/null || true
    FAKE_PID=""
  fi
}

# Runs a script against the fake and checks the traffic block kn sent with a jq expression
# that must print true. Each case starts from the fixture, so updates do not accumulate.
expect_update() {
  local what="$1" fixture="$2" check="$3"
  shift 3
  start_fake "$fixture"
  if ! "$@" --no-wait >"$FAKE_RUN/out" 2>&1; then
    fail "$what: $(cat "$FAKE_RUN/out")"
    return
  fi
  local update="$FAKE_RUN/updates/update-1.json"
  if [[ ! -f "$update" ]]; then
    fail "$what: kn sent no update"
  elif [[ "$(jq -r "$check" "$update")" != true ]]; then
    fail "$what: unexpected traffic $(jq -c .spec.traffic "$update")"
  elif ! "$VALIDATE" "$update" >"$WORK_DIR/validate.out" 2>&1; then
    fail "$what: the Service kn sent is invalid: $(cat "$WORK_DIR/validate.out")"
  elif [[ -s "$FAKE_RUN/log" ]]; then
    fail "$what: kn made calls the fake does not answer: $(cat "$FAKE_RUN/log")"
  else
    pass "$what"
  fi
}

# Runs a script in --dry-run against the fake and compares the commands it prints.
expect_commands() {
  local what="$1" fixture="$2" want="$3"
  shift 3
  start_fake "$fixture"
  local got
  if ! got="$("$@" --dry-run 2>"$FAKE_RUN/err")"; then
    fail "$what: $(cat "$FAKE_RUN/err")"
  elif [[ "$got" != "$want" ]]; then
    fail "$what: printed
$got
want
$want"
  else
    pass "$what"
  fi
}

# Runs a script against the fake and expects it to fail with a message containing $3.
expect_refusal() {
  local what="$1" fixture="$2" want="$3"
  shift 3
  start_fake "$fixture"
  if "$@" >"$FAKE_RUN/out" 2>&1; then
    fail "$what: it succeeded"
  elif grep -qF -- "$want" "$FAKE_RUN/out"; then
    pass "$what"
  else
    fail "$what: failed for another reason: $(cat "$FAKE_RUN/out")"
  fi
}

rollout_and_promotion() {
  local rollout="$SCRIPT_DIR/kn-rollout.sh" promotion="$SCRIPT_DIR/kn-promotion.sh"
  local image="ghcr.io/addressmatch/address-match-function:0.2.0-gpu"
  export KN KUSTOMIZE

  expect_update "kn-deploy.sh replaces the Service with the gpu overlay, traffic to @latest" \
    steady '
    (.spec.template.spec.containers[0].image
      == "ghcr.io/addressmatch/address-match-function:0.1.0-gpu") and
    (.spec.template.metadata.annotations["autoscaling.knative.dev/target"] == "64") and
    (.spec.traffic == null)' \
    "$SCRIPT_DIR/kn-deploy.sh" --overlay gpu
  expect_refusal "kn-deploy.sh refuses to replace while a rollout splits traffic" split \
    "traffic of address-match is held on tagged or named revisions" \
    "$SCRIPT_DIR/kn-deploy.sh" --overlay gpu --no-wait

  expect_update "kn-rollout.sh candidate: 90% pinned to stable, 10% to the candidate" steady '
    (.spec.template.spec.containers[0].image == "'"$image"'") and
    ([.spec.traffic[] | select(.tag == "stable" and .revisionName == "address-match-00003"
      and .percent == 90)] | length == 1) and
    ([.spec.traffic[] | select(.tag == "candidate" and .latestRevision == true
      and .percent == 10)] | length == 1)' \
    "$rollout" candidate --image "$image" --percent 10
  expect_update "kn-rollout.sh shift: 50/50 between the tags" split '
    ([.spec.traffic[] | select(.tag == "stable" and .percent == 50)] | length == 1) and
    ([.spec.traffic[] | select(.tag == "candidate" and .percent == 50)] | length == 1)' \
    "$rollout" shift --percent 50
  expect_update "kn-rollout.sh promote: 100% to @latest, stable and candidate tags gone" split '
    ([.spec.traffic[] | select(.latestRevision == true and .percent == 100)] | length == 1) and
    ([.spec.traffic[] | select(.tag == "stable" or .tag == "candidate")] | length == 0)' \
    "$rollout" promote
  expect_update "kn-rollout.sh rollback: 100% pinned to the stable revision" split '
    ([.spec.traffic[] | select(.revisionName == "address-match-00003" and .percent == 100)]
      | length == 1) and
    ([.spec.traffic[] | select(.tag == "stable" or .tag == "candidate")] | length == 0)' \
    "$rollout" rollback
  expect_refusal "kn-rollout.sh candidate refuses while a candidate is out" split \
    "candidate address-match-00004 is already out" "$rollout" candidate --image "$image"

  expect_commands "kn-promotion.sh start raises the serving revisions by traffic share" split \
    "+ kubectl annotate revision address-match-00003 --overwrite autoscaling.knative.dev/min-scale=8 addressmatch.dev/promotion-saved-min-scale=1
+ kubectl annotate revision address-match-00004 --overwrite autoscaling.knative.dev/min-scale=1 addressmatch.dev/promotion-saved-min-scale=unset" \
    "$promotion" start --min-scale 8
  expect_commands "kn-promotion.sh start again changes nothing" promoted "" \
    "$promotion" start --min-scale 8
  expect_commands "kn-promotion.sh end restores the saved values" promoted \
    "+ kubectl annotate revision address-match-00004 --overwrite autoscaling.knative.dev/min-scale- addressmatch.dev/promotion-saved-min-scale-
+ kubectl annotate revision address-match-00003 --overwrite autoscaling.knative.dev/min-scale=1 addressmatch.dev/promotion-saved-min-scale-" \
    "$promotion" end
  expect_refusal "kn-promotion.sh start refuses a floor above max-scale" split \
    "above its max-scale 8" "$promotion" start --min-scale 20 --dry-run
  stop_fake
  unset KUBECONFIG
}

# --- 6 and 7. dry runs and shellcheck ---------------------------------------------------------

dry_runs() {
  if KUSTOMIZE="$KUSTOMIZE" KN="$KN" "$SCRIPT_DIR/kn-eventing.sh" --dry-run \
    >"$WORK_DIR/eventing.out" 2>&1 &&
    grep -q '^+ kubectl apply -k .*knative/eventing$' "$WORK_DIR/eventing.out"; then
    pass "kn-eventing.sh --dry-run"
  else
    fail "kn-eventing.sh --dry-run: $(cat "$WORK_DIR/eventing.out")"
  fi
  if "$SCRIPT_DIR/kn-smoke.sh" --dry-run http://address-match.example.test \
    >"$WORK_DIR/smoke.out" 2>&1 && [[ "$(grep -c '^+ curl' "$WORK_DIR/smoke.out")" == 2 ]]; then
    pass "kn-smoke.sh --dry-run"
  else
    fail "kn-smoke.sh --dry-run: $(cat "$WORK_DIR/smoke.out")"
  fi
  local script
  for script in "$SCRIPT_DIR"/kn-*.sh "$SCRIPT_DIR/check-knative.sh"; do
    if "$script" --help >/dev/null 2>&1; then
      pass "${script##*/} --help"
    else
      fail "${script##*/} --help"
    fi
  done
}

run_shellcheck() {
  local -a files=("$SCRIPT_DIR"/*.sh "$SCRIPT_DIR"/lib/*.sh)
  local file
  if [[ -d "$REPO_ROOT/.ci" ]]; then
    for file in "$REPO_ROOT"/.ci/*; do
      [[ -f "$file" ]] && files+=("$file")
    done
  fi
  for file in "${files[@]}"; do
    if (cd "$REPO_ROOT" && shellcheck -x "${file#"$REPO_ROOT"/}") \
      >"$WORK_DIR/shellcheck.out" 2>&1; then
      pass "shellcheck ${file#"$REPO_ROOT"/}"
    else
      fail "shellcheck ${file#"$REPO_ROOT"/}:
$(cat "$WORK_DIR/shellcheck.out")"
    fi
  done
}

main() {
  case "${1:-}" in
    -h | --help) usage; exit 0 ;;
    "") ;;
    *) usage >&2; die "unknown argument '$1'" ;;
  esac
  WORK_DIR="$(mktemp -d)"
  trap cleanup EXIT

  step "tools"
  ensure_apt_tool jq jq
  ensure_apt_tool shellcheck shellcheck
  ensure_go
  ensure_kustomize
  ensure_kn
  build_helpers
  step "kustomize build and Knative validation"
  render_and_validate
  step "the validator rejects broken manifests"
  negative_checks
  step "kn offline mode"
  kn_offline
  step "deploy, rollout and promotion scripts against a fake Serving API"
  rollout_and_promotion
  step "dry runs"
  dry_runs
  step "shellcheck"
  run_shellcheck

  printf '\ncheck-knative: %d passed, %d failed\n' "$PASSED" "$FAILED"
  ((FAILED == 0))
}

main "$@"
