#!/usr/bin/env python3
"""The CLI's start: `java -jar eks-lookout.jar query ...` as a whole process, with and without JVM options.

Variants (each a fresh JVM, runs interleaved so a busy machine slows them alike; median and best of N):
  default          java -jar JAR ...
  C1               -XX:TieredStopAtLevel=1                  (client compiler only: less JIT work at start)
  SerialGC         -XX:+UseSerialGC                         (no G1 threads and regions to set up)
  AppCDS           -XX:SharedArchiveFile=ARCHIVE            (the launcher's static archive: JDK, picocli, jar classes)
  AppCDS+C1+Serial all three
  AppCDS+Serial    the launcher's options for a scan of over 64 MB (below it, and for a query up to 1 GB, +C1)
  bin/eks-lookout  the launcher itself (its archive made by `mvn package`, or by its first run before the measuring)

The AppCDS rows use the launcher's archive (function/target/eks-lookout.jsa, from a scan and a query training run),
or --archive.

  bench/startup.py [--jar JAR] [--runs N] [--archive FILE] CORPUS [CORPUS...]
"""

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
QUERY = ('filter @logStream like /^kube-apiserver-audit/\n| filter responseStatus.code >= 500\n'
         '| stats count(*) as n')


def run(argv):
    t0 = time.perf_counter()
    pid = os.fork()
    if pid == 0:
        try:
            fd = os.open(os.devnull, os.O_WRONLY)
            os.dup2(fd, 1)
            os.dup2(fd, 2)
            os.execvp(argv[0], argv)
        finally:
            os._exit(127)
    _, status, ru = os.wait4(pid, 0)
    code = os.waitstatus_to_exitcode(status)
    if code != 0:
        sys.exit("error: exit %d: %s" % (code, " ".join(argv)))
    return time.perf_counter() - t0, ru.ru_utime + ru.ru_stime, ru.ru_maxrss / 1024.0


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--jar", default=os.path.join(ROOT, "function", "target", "eks-lookout.jar"))
    ap.add_argument("--runs", type=int, default=10)
    ap.add_argument("--archive", help="an existing archive (default: the launcher's)")
    ap.add_argument("corpus", nargs="+")
    a = ap.parse_args()
    jar = os.path.abspath(a.jar)
    archive = a.archive
    # the launcher's archive (made by its first run) unless --archive names one: the AppCDS rows measure it
    os.environ["EKS_LOOKOUT_JAR"] = jar
    subprocess.run([os.path.join(ROOT, "bin", "eks-lookout"), "--version"], stdout=subprocess.DEVNULL, check=True)
    if not archive and os.path.exists(jar[:-len(".jar")] + ".jsa"):
        archive = jar[:-len(".jar")] + ".jsa"
    if not archive:
        archive = os.path.join(tempfile.mkdtemp(), "eks-lookout.jsa")
        run(["java", "-XX:ArchiveClassesAtExit=" + archive, "-Xlog:cds*=off", "-jar", jar,
             "query", "--logs", os.path.abspath(a.corpus[0]), "--format", "csv", QUERY])
    cds = ["-XX:SharedArchiveFile=" + archive, "-Xlog:cds*=off"]
    variants = [("default", []), ("C1", ["-XX:TieredStopAtLevel=1"]), ("SerialGC", ["-XX:+UseSerialGC"]),
                ("AppCDS", cds), ("AppCDS+C1+Serial", cds + ["-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC"]),
                ("AppCDS+Serial", cds + ["-XX:+UseSerialGC"]),
                ("bin/eks-lookout (AppCDS+Serial, C1 for query up to 1 GB)", None)]
    launcher = os.path.join(ROOT, "bin", "eks-lookout")
    print("archive %s (%.1f MB); %d runs per variant, interleaved; load average %s"
          % (archive, os.path.getsize(archive) / 1e6, a.runs, " ".join("%.1f" % x for x in os.getloadavg())))
    for corpus in a.corpus:
        mb = os.path.getsize(corpus) / 1e6
        res = {name: [] for name, _ in variants}
        for _ in range(a.runs):
            for name, opts in variants:
                head = [launcher] if opts is None else ["java"] + opts + ["-jar", jar]
                res[name].append(run(head + ["query", "--logs", os.path.abspath(corpus), "--format", "csv", QUERY]))
        print("\n`query` on %s (%.1f MB)\n" % (os.path.basename(corpus), mb))
        print("| JVM options | wall median s | wall best s | CPU median s | peak RSS MB | vs default (wall median) |")
        print("| --- | ---: | ---: | ---: | ---: | ---: |")
        base = statistics.median(r[0] for r in res["default"])
        for name, _ in variants:
            rs = res[name]
            wm = statistics.median(r[0] for r in rs)
            print("| %s | %.2f | %.2f | %.2f | %.0f | %.2f× |" % (name, wm, min(r[0] for r in rs),
                                                                 statistics.median(r[1] for r in rs),
                                                                 max(r[2] for r in rs), wm / base))
        sys.stdout.flush()


if __name__ == "__main__":
    main()
