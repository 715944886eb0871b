package io.ekslookout.query;

/**
 * A parsed Logs Insights query. Parse once, run many times.
 *
 * <pre>
 * Query q = Query.parse(text);                 // throws QueryException, located
 * Query.Execution x = q.start(context);        // one pass
 * events.forEach(x::accept);                   // feed events in any order
 * QueryResult r = x.finish();                  // rows as GetQueryResults returns them
 * </pre>
 *
 * PLACEHOLDER: the engine issue replaces this body with the scanner/parser/evaluator.
 */
public final class Query {
    private final String text;

    private Query(String text) {
        this.text = text;
    }

    public static Query parse(String text) {
        throw new QueryException(1, 1, "the query engine is not built yet");
    }

    public String text() {
        return text;
    }

    public Execution start(QueryContext context) {
        throw new UnsupportedOperationException("the query engine is not built yet");
    }

    /** One running evaluation of the query over a stream of events. Not thread-safe. */
    public interface Execution {
        void accept(LogEvent event);

        QueryResult finish();
    }
}
