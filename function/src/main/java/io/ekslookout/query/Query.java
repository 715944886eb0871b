package io.ekslookout.query;

import java.util.List;
import java.util.Set;

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
 * To run several queries over one read of the events (each event's JSON parsed at most once), use
 * {@link QueryBatch}. Semantics and the choices made where the service is undocumented: ENGINE.md beside this
 * package's sources.
 */
public final class Query {
    /** StartQuery's limit on the query string. */
    public static final int MAX_LENGTH = 10_000;

    private final String text;
    private final Plan plan;

    private Query(String text, Plan plan) {
        this.text = text;
        this.plan = plan;
    }

    /** Parses and validates a query; every problem is a {@link QueryException} with line and column. */
    public static Query parse(String text) {
        return parse(text, true);
    }

    /** With {@code optimize} false: no pre-checks, no reordering, eager discovery (tests compare both ways). */
    static Query parse(String text, boolean optimize) {
        if (text == null) {
            throw new QueryException(1, 1, "expected a query, found nothing");
        }
        if (text.length() > MAX_LENGTH) {
            throw new QueryException(1, 1, "the query has " + text.length()
                    + " characters; Logs Insights accepts at most " + MAX_LENGTH);
        }
        List<Command> commands = new Parser(text).parseQuery();
        return new Query(text, new Plan(commands, optimize));
    }

    public String text() {
        return text;
    }

    /**
     * The field names the query reads from events (system fields such as {@code @message} and discovered JSON
     * fields such as {@code user.username}); names the query creates itself (aliases, parse captures) before
     * reading them are not included.
     */
    public Set<String> referencedFields() {
        return plan.referenced;
    }

    /** The output columns in display order. */
    public List<String> columns() {
        return plan.columns;
    }

    /**
     * Output column → the event fields it is computed from, through aliases, {@code parse} captures, {@code unnest},
     * function calls and stats ({@code fields requestObject.data.x as key} gives {@code key → [requestObject.data.x]});
     * a column read straight from the event maps to itself. Used to keep Secret data out of every output.
     */
    public java.util.Map<String, Set<String>> columnSources() {
        return Lineage.of(plan.commands, plan.columns);
    }

    /**
     * True when a filter keeps only events that cannot be Kubernetes Secrets ({@code objectRef.resource} limited to
     * other resources, or a {@code @logStream} other than the audit log).
     */
    public boolean excludesSecrets() {
        return Lineage.excludesSecrets(plan.commands);
    }

    /**
     * The conditions of the query's leading filters that depend on the event alone: a planner ORs them over many
     * queries to fetch every event any of them can keep in one pass (see {@link EventLocalHead}).
     */
    public EventLocalHead eventLocalHead() {
        return EventLocalHead.of(plan);
    }

    /** True when the query has stats (rows are aggregates without {@code @ptr}). */
    public boolean aggregate() {
        return plan.aggregate;
    }

    /**
     * True when a command returns fewer rows than the events it matched on purpose ({@code limit}, {@code head},
     * {@code dedup}): then rows &lt; matched is no cut by a cap.
     */
    public boolean cutsRows() {
        return plan.cutsRows;
    }

    Plan plan() {
        return plan;
    }

    public Execution start(QueryContext context) {
        return start(context, QueryLimits.DEFAULT);
    }

    /** @param limits memory caps (stats groups, dedup keys); what a cap cuts is in the result's warnings */
    public Execution start(QueryContext context, QueryLimits limits) {
        QueryBatch batch = QueryBatch.start(List.of(this), context, limits);
        return new Execution() {
            @Override
            public void accept(LogEvent event) {
                batch.accept(event);
            }

            @Override
            public void accept(LogEvent event, java.util.function.Supplier<String> where) {
                batch.accept(event, where);
            }

            @Override
            public boolean skipsSomeUnread() {
                return batch.skipsSomeUnread();
            }

            @Override
            public boolean skipsUnread(long timestamp, long ingestionTime, String logStream, String logGroup,
                                       RawMessage message) {
                return batch.skipsUnread(timestamp, ingestionTime, logStream, logGroup, message);
            }

            @Override
            public QueryBatch.RawCheck rawCheck() {
                return batch.rawCheck();
            }

            @Override
            public void skipUnread(long timestamp) {
                batch.skipUnread(timestamp);
            }

            @Override
            public QueryResult finish() {
                List<QueryResult> results = batch.finish();
                if (results.get(0) == null) {
                    RuntimeException e = batch.failures().get(0);
                    throw e instanceof QueryException q ? q : new IllegalStateException("query failed", e);
                }
                return results.get(0);
            }
        };
    }

    @Override
    public String toString() {
        return text;
    }

    /** One running evaluation of the query over a stream of events. Not thread-safe. */
    public interface Execution {
        void accept(LogEvent event);

        /** As {@link #accept(LogEvent)}; {@code where} names the event's origin if it cannot be evaluated. */
        default void accept(LogEvent event, java.util.function.Supplier<String> where) {
            accept(event);
        }

        /** As {@link QueryBatch#skipsSomeUnread}. */
        default boolean skipsSomeUnread() {
            return false;
        }

        /** As {@link QueryBatch#skipsUnread}: true when the event is handled without its message. */
        default boolean skipsUnread(long timestamp, long ingestionTime, String logStream, String logGroup,
                                    RawMessage message) {
            return false;
        }

        /** As {@link QueryBatch#rawCheck}: null when there is none. */
        default QueryBatch.RawCheck rawCheck() {
            return null;
        }

        /** As {@link QueryBatch#skipUnread}: an event a {@link #rawCheck()} ruled out. */
        default void skipUnread(long timestamp) {
            throw new IllegalStateException("this execution has no raw check");
        }

        QueryResult finish();
    }
}
