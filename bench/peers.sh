#!/usr/bin/env bash
# The engine against jq, DuckDB, a plain Python loop and ripgrep (a raw-text lower bound), as whole processes, on the
# same generated corpora in the same run (bench/peers.py does the measuring and checks the counts are equal).
#   bench/peers.sh                       # corpora of 50, 200 and 1000 MB, best of 3
#   SIZES="50 200" RUNS=5 bench/peers.sh
#   SIZES=1000 SLOW_RUNS=1 bench/peers.sh  # jq and the Python loop once each (minutes per run at 1 GB)
#   TOOLS=launcher,scan-launcher,duckdb bench/peers.sh
#   REBUILD=0 bench/peers.sh             # reuse function/target/eks-lookout.jar
#   CHECK_ONLY=1 SIZES=15 bench/peers.sh # CI: counts equal across engine/DuckDB/jq/Python, no timing
# Corpora go to bench/out/ (git-ignored; BENCH_OUT=DIR elsewhere), generated once per size by samples/generate.py
# (seed 1, 24 h, incidents from bench/cases and rules/tests copied 10 times). Output: markdown tables (stdout).
set -euo pipefail
cd "$(dirname "$0")/.."

SIZES=${SIZES:-50 200 1000}
OUT=${BENCH_OUT:-bench/out}
mkdir -p "$OUT"

command -v jq >/dev/null || { echo "error: jq is missing" >&2; exit 2; }
python3 -c 'import duckdb' 2>/dev/null || {
  echo "error: the duckdb Python package is missing: python3 -m pip install duckdb==2.0.1" >&2; exit 2; }

corpora=()
for size in $SIZES; do
  corpus="$OUT/peers-${size}mb.jsonl"
  if [ ! -s "$corpus" ]; then
    echo "== generating $corpus (samples/generate.py, ~${size} MB)" >&2
    python3 samples/generate.py --seed 1 --hours 24 --size-mb "$size" --incident-copies 10 \
        --tests bench/cases --tests rules/tests --out "$corpus.tmp" >&2
    mv "$corpus.tmp" "$corpus"
  fi
  corpora+=("$corpus")
done

. bench/jar.sh
build_jar

args=(--runs "${RUNS:-3}" --slow-runs "${SLOW_RUNS:-0}" --tools "${TOOLS:-launcher,engine,scan-launcher,scan,duckdb,jq,python,rg}")
if [ "${CHECK_ONLY:-0}" = 1 ]; then args+=(--check-only); fi
exec python3 bench/peers.py "${args[@]}" "${corpora[@]}"
