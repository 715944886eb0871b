import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.ekslookout.logs.LocalLogs;
import io.ekslookout.logs.ReadReport;
import io.ekslookout.query.LogEvent;
import io.ekslookout.query.Query;
import io.ekslookout.query.QueryBatch;
import io.ekslookout.query.QueryContext;
import io.ekslookout.query.QueryResult;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * The benchmark: on ONE corpus file, in ONE run, MB/s of
 * <ol>
 *   <li>the engine running four filters together in one pass (QueryBatch over LocalLogs);</li>
 *   <li>jq (/usr/bin/jq) running the same four filters in one pass;</li>
 *   <li>Jackson merely tokenizing every line and every JSON message inside it;</li>
 *   <li>(for the breakdown) LocalLogs alone: reading events with no query.</li>
 * </ol>
 * Checks that the engine's match counts equal jq's. Usage:
 * {@code java -cp function/target/eks-lookout.jar bench/Bench.java CORPUS.jsonl [--runs N] [--no-jq] [--no-engine]}
 */
public class Bench {
    static final String WRITE_VERBS = "[\"create\", \"update\", \"patch\", \"delete\"]";

    static final String[] NAMES = {"aws-auth mutations", "authenticator access denied", "responses >= 500",
            "kube-system DaemonSet writes"};

    static final String[] QUERIES = {
            "filter @logStream like /^kube-apiserver-audit/\n"
                    + "| filter objectRef.resource = \"configmaps\" and objectRef.name = \"aws-auth\"\n"
                    + "    and verb in " + WRITE_VERBS + "\n"
                    + "| fields @timestamp, user.username, verb, requestURI",
            "filter @logStream like /^authenticator/\n"
                    + "| filter @message like \"access denied\"\n"
                    + "| fields @timestamp, @message",
            "filter @logStream like /^kube-apiserver-audit/\n"
                    + "| filter responseStatus.code >= 500\n"
                    + "| fields @timestamp, responseStatus.code, requestURI",
            "filter @logStream like /^kube-apiserver-audit/\n"
                    + "| filter objectRef.resource = \"daemonsets\" and objectRef.namespace = \"kube-system\"\n"
                    + "    and verb in " + WRITE_VERBS + "\n"
                    + "| fields @timestamp, user.username, verb, objectRef.name",
    };

    static final String JQ = "def w: . as $v | [\"create\",\"update\",\"patch\",\"delete\"] | index([$v]) != null;\n"
            + "reduce inputs as $e ([0,0,0,0];\n"
            + "  if ($e.logStreamName | startswith(\"kube-apiserver-audit\")) then\n"
            + "    (try ($e.message | fromjson) catch {}) as $m\n"
            + "    | .[0] += (if $m.objectRef.resource == \"configmaps\" and $m.objectRef.name == \"aws-auth\""
            + " and ($m.verb | w) then 1 else 0 end)\n"
            + "    | .[2] += (if ($m.responseStatus.code | type) == \"number\" and $m.responseStatus.code >= 500"
            + " then 1 else 0 end)\n"
            + "    | .[3] += (if $m.objectRef.resource == \"daemonsets\" and $m.objectRef.namespace == \"kube-system\""
            + " and ($m.verb | w) then 1 else 0 end)\n"
            + "  elif ($e.logStreamName | startswith(\"authenticator\")) then\n"
            + "    .[1] += (if ($e.message | contains(\"access denied\")) then 1 else 0 end)\n"
            + "  else . end)";

    public static void main(String[] args) throws Throwable {
        if (args.length < 1) {
            System.err.println("usage: Bench CORPUS.jsonl [--runs N] [--no-jq] [--no-engine]");
            System.exit(2);
        }
        Path corpus = Path.of(args[0]);
        int runs = 2;
        boolean jq = true;
        boolean withEngine = true;
        for (int i = 1; i < args.length; i++) {
            if (args[i].equals("--runs")) {
                runs = Integer.parseInt(args[++i]);
            } else if (args[i].equals("--no-jq")) {
                jq = false;
            } else if (args[i].equals("--no-engine")) {
                withEngine = false; // the read path and the baselines only
            }
        }
        double mb = Files.size(corpus) / 1e6;
        System.out.printf(Locale.ROOT, "corpus %s: %.1f MB, java %s, %d runs each (best kept)%n", corpus, mb,
                System.getProperty("java.version"), runs);

        double[] read = best(runs, () -> readOnly(corpus), "LocalLogs read only");
        double[] tokenize = best(runs, () -> tokenize(corpus), "Jackson tokenize (line + message)");
        long[][] engineCounts = {new long[5]};
        double[] engine = !withEngine ? new double[] {Double.NaN, Double.NaN} : best(runs, () -> {
            engineCounts[0] = engine(corpus);
            return engineCounts[0][4];
        }, "engine, 4 filters, 1 pass");
        long[] jqCounts = null;
        double[] jqTime = {Double.NaN, Double.NaN};
        if (jq) {
            long t0 = System.nanoTime();
            jqCounts = jq(corpus);
            jqTime = new double[] {(System.nanoTime() - t0) / 1e9, jqCpu};
            System.out.printf(Locale.ROOT, "  %-36s wall %6.2f s  cpu %6.2f s%n", "jq, 4 filters, 1 pass", jqTime[0],
                    jqTime[1]);
        }

        System.out.println();
        System.out.printf(Locale.ROOT, "%-36s %10s %10s%n", "filter", "engine", "jq");
        boolean same = true;
        for (int i = 0; i < 4; i++) {
            String j = jqCounts == null ? "-" : Long.toString(jqCounts[i]);
            System.out.printf(Locale.ROOT, "%-36s %10d %10s%n", NAMES[i], engineCounts[0][i], j);
            same &= jqCounts == null || !withEngine || jqCounts[i] == engineCounts[0][i];
        }
        System.out.println();
        String[] kinds = {"wall", "cpu"};
        for (int k = 0; k < 2; k++) {
            System.out.printf(Locale.ROOT, "MB/s (%s time): engine %.1f | jq %.1f | Jackson tokenize %.1f"
                    + " | LocalLogs read %.1f%n", kinds[k], mb / engine[k], mb / jqTime[k], mb / tokenize[k],
                    mb / read[k]);
        }
        for (int k = 0; k < 2; k++) {
            System.out.printf(Locale.ROOT, "%s: engine / jq = %.2fx (target >= 5x); engine time / tokenize time = %.2f"
                    + " (target <= 2); read path = %.0f%% of engine time%n", kinds[k], jqTime[k] / engine[k],
                    engine[k] / tokenize[k], 100 * read[k] / engine[k]);
        }
        System.out.println(jqCounts == null ? "match counts: jq not run"
                : same ? "match counts: engine == jq" : "MATCH COUNTS DIFFER");
        if (!same) {
            System.exit(1);
        }
    }

