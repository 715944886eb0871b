package io.ekslookout.query;

import java.util.List;
import java.util.function.Consumer;

/**
 * Expression tree nodes. Each node knows where it came from (line, column, source text: the column name of an
 * unaliased projection) and evaluates itself against a record. Comparisons use three-valued logic: a missing
 * operand gives null, {@code not null} is null, and a filter keeps a record only when its expression is true.
 */
abstract class Expr {
    int line;
    int column;
    int start;
    String text;

    abstract Object eval(Rec r);

    /** Visits this node and its children. */
    void walk(Consumer<Expr> visitor) {
        visitor.accept(this);
        for (Expr c : children()) {
            c.walk(visitor);
        }
    }

    List<Expr> children() {
        return List.of();
    }

    Expr at(Token t) {
        line = t.line();
        column = t.column();
        return this;
    }

    static final class Literal extends Expr {
        final Object value;

        Literal(Object value) {
            this.value = value;
        }

        @Override
        Object eval(Rec r) {
            return value;
        }
    }

    static final class Field extends Expr {
        final String name;

        Field(String name) {
            this.name = name;
        }

        @Override
        Object eval(Rec r) {
            return r.get(name);
        }
    }

    /** {@code base.key} or {@code base[index]} on a MAP/LIST value (e.g. {@code jsonParse(s).a}). */
    static final class Member extends Expr {
        final Expr base;
        final String key;

        Member(Expr base, String key) {
            this.base = base;
            this.key = key;
        }

        @Override
        Object eval(Rec r) {
            Object b = base.eval(r);
            Object v = Rec.member(b, key);
            if (v == null && key.indexOf('.') > 0) { // .a.b scans as one name: navigate segment by segment
                v = b;
                for (String seg : key.split("\\.", -1)) {
                    v = Rec.member(v, seg);
                }
            }
            return v;
        }

        @Override
        List<Expr> children() {
            return List.of(base);
        }
    }

    static final class Negate extends Expr {
        final Expr operand;

        Negate(Expr operand) {
            this.operand = operand;
        }

        @Override
        Object eval(Rec r) {
            Number n = Values.num(operand.eval(r));
            if (n == null) {
                return null;
            }
            if (n instanceof Long l && l != Long.MIN_VALUE) {
                return -l;
            }
            return -n.doubleValue();
        }

        @Override
        List<Expr> children() {
            return List.of(operand);
        }
    }

    static final class Arithmetic extends Expr {
        final Token.Type op;
        final Expr left;
        final Expr right;

        Arithmetic(Token.Type op, Expr left, Expr right) {
            this.op = op;
            this.left = left;
            this.right = right;
        }

        @Override
        Object eval(Rec r) {
            Number a = Values.num(left.eval(r));
            if (a == null) {
                return null;
            }
            Number b = Values.num(right.eval(r));
            if (b == null) {
                return null;
            }
            return apply(op, a, b);
        }

        static Object apply(Token.Type op, Number a, Number b) {
            if (a instanceof Long x && b instanceof Long y) {
                try {
                    switch (op) {
                        case PLUS: return Math.addExact(x, y);
                        case MINUS: return Math.subtractExact(x, y);
                        case STAR: return Math.multiplyExact(x, y);
                        case PERCENT: return y == 0 ? null : x % y;
                        case SLASH:
                            if (y == 0) {
                                return null;
                            }
                            if (x % y == 0) {
                                return x / y;
                            }
                            break;
                        case CARET:
                            if (y >= 0 && y < 64) {
                                long result = 1;
                                for (long i = 0; i < y; i++) {
                                    result = Math.multiplyExact(result, x);
                                }
                                return result;
                            }
                            break;
                        default:
                            break;
                    }
                } catch (ArithmeticException overflow) {
                    // fall through to doubles
                }
            }
            double x = a.doubleValue();
            double y = b.doubleValue();
            double v = switch (op) {
                case PLUS -> x + y;
                case MINUS -> x - y;
                case STAR -> x * y;
                case SLASH -> y == 0 ? Double.NaN : x / y;
                case PERCENT -> y == 0 ? Double.NaN : x % y;
                case CARET -> Math.pow(x, y);
                default -> Double.NaN;
            };
            return Double.isNaN(v) || Double.isInfinite(v) ? null : v;
        }

        @Override
        List<Expr> children() {
            return List.of(left, right);
        }
    }

    /** Base of the predicates the pre-check can guard: a literal the raw message must contain. */
    abstract static class Predicate extends Expr {
        /** Set by the planner: when the event's JSON is not parsed yet and the message cannot contain any of these
         * literals, the predicate is false without parsing. */
        String[] guard;

        final boolean guarded(Rec r) {
            return guard != null && r.ev != null && !r.ev.complete() && !r.ev.mayContainAny(guard);
        }
    }

    static final class Compare extends Predicate {
        final Token.Type op;
        final Expr left;
        final Expr right;

        Compare(Token.Type op, Expr left, Expr right) {
            this.op = op;
            this.left = left;
            this.right = right;
        }

        @Override
        Object eval(Rec r) {
            if (guarded(r)) {
                return Values.FALSE;
            }
            Object a = left.eval(r);
            if (a == null) {
                return null;
            }
            Object b = right.eval(r);
            if (b == null) {
                return null;
            }
            return apply(op, a, b);
        }

