package io.ekslookout.plan;

import io.ekslookout.query.EventLocalHead;
import io.ekslookout.query.Query;
import io.ekslookout.query.QueryException;
import io.ekslookout.rules.Rule;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Plans one scan for many rules. Logs Insights bills every byte of the scanned range per query, so running each rule
 * as its own query scans each byte once per rule. The few events rules care about can instead be fetched by ONE
 * "prefilter" query, the OR of every rule's leading event-local filter conditions
 * ({@link EventLocalHead}), projecting the fields an event is made of ({@link #PROJECTION}); every rule's full query
 * then runs over the returned events with the embedded engine and gives the same rows, because each rule only ever
 * keeps events its own conditions hold for, and all of those are returned.
 *
 * <p>The combined query keeps each condition's source text, parenthesized, so it means what the rule says and is
 * plain Logs Insights syntax:
 * <pre>
 * filter ((@logStream like /^kube-apiserver-audit/ and stage = "ResponseComplete") and (objectRef.resource = ...))
 *     or ((@logStream like /^authenticator/ and @message like /msg="access denied"/))
 * | fields @timestamp, @message, @logStream, @log, @ingestionTime
 * </pre>
 * It has no stats, sort, dedup or limit, so its rows are raw events and a result at the 10,000-row cap can be split
 * in time halves and merged like any non-stats query.
 *
 * <p>Three-valued logic keeps the OR safe: a rule keeps an event only when its conditions are true, and
 * {@code true or null} is true, so a condition of another rule that is null (a missing field) never hides the event.
 *
 * <p>A rule runs as its own query ({@link ScanPlan.Separate}) when no leading filter of it qualifies (a stats over
 * every event, or filters only on names its {@code parse}/{@code fields} create). Identical rule conditions are
 * written once. A prefilter holds at most {@link #MAX_TEXT} characters (StartQuery takes 10,000; the rest is left
 * for the time filters the back end puts in front); more rules start another prefilter.
 *
 * <p>Pure: no I/O, no AWS.
 */
public final class Planner {
    /** The fields a returned row must carry to rebuild the event it came from. */
    public static final List<String> PROJECTION =
            List.of("@timestamp", "@message", "@logStream", "@log", "@ingestionTime");
    /** Room left in a prefilter's text for the ingestion-window and time-part filters a back end prefixes. */
    static final int HEADROOM = 400;
    static final int MAX_TEXT = Query.MAX_LENGTH - HEADROOM;
    private static final String TAIL = "\n| fields " + String.join(", ", PROJECTION);

    /** A query to plan: an id (a rule id) and its parsed query. */
    public record Target(String id, Query query) {
    }

    private Planner() {
    }

    /** Plans the enabled rules (disabled ones take no part). */
    public static ScanPlan planRules(List<Rule> rules) {
        List<Target> targets = new ArrayList<>();
        for (Rule r : rules) {
            if (r.enabled()) {
                targets.add(new Target(r.id(), r.query()));
            }
        }
        return plan(targets);
    }

    public static ScanPlan plan(List<Target> targets) {
        List<ScanPlan.Separate> separate = new ArrayList<>();
        Map<String, List<String>> leftOut = new LinkedHashMap<>();
        // the condition of each plannable rule, identical conditions merged (insertion order kept)
        Map<String, List<String>> byCondition = new LinkedHashMap<>();
        for (Target t : targets) {
            EventLocalHead head = t.query().eventLocalHead();
            if (head.conditions().isEmpty()) {
                separate.add(new ScanPlan.Separate(t.id(), noConditionReason(head)));
                continue;
            }
            String condition = condition(head.conditions());
            String alone = "filter " + condition + TAIL;
            if (alone.length() > MAX_TEXT) {
                separate.add(new ScanPlan.Separate(t.id(), "its leading filters take " + condition.length()
                        + " characters, too long to share a combined query"));
                continue;
            }
            try {
                Query.parse(alone);
            } catch (QueryException e) {
                // not expected: the text is the rule's own tokens; kept separate rather than risk the others
                separate.add(new ScanPlan.Separate(t.id(), "its leading filters do not restate as a query: "
                        + e.getMessage()));
                continue;
            }
            if (!head.leftOut().isEmpty()) {
                leftOut.put(t.id(), head.leftOut());
            }
            byCondition.computeIfAbsent(condition, k -> new ArrayList<>()).add(t.id());
        }
        return new ScanPlan(pack(byCondition), separate, leftOut);
    }

    /** The rule's conditions as one parenthesized conjunction. */
    static String condition(List<String> conditions) {
        StringBuilder out = new StringBuilder("(");
        for (int i = 0; i < conditions.size(); i++) {
            if (i > 0) {
                out.append(" and ");
            }
            out.append('(').append(conditions.get(i)).append(')');
        }
        return out.append(')').toString();
    }

    /** Fills prefilters in order, starting a new one when the next condition would not fit or not parse. */
    private static List<ScanPlan.Prefilter> pack(Map<String, List<String>> byCondition) {
        List<ScanPlan.Prefilter> out = new ArrayList<>();
        List<String> conditions = new ArrayList<>();
        List<String> ids = new ArrayList<>();
        for (Map.Entry<String, List<String>> e : byCondition.entrySet()) {
            List<String> candidate = new ArrayList<>(conditions);
            candidate.add(e.getKey());
            if (!conditions.isEmpty() && !fits(text(candidate))) {
                out.add(prefilter(conditions, ids));
                candidate = new ArrayList<>(List.of(e.getKey()));
                ids = new ArrayList<>();
            }
            conditions = candidate;
            ids.addAll(e.getValue());
        }
        if (!conditions.isEmpty()) {
            out.add(prefilter(conditions, ids));
        }
        return out;
    }

    private static boolean fits(String text) {
        if (text.length() > MAX_TEXT) {
            return false;
        }
        try {
            Query.parse(text);
            return true;
        } catch (QueryException e) {
            return false; // e.g. the parser's nesting bound: the next prefilter takes the rule
        }
    }

    private static ScanPlan.Prefilter prefilter(List<String> conditions, List<String> ids) {
        String text = text(conditions);
        Query q = Query.parse(text); // each condition parsed alone, and the packing checked the whole
        if (q.aggregate()) {
            throw new IllegalStateException("a prefilter must not be a stats query: " + text);
        }
        return new ScanPlan.Prefilter(text, q, ids);
    }

    static String text(List<String> conditions) {
        StringBuilder out = new StringBuilder("filter ");
        for (int i = 0; i < conditions.size(); i++) {
            if (i > 0) {
                out.append("\n    or ");
            }
            out.append(conditions.get(i));
        }
        return out.append(TAIL).toString();
    }

    private static String noConditionReason(EventLocalHead head) {
        String where = head.barrier() == null ? "" : " before its " + head.barrier();
        if (head.leftOut().isEmpty()) {
            return "no filter" + where + " to select its events by (it reads every event)";
        }
        return "no filter" + where + " reads the event alone: " + String.join("; ", head.leftOut());
    }
}
