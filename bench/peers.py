#!/usr/bin/env python3
"""The engine against its peers, as whole processes, on the same generated corpus in the same run.

For each corpus and each of the four core filters (aws-auth writes, denied authentication, apiserver 5xx,
kube-system DaemonSet writes: bench/Bench.java's four), every tool answers "how many events match?" in its own
process, best of N runs:

  launcher bin/eks-lookout query --logs FILE '<filter> | stats count(*) as n'   (the CLI as the README runs it:
           AppCDS archive, SerialGC, C1 up to 1.2 GB; default heap)
  engine   java -jar eks-lookout.jar query ...   (the same jar with the JVM's defaults: no archive, G1, C2)
  duckdb   python3 peers.py duckdb-count: SELECT count(*) FROM read_json(FILE) WHERE <filter>   (duckdb from pip)
  jq       jq -n 'reduce (inputs | <filter>) as $e (0; . + 1)' FILE
  python   python3 peers.py python-count: json.loads per line (and per audit message), <filter>
  rg       rg -c 'LITERAL' FILE: one literal the filter needs, on the raw text. A LOWER BOUND for reading and
           searching the bytes, not an answer: its counts are lines containing the literal, not matches.

and, once per corpus, `scan --logs FILE` with the bundled rules (every rule, one process, one read), through
bin/eks-lookout (scan-launcher) and with java -jar (scan).

Counts must be equal across engine, DuckDB, jq and Python for each filter, else exit 1. Timing is wall clock (the
question is "how long do I wait") and CPU (user+sys of the process and its threads; DuckDB uses every core), from
os.wait4, which also gives each process's peak RSS.

  bench/peers.py [--runs N] [--tools launcher,engine,scan-launcher,scan,duckdb,jq,python,rg] [--jar JAR]
                 [--check-only] CORPUS...
  bench/peers.py duckdb-count FILTER FILE     (one tool run, used by the benchmark itself)
  bench/peers.py python-count FILTER FILE
"""

import argparse
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)

WRITE_VERBS = ["create", "update", "patch", "delete"]
AUDIT = "kube-apiserver-audit"
AUTH = "authenticator"

# name -> (engine query, jq filter on one event, DuckDB WHERE, ripgrep pattern)
FILTERS = {
    "aws-auth writes": (
        'filter @logStream like /^kube-apiserver-audit/\n'
        '| filter objectRef.resource = "configmaps" and objectRef.name = "aws-auth"'
        ' and verb in ["create", "update", "patch", "delete"]',
        'select(.logStreamName | startswith("kube-apiserver-audit")) | (try (.message | fromjson) catch {}) as $m'
        ' | select(($m | type) == "object" and $m.objectRef.resource == "configmaps"'
        ' and $m.objectRef.name == "aws-auth" and ($m.verb | w))',
        "starts_with(logStreamName, 'kube-apiserver-audit')"
        " AND json_extract_string(message, '$.objectRef.resource') = 'configmaps'"
        " AND json_extract_string(message, '$.objectRef.name') = 'aws-auth'"
        " AND json_extract_string(message, '$.verb') IN ('create', 'update', 'patch', 'delete')",
        "aws-auth",
    ),
    "denied authentication": (
        'filter @logStream like /^authenticator/\n'
        '| filter @message like "access denied"',
        'select((.logStreamName | startswith("authenticator")) and (.message | contains("access denied")))',
        "starts_with(logStreamName, 'authenticator') AND contains(message, 'access denied')",
        "access denied",
    ),
    "apiserver 5xx": (
        'filter @logStream like /^kube-apiserver-audit/\n'
        '| filter responseStatus.code >= 500',
        'select(.logStreamName | startswith("kube-apiserver-audit")) | (try (.message | fromjson) catch {}) as $m'
        ' | select(($m | type) == "object" and ($m.responseStatus.code | type) == "number"'
        ' and $m.responseStatus.code >= 500)',
        "starts_with(logStreamName, 'kube-apiserver-audit')"
        " AND json_type(message, '$.responseStatus.code') IN ('BIGINT', 'UBIGINT', 'DOUBLE')"
        " AND CAST(json_extract(message, '$.responseStatus.code') AS DOUBLE) >= 500",
        r'"code\\":5[0-9][0-9]',
    ),
    "kube-system DaemonSet writes": (
        'filter @logStream like /^kube-apiserver-audit/\n'
        '| filter objectRef.resource = "daemonsets" and objectRef.namespace = "kube-system"'
        ' and verb in ["create", "update", "patch", "delete"]',
        'select(.logStreamName | startswith("kube-apiserver-audit")) | (try (.message | fromjson) catch {}) as $m'
        ' | select(($m | type) == "object" and $m.objectRef.resource == "daemonsets"'
        ' and $m.objectRef.namespace == "kube-system" and ($m.verb | w))',
        "starts_with(logStreamName, 'kube-apiserver-audit')"
        " AND json_extract_string(message, '$.objectRef.resource') = 'daemonsets'"
        " AND json_extract_string(message, '$.objectRef.namespace') = 'kube-system'"
        " AND json_extract_string(message, '$.verb') IN ('create', 'update', 'patch', 'delete')",
        "daemonsets",
    ),
}
SCANS = ("scan-launcher", "scan")
SHORT = {"aws-auth writes": "aws-auth", "denied authentication": "denied auth", "apiserver 5xx": "5xx",
         "kube-system DaemonSet writes": "ks DaemonSet"}