        /** The comparison of two present values (also what {@link KeyNumber} asks of a number on the raw text). */
        static Long apply(Token.Type op, Object a, Object b) {
            switch (op) {
                case EQ:
                    return Values.equal(a, b);
                case NE: {
                    Long eq = Values.equal(a, b);
                    return Values.isStructure(a) || Values.isStructure(b) ? Values.FALSE : Values.bool(eq == 0L);
                }
                default: {
                    Integer c = Values.order(a, b);
                    if (c == null) {
                        return Values.FALSE;
                    }
                    return Values.bool(switch (op) {
                        case LT -> c < 0;
                        case LE -> c <= 0;
                        case GT -> c > 0;
                        default -> c >= 0;
                    });
                }
            }
        }

        @Override
        List<Expr> children() {
            return List.of(left, right);
        }
    }

    /** {@code like}, {@code not like} and {@code =~}: substring test for a string, regex search for a /regex/. */
    static final class Like extends Predicate {
        final Expr subject;
        final String substring;
        final Regex regex;
        final boolean negated;
        private Cached cache;

        private record Cached(String input, boolean result) {
        }

        Like(Expr subject, String substring, Regex regex, boolean negated) {
            this.subject = subject;
            this.substring = substring;
            this.regex = regex;
            this.negated = negated;
        }

        @Override
        Object eval(Rec r) {
            if (guarded(r)) {
                return Values.FALSE;
            }
            String s = Values.text(subject.eval(r));
            if (s == null) {
                return null;
            }
            return Values.bool(matches(s) != negated);
        }

        boolean matches(String s) {
            if (substring != null) {
                return s.contains(substring);
            }
            if (regex.isPlain() || s.length() >= 256) {
                return regex.find(s);
            }
            Cached c = cache; // repeated short values (log stream names) are matched once; safe across threads
            if (c != null && (c.input == s || c.input.equals(s))) {
                return c.result;
            }
            boolean m = regex.find(s);
            cache = new Cached(s, m);
            return m;
        }

        @Override
        List<Expr> children() {
            return List.of(subject);
        }
    }

    static final class In extends Predicate {
        final Expr subject;
        final List<Object> values;
        final boolean negated;

        In(Expr subject, List<Object> values, boolean negated) {
            this.subject = subject;
            this.values = values;
            this.negated = negated;
        }

        @Override
        Object eval(Rec r) {
            if (guarded(r)) {
                return Values.FALSE;
            }
            Object v = subject.eval(r);
            if (v == null) {
                return null;
            }
            return apply(v, values, negated);
        }

        /** The test of a present value (also what {@link KeyNumber} asks of a number on the raw text). */
        static Long apply(Object v, List<Object> values, boolean negated) {
            if (Values.isStructure(v)) {
                return Values.FALSE;
            }
            boolean found = false;
            for (Object o : values) {
                if (Values.same(v, o)) {
                    found = true;
                    break;
                }
            }
            return Values.bool(found != negated);
        }

        @Override
        List<Expr> children() {
            return List.of(subject);
        }
    }

    static final class Logical extends Expr {
        final boolean and;
        Expr left;
        Expr right;

        /** Evaluation order only: three-valued and/or are commutative. */
        void swap() {
            Expr t = left;
            left = right;
            right = t;
        }

        Logical(boolean and, Expr left, Expr right) {
            this.and = and;
            this.left = left;
            this.right = right;
        }

        @Override
        Object eval(Rec r) {
            Object a = left.eval(r);
            if (a != null && Values.truthy(a) != and) {
                return Values.bool(!and); // false and ..., true or ...
            }
            Object b = right.eval(r);
            if (b != null && Values.truthy(b) != and) {
                return Values.bool(!and);
            }
            return a == null || b == null ? null : Values.bool(and);
        }

        @Override
        List<Expr> children() {
            return List.of(left, right);
        }
    }

    static final class Not extends Expr {
        final Expr operand;

        Not(Expr operand) {
            this.operand = operand;
        }

        @Override
        Object eval(Rec r) {
            Object v = operand.eval(r);
            return v == null ? null : Values.bool(!Values.truthy(v));
        }

        @Override
        List<Expr> children() {
            return List.of(operand);
        }
    }

    static final class Call extends Predicate {
        final String name;
        final Functions.Fn fn;
        final Expr[] args;

        Call(String name, Functions.Fn fn, Expr[] args) {
            this.name = name;
            this.fn = fn;
            this.args = args;
        }

        @Override
        Object eval(Rec r) {
            if (guarded(r)) {
                return Values.FALSE;
            }
            Object[] a = new Object[args.length];
            for (int i = 0; i < a.length; i++) {
                a[i] = args[i].eval(r);
            }
            return fn.apply(this, r, a);
        }

        @Override
        List<Expr> children() {
            return List.of(args);
        }
    }

    /** An aggregate function call inside stats; its value is the group's result in slot {@link #slot}. */
    static final class AggCall extends Expr {
        final String name;
        final Aggregates.Kind kind;
        final Expr[] args;
        int slot = -1;

        AggCall(String name, Aggregates.Kind kind, Expr[] args) {
            this.name = name;
            this.kind = kind;
            this.args = args;
        }

        @Override
        Object eval(Rec r) {
            if (r.aggs == null || slot < 0) {
                throw new QueryException(line, column, name + "() can only be used in stats");
            }
            return r.aggs[slot];
        }

        @Override
        List<Expr> children() {
            return List.of(args);
        }
    }
}
