#!/usr/bin/env bash
# Raises the warm floor (autoscaling.knative.dev/min-scale) of the address-match revisions
# that serve traffic before a known peak, and puts it back afterwards:
#
#   start --min-scale N   each revision with a share of the traffic gets
#                         max(its own min-scale, ceil(N x share / 100), 1)
#   end                   every revision this script raised gets its own value back
#
# Why revisions and not the Service: min-scale belongs to each revision, and changing the
# Service template creates a new revision, which gets no traffic while traffic is pinned to
# named revisions (a rollout) and otherwise needs a cold start of its own. So the script
# annotates the serving revisions in place with kubectl, which Knative Serving 1.21 and
# later passes on to their autoscalers. The value it replaced is kept on the revision itself
# in the annotation addressmatch.dev/promotion-saved-min-scale ("unset" when there was none),
# so `end` works from any machine and also finds revisions that stopped serving meanwhile.
#
# GPU cost: the floors add up. N split 90/10 between a stable and a candidate revision is
# ceil(0.9 N) + ceil(0.1 N) GPUs, at most one more than N per serving revision beyond the
# first; the summary printed by `start` gives the total. Revisions held at 0 % by a tag are
# left alone: they keep their own min-scale.
#
# Revisions created after `start` (a deploy or a rollout) get the template's min-scale, not
# the raised one: run `start` again after them. --dry-run prints the kubectl commands.
set -euo pipefail

SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=scripts/lib/common.sh
source "$SCRIPT_DIR/lib/common.sh"

readonly MIN_SCALE_KEY="autoscaling.knative.dev/min-scale"
readonly MAX_SCALE_KEY="autoscaling.knative.dev/max-scale"
readonly SAVED_KEY="addressmatch.dev/promotion-saved-min-scale"

SERVICE="address-match"
NAMESPACE=""
ACTION=""
MIN_SCALE=""
DRY_RUN=0

usage() {
  cat <<USAGE
Usage: ${0##*/} start --min-scale N [options]
       ${0##*/} end [options]

Raises the warm floor of the revisions serving traffic for a promotion, and restores it.

Options:
  --min-scale N        warm pods wanted across the serving revisions, 1 to 1000
  --service NAME       Knative Service (default address-match)
  -n, --namespace NS   namespace (default: the kubeconfig's)
  --dry-run            print the kubectl commands instead of running them
  -h, --help           show this help

Needs Knative Serving 1.21 or later: older releases ignore annotation edits on an existing
revision. See knative/README.md, "Promotions".
USAGE
}

parse_args() {
  (($# > 0)) || { usage >&2; die "an action is required: start or end"; }
  case "$1" in
    start | end) ACTION="$1"; shift ;;
    -h | --help) usage; exit 0 ;;
    *) usage >&2; die "unknown action '$1'" ;;
  esac
  while (($# > 0)); do
    case "$1" in
      --min-scale) MIN_SCALE="${2:?--min-scale needs a value}"; shift 2 ;;
      --service) SERVICE="${2:?--service needs a value}"; shift 2 ;;
      -n | --namespace) NAMESPACE="${2:?--namespace needs a value}"; shift 2 ;;
      --dry-run) DRY_RUN=1; shift ;;
      -h | --help) usage; exit 0 ;;
      *) usage >&2; die "unknown argument '$1'" ;;
    esac
  done
  if [[ "$ACTION" == start ]]; then
    [[ -n "$MIN_SCALE" ]] || die "start needs --min-scale N"
    require_int "--min-scale" "$MIN_SCALE" 1 1000
  fi
}

