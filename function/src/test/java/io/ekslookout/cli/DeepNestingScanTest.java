package io.ekslookout.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ekslookout.detect.DetectionReport;
import io.ekslookout.detect.Detector;
import io.ekslookout.detect.LocalBackend;
import io.ekslookout.logs.LocalLogs;
import io.ekslookout.rules.RuleLoader;
import io.ekslookout.rules.RuleSet;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An attacker's audit event nested 2,000 or 100,000 levels deep (objects or arrays, as a CloudWatch event's message
 * or as a raw audit line) neither crashes the scan nor is dropped in silence, and every finding of the bundled
 * corpus scanned with it still comes out. The deep CloudWatch events still fire wildcard-role (its regex reads the
 * raw message): one more finding, for mallory, with the four of them.
 */
class DeepNestingScanTest {
    private static final Path ROOT = Path.of(System.getProperty("repo.root", ".."));
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Inside the corpus' time span, so the scanned window is the corpus' own. */
    private static final long TS = 1795170000000L;
    private static final List<String> CRAFTED = List.of("cw-obj-2000", "cw-arr-2000", "cw-obj-100000",
            "cw-arr-100000");
    private static final List<String> RAW = List.of("raw-obj-2000", "raw-arr-2000", "raw-obj-100000",
            "raw-arr-100000");

    @TempDir
    static Path dir;

    /** A ClusterRole creation (what wildcard-role reads) whose request holds the deep value before its rules. */
    static String auditEvent(int depth, boolean array) {
        String deep = (array ? "[" : "{\"a\":").repeat(depth) + "1" + (array ? "]" : "}").repeat(depth);
        return "{\"kind\":\"Event\",\"apiVersion\":\"audit.k8s.io/v1\",\"level\":\"RequestResponse\","
                + "\"auditID\":\"deep-" + depth + "\",\"stage\":\"ResponseComplete\","
                + "\"requestURI\":\"/apis/rbac.authorization.k8s.io/v1/clusterroles\",\"verb\":\"create\","
                + "\"user\":{\"username\":\"mallory\"},\"sourceIPs\":[\"203.0.113.9\"],"
                + "\"objectRef\":{\"resource\":\"clusterroles\",\"name\":\"deep\",\"apiGroup\":"
                + "\"rbac.authorization.k8s.io\"},\"responseStatus\":{\"code\":201},"
                + "\"requestObject\":{\"metadata\":{\"x\":" + deep + "},\"rules\":[{\"verbs\":[\"*\"],"
                + "\"resources\":[\"*\"],\"apiGroups\":[\"*\"]}]},"
                + "\"requestReceivedTimestamp\":\"2026-11-20T10:20:00.000000Z\","
                + "\"stageTimestamp\":\"2026-11-20T10:20:00.000000Z\"}";
    }

    @BeforeAll
    static void corpus() throws Exception {
        Files.copy(ROOT.resolve("samples/eks-demo.jsonl.gz"), dir.resolve("eks-demo.jsonl.gz"));
        for (String name : CRAFTED) {
            String[] p = name.split("-");
            ObjectNode line = JSON.createObjectNode().put("logStreamName", "kube-apiserver-audit-deep")
                    .put("timestamp", TS).put("message", auditEvent(Integer.parseInt(p[2]), p[1].equals("arr")));
            Files.writeString(dir.resolve(name + ".jsonl"), line + "\n");
        }
        for (String name : RAW) {
            String[] p = name.split("-");
            Files.writeString(dir.resolve(name + ".log"), auditEvent(Integer.parseInt(p[2]), p[1].equals("arr"))
                    + "\n");
        }
    }

    @Test
    void theScanKeepsEveryFindingAndReportsEachDeepEvent() {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.run(new PrintWriter(out), new PrintWriter(err), "scan", "--logs", dir.toString(),
                "--rules", ROOT.resolve("rules").toString(), "--format", "json");
        String summary = err.toString();
        assertThat(code).as(summary).isEqualTo(1);
        List<String> findings = Arrays.stream(out.toString().split("\n")).filter(l -> !l.isBlank()).toList();
        int rules = bundledRules();
        assertThat(findings).as(summary).hasSize(rules + 1);
        assertThat(findings.stream().filter(f -> !f.contains("\"groupKey\":\"mallory\"")).toList()).hasSize(rules);
        assertThat(summary).contains("findings: " + (rules + 1)).contains("rule errors: 0")
                .contains("event errors: ").contains("malformed lines: " + (3 + RAW.size()));
        // each raw line: skipped, located, with its reason; the CloudWatch events: counted per rule, located
        for (String raw : RAW) {
            assertThat(summary).containsPattern("malformed: .*" + raw + "\\.log:1: too deep");
        }
        assertThat(summary).containsPattern("warning: rule wildcard-role: 4 events could not be evaluated .*first: "
                + ".*cw-arr-100000\\.jsonl:1: too deep");
    }

    @Test
    void eachRuleThatLookedPastTheDepthCountsEveryDeepEvent() throws Exception {
        RuleSet rules = RuleLoader.loadDirectory(ROOT.resolve("rules"));
        LocalBackend backend = new LocalBackend(LocalLogs.open(dir));
        Detector.Detection d = new Detector(backend).detect(rules.enabledRules(), LocalBackend.WHOLE_INPUT, null, null);
        DetectionReport report = d.report();
        assertThat(report.ruleErrors()).isEmpty();
        assertThat(report.findings().stream().filter(f -> !"mallory".equals(f.groupKey())).toList())
                .as("the corpus' own findings").hasSize(rules.enabledRules().size());
        assertThat(report.findings().stream().filter(f -> "mallory".equals(f.groupKey())))
                .singleElement().satisfies(f -> assertThat(f.matchCount()).isEqualTo(CRAFTED.size()));
        DetectionReport.RuleRun wildcard = report.perRule().get("wildcard-role");
        assertThat(wildcard.eventErrors()).isEqualTo(CRAFTED.size());
        assertThat(wildcard.firstEventError()).contains("too deep");
        assertThat(d.batch().readReport().malformedSamples()).filteredOn(s -> s.contains("too deep")).hasSize(RAW.size());
    }

    /** The corpus plants one incident per bundled rule. */
    private static int bundledRules() {
        try {
            return RuleLoader.loadDirectory(ROOT.resolve("rules")).enabledRules().size();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }
}