    interface Timed {
        long run() throws Throwable;
    }

    static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    /** Best wall and best CPU seconds (this thread) of a few runs. */
    static double[] best(int runs, Timed body, String label) throws Throwable {
        double wall = Double.MAX_VALUE;
        double cpu = Double.MAX_VALUE;
        long result = 0;
        for (int i = 0; i < runs; i++) {
            long c0 = THREADS.getCurrentThreadCpuTime();
            long t0 = System.nanoTime();
            result = body.run();
            wall = Math.min(wall, (System.nanoTime() - t0) / 1e9);
            cpu = Math.min(cpu, (THREADS.getCurrentThreadCpuTime() - c0) / 1e9);
        }
        System.out.printf(Locale.ROOT, "  %-36s wall %6.2f s  cpu %6.2f s  (checksum %d)%n", label, wall, cpu, result);
        return new double[] {wall, cpu};
    }

    static long readOnly(Path corpus) throws IOException {
        long[] sum = new long[1];
        ReadReport r = LocalLogs.open(corpus).read(e -> sum[0] += e.message().length());
        if (r.malformed() > 0) {
            System.out.println("  note: " + r.malformed() + " malformed lines: " + r.malformedSamples());
        }
        return sum[0] + r.events();
    }

    static long tokenize(Path corpus) throws IOException {
        JsonFactory f = new JsonFactory();
        long tokens = 0;
        try (JsonParser p = f.createParser(corpus.toFile())) {
            JsonToken t;
            while ((t = p.nextToken()) != null) {
                tokens++;
                if (t == JsonToken.FIELD_NAME && p.currentName().equals("message")) {
                    p.nextToken();
                    String m = p.getText();
                    if (!m.isEmpty() && m.charAt(0) == '{') {
                        try (JsonParser q = f.createParser(m)) {
                            while (q.nextToken() != null) {
                                tokens++;
                            }
                        }
                    }
                }
            }
        }
        return tokens;
    }

    /** Match counts of the four queries, then a checksum, through one QueryBatch over LocalLogs. */
    static long[] engine(Path corpus) throws IOException {
        List<Query> queries = new ArrayList<>();
        for (String q : QUERIES) {
            queries.add(Query.parse(q));
        }
        QueryBatch batch = QueryBatch.start(queries, QueryContext.unbounded(Instant.now()));
        ReadReport report = LocalLogs.open(corpus).read(batch::accept);
        List<QueryResult> results = batch.finish();
        if (!batch.failures().isEmpty()) {
            throw new IllegalStateException("queries failed: " + batch.failures());
        }
        long[] counts = new long[5];
        for (int i = 0; i < 4; i++) {
            counts[i] = results.get(i).recordsMatched();
            counts[4] += counts[i];
        }
        counts[4] += report.events();
        return counts;
    }

    /** The four counts; jq's CPU seconds (user + sys, from the shell's {@code times}) in {@link #jqCpu}. */
    static long[] jq(Path corpus) throws IOException, InterruptedException {
        Process p = new ProcessBuilder("bash", "-c", "/usr/bin/jq -n -c \"$1\" \"$2\" && times", "bash", JQ,
                corpus.toString()).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        String[] lines = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim().split("\n");
        if (!p.waitFor(1, TimeUnit.HOURS) || p.exitValue() != 0 || lines.length < 3) {
            throw new IllegalStateException("jq failed (exit " + p.exitValue() + "): " + String.join("\n", lines));
        }
        jqCpu = 0; // children's "XmY.YYYs XmY.YYYs" (user, sys)
        for (String t : lines[2].trim().split("\\s+")) {
            String[] ms = t.replace("s", "").split("m");
            jqCpu += Double.parseDouble(ms[0]) * 60 + Double.parseDouble(ms[1]);
        }
        return Arrays.stream(lines[0].replaceAll("[\\[\\]\\s]", "").split(",")).mapToLong(Long::parseLong)
                .toArray();
    }

    static double jqCpu = Double.NaN;
}
