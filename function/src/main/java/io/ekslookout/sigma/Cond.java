package io.ekslookout.sigma;

import java.util.ArrayList;
import java.util.List;

/**
 * A Sigma detection as a boolean expression over Logs Insights tests, rendered as one {@code filter} expression.
 *
 * <p>Logs Insights compares with three-valued logic: a test on a missing field is null, and {@code not null} is
 * null, so {@code not (objectRef.subresource = "exec")} would drop every event without a subresource where Sigma
 * means "matches". A test that can be null carries its field ({@link Leaf#guard}); under a {@code not} it is
 * rendered {@code (ispresent(F) and TEST)}, which is false, never null, on a missing field.
 */
sealed interface Cond permits Cond.Leaf, Cond.And, Cond.Or, Cond.Not {
    /** One test; {@code guard} is the query name of the field it reads when it can be null, else null. */
    record Leaf(String text, String guard) implements Cond {
    }

    record And(List<Cond> items) implements Cond {
    }

    record Or(List<Cond> items) implements Cond {
    }

    record Not(Cond item) implements Cond {
    }

    static Cond and(List<Cond> items) {
        return items.size() == 1 ? items.get(0) : new And(flatten(items, true));
    }

    static Cond or(List<Cond> items) {
        return items.size() == 1 ? items.get(0) : new Or(flatten(items, false));
    }

    private static List<Cond> flatten(List<Cond> items, boolean and) {
        List<Cond> out = new ArrayList<>();
        for (Cond c : items) {
            if (and && c instanceof And a) {
                out.addAll(a.items());
            } else if (!and && c instanceof Or o) {
                out.addAll(o.items());
            } else {
                out.add(c);
            }
        }
        return out;
    }

    /** The expression as query text (no leading {@code filter}). */
    static String render(Cond c) {
        return render(c, false, true);
    }

    /**
     * {@code negated}: under an odd number of {@code not}s, where a null test would turn a Sigma match into a drop
     * (under an even number, null and false both drop the event, as Sigma's false does). {@code top}: nothing
     * around it, so no parentheses are needed.
     */
    private static String render(Cond c, boolean negated, boolean top) {
        if (c instanceof Leaf l) {
            if (negated && l.guard() != null) {
                String s = "ispresent(" + l.guard() + ") and " + l.text();
                return top ? s : "(" + s + ")";
            }
            return l.text();
        }
        if (c instanceof Not n) {
            return "not (" + render(n.item(), !negated, true) + ")";
        }
        boolean and = c instanceof And;
        List<Cond> items = and ? ((And) c).items() : ((Or) c).items();
        List<String> parts = new ArrayList<>();
        for (Cond i : items) {
            parts.add(render(i, negated, false));
        }
        String s = String.join(and ? " and " : " or ", parts);
        return top ? s : "(" + s + ")";
    }
}
