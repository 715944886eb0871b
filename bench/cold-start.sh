#!/usr/bin/env bash
# Cold start of the Lambda handler from the shaded jar, measured in fresh JVMs against a local moto server.
#   bench/cold-start.sh            # 5 runs, prints each run's JSON and the median init time
#   RUNS=10 REBUILD=0 bench/cold-start.sh
# "initMs" is the handler's constructor (env config, rules from the jar, SDK clients): what Lambda adds to the
# JVM start in its Init phase. "firstInvokeMs" is the first scheduled run (health check, every bundled rule through
# StartQuery/GetQueryResults on moto, SNS publish). JVM flags as Lambda's Java 17 runtime sets them.
set -euo pipefail
cd "$(dirname "$0")/.."
RUNS=${RUNS:-5}
mkdir -p bench/out

. bench/jar.sh
build_jar
SIZE=$(wc -c <function/target/eks-lookout.jar)
echo "jar: $SIZE bytes"
# The Lambda asset must stay under 12 MB (12,000,000 bytes): it is uploaded and unpacked at every cold start.
[ "$SIZE" -lt 12000000 ] || { echo "error: function/target/eks-lookout.jar is over 12 MB" >&2; exit 1; }
javac -d bench/out -cp function/target/eks-lookout.jar bench/ColdStart.java

PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
python3 -m moto.server -H 127.0.0.1 -p "$PORT" >bench/out/moto.log 2>&1 &
MOTO=$!
trap 'kill $MOTO 2>/dev/null || true' EXIT
export AWS_ACCESS_KEY_ID=testing AWS_SECRET_ACCESS_KEY=testing AWS_REGION=us-east-1 AWS_DEFAULT_REGION=us-east-1
export AWS_ENDPOINT_URL="http://127.0.0.1:$PORT"
python3 - <<PY
import time, urllib.request
for _ in range(300):
    try:
        urllib.request.urlopen("$AWS_ENDPOINT_URL/moto-api/data.json", timeout=2); break
    except Exception:
        time.sleep(0.2)
PY
TOPIC=$(python3 - <<PY
import boto3, time
ep = "$AWS_ENDPOINT_URL"
logs = boto3.client("logs", endpoint_url=ep)
sns = boto3.client("sns", endpoint_url=ep)
g = "/aws/eks/bench/cluster"
logs.create_log_group(logGroupName=g)
logs.create_log_stream(logGroupName=g, logStreamName="kube-apiserver-audit-0")
now = int(time.time() * 1000)
logs.put_log_events(logGroupName=g, logStreamName="kube-apiserver-audit-0",
    logEvents=[{"timestamp": now - 600000 + i, "message": '{"kind":"Event","verb":"get"}'} for i in range(100)])
print(sns.create_topic(Name="bench")["TopicArn"])
PY
)
# the CLI from the same jar: scan the cluster on Logs Insights and publish, as a user would
java -jar function/target/eks-lookout.jar scan --cluster bench --since 1h --format json --publish "$TOPIC" \
  >bench/out/cli-scan.json 2>bench/out/cli-scan.err || [ $? -eq 1 ]
grep -q "published" bench/out/cli-scan.err || { cat bench/out/cli-scan.err >&2; exit 1; }
echo "cli: $(grep -E "^Logs Insights|^published" bench/out/cli-scan.err | tr '\n' ' ')"

export CLUSTER_NAME=bench TOPIC_ARN="$TOPIC"
for i in $(seq "$RUNS"); do
  java -XX:+TieredCompilation -XX:TieredStopAtLevel=1 -Xshare:auto \
       -cp function/target/eks-lookout.jar:bench/out ColdStart | tee -a bench/out/cold-start.jsonl
done | python3 -c '
import json, sys, statistics
runs = [json.loads(l) for l in sys.stdin if l.startswith("{\"jvmToMainMs")]
for r in runs: print(json.dumps({k: r[k] for k in ("jvmToMainMs", "initMs", "firstInvokeMs")}), "rules:", r["response"]["rulesRun"], "errors:", r["response"]["ruleErrors"])
print("median initMs %d, median firstInvokeMs %d over %d runs" % (statistics.median(r["initMs"] for r in runs),
      statistics.median(r["firstInvokeMs"] for r in runs), len(runs)))'
