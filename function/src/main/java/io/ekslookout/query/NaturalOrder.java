package io.ekslookout.query;

import java.util.Comparator;

/**
 * The Logs Insights "updated natural sort" order (ascending). Values that are only a number sort after every
 * other value and compare numerically (ties: by their text, so {@code 01} precedes {@code 1}). Other values
 * compare chunk by chunk (maximal runs of digits or non-digits): two non-digit chunks by code point, two digit
 * chunks shorter-first then by value, a digit chunk against a non-digit chunk by their first characters; a value
 * that is a chunk prefix of another sorts first. Nulls are not handled here (see {@link #NULLS_LAST}).
 */
final class NaturalOrder {
    private NaturalOrder() {
    }

    static final Comparator<Object> ASC = NaturalOrder::compare;

    /** Ascending with missing values last. */
    static final Comparator<Object> NULLS_LAST = (a, b) -> {
        if (a == null) {
            return b == null ? 0 : 1;
        }
        if (b == null) {
            return -1;
        }
        return compare(a, b);
    };

    static int compare(Object a, Object b) {
        Number na = numberValue(a);
        Number nb = numberValue(b);
        if (na != null && nb != null) {
            int c = Values.compareNumbers(na, nb);
            if (c != 0) {
                return c;
            }
            if (a instanceof String || b instanceof String) {
                return compareCodePoints(Values.render(a), Values.render(b));
            }
            return 0;
        }
        if (na != null) {
            return 1;
        }
        if (nb != null) {
            return -1;
        }
        return compareStrings(Values.render(a), Values.render(b));
    }

    /** Number values: numbers, timestamps, and strings that consist only of a number. */
    private static Number numberValue(Object v) {
        if (v instanceof String s) {
            return Values.parseNumber(s.strip().equals(s) ? s : "x");
        }
        if (v instanceof Long || v instanceof Double || v instanceof Timestamp) {
            return Values.num(v);
        }
        return null;
    }

    static int compareStrings(String a, String b) {
        int i = 0;
        int j = 0;
        while (i < a.length() && j < b.length()) {
            int ie = chunkEnd(a, i);
            int je = chunkEnd(b, j);
            boolean da = Scanner.isDigit(a.charAt(i));
            boolean db = Scanner.isDigit(b.charAt(j));
            int c;
            if (da && db) {
                int la = ie - i;
                int lb = je - j;
                c = la != lb ? Integer.compare(la, lb) : a.substring(i, ie).compareTo(b.substring(j, je));
            } else if (da != db) {
                c = Character.compare(a.charAt(i), b.charAt(j));
            } else {
                c = compareCodePoints(a.substring(i, ie), b.substring(j, je));
            }
            if (c != 0) {
                return c;
            }
            i = ie;
            j = je;
        }
        return Boolean.compare(i < a.length(), j < b.length());
    }

    private static int chunkEnd(String s, int from) {
        boolean digit = Scanner.isDigit(s.charAt(from));
        int k = from + 1;
        while (k < s.length() && Scanner.isDigit(s.charAt(k)) == digit) {
            k++;
        }
        return k;
    }

    static int compareCodePoints(String a, String b) {
        int i = 0;
        int j = 0;
        while (i < a.length() && j < b.length()) {
            int ca = a.codePointAt(i);
            int cb = b.codePointAt(j);
            if (ca != cb) {
                return Integer.compare(ca, cb);
            }
            i += Character.charCount(ca);
            j += Character.charCount(cb);
        }
        return Boolean.compare(i < a.length(), j < b.length());
    }
}
