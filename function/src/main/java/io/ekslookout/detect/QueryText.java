package io.ekslookout.detect;

import java.util.ArrayList;
import java.util.List;

/**
 * The Logs Insights text of a query run over a window: exact {@code @ingestionTime} and {@code @timestamp} filters
 * (milliseconds) put in front of the query's own text. Shared by the Logs Insights back end (what it sends) and the
 * console links of messages (what a reader opens), so both show the same events. Text only: nothing is parsed.
 */
public final class QueryText {
    private QueryText() {
    }

    /**
     * @param queryText the query as written (its {@link io.ekslookout.query.Query#text()})
     * @param ingestion when not null, {@code filter @ingestionTime >= start and @ingestionTime < end}
     * @param partRange when not null, {@code filter @timestamp >= start and @timestamp < end} (a time part)
     */
    public static String withWindows(String queryText, TimeWindow ingestion, TimeWindow partRange) {
        List<String> conditions = new ArrayList<>();
        if (ingestion != null) {
            conditions.add("@ingestionTime >= " + ingestion.start().toEpochMilli()
                    + " and @ingestionTime < " + ingestion.end().toEpochMilli());
        }
        if (partRange != null) {
            conditions.add("@timestamp >= " + partRange.start().toEpochMilli()
                    + " and @timestamp < " + partRange.end().toEpochMilli());
        }
        if (conditions.isEmpty()) {
            return queryText;
        }
        // Leading comment lines stay first, so the filter command is the query's first command.
        StringBuilder head = new StringBuilder();
        String rest = queryText.stripLeading();
        while (rest.startsWith("#")) {
            int nl = rest.indexOf('\n');
            if (nl < 0) {
                head.append(rest).append('\n');
                rest = "";
                break;
            }
            head.append(rest, 0, nl + 1);
            rest = rest.substring(nl + 1).stripLeading();
        }
        String filter = "filter " + String.join(" and ", conditions);
        return head + (rest.isEmpty() ? filter : filter + "\n| " + rest);
    }
}
