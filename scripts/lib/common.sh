# shellcheck shell=bash
# Helpers shared by the scripts in scripts/: messages, dry runs and reading Knative state.
# Sourced, not run. Callers set DRY_RUN (0 or 1) and may set NAMESPACE and KN_WAIT_FLAGS.

# Tools, overridable for tests and for machines that keep them elsewhere.
KN="${KN:-kn}"
KUBECTL="${KUBECTL:-kubectl}"
KUSTOMIZE="${KUSTOMIZE:-kustomize}"
JQ="${JQ:-jq}"

# Prints a message to stderr, prefixed with the script's name.
log() {
  printf '%s: %s\n' "${0##*/}" "$*" >&2
}

# Prints an error to stderr and exits with status 1.
die() {
  log "error: $*"
  exit 1
}

# Exits with a clear message when a command the script needs is not on PATH.
require_tool() {
  local tool="$1" hint="$2"
  command -v "$tool" >/dev/null 2>&1 || die "$tool not found on PATH; $hint"
}

# Runs a command that changes something, or only prints it when DRY_RUN=1. The printed form
# is shell-quoted, one command per line, prefixed with "+ ".
run_change() {
  if [[ "${DRY_RUN:-0}" == 1 ]]; then
    printf '+'
    printf ' %q' "$@"
    printf '\n'
    return 0
  fi
  "$@"
}

# Arguments that select the namespace for kn and kubectl, if one was given.
namespace_args() {
  if [[ -n "${NAMESPACE:-}" ]]; then
    printf '%s\n' -n "$NAMESPACE"
  fi
}

# Prints the Knative Service NAME as JSON.
service_json() {
  local name="$1"
  local -a ns
  mapfile -t ns < <(namespace_args)
  "$KN" service describe "$name" "${ns[@]}" -o json
}

# Prints the Revision NAME as JSON.
revision_json() {
  local name="$1"
  local -a ns
  mapfile -t ns < <(namespace_args)
  "$KN" revision describe "$name" "${ns[@]}" -o json
}

# Checks that a value is a whole number within [min, max].
require_int() {
  local what="$1" value="$2" min="$3" max="$4"
  [[ "$value" =~ ^[0-9]+$ ]] || die "$what must be a whole number, got '$value'"
  ((value >= min && value <= max)) || die "$what is $value; it must be between $min and $max"
}
