import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The parallel read of big JSON Lines files (logs.ParallelLines) against the serial one, in one JVM, same run: the
 * four core filters of bench/peers.py (query, one CLI run each) and scan with the bundled rules, each alternately
 * serial (-Dekslookout.parallel=false) and parallel after one warm-up round, outputs checked equal. Medians of wall,
 * the CPU of the reading thread (the one that feeds the queries: serially it parses too, in parallel it splits the
 * file and replays the workers' chunks) and the process CPU (all threads, GC and JIT included). On a shared host
 * the reading thread's CPU is the steady number: it is the critical path the workers shorten.
 *
 *   java -cp function/target/eks-lookout.jar bench/ParallelRead.java CORPUS [ROUNDS]
 */
public final class ParallelRead {
    public static void main(String[] a) throws Exception {
        String f = a[0];
        int rounds = a.length > 1 ? Integer.parseInt(a[1]) : 5;
        String sel = "filter @logStream like /^kube-apiserver-audit/\n";
        Map<String, String[]> cmds = new LinkedHashMap<>();
        cmds.put("aws-auth writes", new String[] {"query", "--logs", f, "--format", "csv", sel + "| filter objectRef.resource = \"configmaps\" and objectRef.name = \"aws-auth\" and verb in [\"create\", \"update\", \"patch\", \"delete\"]\n| stats count(*) as n"});
        cmds.put("denied authentication", new String[] {"query", "--logs", f, "--format", "csv", "filter @logStream like /^authenticator/\n| filter @message like \"access denied\"\n| stats count(*) as n"});
        cmds.put("apiserver 5xx", new String[] {"query", "--logs", f, "--format", "csv", sel + "| filter responseStatus.code >= 500\n| stats count(*) as n"});
        cmds.put("kube-system DaemonSet writes", new String[] {"query", "--logs", f, "--format", "csv", sel + "| filter objectRef.resource = \"daemonsets\" and objectRef.namespace = \"kube-system\" and verb in [\"create\", \"update\", \"patch\", \"delete\"]\n| stats count(*) as n"});
        cmds.put("scan", new String[] {"scan", "--logs", f, "--format", "json"});
        var mx = java.lang.management.ManagementFactory.getThreadMXBean();
        var os = (com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean();
        System.out.println("| command | serial wall | parallel wall | serial reading-thread CPU | parallel reading-thread CPU | serial process CPU | parallel process CPU |");
        System.out.println("| --- | ---: | ---: | ---: | ---: | ---: | ---: |");
        for (var e : cmds.entrySet()) {
            Map<String, List<double[]>> res = new HashMap<>();
            String out0 = null;
            for (int r = -1; r < rounds; r++) {
                for (String p : (r % 2 == 0 ? new String[] {"false", "true"} : new String[] {"true", "false"})) {
                    System.setProperty("ekslookout.parallel", p);
                    System.gc();
                    long t0 = System.nanoTime(), c0 = mx.getCurrentThreadCpuTime(), p0 = os.getProcessCpuTime();
                    StringWriter o = new StringWriter(), er = new StringWriter();
                    io.ekslookout.cli.Main.run(new PrintWriter(o), new PrintWriter(er), e.getValue());
                    long t1 = System.nanoTime(), c1 = mx.getCurrentThreadCpuTime(), p1 = os.getProcessCpuTime();
                    if (out0 == null) out0 = o.toString(); else if (!out0.equals(o.toString())) throw new AssertionError(e.getKey());
                    if (r >= 0) res.computeIfAbsent(p, k -> new ArrayList<>()).add(new double[] {(t1 - t0) / 1e9, (c1 - c0) / 1e9, (p1 - p0) / 1e9});
                }
            }
            System.out.printf("| %s | %.3f | %.3f | %.3f | %.3f | %.3f | %.3f |%n", e.getKey(), med(res.get("false"), 0), med(res.get("true"), 0),
                    med(res.get("false"), 1), med(res.get("true"), 1), med(res.get("false"), 2), med(res.get("true"), 2));
        }
        System.out.println("medians of " + rounds + " alternating rounds after one warm-up round; load " + Arrays.toString(new double[] {os.getSystemLoadAverage()}));
    }
    static double med(List<double[]> xs, int i) { double[] v = xs.stream().mapToDouble(x -> x[i]).sorted().toArray(); return v[v.length / 2]; }
}