# ---------------------------------------------------------------------------------------------------------------
# The two Python-side tools, each run as its own process by the benchmark.

def python_match(name, event):
    stream = event.get("logStreamName")
    message = event.get("message")
    if not isinstance(stream, str) or not isinstance(message, str):
        return False
    if name == "denied authentication":
        return stream.startswith(AUTH) and "access denied" in message
    if not stream.startswith(AUDIT):
        return False
    try:
        m = json.loads(message)
    except ValueError:
        return False
    if not isinstance(m, dict):
        return False
    ref = m.get("objectRef")
    ref = ref if isinstance(ref, dict) else {}
    if name == "aws-auth writes":
        return ref.get("resource") == "configmaps" and ref.get("name") == "aws-auth" and m.get("verb") in WRITE_VERBS
    if name == "kube-system DaemonSet writes":
        return (ref.get("resource") == "daemonsets" and ref.get("namespace") == "kube-system"
                and m.get("verb") in WRITE_VERBS)
    if name == "apiserver 5xx":
        status = m.get("responseStatus")
        code = status.get("code") if isinstance(status, dict) else None
        return isinstance(code, (int, float)) and not isinstance(code, bool) and code >= 500
    raise SystemExit("unknown filter " + name)


def python_count(name, path):
    n = 0
    with open(path, "rb") as f:
        for line in f:
            try:
                event = json.loads(line)
            except ValueError:
                continue
            if isinstance(event, dict) and python_match(name, event):
                n += 1
    print(n)


def duckdb_count(name, path):
    import duckdb
    where = FILTERS[name][2]
    sql = ("SELECT count(*) FROM read_json(?, format = 'newline_delimited', "
           "columns = {logStreamName: 'VARCHAR', timestamp: 'BIGINT', message: 'VARCHAR'}) WHERE " + where)
    print(duckdb.connect().execute(sql, [path]).fetchone()[0])


# ---------------------------------------------------------------------------------------------------------------
# The benchmark.

JQ_DEF = 'def w: . as $v | ["create","update","patch","delete"] | index([$v]) != null;\n'


