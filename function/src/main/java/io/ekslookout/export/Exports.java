package io.ekslookout.export;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ekslookout.detect.Finding;
import io.ekslookout.notify.RuleInfo;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A run's findings in each export form, the same for the CLI and the Lambda. Only {@link Finding}s go in: their rows
 * come out of the detector already scrubbed of Secret values ({@link io.ekslookout.detect.SecretScrubber}), and
 * nothing here reads the logs again. A finding whose rule is not in {@code rules} is exported with what the finding
 * itself says (id, title, severity). Each finding is exported as coming from its own cluster
 * ({@link ExportContext#forFinding}).
 */
public final class Exports {
    private Exports() {
    }

    public static List<ObjectNode> asff(List<Finding> findings, Map<String, RuleInfo> rules, ExportContext ctx,
                                        Instant now) {
        List<ObjectNode> out = new ArrayList<>();
        findings.forEach(f -> out.add(AsffMapper.map(f, rule(f, rules), ctx.forFinding(f), now)));
        return out;
    }

    public static List<ObjectNode> ocsf(List<Finding> findings, Map<String, RuleInfo> rules, ExportContext ctx,
                                        Instant now) {
        List<ObjectNode> out = new ArrayList<>();
        findings.forEach(f -> out.add(OcsfMapper.map(f, rule(f, rules), ctx.forFinding(f), now)));
        return out;
    }

    public static List<EventEntries.Entry> events(List<Finding> findings, ExportContext ctx, String busName) {
        List<EventEntries.Entry> out = new ArrayList<>();
        findings.forEach(f -> out.add(EventEntries.entry(f, ctx.forFinding(f), busName)));
        return out;
    }

    static RuleInfo rule(Finding f, Map<String, RuleInfo> rules) {
        RuleInfo r = rules.get(f.ruleId());
        return r != null ? r : new RuleInfo(f.ruleId(), f.title(), f.severity(), "", null, "", List.of());
    }
}
