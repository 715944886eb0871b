#!/usr/bin/env python3
"""Two jars of the CLI, same run, whole processes, alternating (old, new, then new, old, ...): the four core filters of
bench/peers.py (`query ... | stats count(*) as n`, one process each) and `scan --format json` with the bundled rules,
default heap. Outputs must be byte-identical. Medians of wall, CPU (user+sys of the process and its threads) and peak
RSS, from os.wait4. On a shared host the wall clock of a multi-threaded run says little: read CPU and RSS, and
bench/ParallelRead.java for the reading thread.

  bench/jar_ab.py OLD_JAR NEW_JAR CORPUS [ROUNDS] [-- JVM_OPTION...]
"""
import os
import statistics
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import peers  # noqa: E402  (the four filters)


def run(jvm, jar, args):
    t0 = time.time()
    p = subprocess.Popen(["java"] + jvm + ["-jar", jar] + args, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    out = p.stdout.read()
    _, _, ru = os.wait4(p.pid, 0)
    return time.time() - t0, ru.ru_utime + ru.ru_stime, ru.ru_maxrss / 1024, out


def main():
    argv = sys.argv[1:]
    jvm = []
    if "--" in argv:
        jvm = argv[argv.index("--") + 1:]
        argv = argv[:argv.index("--")]
    if len(argv) < 3:
        sys.exit(__doc__)
    jars = {"old": argv[0], "new": argv[1]}
    corpus = argv[2]
    rounds = int(argv[3]) if len(argv) > 3 else 5
    cmds = {name: ["query", "--logs", corpus, "--format", "csv", q + "\n| stats count(*) as n"]
            for name, (q, _, _, _) in peers.FILTERS.items()}
    cmds["scan"] = ["scan", "--logs", corpus, "--format", "json"]
    res = {}
    for r in range(rounds):
        for name, args in cmds.items():
            outs = {}
            for j in (["old", "new"] if r % 2 == 0 else ["new", "old"]):
                w, c, m, out = run(jvm, jars[j], args)
                outs[j] = out
                res.setdefault((name, j), []).append((w, c, m))
            if outs["old"] != outs["new"]:
                sys.exit("outputs differ: " + name)
    med = lambda name, j, i: statistics.median(x[i] for x in res[(name, j)])  # noqa: E731
    print("| command | old wall s | new wall s | new/old | old CPU s | new CPU s | new/old | old RSS MB | new RSS MB |")
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    for name in cmds:
        ow, nw, oc, nc = med(name, "old", 0), med(name, "new", 0), med(name, "old", 1), med(name, "new", 1)
        print("| %s | %.2f | %.2f | %.2f | %.2f | %.2f | %.2f | %.0f | %.0f |" % (
            name, ow, nw, nw / ow, oc, nc, nc / oc, med(name, "old", 2), med(name, "new", 2)))
    print("outputs identical; medians of %d alternating rounds; load average at the end %.1f"
          % (rounds, os.getloadavg()[0]))


if __name__ == "__main__":
    main()
