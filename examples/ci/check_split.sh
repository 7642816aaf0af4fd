#!/usr/bin/env bash
# Split a dataset by entity key and fail when the split leaks.
#
#   usage: check_split.sh DATA KEY [OUT_DIR]
#
# Writes train, validation and test files (DATA's format) into OUT_DIR
# (default: splits) with `mlprep split --method key`, then runs
# `mlprep check-leakage` on every pair of sets with --key KEY (shared keys)
# and the duplicate-row check. Every pair is checked and reported; the exit
# code is mlprep's: 0 clean, 1 leakage in some pair, 2 usage error, 3 bad data
# (a missing file or column). A pre-commit hook or a CI step fails on non-zero.
#
# Environment:
#   MLPREP        the command to run (default: mlprep; e.g. "python3 -m mlprep")
#   SPLIT_METHOD  key (default) or random. A random split of data holding
#                 several rows per key leaks: SPLIT_METHOD=random shows the
#                 gate failing.
#   SPLIT_SEED    the split's seed (default: 0)
set -euo pipefail

if [[ $# -lt 2 || $# -gt 3 ]]; then
    echo "usage: check_split.sh DATA KEY [OUT_DIR]" >&2
    exit 2
fi
data=$1
key=$2
out=${3:-splits}
read -r -a mlprep <<< "${MLPREP:-mlprep}"

method=${SPLIT_METHOD:-key}
split_key=(--key "$key")
if [[ $method == random ]]; then
    split_key=()  # a random split ignores keys: the check below still uses it
fi
"${mlprep[@]}" split --data "$data" --method "$method" "${split_key[@]}" \
    --seed "${SPLIT_SEED:-0}" --out "$out"

# The files split wrote: train, validation and test, with the input's suffix.
sets=()
for name in train validation test; do
    found=()
    for path in "$out/$name".*; do
        [[ -e $path ]] && found+=("$path")
    done
    if [[ ${#found[@]} -gt 1 ]]; then
        echo "check_split.sh: $out holds ${found[*]}; give an empty OUT_DIR" >&2
        exit 2
    fi
    sets+=("${found[@]}")
done

status=0
for ((i = 0; i < ${#sets[@]}; i++)); do
    for ((j = i + 1; j < ${#sets[@]}; j++)); do
        echo "== ${sets[i]} vs ${sets[j]}"
        code=0
        "${mlprep[@]}" check-leakage --train "${sets[i]}" --test "${sets[j]}" \
            --key "$key" || code=$?
        if [[ $code -gt 1 ]]; then
            exit "$code"  # usage or data error: the check did not run
        fi
        if [[ $code -eq 1 ]]; then
            status=1
        fi
    done
done
exit "$status"
