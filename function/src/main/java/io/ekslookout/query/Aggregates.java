package io.ekslookout.query;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Aggregate functions of {@code stats}. Choices where the service is undocumented: {@code stddev} is the sample
 * standard deviation (n-1; null for fewer than two values); {@code pct} is nearest-rank (the smallest value with at
 * least p% of the values at or below it); {@code count_distinct} is exact; {@code min}/{@code max} compare numbers
 * numerically and otherwise use the natural sort order; {@code sum}/{@code avg} skip non-numeric values and give
 * null when there is none; {@code earliest}/{@code latest} skip null values, ties go to the first record seen.
 */
final class Aggregates {
    private Aggregates() {
    }

    enum Kind {
        COUNT(0, 1), COUNT_DISTINCT(1, 1), SUM(1, 1), AVG(1, 1), MIN(1, 1), MAX(1, 1), STDDEV(1, 1), PCT(2, 2),
        EARLIEST(1, 1), LATEST(1, 1), SORTSFIRST(1, 1), SORTSLAST(1, 1);

        final int min;
        final int max;

        Kind(int min, int max) {
            this.min = min;
            this.max = max;
        }
    }

    static Kind lookup(String name) {
        String n = name.toLowerCase(Locale.ROOT);
        for (Kind k : Kind.values()) {
            if (k.name().toLowerCase(Locale.ROOT).equals(n)) {
                return k;
            }
        }
        return null;
    }

    /** Accumulates one aggregate for one group. */
    interface Acc {
        void add(Expr.AggCall call, Rec r);

        Object result();

        /** True when the accumulator stopped taking new values at the distinct-value cap (result is partial). */
        default boolean capped() {
            return false;
        }
    }

    static Acc create(Expr.AggCall call) {
        return create(call, QueryLimits.DEFAULT);
    }

    static Acc create(Expr.AggCall call, QueryLimits limits) {
        return switch (call.kind) {
            case COUNT -> new Count();
            case COUNT_DISTINCT -> new CountDistinct(limits.maxGroups());
            case SUM -> new Sum(false);
            case AVG -> new Sum(true);
            case MIN -> new Extreme(-1);
            case MAX -> new Extreme(1);
            case SORTSFIRST -> new Extreme(-2);
            case SORTSLAST -> new Extreme(2);
            case STDDEV -> new StdDev();
            case PCT -> new Pct(call);
            case EARLIEST -> new ByTime(true);
            case LATEST -> new ByTime(false);
        };
    }

    private static final class Count implements Acc {
        long n;

        @Override
        public void add(Expr.AggCall call, Rec r) {
            if (call.args.length == 0 || call.args[0].eval(r) != null) {
                n++;
            }
        }

        @Override
        public Object result() {
            return n;
        }
    }

    /** Exact up to {@code cap} distinct values (then a lower bound, flagged by {@link #capped()}). */
    private static final class CountDistinct implements Acc {
        final Set<String> seen = new HashSet<>();
        final int cap;
        boolean capped;

        CountDistinct(int cap) {
            this.cap = cap;
        }

        @Override
        public void add(Expr.AggCall call, Rec r) {
            Object v = call.args[0].eval(r);
            if (v != null && !Values.isStructure(v)) {
                Number n = Values.num(v);
                String key = n != null ? Values.render(n instanceof Long ? n : (Object) n.doubleValue())
                        : Values.render(v);
                if (seen.size() < cap || seen.contains(key)) {
                    seen.add(key);
                } else {
                    capped = true;
                }
            }
        }

        @Override
        public boolean capped() {
            return capped;
        }

        @Override
        public Object result() {
            return (long) seen.size();
        }
    }

    /** An aggregate over the numeric values of its first argument; other values (and missing ones) are skipped. */
    private abstract static class Numeric implements Acc {
        @Override
        public final void add(Expr.AggCall call, Rec r) {
            Number v = Values.num(call.args[0].eval(r));
            if (v != null) {
                accept(v);
            }
        }

        abstract void accept(Number v);
    }

    private static final class Sum extends Numeric {
        final boolean average;
        long longSum;
        double doubleSum;
        boolean isDouble;
        long n;

        Sum(boolean average) {
            this.average = average;
        }

        @Override
        void accept(Number v) {
            n++;
            if (!isDouble && v instanceof Long l) {
                try {
                    longSum = Math.addExact(longSum, l);
                    return;
                } catch (ArithmeticException overflow) {
                    isDouble = true;
                    doubleSum = longSum;
                    doubleSum += l;
                    return;
                }
            }
            if (!isDouble) {
                isDouble = true;
                doubleSum = longSum;
            }
            doubleSum += v.doubleValue();
        }

        @Override
        public Object result() {
            if (n == 0) {
                return null;
            }
            if (average) {
                double total = isDouble ? doubleSum : longSum;
                return normalize(total / n);
            }
            return isDouble ? normalize(doubleSum) : (Object) longSum;
        }
    }

    static Object normalize(double d) {
        if (Double.isNaN(d) || Double.isInfinite(d)) {
            return null;
        }
        return d == Math.rint(d) && Math.abs(d) < 9e18 ? (Object) (long) d : d;
    }

    /** min/max (|sign| = 1: numbers numerically) and sortsFirst/sortsLast (|sign| = 2: natural order). */
    private static final class Extreme implements Acc {
        final int sign;
        Object best;

        Extreme(int sign) {
            this.sign = sign;
        }

        @Override
        public void add(Expr.AggCall call, Rec r) {
            Object v = call.args[0].eval(r);
            if (v == null || Values.isStructure(v)) {
                return;
            }
            if (Math.abs(sign) == 1 && v instanceof String s) {
                Number n = Values.parseNumber(s);
                if (n != null) {
                    v = n;
                }
            }
            if (best == null || Integer.signum(NaturalOrder.compare(v, best)) == Integer.signum(sign)) {
                best = v;
            }
        }

        @Override
        public Object result() {
            return best;
        }
    }

    private static final class StdDev extends Numeric {
        long n;
        double mean;
        double m2;

        @Override
        void accept(Number v) {
            n++;
            double x = v.doubleValue();
            double d = x - mean;
            mean += d / n;
            m2 += d * (x - mean);
        }

        @Override
        public Object result() {
            return n < 2 ? null : normalize(Math.sqrt(m2 / (n - 1)));
        }
    }

    private static final class Pct extends Numeric {
        final List<Number> values = new ArrayList<>();
        final Expr.AggCall call;

        Pct(Expr.AggCall call) {
            this.call = call;
        }

        @Override
        void accept(Number v) {
            values.add(v);
        }

        @Override
        public Object result() {
            if (values.isEmpty()) {
                return null;
            }
            Number p = Values.num(call.args[1].eval(new Rec(null, null)));
            if (p == null) {
                return null;
            }
            values.sort(Values::compareNumbers);
            double pct = Math.max(0, Math.min(100, p.doubleValue()));
            int rank = (int) Math.ceil(pct / 100.0 * values.size());
            return values.get(Math.max(0, Math.min(values.size() - 1, rank - 1)));
        }
    }

    private static final class ByTime implements Acc {
        final boolean earliest;
        Object value;
        long ts;

        ByTime(boolean earliest) {
            this.earliest = earliest;
        }

        @Override
        public void add(Expr.AggCall call, Rec r) {
            Object v = call.args[0].eval(r);
            if (v == null) {
                return;
            }
            long t = r.timestamp();
            if (value == null || (earliest ? t < ts : t > ts)) {
                value = v;
                ts = t;
            }
        }

        @Override
        public Object result() {
            return value;
        }
    }
}
