#!/usr/bin/env bash
# The cost of the diff stage: the same --no-cache build with differs (built-ins, plus any differ_* in the
# solvers) and with --no-diff, one after the other; prints wall and CPU seconds, the overhead ratio, and
# how many tasks got near misses against how many produced any grid.
# Usage: bench/diff_overhead.sh PATH/TO/solvers.py TASKS_DIR [ROUNDS]
# Rounds alternate the order (diff first, then no-diff first, …) so that a load change on a shared machine
# does not always fall on the same side.
set -euo pipefail
solvers=${1:?usage: bench/diff_overhead.sh PATH/TO/solvers.py TASKS_DIR [ROUNDS]}
tasks=${2:?usage: bench/diff_overhead.sh PATH/TO/solvers.py TASKS_DIR [ROUNDS]}
rounds=${3:-1}
cd "$(dirname "$0")/.."
cargo build --release -q --bin batt
batt=${CARGO_TARGET_DIR:-target}/release/batt
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
run() { # mode round
  local flag=""
  [ "$1" = nodiff ] && flag=--no-diff
  /usr/bin/time -f "%U %S" -o "$work/$1-$2.time" "$batt" build --solvers "$solvers" --tasks "$tasks" --scope all \
    --no-cache $flag --json --out "$work/out-$1-$2" > "$work/$1-$2.json" 2>/dev/null || true
}
for r in $(seq 1 "$rounds"); do
  if [ $((r % 2)) = 1 ]; then run diff "$r"; run nodiff "$r"; else run nodiff "$r"; run diff "$r"; fi
done
python3 - "$work" "$rounds" <<'PY'
import json, sys
work, rounds = sys.argv[1], int(sys.argv[2])
tot = {}
for mode in ("diff", "nodiff"):
    wall = cpu = 0.0
    for r in range(1, rounds + 1):
        j = json.load(open(f"{work}/{mode}-{r}.json"))
        u, s = map(float, open(f"{work}/{mode}-{r}.time").read().split())
        wall += j["seconds"]["total"]; cpu += u + s
        print(f"round {r} {mode:>6}: {j['seconds']['total']:7.2f} s wall, {u + s:7.2f} s CPU")
    tot[mode] = (wall, cpu)
print(f"overhead of differs: {tot['diff'][0] / tot['nodiff'][0]:.3f}x wall, {tot['diff'][1] / tot['nodiff'][1]:.3f}x CPU")
report = json.load(open(f"{work}/out-diff-1/report.json"))
j = json.load(open(f"{work}/diff-1.json"))
tasks = report["tasks"]
ranked = sum(1 for t in tasks.values() if t["near_misses"])
# A task produced a grid when some program solved a pair (a grid) or is a near miss (a grid, scored).
produced = sum(1 for t in tasks.values() if t["near_misses"] or t["solvers"])
unsolved = [t for t in tasks.values() if not t["solved"]]
print(f"tasks: {len(tasks)}; produced any grid: {produced}; with ranked near misses: {ranked}; "
      f"unsolved: {len(unsolved)}, of which with near misses: {sum(1 for t in unsolved if t['near_misses'])}")
print(f"pair outcomes: {j['outcomes']}")
PY
