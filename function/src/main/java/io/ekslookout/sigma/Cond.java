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

    /** Thrown when the rendered expression would pass {@code max} characters. */
    final class TooLarge extends RuntimeException {
        TooLarge() {
            super(null, null, false, false);
        }
    }

    /**
     * The expression as query text (no leading {@code filter}), or {@link TooLarge} past {@code max} characters: a
     * condition can name one large selection many times, so the text is bounded while it is written, not after.
     */
    static String render(Cond c, int max) {
        StringBuilder sb = new StringBuilder();
        render(c, false, true, sb, max);
        return sb.toString();
    }

    /**
     * {@code negated}: under an odd number of {@code not}s, where a null test would turn a Sigma match into a drop
     * (under an even number, null and false both drop the event, as Sigma's false does). {@code top}: nothing
     * around it, so no parentheses are needed.
     */
    private static void render(Cond c, boolean negated, boolean top, StringBuilder sb, int max) {
        if (sb.length() > max) {
            throw new TooLarge();
        }
        if (c instanceof Leaf l) {
            if (negated && l.guard() != null) {
                sb.append(top ? "" : "(").append("ispresent(").append(l.guard()).append(") and ").append(l.text())
                        .append(top ? "" : ")");
            } else {
                sb.append(l.text());
            }
            return;
        }
        if (c instanceof Not n) {
            sb.append("not (");
            render(n.item(), !negated, true, sb, max);
            sb.append(')');
            return;
        }
        boolean and = c instanceof And;
        List<Cond> items = and ? ((And) c).items() : ((Or) c).items();
        if (!top) {
            sb.append('(');
        }
        for (int i = 0; i < items.size(); i++) {
            if (i > 0) {
                sb.append(and ? " and " : " or ");
            }
            render(items.get(i), negated, false, sb, max);
        }
        if (!top) {
            sb.append(')');
        }
    }
}
