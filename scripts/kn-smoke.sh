#!/usr/bin/env bash
# Smoke test of a running address-match function, e.g. at the URL `kn service describe
# address-match -o url` prints (or a tagged revision's URL). It checks, with curl:
#   1. POST /compare answers 200 with a match_level;
#   2. a binary-mode CloudEvent of type dev.addressmatch.compare.request POSTed to / answers
#      200 with a reply event of type dev.addressmatch.compare.result from
#      address-match-function whose data carries the request's id as request_id.
# --dry-run prints the curl commands instead of running them.
set -euo pipefail

SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=scripts/lib/common.sh
source "$SCRIPT_DIR/lib/common.sh"

readonly REQUEST_TYPE="dev.addressmatch.compare.request"
readonly REPLY_TYPE="dev.addressmatch.compare.result"
readonly REPLY_SOURCE="address-match-function"
readonly PAIR='{"address1":"北京市海淀区中关村大街27号",'\
'"address2":"北京海淀中关村大街27号"}'

URL=""
TIMEOUT_S=30
DRY_RUN=0
WORK_DIR=""

usage() {
  cat <<USAGE
Usage: ${0##*/} [options] URL

Sends one plain HTTP compare request and one binary CloudEvent to URL and checks the replies.

Options:
  --timeout SECONDS   per request, default 30 (a GPU pod starting from zero needs minutes)
  --dry-run           print the curl commands without sending anything
  -h, --help          show this help

Example:
  ${0##*/} "\$(kn service describe address-match -o url)"
USAGE
}

parse_args() {
  while (($# > 0)); do
    case "$1" in
      --timeout) TIMEOUT_S="${2:?--timeout needs a value}"; shift 2 ;;
      --dry-run) DRY_RUN=1; shift ;;
      -h | --help) usage; exit 0 ;;
      -*) usage >&2; die "unknown option '$1'" ;;
      *) [[ -z "$URL" ]] || die "only one URL, got '$URL' and '$1'"; URL="$1"; shift ;;
    esac
  done
  [[ -n "$URL" ]] || { usage >&2; die "a URL is required"; }
  require_int "--timeout" "$TIMEOUT_S" 1 3600
  URL="${URL%/}"
}

# Runs curl and prints the HTTP status it wrote; under --dry-run prints the command to
# stderr instead, since stdout is captured.
send() {
  if [[ "$DRY_RUN" == 1 ]]; then
    run_change "$@" >&2
    return 0
  fi
  "$@"
}

# Fails with the status and body when a reply is not what was expected.
fail_reply() {
  local what="$1" status="$2" body="$3"
  die "$what: HTTP $status, body: $(head -c 500 "$body")"
}

check_http() {
  local headers="$WORK_DIR/http.headers" body="$WORK_DIR/http.body" status
  status="$(send curl -sS --max-time "$TIMEOUT_S" -o "$body" -D "$headers" -w '%{http_code}' \
    -H 'Content-Type: application/json' --data "$PAIR" "$URL/compare")"
  [[ "$DRY_RUN" == 1 ]] && return 0
  [[ "$status" == 200 ]] || fail_reply "POST /compare" "$status" "$body"
  grep -q '"match_level"' "$body" ||
    fail_reply "POST /compare without match_level" "$status" "$body"
  log "ok: POST /compare -> $(head -c 300 "$body")"
}

# Prints a header's value from a curl header dump, case-insensitively.
header_value() {
  local file="$1" name="$2"
  tr -d '\r' <"$file" | awk -v name="$name" '
    tolower($0) ~ "^" tolower(name) ":" { sub(/^[^:]*:[ \t]*/, ""); print; exit }'
}

check_cloudevent() {
  local headers="$WORK_DIR/ce.headers" body="$WORK_DIR/ce.body" status id type source
  id="smoke-$(date +%s)-$$"
  status="$(send curl -sS --max-time "$TIMEOUT_S" -o "$body" -D "$headers" -w '%{http_code}' \
    -H 'Content-Type: application/json' \
    -H 'Ce-Specversion: 1.0' \
    -H "Ce-Type: $REQUEST_TYPE" \
    -H 'Ce-Source: /scripts/kn-smoke' \
    -H "Ce-Id: $id" \
    --data "$PAIR" "$URL/")"
  [[ "$DRY_RUN" == 1 ]] && return 0
  [[ "$status" == 200 ]] || fail_reply "CloudEvent $REQUEST_TYPE" "$status" "$body"
  type="$(header_value "$headers" ce-type)"
  source="$(header_value "$headers" ce-source)"
  [[ "$type" == "$REPLY_TYPE" ]] ||
    fail_reply "reply ce-type is '$type', want $REPLY_TYPE" "$status" "$body"
  [[ "$source" == "$REPLY_SOURCE" ]] ||
    fail_reply "reply ce-source is '$source', want $REPLY_SOURCE" "$status" "$body"
  grep -q "\"request_id\" *: *\"$id\"" "$body" ||
    fail_reply "reply data without request_id $id" "$status" "$body"
  log "ok: CloudEvent $REQUEST_TYPE id $id -> $type from $source"
}

main() {
  parse_args "$@"
  require_tool curl "install curl"
  WORK_DIR="$(mktemp -d)"
  trap 'rm -rf "$WORK_DIR"' EXIT
  check_http
  check_cloudevent
  [[ "$DRY_RUN" == 1 ]] || log "smoke test passed against $URL"
}

main "$@"
