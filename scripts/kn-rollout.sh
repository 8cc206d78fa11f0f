#!/usr/bin/env bash
# Rolls a new image or model out to the address-match Knative Service as a tagged candidate:
#
#   candidate  new revision tagged "candidate" on a share of the traffic; the revision that
#              served most traffic is pinned and tagged "stable" for the rest
#   shift      change the candidate's share
#   promote    all traffic to the candidate, which is the latest revision; tags removed, so
#              later deploys go live as usual
#   rollback   all traffic to the stable revision; tags removed
#
# Each tagged revision also answers on its own URL (candidate-<service>.<namespace>...), for
# testing before it gets a share. --dry-run prints the kn commands instead of running them;
# the Service is still read from the cluster.
set -euo pipefail

SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=scripts/lib/common.sh
source "$SCRIPT_DIR/lib/common.sh"

SERVICE="address-match"
NAMESPACE=""
ACTION=""
IMAGE=""
MODEL_PATH=""
PERCENT=10
WAIT=1
DRY_RUN=0

usage() {
  cat <<USAGE
Usage: ${0##*/} candidate --image IMAGE [--model-path DIR] [--percent N] [options]
       ${0##*/} shift --percent N [options]
       ${0##*/} promote|rollback [options]

Rolls a new image or model out as a tagged candidate revision, then promotes or drops it.

Options:
  --image IMAGE        image of the candidate (a new tag carries a new baked-in model)
  --model-path DIR     MGEO_MODEL_PATH for the candidate, for a model mounted elsewhere
  --percent N          candidate's share of traffic, 0 to 100 (default 10; 0 = tag only)
  --service NAME       Knative Service (default address-match)
  -n, --namespace NS   namespace (default: the kubeconfig's)
  --no-wait            do not wait for the candidate revision to become ready
  --dry-run            print the kn commands instead of running them
  -h, --help           show this help

Example:
  ${0##*/} candidate --image ghcr.io/addressmatch/address-match-function:0.2.0-gpu --percent 5
  ${0##*/} shift --percent 50
  ${0##*/} promote
USAGE
}

parse_args() {
  (($# > 0)) || { usage >&2; die "an action is required: candidate, shift, promote or rollback"; }
  case "$1" in
    candidate | shift | promote | rollback) ACTION="$1"; shift ;;
    -h | --help) usage; exit 0 ;;
    *) usage >&2; die "unknown action '$1'" ;;
  esac
  while (($# > 0)); do
    case "$1" in
      --image) IMAGE="${2:?--image needs a value}"; shift 2 ;;
      --model-path) MODEL_PATH="${2:?--model-path needs a value}"; shift 2 ;;
      --percent) PERCENT="${2:?--percent needs a value}"; shift 2 ;;
      --service) SERVICE="${2:?--service needs a value}"; shift 2 ;;
      -n | --namespace) NAMESPACE="${2:?--namespace needs a value}"; shift 2 ;;
      --no-wait) WAIT=0; shift ;;
      --dry-run) DRY_RUN=1; shift ;;
      -h | --help) usage; exit 0 ;;
      *) usage >&2; die "unknown argument '$1'" ;;
    esac
  done
  require_int "--percent" "$PERCENT" 0 100
}

# Prints the revision that the route sends the given tag to, or nothing.
tagged_revision() {
  local json="$1" tag="$2"
  # shellcheck disable=SC2016 # $tag is a jq variable
  printf '%s' "$json" | "$JQ" -r --arg tag "$tag" \
    '[.status.traffic // [] | .[] | select(.tag == $tag) | .revisionName][0] // empty'
}

