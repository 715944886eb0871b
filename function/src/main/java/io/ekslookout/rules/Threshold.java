package io.ekslookout.rules;

import java.util.Objects;

/**
 * For aggregate rules: a row fires when {@code column op value}. Numbers compare numerically; when the cell or
 * the value is not a number, only {@code =} and {@code !=} apply, comparing text. A row without the column never
 * crosses.
 */
public record Threshold(String column, Op op, String value) {
    public Threshold {
        Objects.requireNonNull(column);
        Objects.requireNonNull(op);
        Objects.requireNonNull(value);
    }

    public enum Op {
        GT(">"), GE(">="), LT("<"), LE("<="), EQ("="), NE("!=");

        private final String symbol;

        Op(String symbol) {
            this.symbol = symbol;
        }

        public String symbol() {
            return symbol;
        }

        public static Op parse(String s) {
            for (Op o : values()) {
                if (o.symbol.equals(s == null ? null : s.trim())) {
                    return o;
                }
            }
            if ("==".equals(s == null ? null : s.trim())) {
                return EQ;
            }
            return null;
        }

        public static String choices() {
            return "> >= < <= = !=";
        }
    }

    /** True when the cell crosses the threshold. */
    public boolean crosses(String cell) {
        if (cell == null) {
            return false;
        }
        Double a = number(cell);
        Double b = number(value);
        if (a != null && b != null) {
            int c = Double.compare(a, b);
            return switch (op) {
                case GT -> c > 0;
                case GE -> c >= 0;
                case LT -> c < 0;
                case LE -> c <= 0;
                case EQ -> c == 0;
                case NE -> c != 0;
            };
        }
        return switch (op) {
            case EQ -> cell.equals(value);
            case NE -> !cell.equals(value);
            default -> false;
        };
    }

    static Double number(String s) {
        try {
            double d = Double.parseDouble(s.trim());
            return Double.isNaN(d) ? null : d;
        } catch (NumberFormatException e) {
            return null;
        }
    }

    @Override
    public String toString() {
        return column + " " + op.symbol() + " " + value;
    }
}
