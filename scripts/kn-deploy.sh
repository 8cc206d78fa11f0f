#!/usr/bin/env bash
# Deploys or updates the address-match Knative Service from a kustomize overlay with kn:
# renders knative/overlays/<overlay>, then `kn service create --force -f` creates the Service
# or replaces it with the rendered one (a new revision). --target writes the Service YAML to a
# local directory instead of a cluster (kn's offline mode); --dry-run prints the kn command.
#
# A replace sets traffic back to 100% on the latest revision. While a rollout holds traffic
# on tagged revisions (scripts/kn-rollout.sh), the script refuses unless --reset-traffic.
set -euo pipefail

SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO_ROOT="$(cd "$SCRIPT_DIR/.." && pwd)"
# shellcheck source=scripts/lib/common.sh
source "$SCRIPT_DIR/lib/common.sh"

SERVICE="address-match"
OVERLAY="gpu"
IMAGE=""
NAMESPACE=""
TARGET=""
RESET_TRAFFIC=0
WAIT=1
DRY_RUN=0
WORK_DIR=""

usage() {
  cat <<USAGE
Usage: ${0##*/} [options]

Deploys the address-match Knative Service from knative/overlays/<overlay> with kn.

Options:
  --overlay NAME|DIR   cpu, gpu (default), gpu-nodes, promotion, or a kustomize directory
  --image IMAGE        run this image instead of the overlay's (e.g. a new tag)
  -n, --namespace NS   namespace (default: the kubeconfig's)
  --target DIR         offline: write the Service YAML under DIR, no cluster needed
  --reset-traffic      replace even while traffic is split between tagged revisions
  --no-wait            do not wait for the new revision to become ready
  --dry-run            render and print the kn command without running it
  -h, --help           show this help

Examples:
  ${0##*/} --overlay cpu -n address-match
  ${0##*/} --overlay gpu --image ghcr.io/addressmatch/address-match-function:0.1.1-gpu
  ${0##*/} --overlay gpu --target ./rendered
USAGE
}

parse_args() {
  while (($# > 0)); do
    case "$1" in
      --overlay) OVERLAY="${2:?--overlay needs a value}"; shift 2 ;;
      --image) IMAGE="${2:?--image needs a value}"; shift 2 ;;
      -n | --namespace) NAMESPACE="${2:?--namespace needs a value}"; shift 2 ;;
      --target) TARGET="${2:?--target needs a directory}"; shift 2 ;;
      --reset-traffic) RESET_TRAFFIC=1; shift ;;
      --no-wait) WAIT=0; shift ;;
      --dry-run) DRY_RUN=1; shift ;;
      -h | --help) usage; exit 0 ;;
      *) usage >&2; die "unknown argument '$1'" ;;
    esac
  done
}

# Prints the overlay directory for a name or a path.
overlay_dir() {
  if [[ -d "$OVERLAY" ]]; then
    printf '%s\n' "$OVERLAY"
  elif [[ -d "$REPO_ROOT/knative/overlays/$OVERLAY" ]]; then
    printf '%s\n' "$REPO_ROOT/knative/overlays/$OVERLAY"
  else
    local known=("$REPO_ROOT"/knative/overlays/*/)
    known=("${known[@]%/}")
    die "no overlay '$OVERLAY': use one of ${known[*]##*/} or a directory"
  fi
}

# Renders the overlay into the file $1.
render() {
  local out="$1" dir
  dir="$(overlay_dir)"
  if command -v "$KUSTOMIZE" >/dev/null 2>&1; then
    "$KUSTOMIZE" build "$dir" >"$out"
  elif command -v "$KUBECTL" >/dev/null 2>&1; then
    "$KUBECTL" kustomize "$dir" >"$out"
  else
    die "neither kustomize nor kubectl found; scripts/check-knative.sh installs kustomize"
  fi
}

# Seconds kn should wait: the revision's progress deadline, after which Knative itself
# gives up on it.
wait_seconds() {
  local file="$1" deadline
  local pattern='s/^ *serving\.knative\.dev\/progress-deadline: *"\{0,1\}\([0-9]*\)s"\{0,1\} *$/\1/p'
  deadline="$(sed -n "$pattern" "$file" | head -n 1)"
  printf '%s\n' "${deadline:-600}"
}

# Refuses to replace a Service whose traffic is held on tagged or named revisions, since the
# replace would send all of it to the new revision at once.
check_traffic() {
  local json split
  if ! json="$(service_json "$SERVICE" 2>&1)"; then
    if [[ "$json" == *"not found"* ]]; then
      log "Service $SERVICE does not exist yet; creating it"
      return 0
    fi
    if [[ "$DRY_RUN" == 1 ]]; then
      log "could not read Service $SERVICE (${json%%$'\n'*}); printing the command anyway"
      return 0
    fi
    die "could not read Service $SERVICE: $json"
  fi
  split="$(printf '%s' "$json" | "$JQ" -r '
    [.spec.traffic // [] | .[] | select((.latestRevision != true) or (.tag // "") != "")]
    | map("\(.revisionName // "@latest")=\(.percent // 0)%"
      + (if .tag then " (\(.tag))" else "" end))
    | join(", ")')"
  if [[ -n "$split" && "$RESET_TRAFFIC" == 0 ]]; then
    die "traffic of $SERVICE is held on tagged or named revisions ($split);" \
      "finish the rollout with scripts/kn-rollout.sh promote|rollback, or pass --reset-traffic"
  fi
}

deploy() {
  local rendered
  WORK_DIR="$(mktemp -d)"
  trap 'rm -rf "$WORK_DIR"' EXIT
  rendered="$WORK_DIR/service.yaml"
  render "$rendered"
  if [[ "$DRY_RUN" == 1 ]]; then
    log "the file given to kn below holds: kustomize build $(overlay_dir)"
  fi

  local -a cmd=("$KN" service create "$SERVICE" -f "$rendered" --force)
  [[ -n "$IMAGE" ]] && cmd+=(--image "$IMAGE")
  [[ -n "$NAMESPACE" ]] && cmd+=(-n "$NAMESPACE")
  if [[ -n "$TARGET" ]]; then
    mkdir -p "$TARGET"
    cmd+=(--target "$TARGET")
  else
    require_tool "$JQ" "install jq (apt-get install jq)"
    check_traffic
    if [[ "$WAIT" == 1 ]]; then
      cmd+=(--wait --wait-timeout "$(wait_seconds "$rendered")")
    else
      cmd+=(--no-wait)
    fi
  fi
  run_change "${cmd[@]}"
}

main() {
  parse_args "$@"
  require_tool "$KN" "scripts/check-knative.sh installs it, or see knative/README.md"
  deploy
}

main "$@"
