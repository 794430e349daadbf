#!/usr/bin/env bash
# Instructions executed by two batt binaries on the same cold build, counted by valgrind (cachegrind,
# no cache simulation): a deterministic comparison for runtime changes too small to see through this
# machine's drifting wall times.
#
# Usage: bench/instructions.sh BEFORE_BATT AFTER_BATT SOLVERS.py [TASKS_DIR] [N]
#   The first N task files of TASKS_DIR (default ../shared/arc/arc-agi-1/training, N = 8) are copied to a
#   scratch folder; each binary runs `build --scope all --no-cache --jobs 1` on them with differs off
#   (DIFFERS=on in the environment: on, to count the diff stage too).
set -euo pipefail

if [ $# -lt 3 ]; then
    sed -n '2,10p' "$0" | sed 's/^# \{0,1\}//'
    exit 2
fi
before=$1 after=$2 solvers=$3
tasks=${4:-../shared/arc/arc-agi-1/training}
n=${5:-8}
command -v valgrind >/dev/null || { echo "valgrind is not installed" >&2; exit 2; }
[ -d "$tasks" ] || { echo "no task folder $tasks" >&2; exit 2; }

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir "$work/tasks"
find "$tasks" -maxdepth 1 -name '*.json' | sort | head -n "$n" | xargs -I{} cp {} "$work/tasks/"
if [ "${DIFFERS:-off}" = on ]; then : > "$work/batt.toml"; else printf '[diff]\nenabled = false\n' > "$work/batt.toml"; fi

count() {
    rm -rf "$work/out"
    valgrind --tool=cachegrind --cache-sim=no --cachegrind-out-file=/dev/null \
        "$1" --config "$work/batt.toml" build --solvers "$solvers" --tasks "$work/tasks" --scope all \
        --out "$work/out" --no-cache --jobs 1 2>&1 >/dev/null |
        sed -n 's/.*I *refs: *\([0-9,]*\).*/\1/p' | tr -d ,
}

a=$(count "$before")
b=$(count "$after")
echo "tasks: $(ls "$work/tasks" | wc -l) from $tasks"
echo "before: $a instructions ($before)"
echo "after:  $b instructions ($after)"
awk -v a="$a" -v b="$b" 'BEGIN { printf "after / before = %.3f (%+.1f %%)\n", b / a, 100 * (b - a) / a }'
