package io.ekslookout.export;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ekslookout.detect.Finding;
import io.ekslookout.notify.ConsoleLink;
import io.ekslookout.notify.Headline;
import io.ekslookout.notify.RuleInfo;
import io.ekslookout.notify.SafeText;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Locale;

/**
 * One finding as an AWS Security Finding Format (ASFF) object for {@code BatchImportFindings}, imported under the
 * account's default product ({@code product/<account>/default}). Pure: no AWS call, the same finding, rule, context
 * and time give the same object. Everything here comes from the finding (rows already scrubbed of Secret values by
 * the detector) and the rule's own text; values from logs are made plain ({@link SafeText}) where they become prose.
 *
 * <pre>
 * SchemaVersion        2018-10-08
 * Id                   eks-lookout/&lt;cluster&gt;/&lt;rule&gt;/&lt;fingerprint&gt; (stable: a repeat updates the finding)
 * ProductArn           arn:&lt;partition&gt;:securityhub:&lt;region&gt;:&lt;account&gt;:product/&lt;account&gt;/default
 * GeneratorId          the rule id
 * AwsAccountId         the account
 * Types                the rule's tags ({@link FindingTypes})
 * CreatedAt            the first event's time; UpdatedAt: now
 * FirstObservedAt      the first row's @timestamp (else the window's start); LastObservedAt: the last row's
 * Severity             Label CRITICAL|HIGH|MEDIUM|LOW|INFORMATIONAL, Original = the rule's severity
 * Title                the rule's title [group key], at most 256 characters
 * Description          the rule's summary (else its description, cut), the headline and the count; ≤ 1024
 * Resources            AwsEksCluster (Id = the cluster ARN) and, when the rows name one, the Kubernetes object (Other)
 * SourceUrl            the Logs Insights console link with the rule's query over the window
 * Remediation          Recommendation.Text = the runbook (≤ 512), Url = the runbook when it is a URL
 * FindingProviderFields Severity and Types again (Security Hub takes updates of those from there)
 * ProductFields        eks-lookout/RuleId, Fingerprint, MatchCount, GroupKey, WindowStart, WindowEnd
 * </pre>
 */
public final class AsffMapper {
    public static final String SCHEMA_VERSION = "2018-10-08";
    static final int TITLE_MAX = 256;
    static final int DESCRIPTION_MAX = 1024;
    static final int RECOMMENDATION_MAX = 512;
    /** Our own cap (ASFF documents none for SourceUrl): the bundled rules' links are at most ~2.1 KB. */
    static final int URL_MAX = 4096;
    static final int OTHER_VALUE_MAX = 1024;
    static final int PRODUCT_FIELD_MAX = 2048;
    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    private AsffMapper() {
    }

    /** The ASFF finding; {@code ctx} must know the region and the account. */
    public static ObjectNode map(Finding f, RuleInfo rule, ExportContext ctx, Instant now) {
        ctx = ctx.forFinding(f); // the finding's own cluster
        if (ctx.region() == null || ctx.account() == null) {
            throw new IllegalArgumentException("Security Hub findings need the region and the account");
        }
        String fingerprint = Fingerprint.of(f, ctx.cluster());
        Observed seen = Observed.of(f);
        ObjectNode o = JSON.objectNode();
        o.put("SchemaVersion", SCHEMA_VERSION);
        o.put("Id", id(f, ctx.cluster(), fingerprint));
        o.put("ProductArn", ctx.productArn());
        o.put("ProductName", ExportContext.PRODUCT);
        o.put("CompanyName", ExportContext.PRODUCT);
        o.put("GeneratorId", f.ruleId());
        o.put("AwsAccountId", ctx.account());
        o.set("Types", JSON.arrayNode().addAll(FindingTypes.asff(f.ruleId(), rule.tags()).stream()
                .map(JSON::textNode).toList()));
        o.put("CreatedAt", time(seen.first()));
        o.put("UpdatedAt", time(now));
        o.put("FirstObservedAt", time(seen.first()));
        o.put("LastObservedAt", time(seen.last()));
        o.set("Severity", severity(f.severity()));
        o.put("Title", title(f));
        o.put("Description", description(f, rule, ctx));
        String link = sourceUrl(f, rule, ctx);
        if (link != null) {
            o.put("SourceUrl", link);
        }
        o.set("Remediation", JSON.objectNode().set("Recommendation", recommendation(rule)));
        o.set("Resources", resources(f, rule, ctx));
        ObjectNode provider = o.putObject("FindingProviderFields");
        provider.set("Severity", severity(f.severity()));
        provider.set("Types", o.get("Types").deepCopy());
        ObjectNode pf = o.putObject("ProductFields");
        pf.put("eks-lookout/RuleId", f.ruleId());
        pf.put("eks-lookout/Fingerprint", fingerprint);
        pf.put("eks-lookout/MatchCount", String.valueOf(f.matchCount()));
        if (f.groupKey() != null) {
            pf.put("eks-lookout/GroupKey", Text.cut(f.groupKey(), PRODUCT_FIELD_MAX));
        }
        pf.put("eks-lookout/WindowStart", time(f.windowStart()));
        pf.put("eks-lookout/WindowEnd", time(f.windowEnd()));
        o.put("RecordState", "ACTIVE");
        return o;
    }

