#!/usr/bin/env bash
# batt vs CPython arc-dsl on the same solvers and pairs, side by side in one run.
# Usage: bench/vs_cpython.sh PATH/TO/arc-dsl [TASKS_DIR]
# Runs arc-dsl's own solvers.py on its own tasks (scope own) under CPython (bench/cpython_baseline.py, solver
# time only) and under batt (`batt build --no-cache`, score-stage time only), then prints both and the ratio.
set -euo pipefail
dsl=${1:?usage: bench/vs_cpython.sh PATH/TO/arc-dsl [TASKS_DIR]}
tasks=${2:-../shared/arc/arc-agi-1/training}
cd "$(dirname "$0")/.."
cargo build --release -q
out=$(mktemp -d)
py=$(python3 bench/cpython_baseline.py --dsl "$dsl" --tasks "$tasks" 2>/dev/null)
rs=$(./target/release/batt build --solvers "$dsl/solvers.py" --tasks "$tasks" --scope own --no-cache --json --out "$out" 2>/dev/null)
rm -rf "$out"
python3 - "$py" "$rs" <<'PY'
import json, sys
py, rs = json.loads(sys.argv[1]), json.loads(sys.argv[2])
t_py, t_rs = py["seconds"], rs["seconds"]["score"]
print(f"CPython arc-dsl: {py['pairs']} pairs, {py['solved_tasks']} tasks solved, {t_py:.3f} s")
print(f"batt:            {rs['summary']['pairs_run']} pairs, {rs['summary']['tasks_solved']} tasks solved, "
      f"{t_rs:.3f} s (whole build {rs['seconds']['total']:.3f} s)")
print(f"ratio: batt is {t_py / t_rs:.0f}x faster on solver execution ({t_py / rs['seconds']['total']:.0f}x on the whole build)")
PY
