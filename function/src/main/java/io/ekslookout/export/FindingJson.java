package io.ekslookout.export;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ekslookout.detect.Finding;

import java.util.Map;

/**
 * A finding in the documented findings JSON shape ({@code scan --format json}, docs/findings-json.md:
 * ruleId, severity, title, cluster, windowStart, windowEnd, groupKey, matchCount, rows, rowsOmitted) as a tree, for outputs
 * that embed it (the EventBridge detail). A test holds it equal to the CLI's printed JSON.
 */
public final class FindingJson {
    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    private FindingJson() {
    }

    public static ObjectNode tree(Finding f) {
        ObjectNode o = JSON.objectNode();
        o.put("ruleId", f.ruleId());
        o.put("severity", f.severity());
        o.put("title", f.title());
        o.put("cluster", f.cluster());
        o.put("windowStart", f.windowStart().toString());
        o.put("windowEnd", f.windowEnd().toString());
        o.put("groupKey", f.groupKey());
        o.put("matchCount", f.matchCount());
        o.set("rows", rows(f));
        o.put("rowsOmitted", f.rowsOmitted());
        return o;
    }

    static ArrayNode rows(Finding f) {
        ArrayNode rows = JSON.arrayNode();
        for (Map<String, String> row : f.rows()) {
            ObjectNode r = rows.addObject();
            row.forEach(r::put);
        }
        return rows;
    }
}
