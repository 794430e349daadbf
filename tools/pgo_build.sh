#!/usr/bin/env bash
# Builds batt with profile-guided optimisation: the fastest binary, for long builds and benchmarks.
#
# Usage: tools/pgo_build.sh [SOLVERS] [TASKS]
#   1. builds an instrumented batt (target/pgo-generate/),
#   2. runs `build --scope all --no-cache` with it on SOLVERS (default: this repository's solvers/) and
#      TASKS (default: ../shared/arc/arc-agi-1/evaluation), which records where time goes,
#   3. builds batt again with that profile (target/pgo/release/batt) and prints its path.
# The training run uses the evaluation tasks and batt's own solvers so that a benchmark on arc-dsl's
# solvers and the training tasks measures a binary that never saw them (what it gains: README, Benchmarks).
# Needs rustup's llvm-tools component (installed here when missing). Takes about five minutes on two cores.
set -euo pipefail
cd "$(dirname "$0")/.."

solvers=${1:-solvers}
tasks=${2:-../shared/arc/arc-agi-1/evaluation}
[ -e "$solvers" ] || { echo "no solvers at $solvers" >&2; exit 2; }
[ -e "$tasks" ] || { echo "no tasks at $tasks" >&2; exit 2; }

sysroot=$(rustc --print sysroot)
host=$(rustc -vV | sed -n 's/^host: //p')
profdata="$sysroot/lib/rustlib/$host/bin/llvm-profdata"
if [ ! -x "$profdata" ]; then
    rustup component add llvm-tools >&2
fi
[ -x "$profdata" ] || { echo "llvm-profdata not found at $profdata (rustup component add llvm-tools)" >&2; exit 2; }

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# Absolute paths: RUSTFLAGS reach build scripts and every crate, whatever their working directory.
raw="$work/raw"
merged="$PWD/target/pgo.profdata"
mkdir -p target

RUSTFLAGS="-Cprofile-generate=$raw" cargo build --release --bin batt --target-dir target/pgo-generate >&2
# The training run: its exit status is 1 when a task or solver is reported; only a crash matters.
status=0
target/pgo-generate/release/batt build --solvers "$solvers" --tasks "$tasks" --scope all --no-cache \
    --out "$work/out" >/dev/null 2>"$work/stderr" || status=$?
if [ "$status" -gt 1 ]; then
    cat "$work/stderr" >&2
    echo "the training build failed ($status)" >&2
    exit 1
fi
"$profdata" merge -o "$merged" "$raw"
RUSTFLAGS="-Cprofile-use=$merged" cargo build --release --bin batt --target-dir target/pgo >&2
echo "target/pgo/release/batt"