# Prints the revision that serves the largest share of traffic, or nothing.
busiest_revision() {
  printf '%s' "$1" | "$JQ" -r '
    [.status.traffic // [] | .[] | select(.revisionName != null)]
    | group_by(.revisionName)
    | map({name: .[0].revisionName, percent: (map(.percent // 0) | add)})
    | max_by(.percent).name // empty'
}

# Seconds to wait for a new revision: the template's progress deadline, default 600.
wait_args() {
  local json="$1" deadline
  if [[ "$WAIT" == 0 ]]; then
    printf '%s\n' --no-wait
    return
  fi
  deadline="$(printf '%s' "$json" | "$JQ" -r '
    .spec.template.metadata.annotations["serving.knative.dev/progress-deadline"] // "600s"
    | capture("^(?<s>[0-9]+)s$").s // "600"')"
  printf '%s\n' --wait --wait-timeout "$deadline"
}

# Runs kn service update on the Service with the given arguments.
update_service() {
  local -a ns
  mapfile -t ns < <(namespace_args)
  run_change "$KN" service update "$SERVICE" "${ns[@]}" "$@"
}

start_candidate() {
  local json="$1" stable current
  [[ -n "$IMAGE" || -n "$MODEL_PATH" ]] || die "candidate needs --image or --model-path"
  current="$(tagged_revision "$json" candidate)"
  [[ -z "$current" ]] ||
    die "candidate $current is already out; shift, promote or roll it back first"
  stable="$(busiest_revision "$json")"
  [[ -n "$stable" ]] ||
    die "no revision of $SERVICE serves traffic yet; deploy it first (kn-deploy.sh)"

  local -a change=()
  [[ -n "$IMAGE" ]] && change+=(--image "$IMAGE")
  [[ -n "$MODEL_PATH" ]] && change+=(--env "MGEO_MODEL_PATH=$MODEL_PATH")
  local -a wait_flags
  mapfile -t wait_flags < <(wait_args "$json")

  # One update: the new template, the stable revision pinned by name and the candidate on
  # @latest. Until the new revision is ready, @latest still resolves to the old one, so the
  # candidate's share is served by the stable revision meanwhile; no request is dropped.
  log "stable revision: $stable; candidate gets $PERCENT% once ready"
  update_service "${change[@]}" \
    --tag "$stable=stable" --tag "@latest=candidate" \
    --traffic "$stable=$((100 - PERCENT))" --traffic "@latest=$PERCENT" \
    "${wait_flags[@]}"
}

shift_traffic() {
  local json="$1"
  [[ -n "$(tagged_revision "$json" candidate)" ]] ||
    die "no candidate is out; start one with 'candidate'"
  [[ -n "$(tagged_revision "$json" stable)" ]] || die "no revision is tagged stable"
  update_service --traffic "stable=$((100 - PERCENT))" --traffic "candidate=$PERCENT"
}

promote() {
  local json="$1" candidate latest
  candidate="$(tagged_revision "$json" candidate)"
  [[ -n "$candidate" ]] || die "no candidate is out; nothing to promote"
  latest="$(printf '%s' "$json" | "$JQ" -r '.status.latestReadyRevisionName // empty')"
  [[ "$candidate" == "$latest" ]] ||
    die "the candidate ($candidate) is not the latest ready revision ($latest): the Service" \
      "changed during the rollout; route traffic by revision name with kn service update --traffic"
  # Back to the usual state: all traffic follows @latest, no tags. The old stable revision
  # loses its route and scales to zero, whatever its min-scale.
  update_service --untag stable --untag candidate --traffic "@latest=100"
}

rollback() {
  local json="$1" stable
  stable="$(tagged_revision "$json" stable)"
  [[ -n "$stable" ]] || die "no revision is tagged stable; nothing to roll back to"
  update_service --untag candidate --untag stable --traffic "$stable=100"
  log "all traffic is on $stable, pinned by name. The Service template still holds the" \
    "candidate's settings: redeploy the good ones with kn-deploy.sh --reset-traffic, which" \
    "also sends traffic back to @latest."
}

main() {
  parse_args "$@"
  require_tool "$KN" "scripts/check-knative.sh installs it, or see knative/README.md"
  require_tool "$JQ" "install jq (apt-get install jq)"
  local json
  json="$(service_json "$SERVICE")" || die "could not read Service $SERVICE"
  case "$ACTION" in
    candidate) start_candidate "$json" ;;
    shift) shift_traffic "$json" ;;
    promote) promote "$json" ;;
    rollback) rollback "$json" ;;
  esac
}

main "$@"
