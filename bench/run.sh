#!/usr/bin/env bash
# Benchmark: the engine's four-filter one-pass scan vs jq and vs bare Jackson tokenizing, on the same corpus.
#   bench/run.sh                 # generates bench/out/corpus-550mb.jsonl once, builds the jar, runs bench/Bench.java
#   SIZE_MB=1000 bench/run.sh    # a bigger corpus
#   REBUILD=0 bench/run.sh       # reuse function/target/eks-lookout.jar
set -euo pipefail
cd "$(dirname "$0")/.."

SIZE_MB=${SIZE_MB:-550}
CORPUS=bench/out/corpus-${SIZE_MB}mb.jsonl
mkdir -p bench/out

if [ ! -s "$CORPUS" ]; then
  echo "== generating $CORPUS (samples/generate.py, ~${SIZE_MB} MB)"
  tests=(--tests bench/cases)
  if [ -d rules/tests ]; then tests+=(--tests rules/tests); fi
  python3 samples/generate.py --seed 1 --hours 24 --size-mb "$SIZE_MB" --incident-copies 10 "${tests[@]}" \
      --out "$CORPUS.tmp"
  mv "$CORPUS.tmp" "$CORPUS"
fi

. bench/jar.sh
build_jar

echo "== running bench/Bench.java"
# A small heap on purpose: the read path streams, memory stays flat whatever the corpus size.
exec java -Xms256m -Xmx256m -cp function/target/eks-lookout.jar bench/Bench.java "$CORPUS" "$@"
