#!/usr/bin/env bash
# Calibrates the similarity thresholds of an embedding model on a labelled address-pair file
# and prints a markdown report: thresholds, macro-F1 and per-class precision and recall on the
# held-out half, next to a character-overlap baseline. The data is read in place, never copied.
set -euo pipefail

usage() {
  cat <<'USAGE'
usage: scripts/calibrate.sh DATASET.tsv [MODEL_DIR]

DATASET.tsv  query<TAB>candidate<TAB>label lines, labels 0 not_match, 1 partial_match,
             2 exact_match; split by query into calibration and evaluation halves
MODEL_DIR    a model directory with an embedding manifest; default: the embedded model
USAGE
}

main() {
  if [[ $# -lt 1 || "$1" == "--help" || "$1" == "-h" ]]; then
    usage
    [[ $# -ge 1 ]] && return 0
    return 2
  fi
  local dataset model_dir
  dataset=$(realpath "$1")
  model_dir=${2:+$(realpath "$2")}
  cd "$(dirname "$0")/.."
  ./mvnw -q -B compile exec:java \
    -Dexec.mainClass=dev.addressmatch.calibration.Calibrate \
    -Dexec.args="${dataset}${model_dir:+ ${model_dir}}"
}

main "$@"
