package io.ekslookout.query;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Several queries over one read of the events. Each event is wrapped once; its message is parsed as JSON at most
 * once (lazily, on the first query that reads a JSON field) and only the fields referenced by any of the queries
 * are materialized. Events outside the context's window {@code [startMillis, endMillis)} are skipped.
 * <p>
 * A query whose evaluation fails (which the engine is built to avoid) fails alone: its entry in
 * {@link #finish()} is null and {@link #failures()} holds the cause.
 *
 * <pre>
 * QueryBatch batch = QueryBatch.start(queries, context);
 * source.forEach(batch::accept);
 * List&lt;QueryResult&gt; results = batch.finish();   // same order as queries
 * </pre>
 */
public final class QueryBatch {
    private final QueryContext context;
    private final FieldTrie wanted;
    private final List<Pipeline> pipelines = new ArrayList<>();
    private final Map<Integer, RuntimeException> failures = new LinkedHashMap<>();
    private long seq;

    private QueryBatch(List<Query> queries, QueryContext context) {
        this.context = context;
        Set<String> names = new HashSet<>();
        for (Query q : queries) {
            names.addAll(q.referencedFields());
            pipelines.add(new Pipeline(q.plan(), context));
        }
        this.wanted = FieldTrie.of(names);
    }

    public static QueryBatch start(List<Query> queries, QueryContext context) {
        return new QueryBatch(List.copyOf(queries), context);
    }

    public void accept(LogEvent event) {
        long ts = event.timestamp();
        if (ts < context.startMillis() || ts >= context.endMillis()) {
            return;
        }
        EventView view = new EventView(event, seq++, wanted);
        for (int i = 0; i < pipelines.size(); i++) {
            if (failures.containsKey(i)) {
                continue;
            }
            try {
                pipelines.get(i).accept(view);
            } catch (RuntimeException e) {
                failures.put(i, e);
            }
        }
        view.close(); // events kept by a query were read to the end when kept

    }

    /** Results in the order of the queries; null for a query listed in {@link #failures()}. */
    public List<QueryResult> finish() {
        List<QueryResult> out = new ArrayList<>();
        for (int i = 0; i < pipelines.size(); i++) {
            QueryResult r = null;
            if (!failures.containsKey(i)) {
                try {
                    r = pipelines.get(i).finish();
                } catch (RuntimeException e) {
                    failures.put(i, e);
                }
            }
            out.add(r);
        }
        return out;
    }

    /** Query index to the exception that stopped it. */
    public Map<Integer, RuntimeException> failures() {
        return Map.copyOf(failures);
    }
}