def command(tool, name, path, jar):
    q, jqf, _, rg = FILTERS[name] if name else (None, None, None, None)
    if tool == "engine":
        return ["java", "-jar", jar, "query", "--logs", path, "--format", "csv", q + "\n| stats count(*) as n"]
    if tool == "launcher":  # the engine through bin/eks-lookout (AppCDS, SerialGC, C1 up to 1 GB)
        return [os.path.join(ROOT, "bin", "eks-lookout"), "query", "--logs", path, "--format", "csv",
                q + "\n| stats count(*) as n"]
    if tool == "duckdb":
        return [sys.executable, os.path.abspath(__file__), "duckdb-count", name, path]
    if tool == "python":
        return [sys.executable, os.path.abspath(__file__), "python-count", name, path]
    if tool == "jq":
        return ["jq", "-n", JQ_DEF + "reduce (inputs | " + jqf + ") as $e (0; . + 1)", path]
    if tool == "rg":
        return ["rg", "-c", "--no-filename", rg, path]
    if tool == "scan":
        return ["java", "-jar", jar, "scan", "--logs", path, "--format", "json"]
    if tool == "scan-launcher":
        return [os.path.join(ROOT, "bin", "eks-lookout"), "scan", "--logs", path, "--format", "json"]
    raise SystemExit("unknown tool " + tool)


