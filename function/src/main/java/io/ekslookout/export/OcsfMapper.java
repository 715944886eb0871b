package io.ekslookout.export;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ekslookout.detect.Finding;
import io.ekslookout.notify.RuleInfo;

import java.time.Instant;
import java.util.Locale;
import java.util.Map;

/**
 * One finding as an OCSF {@value #VERSION} Detection Finding (class 2004, category 2 Findings, activity 1 Create),
 * the form Amazon Security Lake and many SIEMs ingest; {@code scan --format ocsf} prints one per line. Pure, like
 * {@link AsffMapper}; the rows it carries are the detector's (already scrubbed of Secret values).
 *
 * <pre>
 * class_uid 2004, category_uid 2, activity_id 1, type_uid 200401 (and their names)
 * severity_id          1 Informational, 2 Low, 3 Medium, 4 High, 5 Critical (0 Unknown otherwise)
 * status_id            1 New
 * time                 now (ms since the epoch); count = the finding's match count
 * finding_info         uid = the fingerprint, title, desc (summary), types ({@link FindingTypes}),
 *                      first_seen_time / last_seen_time (rows' @timestamp, else the window), analytic = the rule,
 *                      attacks = the ATT&amp;CK techniques of its tags, src_url = the console link
 * resources            the EKS cluster (uid = its ARN when the account is known), the Kubernetes object
 * metadata             product {name, vendor_name, version}, version {@value #VERSION}
 * cloud                provider AWS, region, account.uid (when known)
 * unmapped             ruleId, groupKey, windowStart, windowEnd, rows, rowsOmitted
 * </pre>
 */
public final class OcsfMapper {
    public static final String VERSION = "1.1.0";
    public static final int CLASS_UID = 2004;
    public static final int CATEGORY_UID = 2;
    public static final int ACTIVITY_CREATE = 1;
    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;
    private static final Map<String, Integer> SEVERITY_IDS = Map.of("info", 1, "low", 2, "medium", 3, "high", 4,
            "critical", 5);
    private static final String[] SEVERITY_NAMES = {"Unknown", "Informational", "Low", "Medium", "High", "Critical"};

    private OcsfMapper() {
    }

    /** OCSF's severity_id of a rule severity label (0 Unknown for anything else). */
    public static int severityId(String severity) {
        return severity == null ? 0 : SEVERITY_IDS.getOrDefault(severity.toLowerCase(Locale.ROOT), 0);
    }

    public static ObjectNode map(Finding f, RuleInfo rule, ExportContext ctx, Instant now) {
        ctx = ctx.forFinding(f); // the finding's own cluster
        ObjectNode o = JSON.objectNode();
        o.put("class_uid", CLASS_UID);
        o.put("class_name", "Detection Finding");
        o.put("category_uid", CATEGORY_UID);
        o.put("category_name", "Findings");
        o.put("activity_id", ACTIVITY_CREATE);
        o.put("activity_name", "Create");
        o.put("type_uid", CLASS_UID * 100L + ACTIVITY_CREATE);
        o.put("type_name", "Detection Finding: Create");
        int sev = severityId(f.severity());
        o.put("severity_id", sev);
        o.put("severity", SEVERITY_NAMES[sev]);
        o.put("status_id", 1);
        o.put("status", "New");
        o.put("time", now.toEpochMilli());
        o.put("count", f.matchCount());
        o.put("message", AsffMapper.title(f));
        o.set("finding_info", findingInfo(f, rule, ctx));
        o.set("resources", resources(f, rule, ctx));
        ObjectNode meta = o.putObject("metadata");
        meta.putObject("product").put("name", ExportContext.PRODUCT).put("vendor_name", ExportContext.PRODUCT)
                .put("version", ExportContext.VERSION);
        meta.put("version", VERSION);
        ObjectNode cloud = o.putObject("cloud");
        cloud.put("provider", "AWS");
        if (ctx.region() != null) {
            cloud.put("region", ctx.region());
        }
        if (ctx.account() != null) {
            cloud.putObject("account").put("uid", ctx.account());
        }
        ObjectNode un = o.putObject("unmapped");
        un.put("ruleId", f.ruleId());
        un.put("groupKey", f.groupKey());
        un.put("windowStart", f.windowStart().toString());
        un.put("windowEnd", f.windowEnd().toString());
        un.set("rows", FindingJson.rows(f));
        un.put("rowsOmitted", f.rowsOmitted());
        return o;
    }

    static ObjectNode findingInfo(Finding f, RuleInfo rule, ExportContext ctx) {
        Observed seen = Observed.of(f);
        ObjectNode fi = JSON.objectNode();
        fi.put("uid", Fingerprint.of(f, ctx.cluster()));
        fi.put("title", AsffMapper.title(f));
        fi.put("desc", AsffMapper.description(f, rule, ctx));
        ArrayNode types = fi.putArray("types");
        FindingTypes.asff(f.ruleId(), rule.tags()).forEach(types::add);
        fi.put("first_seen_time", seen.first().toEpochMilli());
        fi.put("last_seen_time", seen.last().toEpochMilli());
        fi.putObject("analytic").put("uid", f.ruleId()).put("name", rule.title()).put("type_id", 1)
                .put("type", "Rule");
        ArrayNode attacks = JSON.arrayNode();
        for (String tag : rule.tags()) {
            FindingTypes.Technique t = FindingTypes.technique(tag);
            if (t != null) {
                ObjectNode a = attacks.addObject();
                a.putObject("technique").put("uid", tag.strip()).put("name", t.name());
                a.putObject("tactic").put("name", t.tactic());
                a.put("version", "15");
            }
        }
        if (!attacks.isEmpty()) {
            fi.set("attacks", attacks);
        }
        if (ctx.region() != null) {
            String link = AsffMapper.sourceUrl(f, rule, ctx);
            if (link != null) {
                fi.put("src_url", link);
            }
        }
        return fi;
    }

    static ArrayNode resources(Finding f, RuleInfo rule, ExportContext ctx) {
        ArrayNode rs = JSON.arrayNode();
        ObjectNode c = rs.addObject();
        String arn = ctx.clusterArn();
        c.put("uid", arn != null ? arn : ctx.cluster());
        c.put("name", ctx.cluster());
        c.put("type", "AWS::EKS::Cluster");
        c.put("cloud_partition", ctx.partition());
        if (ctx.region() != null) {
            c.put("region", ctx.region());
        }
        KubeObject k = KubeObject.of(f, rule);
        if (k != null) {
            ObjectNode o = rs.addObject();
            o.put("uid", k.id(ctx.cluster()));
            if (k.name() != null) {
                o.put("name", k.name());
            }
            o.put("type", "Kubernetes " + (k.resource() == null ? "object" : k.resource()));
            ObjectNode data = o.putObject("data");
            data.put("cluster", ctx.cluster());
            if (k.namespace() != null) {
                data.put("namespace", k.namespace());
            }
            if (k.actor() != null) {
                data.put("actor", k.actor());
            }
            if (k.arn() != null) {
                data.put("actorArn", k.arn());
            }
        }
        return rs;
    }
}
