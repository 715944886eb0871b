#!/usr/bin/env bash
# Benchmark: what Logs Insights bills for a day of scheduled runs, planned vs one query per rule, in both scan
# modes, measured on a generated day of logs (bench/DayMultiplier.java; docs/samples-and-benchmarks.md).
#   bench/day-multiplier.sh                  # generates bench/out/day-150mb.jsonl once, builds the jar, runs
#   SIZE_MB=300 bench/day-multiplier.sh      # a bigger day
#   OUT=/tmp/day bench/day-multiplier.sh     # put the corpus elsewhere
#   REBUILD=0 bench/day-multiplier.sh        # reuse function/target/eks-lookout.jar
# Exits 1 when planned and one-query-per-rule findings differ in any run (or a rule fails, or nothing is found).
set -euo pipefail
cd "$(dirname "$0")/.."

SIZE_MB=${SIZE_MB:-150}
OUT=${OUT:-bench/out}
CORPUS=$OUT/day-${SIZE_MB}mb.jsonl
mkdir -p "$OUT"

if [ ! -s "$CORPUS" ]; then
  echo "== generating $CORPUS (samples/generate.py, 24 h, ~${SIZE_MB} MB, every rule's incidents and decoys)"
  python3 samples/generate.py --seed 1 --hours 24 --size-mb "$SIZE_MB" --incident-copies 4 --tests rules/tests \
      --out "$CORPUS.tmp"
  mv "$CORPUS.tmp" "$CORPUS"
fi

. bench/jar.sh
build_jar

echo "== running bench/DayMultiplier.java (every 5-minute tick of the day, 2 scan modes x planned / per rule)"
exec java -Xmx1500m -cp function/target/eks-lookout.jar bench/DayMultiplier.java "$CORPUS" rules "$@"