    /** The finding's Id: readable, and stable across runs through the fingerprint. */
    static String id(Finding f, String cluster, String fingerprint) {
        return Text.cut("eks-lookout/" + cluster + "/" + f.ruleId(), 400) + "/" + fingerprint;
    }

    /** ASFF wants ISO-8601 with a zone; milliseconds are enough. */
    static String time(Instant t) {
        return t.truncatedTo(ChronoUnit.MILLIS).toString();
    }

    /** ASFF's labels: INFORMATIONAL for info, the severity in capitals otherwise. */
    static String label(String severity) {
        String s = severity == null ? "" : severity.toLowerCase(Locale.ROOT);
        return switch (s) {
            case "critical", "high", "medium", "low" -> s.toUpperCase(Locale.ROOT);
            default -> "INFORMATIONAL";
        };
    }

    private static ObjectNode severity(String severity) {
        return JSON.objectNode().put("Label", label(severity)).put("Original", severity);
    }

    static String title(Finding f) {
        String group = f.groupKey() == null ? "" : " [" + SafeText.plain(f.groupKey(), 120) + "]";
        return Text.cut(f.title() + group, TITLE_MAX);
    }

    /**
     * What happened, for the console's finding panel: the rule's summary (its description's first sentence when it
     * has none, the title when it has neither), then who did what to which object, then how many events.
     */
    static String description(Finding f, RuleInfo rule, ExportContext ctx) {
        String lead = !rule.summary().isBlank() ? rule.summary()
                : !rule.description().isBlank() ? Text.cut(rule.description().strip(), 600) : f.title();
        StringBuilder sb = new StringBuilder(lead.strip());
        if (!f.rows().isEmpty() || rule.threshold() != null) {
            String h = Headline.of(f, rule, f.rows()).render(f.title(), ctx.cluster(), v -> SafeText.plain(v, 160));
            sb.append("\n\n").append(h);
        }
        sb.append("\n\n").append(f.matchCount()).append(f.matchCount() == 1 ? " matching event" : " matching events")
                .append(" between ").append(time(f.windowStart())).append(" and ").append(time(f.windowEnd()))
                .append(" (rule ").append(f.ruleId()).append(").");
        return Text.cut(sb.toString(), DESCRIPTION_MAX);
    }

    /** The console link, or null when the rule has no query text or the link is too long to be useful. */
    static String sourceUrl(Finding f, RuleInfo rule, ExportContext ctx) {
        if (ctx.logGroup() == null || rule.queryText() == null || rule.queryText().isBlank()) {
            return null;
        }
        String link = ConsoleLink.insights(ctx.region(), ctx.logGroup(), rule.queryText(), f.windowStart(),
                f.windowEnd());
        return link.length() <= URL_MAX ? link : null;
    }

    /** The runbook as the recommendation (a URL also as Url); without one, where to look. */
    static ObjectNode recommendation(RuleInfo rule) {
        ObjectNode r = JSON.objectNode();
        String runbook = rule.runbook() == null ? "" : rule.runbook().strip();
        if (runbook.isEmpty()) {
            r.put("Text", Text.cut("Run rule " + rule.id() + "'s query in CloudWatch Logs Insights over the finding's "
                    + "window (the SourceUrl opens it) and check the events against the rule's description.",
                    RECOMMENDATION_MAX));
            return r;
        }
        r.put("Text", Text.cut(runbook, RECOMMENDATION_MAX));
        if (runbook.matches("https?://\\S+") && runbook.length() <= URL_MAX) {
            r.put("Url", runbook);
        }
        return r;
    }

    /** The cluster, and the Kubernetes object when the rows name one. */
    static com.fasterxml.jackson.databind.node.ArrayNode resources(Finding f, RuleInfo rule, ExportContext ctx) {
        com.fasterxml.jackson.databind.node.ArrayNode rs = JSON.arrayNode();
        ObjectNode cluster = rs.addObject();
        cluster.put("Type", "AwsEksCluster");
        cluster.put("Id", ctx.clusterArn());
        cluster.put("Partition", ctx.partition());
        cluster.put("Region", ctx.region());
        cluster.putObject("Details").putObject("AwsEksCluster").put("Arn", ctx.clusterArn()).put("Name", ctx.cluster());
        KubeObject k = KubeObject.of(f, rule);
        if (k != null) {
            ObjectNode other = rs.addObject();
            other.put("Type", "Other");
            other.put("Id", Text.cut(k.id(ctx.cluster()), 512));
            other.put("Partition", ctx.partition());
            other.put("Region", ctx.region());
            ObjectNode d = other.putObject("Details").putObject("Other");
            d.put("kubernetes/cluster", ctx.cluster());
            put(d, "kubernetes/resource", k.resource());
            put(d, "kubernetes/namespace", k.namespace());
            put(d, "kubernetes/name", k.name());
            put(d, "kubernetes/actor", k.actor());
            put(d, "kubernetes/actorArn", k.arn());
        }
        return rs;
    }

    private static void put(ObjectNode n, String key, String value) {
        if (value != null) {
            n.put(key, Text.cut(value, OTHER_VALUE_MAX));
        }
    }
}
