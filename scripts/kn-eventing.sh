#!/usr/bin/env bash
# Creates or updates the event wiring of address-match: the Broker, the Triggers that bring
# it compare requests, the example consumer of its replies and the dead-letter sink, all
# from knative/eventing. It applies the YAML with kubectl because `kn trigger create` cannot
# set a trigger's delivery (retries, backoff, dead-letter sink, timeout), then lists what
# kn sees. --dry-run prints the rendered manifests and the commands instead.
set -euo pipefail

SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO_ROOT="$(cd "$SCRIPT_DIR/.." && pwd)"
# shellcheck source=scripts/lib/common.sh
source "$SCRIPT_DIR/lib/common.sh"

EVENTING_DIR="$REPO_ROOT/knative/eventing"
NAMESPACE=""
DRY_RUN=0

usage() {
  cat <<USAGE
Usage: ${0##*/} [options]

Applies knative/eventing (Broker, Triggers, reply consumer, dead-letter sink) and lists
the brokers and triggers of the namespace with kn.

Options:
  -n, --namespace NS   namespace; the address-match Service must run there
  --dry-run            print the manifests and commands without applying them
  -h, --help           show this help
USAGE
}

parse_args() {
  while (($# > 0)); do
    case "$1" in
      -n | --namespace) NAMESPACE="${2:?--namespace needs a value}"; shift 2 ;;
      --dry-run) DRY_RUN=1; shift ;;
      -h | --help) usage; exit 0 ;;
      *) usage >&2; die "unknown argument '$1'" ;;
    esac
  done
}

# Prints the manifests of knative/eventing.
render() {
  if command -v "$KUSTOMIZE" >/dev/null 2>&1; then
    "$KUSTOMIZE" build "$EVENTING_DIR"
  elif command -v "$KUBECTL" >/dev/null 2>&1; then
    "$KUBECTL" kustomize "$EVENTING_DIR"
  else
    die "neither kustomize nor kubectl found; scripts/check-knative.sh installs kustomize"
  fi
}

apply() {
  local -a ns
  mapfile -t ns < <(namespace_args)
  if [[ "$DRY_RUN" == 1 ]]; then
    render
  else
    require_tool "$KUBECTL" "kubectl applies the manifests"
  fi
  run_change "$KUBECTL" apply "${ns[@]}" -k "$EVENTING_DIR"
  run_change "$KN" broker list "${ns[@]}"
  run_change "$KN" trigger list "${ns[@]}"
}

main() {
  parse_args "$@"
  require_tool "$KN" "scripts/check-knative.sh installs it, or see knative/README.md"
  apply
}

main "$@"