def run_measured(argv, cwd):
    """(wall s, cpu s, peak RSS MB, stdout, stderr, exit code) of one whole process, via fork/exec + wait4."""
    out_r, out_w = os.pipe()
    fd, err_path = tempfile.mkstemp(prefix="peers-stderr-")  # its own file: runs side by side do not clash
    os.close(fd)
    t0 = time.perf_counter()
    pid = os.fork()
    if pid == 0:  # child
        try:
            os.chdir(cwd)
            os.dup2(out_w, 1)
            fd = os.open(err_path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
            os.dup2(fd, 2)
            os.close(out_r)
            os.execvp(argv[0], argv)
        finally:
            os._exit(127)
    os.close(out_w)
    chunks = []
    while True:
        b = os.read(out_r, 1 << 16)
        if not b:
            break
        chunks.append(b)
    os.close(out_r)
    _, status, ru = os.wait4(pid, 0)
    wall = time.perf_counter() - t0
    with open(err_path, "rb") as f:
        err = f.read()
    os.unlink(err_path)
    code = os.waitstatus_to_exitcode(status)
    return wall, ru.ru_utime + ru.ru_stime, ru.ru_maxrss / 1024.0, b"".join(chunks), err, code


def parse_count(tool, out):
    text = out.decode("utf-8", "replace").strip()
    if tool in ("engine", "launcher"):  # csv: header "n", then the count
        lines = text.splitlines()
        return int(lines[1]) if len(lines) >= 2 else 0
    if tool in SCANS:  # one JSON object per finding
        return sum(1 for line in text.splitlines() if line.startswith("{"))
    return int(text or "0")


SLOW = ("jq", "python")


def best(tool, name, path, jar, runs, cwd):
    """Best wall and best CPU of `runs` runs, the count (the same every run), the largest peak RSS."""
    ok_codes = {0, 1} if tool in SCANS + ("rg",) else {0}
    walls, cpus, rss, count = [], [], 0.0, None
    for _ in range(runs):
        wall, cpu, peak, out, err, code = run_measured(command(tool, name, path, jar), cwd)
        if code not in ok_codes:
            sys.exit("error: %s (%s) on %s exited %d:\n%s" % (tool, name or "all rules", path, code,
                                                          err.decode("utf-8", "replace")[-2000:]))
        c = parse_count(tool, out)
        if count is not None and c != count:
            sys.exit("error: %s (%s) gave %d then %d" % (tool, name, count, c))
        count = c
        walls.append(wall)
        cpus.append(cpu)
        rss = max(rss, peak)
    return {"wall": min(walls), "cpu": min(cpus), "rss": rss, "count": count}


def version(argv):
    try:
        out = subprocess.run(argv, capture_output=True, text=True, timeout=60)
        return (out.stdout + out.stderr).strip().splitlines()[0]
    except (OSError, IndexError, subprocess.SubprocessError):
        return "?"


def bench_corpus(path, tools, jar, runs, check_only, slow_runs=0):
    mb = os.path.getsize(path) / 1e6
    with open(path, "rb") as f:
        events = sum(1 for _ in f)
    cwd = os.path.dirname(path)  # no rules/ there: scan uses the rules bundled in the jar
    print("\n### %s: %.1f MB, %d events\n" % (os.path.basename(path), mb, events), flush=True)
    res = {}
    for tool in tools:
        if tool in SCANS:
            res[(tool, None)] = best(tool, None, path, jar, runs, cwd)
            continue
        n = slow_runs if tool in SLOW and slow_runs else runs
        for name in FILTERS:
            res[(tool, name)] = best(tool, name, path, jar, n, cwd)

    # counts: equal across the tools that answer the question
    answering = [t for t in ("engine", "launcher", "duckdb", "jq", "python") if t in tools]
    bad = []
    print("| filter | " + " | ".join(answering) + (" | rg (lines with the literal)" if "rg" in tools else "") + " |")
    print("| --- |" + " ---: |" * (len(answering) + ("rg" in tools)))
    for name in FILTERS:
        counts = [res[(t, name)]["count"] for t in answering]
        row = "| %s | %s" % (name, " | ".join(str(c) for c in counts))
        if "rg" in tools:
            row += " | %d" % res[("rg", name)]["count"]
        print(row + " |")
        if len(set(counts)) > 1 or counts[0] == 0:  # zero: the planted incidents went missing, nothing compared
            bad.append(name)
    scans = [t for t in SCANS if t in tools]
    for t in scans:
        print("\n%s, bundled rules: %d findings" % (t, res[(t, None)]["count"]))
    if len(set(res[(t, None)]["count"] for t in scans)) > 1:
        bad.append("scan")
    if bad:
        print("\nerror: COUNTS DIFFER (or are zero) for: " + ", ".join(bad), flush=True)
        sys.exit(1)
    print("\ncounts equal across %s for all four filters" % ", ".join(answering), flush=True)
    if check_only:
        return res

    labels = {"engine": "engine `query` (`java -jar`)", "launcher": "engine `query` via bin/eks-lookout",
              "duckdb": "DuckDB (python, read_json)", "jq": "jq",
              "python": "Python loop (json.loads)", "rg": "ripgrep (raw text, lower bound only)",
              "scan": "engine `scan` (`java -jar`), all bundled rules (1 process)",
              "scan-launcher": "engine `scan` via bin/eks-lookout, all bundled rules (1 process)"}
    if slow_runs and slow_runs != runs:
        print("\njq and the Python loop: best of %d runs only (--slow-runs)" % slow_runs)
    print("\nwall seconds, best of %d; total = the four filters, one process each; MB/s = bytes read / wall"
          " (a per-filter tool reads the file four times)\n" % runs)
    print("| tool | " + " | ".join(SHORT[n] for n in FILTERS) + " | total s | MB/s | CPU s | vs DuckDB |")
    print("| --- |" + " ---: |" * (len(FILTERS) + 4))
    totals, cells = {}, {}
    for tool in tools:
        if tool in SCANS:
            r = res[(tool, None)]
            totals[tool] = (r["wall"], r["cpu"], mb / r["wall"])
            cells[tool] = ["" for _ in FILTERS]
        else:
            rs = [res[(tool, n)] for n in FILTERS]
            wall = sum(r["wall"] for r in rs)
            totals[tool] = (wall, sum(r["cpu"] for r in rs), 4 * mb / wall)
            cells[tool] = ["%.2f" % r["wall"] for r in rs]
    for tool in tools:
        wall, cpu, mbs = totals[tool]
        vs = "%.2f×" % (wall / totals["duckdb"][0]) if "duckdb" in totals else ""
        print("| %s | %s | %.2f | %.0f | %.2f | %s |" % (labels[tool], " | ".join(cells[tool]), wall, mbs, cpu, vs))
    print()

    for k, kind in ((0, "wall"), (1, "CPU")):
        parts = []
        for a, b, what in (("launcher", "duckdb", "query (launcher) / DuckDB"),
                           ("engine", "duckdb", "query (java -jar) / DuckDB"),
                           ("scan-launcher", "duckdb", "scan (launcher) / DuckDB"),
                           ("scan", "duckdb", "scan (java -jar) / DuckDB"),
                           ("jq", "launcher", "jq / query (launcher)"), ("jq", "engine", "jq / query (java -jar)")):
            if a in totals and b in totals:
                parts.append("%s = %.2f×" % (what, totals[a][k] / totals[b][k]))
        print("ratios (%s, same run): %s" % (kind, ", ".join(parts) or "n/a"))
    for t in ("launcher", "engine"):
        if t in totals and "duckdb" in totals:
            per = ", ".join("%s %.2f×" % (SHORT[n], res[(t, n)]["wall"] / res[("duckdb", n)]["wall"]) for n in FILTERS)
            print("%s / DuckDB per filter: %s" % ("query (launcher)" if t == "launcher" else "query (java -jar)", per))
    for t, scan in (("launcher", "scan-launcher"), ("engine", "scan")):
        if t in tools:
            print("peak RSS (default heap), %s: query %.0f MB" % ("launcher" if t == "launcher" else "java -jar",
                                                                max(res[(t, n)]["rss"] for n in FILTERS))
                  + (", scan %.0f MB" % res[(scan, None)]["rss"] if scan in tools else ""))
    if "rg" in tools:
        print("ripgrep is a raw-text lower bound (one literal per filter, no JSON, no answer), not a peer")
    sys.stdout.flush()
    return res


def main():
    if len(sys.argv) == 4 and sys.argv[1] in ("duckdb-count", "python-count"):
        if sys.argv[2] not in FILTERS:
            sys.exit("unknown filter %r (one of: %s)" % (sys.argv[2], ", ".join(FILTERS)))
        (duckdb_count if sys.argv[1] == "duckdb-count" else python_count)(sys.argv[2], sys.argv[3])
        return
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--slow-runs", type=int, default=0,
                    help="runs of jq and the Python loop (default: --runs); fewer on big corpora saves minutes")
    ap.add_argument("--tools", default="launcher,engine,scan-launcher,scan,duckdb,jq,python,rg")
    ap.add_argument("--jar", default=os.path.join(ROOT, "function", "target", "eks-lookout.jar"))
    ap.add_argument("--check-only", action="store_true", help="counts only (one run each), no timing table")
    ap.add_argument("corpus", nargs="+")
    a = ap.parse_args()
    tools = [t.strip() for t in a.tools.split(",") if t.strip()]
    jar = os.path.abspath(a.jar)
    if "launcher" in tools or "scan-launcher" in tools:  # the same jar; its AppCDS archive made now, not measured
        os.environ["EKS_LOOKOUT_JAR"] = jar
        subprocess.run([os.path.join(ROOT, "bin", "eks-lookout"), "--version"], stdout=subprocess.DEVNULL, check=True)
    if "rg" in tools and not shutil.which("rg"):
        print("note: ripgrep (rg) not installed: its raw-text lower bound is skipped")
        tools.remove("rg")
    if "duckdb" in tools:
        try:
            import duckdb
            duckdb_version = duckdb.__version__
        except ImportError:
            sys.exit("error: the duckdb Python package is missing: pip install duckdb==2.0.1")
    runs = 1 if a.check_only else a.runs
    print("## eks-lookout vs peers (%s)\n" % time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()))
    print("machine: %s, %d CPUs, load average %s; %s; jq %s; DuckDB %s; Python %s; %s"
          % (platform.machine(), os.cpu_count(), " ".join("%.1f" % x for x in os.getloadavg()),
             version(["java", "-version"]), version(["jq", "--version"]),
             duckdb_version if "duckdb" in tools else "-", platform.python_version(),
             version(["rg", "--version"]) if "rg" in tools else "no ripgrep"))
    for path in a.corpus:
        bench_corpus(os.path.abspath(path), tools, jar, runs, a.check_only, 0 if a.check_only else a.slow_runs)


if __name__ == "__main__":
    main()
