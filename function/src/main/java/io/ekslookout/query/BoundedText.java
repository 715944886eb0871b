package io.ekslookout.query;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Log text for java.util.regex with a step budget. The service matches with linear-time engines (Hyperscan, RE2);
 * Java's backtracking engine can take exponential time on a pathological regex, and log text is attacker-controlled.
 * A match that reads more than {@code 100,000,000 + 1,000 x length} characters (about a second of matching on one
 * event; quadratic patterns such as an unanchored {@code .*foo} on ordinary messages stay far below) stops with
 * {@link Exceeded}, which the caller turns into a located {@link QueryException}: the query fails loudly instead of
 * hanging on catastrophic backtracking.
 */
final class BoundedText implements CharSequence {
    private final String text;
    private long budget;

    /** Thrown when a regex match exhausts its budget. */
    static final class Exceeded extends RuntimeException {
        Exceeded() {
            super("regex step budget exceeded", null, false, false);
        }
    }

    BoundedText(String text) {
        this.text = text;
        this.budget = 100_000_000L + 1_000L * text.length();
    }

    static Matcher matcher(Pattern p, String s) {
        return p.matcher(new BoundedText(s));
    }

    @Override
    public int length() {
        return text.length();
    }

    @Override
    public char charAt(int index) {
        if (--budget < 0) {
            throw new Exceeded();
        }
        return text.charAt(index);
    }

    @Override
    public CharSequence subSequence(int start, int end) {
        return text.substring(start, end);
    }

    @Override
    public String toString() {
        return text;
    }

    static QueryException error(Expr at, String regex) {
        return new QueryException(at == null ? 1 : at.line, at == null ? 1 : at.column, "the regex /" + regex
                + "/ backtracks too much on a log event (catastrophic backtracking); simplify it");
    }
}
