# DuckDB side of bench/engine-speed.sh: count the events one core filter (or all four) keeps.
#   python3 bench/duckdb_filters.py CORPUS awsauth|denied|5xx|ds|all
import sys, duckdb
f = sys.argv[1]; which = sys.argv[2]
src = f"read_ndjson('{f}', columns={{logStreamName:'VARCHAR', timestamp:'BIGINT', message:'VARCHAR'}})"
W = "('create','update','patch','delete')"
conds = {
 'awsauth': f"logStreamName like 'kube-apiserver-audit%' and json_extract_string(AUD,'$.objectRef.resource')='configmaps' and json_extract_string(AUD,'$.objectRef.name')='aws-auth' and json_extract_string(AUD,'$.verb') in {W}",
 'denied': "logStreamName like 'authenticator%' and contains(message, 'access denied')",
 '5xx': "logStreamName like 'kube-apiserver-audit%' and try_cast(json_extract(AUD,'$.responseStatus.code') as BIGINT) >= 500",
 'ds': f"logStreamName like 'kube-apiserver-audit%' and json_extract_string(AUD,'$.objectRef.resource')='daemonsets' and json_extract_string(AUD,'$.objectRef.namespace')='kube-system' and json_extract_string(AUD,'$.verb') in {W}",
}
conds = {k: v.replace('AUD', "CASE WHEN logStreamName LIKE 'kube-apiserver-audit%' THEN message END") for k, v in conds.items()}
con = duckdb.connect()
if which == 'all':
    sel = ", ".join(f"count(*) filter (where {c})" for c in conds.values())
    print(con.execute(f"select {sel} from {src}").fetchall())
else:
    print(con.execute(f"select count(*) from {src} where {conds[which]}").fetchall())
