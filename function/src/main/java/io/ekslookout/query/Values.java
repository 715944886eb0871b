package io.ekslookout.query;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;

/**
 * Runtime values are plain Java objects: {@link String}, {@link Long} (integers and booleans as 1/0),
 * {@link Double}, {@link Timestamp}, {@link Map} and {@link List} (from {@code jsonParse}), and {@code null}
 * (missing). This class holds the coercion and rendering rules shared by the evaluator.
 */
final class Values {
    static final Long TRUE = 1L;
    static final Long FALSE = 0L;

    private Values() {
    }

    static Long bool(boolean b) {
        return b ? TRUE : FALSE;
    }

    static boolean isStructure(Object v) {
        return v instanceof Map || v instanceof List;
    }

    /** The numeric value (Long or Double) of a number, timestamp or numeric string; otherwise null. */
    static Number num(Object v) {
        if (v instanceof Long || v instanceof Double) {
            return (Number) v;
        }
        if (v instanceof Timestamp t) {
            return t.millis();
        }
        if (v instanceof String s) {
            return parseNumber(s);
        }
        if (v instanceof Number n) {
            return n.doubleValue();
        }
        return null;
    }

    /** Parses {@code [+-]?digits[.digits]} (surrounding spaces allowed); anything else is not a number. */
    static Number parseNumber(String s) {
        int n = s.length();
        int i = 0;
        while (i < n && s.charAt(i) == ' ') {
            i++;
        }
        while (n > i && s.charAt(n - 1) == ' ') {
            n--;
        }
        int start = i;
        if (i < n && (s.charAt(i) == '-' || s.charAt(i) == '+')) {
            i++;
        }
        int digits = 0;
        while (i < n && s.charAt(i) >= '0' && s.charAt(i) <= '9') {
            i++;
            digits++;
        }
        boolean fraction = false;
        if (i < n && s.charAt(i) == '.') {
            fraction = true;
            i++;
            int fd = 0;
            while (i < n && s.charAt(i) >= '0' && s.charAt(i) <= '9') {
                i++;
                fd++;
            }
            if (fd == 0 && digits == 0) {
                return null;
            }
            digits += fd;
        }
        if (digits == 0 || i != n) {
            return null;
        }
        String t = s.substring(start, n);
        if (!fraction && digits <= 18) {
            return Long.parseLong(t);
        }
        return Double.parseDouble(t);
    }

    static double dbl(Number n) {
        return n.doubleValue();
    }

    /** Filter truth: non-null and non-zero (strings: non-empty and not a numeric zero). */
    static boolean truthy(Object v) {
        if (v == null) {
            return false;
        }
        if (v instanceof Long l) {
            return l != 0;
        }
        if (v instanceof Double d) {
            return d != 0 && !d.isNaN();
        }
        if (v instanceof String s) {
            Number n = parseNumber(s);
            return n != null ? n.doubleValue() != 0 : !s.isEmpty();
        }
        return true;
    }

    /** The string a result row shows; null stays null. */
    static String render(Object v) {
        if (v == null) {
            return null;
        }
        if (v instanceof String s) {
            return s;
        }
        if (v instanceof Long l) {
            return l.toString();
        }
        if (v instanceof Double d) {
            return renderDouble(d);
        }
        if (v instanceof Timestamp t) {
            return t.toString();
        }
        if (v instanceof Map || v instanceof List) {
            return Json.stringify(v);
        }
        return v.toString();
    }

    static String renderDouble(double d) {
        if (Double.isNaN(d) || Double.isInfinite(d)) {
            return null;
        }
        if (d == Math.rint(d) && Math.abs(d) < 1e15) {
            return Long.toString((long) d);
        }
        return new BigDecimal(Double.toString(d)).stripTrailingZeros().toPlainString();
    }

    /** Text used by like/=~/string functions: rendered form; structures have none. */
    static String text(Object v) {
        if (v == null || isStructure(v)) {
            return null;
        }
        return render(v);
    }

    /**
     * Equality: numeric when both sides are numeric (numbers or numeric strings), else exact string equality.
     * Returns null when either side is missing; structures never compare equal.
     */
    static Long equal(Object a, Object b) {
        if (a == null || b == null) {
            return null;
        }
        if (isStructure(a) || isStructure(b)) {
            return FALSE;
        }
        return bool(same(a, b));
    }

    static boolean same(Object a, Object b) {
        Number x = num(a);
        Number y = num(b);
        if (x != null && y != null) {
            return compareNumbers(x, y) == 0;
        }
        return render(a).equals(render(b));
    }

    static int compareNumbers(Number x, Number y) {
        if (x instanceof Long a && y instanceof Long b) {
            return Long.compare(a, b);
        }
        return Double.compare(x.doubleValue(), y.doubleValue());
    }

    /** Ordering for {@code < <= > >=}: numeric when both numeric, else code-point order; null if undefined. */
    static Integer order(Object a, Object b) {
        if (a == null || b == null || isStructure(a) || isStructure(b)) {
            return null;
        }
        Number x = num(a);
        Number y = num(b);
        if (x != null && y != null) {
            return compareNumbers(x, y);
        }
        return NaturalOrder.compareCodePoints(render(a), render(b));
    }
}
