package io.ekslookout.query;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The part of a query that decides, for each event on its own, whether the event can matter to the query: the
 * conditions of its leading filters that read only the event. A query planner ORs these conditions over many
 * queries to fetch, in one pass, every event any of them can keep, and then runs each full query over what came
 * back ({@link #of}).
 *
 * <p>Why the result of the full query is unchanged. Up to its first {@code stats}, {@code limit} or {@code dedup}
 * (the "barrier") a query handles every event on its own: {@code filter} drops it or not, {@code parse},
 * {@code fields} and {@code unnest} add values computed from it, {@code sort} reorders without dropping. Every
 * event the query keeps past the barrier therefore satisfies each of these filter conditions; an event that fails
 * one of them is dropped by the query itself. So the query gives the same rows over any set of events that holds
 * every event satisfying the conjunction of {@link #conditions()}: the others it would have dropped anyway.
 * After the barrier, rows depend on other events (a top-N, a count), so no later filter qualifies.
 *
 * <p>What is left out (listed in {@link #leftOut()}, the full query still applies it locally):
 * <ul>
 *   <li>a filter reading a name that an earlier {@code parse}, {@code fields} or {@code unnest} of the query
 *       creates (or a dotted name below it): in a combined query those names would be computed by other queries'
 *       stages too, or collide with theirs; leaving the filter out only makes the prefilter wider, never wrong;</li>
 *   <li>a filter calling {@code queryStartTime()}, {@code queryEndTime()}, {@code queryTimeRange()} or
 *       {@code now()}: their value depends on the query run, and a prefilter whose result is split in time parts
 *       runs over other ranges than the rule.</li>
 * </ul>
 * The condition texts are the filters' own source (one line each, comments removed), so they mean exactly what
 * the rule author wrote, in the service's syntax.
 *
 * @param conditions the usable leading filter conditions, in query order; empty when there is none
 * @param leftOut    why each other filter before the barrier is not among them ("3:5: reads 'hostPath', created
 *                   by parse at 2:3")
 * @param barrier    the command ending the event-local part with its position ("stats at 4:3"), or null when
 *                   the whole query is event-local
 */
public record EventLocalHead(List<String> conditions, List<String> leftOut, String barrier) {
    /** Functions whose value depends on the query run rather than on the event. */
    private static final Set<String> RUN_DEPENDENT = Set.of("querystarttime", "queryendtime", "querytimerange",
            "now");

    public EventLocalHead {
        conditions = List.copyOf(conditions);
        leftOut = List.copyOf(leftOut);
    }

    static EventLocalHead of(Plan plan) {
        List<String> conditions = new ArrayList<>();
        List<String> leftOut = new ArrayList<>();
        Map<String, String> created = new LinkedHashMap<>(); // name -> "parse at 2:3"
        List<Command> commands = plan.commands;
        for (int i = 0; i < plan.barrier; i++) {
            Command c = commands.get(i);
            if (c instanceof Command.Filter f) {
                String why = unusable(f, created);
                if (why == null) {
                    conditions.add(f.source);
                } else {
                    leftOut.add(f.keyword.line() + ":" + f.keyword.column() + ": " + why);
                }
            }
            for (String name : Plan.created(c)) {
                created.putIfAbsent(name, c.name() + " at " + c.keyword.line() + ":" + c.keyword.column());
            }
        }
        String barrier = null;
        if (plan.barrier < commands.size()) {
            Command b = commands.get(plan.barrier);
            barrier = b.name() + " at " + b.keyword.line() + ":" + b.keyword.column();
        }
        return new EventLocalHead(conditions, leftOut, barrier);
    }

    /** Why a filter cannot be evaluated on the raw event alone, or null when it can. */
    private static String unusable(Command.Filter f, Map<String, String> created) {
        String[] why = {null};
        f.condition.walk(e -> {
            if (why[0] != null) {
                return;
            }
            if (e instanceof Expr.Field field) {
                String by = createdBy(field.name, created);
                if (by != null) {
                    why[0] = "reads '" + field.name + "', created by " + by;
                }
            } else if (e instanceof Expr.Call call && RUN_DEPENDENT.contains(call.name)) {
                why[0] = "calls " + call.name + "(), whose value depends on the query run";
            }
        });
        return why[0];
    }

    /** The creator of {@code name} or of a name it is below ({@code a} for {@code a.b}), or null. */
    private static String createdBy(String name, Map<String, String> created) {
        String by = created.get(name);
        int dot = name.lastIndexOf('.');
        while (by == null && dot > 0) {
            by = created.get(name.substring(0, dot));
            dot = name.lastIndexOf('.', dot - 1);
        }
        return by;
    }
}