# Prints "revision<TAB>percent" for each revision with a share of the traffic.
serving_revisions() {
  service_json "$SERVICE" | "$JQ" -r '
    [.status.traffic // [] | .[] | select(.revisionName != null and (.percent // 0) > 0)]
    | group_by(.revisionName)
    | .[] | "\(.[0].revisionName)\t\(map(.percent) | add)"'
}

# Prints one annotation of a revision, or nothing when it is not set.
annotation() {
  local json="$1" key="$2"
  # shellcheck disable=SC2016 # $key is a jq variable
  printf '%s' "$json" | "$JQ" -r --arg key "$key" '.metadata.annotations[$key] // empty'
}

# Annotates a revision; arguments are key=value or key- (remove).
annotate_revision() {
  local revision="$1"
  shift
  local -a ns
  mapfile -t ns < <(namespace_args)
  run_change "$KUBECTL" annotate revision "$revision" "${ns[@]}" --overwrite "$@"
}

start_promotion() {
  local lines
  lines="$(serving_revisions)" || die "could not read Service $SERVICE"
  [[ -n "$lines" ]] || die "no revision of $SERVICE serves traffic; nothing to raise"

  # Plan first and check every revision, so that a bad one changes nothing.
  local -a plan=()
  local revision percent json current max saved floor wanted total=0
  while IFS=$'\t' read -r revision percent; do
    json="$(revision_json "$revision")" || die "could not read revision $revision"
    current="$(annotation "$json" "$MIN_SCALE_KEY")"
    max="$(annotation "$json" "$MAX_SCALE_KEY")"
    saved="$(annotation "$json" "$SAVED_KEY")"
    floor=$(((MIN_SCALE * percent + 99) / 100))
    ((floor >= 1)) || floor=1
    wanted=$((floor > ${current:-0} ? floor : ${current:-0}))
    # The webhook does not check annotations edited on a revision: do it here.
    if [[ -n "$max" && "$max" != 0 ]] && ((wanted > max)); then
      die "revision $revision would need min-scale $wanted for its $percent% share of" \
        "$MIN_SCALE pods, above its max-scale $max; lower --min-scale or deploy a revision" \
        "with a higher max-scale"
    fi
    total=$((total + wanted))
    plan+=("$revision" "$percent" "${current:-unset}" "$wanted" "$saved")
  done <<<"$lines"

  local i
  for ((i = 0; i < ${#plan[@]}; i += 5)); do
    revision="${plan[i]}" percent="${plan[i + 1]}" current="${plan[i + 2]}"
    wanted="${plan[i + 3]}" saved="${plan[i + 4]}"
    log "$revision: $percent% of traffic, min-scale $current -> $wanted"
    if [[ "$current" == "$wanted" ]]; then
      continue
    fi
    if [[ -n "$saved" ]]; then
      # Raised before and not ended: keep the value saved the first time.
      annotate_revision "$revision" "$MIN_SCALE_KEY=$wanted"
    else
      annotate_revision "$revision" "$MIN_SCALE_KEY=$wanted" "$SAVED_KEY=$current"
    fi
  done
  log "warm floor across serving revisions: $total pods (one GPU each on the GPU overlays)"
}

end_promotion() {
  local -a ns
  mapfile -t ns < <(namespace_args)
  local raised
  # shellcheck disable=SC2016 # $key is a jq variable
  raised="$("$KN" revision list -s "$SERVICE" "${ns[@]}" -o json | "$JQ" -r --arg key "$SAVED_KEY" '
    .items // [] | .[] | select(.metadata.annotations[$key] != null)
    | "\(.metadata.name)\t\(.metadata.annotations[$key])"')" ||
    die "could not list the revisions of $SERVICE"
  if [[ -z "$raised" ]]; then
    log "no revision of $SERVICE carries $SAVED_KEY; nothing to restore"
    return 0
  fi
  local revision saved
  while IFS=$'\t' read -r revision saved; do
    log "$revision: min-scale back to $saved"
    if [[ "$saved" == unset ]]; then
      annotate_revision "$revision" "$MIN_SCALE_KEY-" "$SAVED_KEY-"
    else
      annotate_revision "$revision" "$MIN_SCALE_KEY=$saved" "$SAVED_KEY-"
    fi
  done <<<"$raised"
}

main() {
  parse_args "$@"
  require_tool "$KN" "scripts/check-knative.sh installs it, or see knative/README.md"
  require_tool "$JQ" "install jq (apt-get install jq)"
  if [[ "$DRY_RUN" == 0 ]]; then
    require_tool "$KUBECTL" "kubectl annotates the revisions; kn cannot"
  fi
  case "$ACTION" in
    start) start_promotion ;;
    end) end_promotion ;;
  esac
}

main "$@"
