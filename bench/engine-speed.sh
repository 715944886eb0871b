#!/usr/bin/env bash
# Whole processes, best of N: the engine's query (four core filters, one per process) and scan (bundled rules)
# vs DuckDB (pip duckdb; read_ndjson + json_extract, same filters, bench/duckdb_filters.py) and jq (the four
# filters in one pass, bench/jq_filters.jq) on one generated corpus. Prints wall and CPU (user+sys) seconds and
# max RSS; CPU is the steadier number on a shared host.
#   bench/engine-speed.sh [JAR] [RUNS]        # SIZE_MB=200 by default; corpus in bench/out/
set -uo pipefail
cd "$(dirname "$0")/.."
JAR=${1:-function/target/eks-lookout.jar}; N=${2:-3}; SIZE_MB=${SIZE_MB:-200}
F=bench/out/corpus-${SIZE_MB}mb.jsonl
mkdir -p bench/out
if [ ! -s "$F" ]; then
  python3 samples/generate.py --seed 1 --hours 24 --size-mb "$SIZE_MB" --incident-copies 10 --tests bench/cases \
      --tests rules/tests --out "$F.tmp" && mv "$F.tmp" "$F"
fi
W='["create", "update", "patch", "delete"]'
declare -A Q
Q[awsauth]="filter @logStream like /^kube-apiserver-audit/ | filter objectRef.resource = \"configmaps\" and objectRef.name = \"aws-auth\" and verb in $W | fields @timestamp, user.username, verb, requestURI"
Q[denied]='filter @logStream like /^authenticator/ | filter @message like "access denied" | fields @timestamp, @message'
Q[5xx]='filter @logStream like /^kube-apiserver-audit/ | filter responseStatus.code >= 500 | fields @timestamp, responseStatus.code, requestURI'
Q[ds]="filter @logStream like /^kube-apiserver-audit/ | filter objectRef.resource = \"daemonsets\" and objectRef.namespace = \"kube-system\" and verb in $W | fields @timestamp, user.username, verb, objectRef.name"
T=$(mktemp); O=$(mktemp); trap 'rm -f $T $O' EXIT
best() { # label cmd...
  local label=$1; shift; local bw=999 bc=999 rss=0
  for _ in $(seq "$N"); do
    /usr/bin/time -o "$T" -f "%e %U %S %M" "$@" > "$O" 2>/dev/null
    read -r w u s m < <(tail -1 "$T"); c=$(echo "$u + $s" | bc)
    bw=$(echo "if ($w < $bw) $w else $bw" | bc); bc=$(echo "if ($c < $bc) $c else $bc" | bc); [ "$m" -gt $rss ] && rss=$m
  done
  printf "%-16s wall %6.2f s  cpu %6.2f s  rss %4d MB  | %s\n" "$label" "$bw" "$bc" $((rss/1024)) \
      "$(tail -1 "$O" | cut -c1-70)"
}
for k in awsauth denied 5xx ds; do
  best "engine $k" java -jar "$JAR" query --logs "$F" "${Q[$k]}"
  python3 -c 'import duckdb' 2>/dev/null && best "duckdb $k" python3 bench/duckdb_filters.py "$F" "$k"
done
best "engine scan" java -jar "$JAR" scan --logs "$F"
python3 -c 'import duckdb' 2>/dev/null && best "duckdb all four" python3 bench/duckdb_filters.py "$F" all
command -v jq >/dev/null && best "jq all four" jq -n -f bench/jq_filters.jq "$F"
