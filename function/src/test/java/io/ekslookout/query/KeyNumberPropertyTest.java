package io.ekslookout.query;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The number check ({@link KeyNumber}) never rules out an event its filter keeps: random JSON-ish messages (nested
 * objects and arrays, keys that end like the field's, escaped keys, numbers in every JSON spelling and some
 * non-JSON ones, strings, literals, JSON blanks), then mutated (cut, a character inserted or dropped, characters
 * of strings and keys spelled as escapes), against random comparisons of a field with a constant; checked on the
 * decoded message and on the undecoded one, against the plain evaluation of the filter.
 */
class KeyNumberPropertyTest {
    private static final List<String> KEYS = List.of("code", "code", "code", "xcode", "co\\u0064e", "cod\\u0065",
            "a", "b", "a.code", "0", "code ");
    private static final List<String> NUMBERS = List.of("500", "499", "501", "503", "200", "300", "0", "-0", "-1",
            "503.0", "499.5", "5e2", "5E+2", "4.99e2", "-0.0", "1e400", "-1e400", "0.5", "-5",
            "12345678901234567890", "123456789012345678", "0503", "503x", "1.", "-", "2e", ".5", "+5");
    private static final List<String> OTHERS = List.of("\"503\"", "\"abc\"", "\" 503 \"", "\"4\"", "null", "true",
            "false", "{}", "[]", "\"\\\"code\\\":503\"", "\"code\"");
    private static final List<String> BLANKS = List.of("", "", "", " ", "\n", "\t", "\r\n  ");
    private static final List<String> FIELDS = List.of("code", "code", "a.code", "b.code", "a.0.code", "xcode",
            "a.b.code");
    private static final List<String> CONSTANTS = List.of("500", "499", "0", "-1", "503.0", "-0.5", "\"500\"",
            "\"abc\"", "5");
    private static final List<String> OPS = List.of("=", "!=", "<", "<=", ">", ">=");
    private static final String NOISE = "\"{}[],: \\0123456789-.eu";

    record Case(String condition, String message) {
        @Override
        public String toString() {
            return "filter " + condition + "\nmessage: " + message;
        }
    }

    static String value(Random r, int depth) {
        int k = r.nextInt(10);
        if (k < 5) {
            return r.nextInt(4) == 0 ? Integer.toString(r.nextInt(2001) - 1000) : Trials.pick(r, NUMBERS);
        }
        if (k < 7 || depth >= 3) {
            return Trials.pick(r, OTHERS);
        }
        if (k < 9) {
            return object(r, depth + 1);
        }
        StringBuilder sb = new StringBuilder("[");
        int n = r.nextInt(3);
        for (int i = 0; i < n; i++) {
            sb.append(i > 0 ? "," : "").append(Trials.pick(r, BLANKS)).append(value(r, depth + 1));
        }
        return sb.append("]").toString();
    }

    static String object(Random r, int depth) {
        StringBuilder sb = new StringBuilder("{");
        int n = 1 + r.nextInt(4);
        for (int i = 0; i < n; i++) {
            sb.append(i > 0 ? "," : "").append(Trials.pick(r, BLANKS)).append('"').append(Trials.pick(r, KEYS))
                    .append('"').append(Trials.pick(r, BLANKS)).append(':').append(Trials.pick(r, BLANKS))
                    .append(value(r, depth)).append(Trials.pick(r, BLANKS));
        }
        return sb.append("}").toString();
    }

    static String mutate(Random r, String m) {
        if (r.nextInt(3) == 0) {
            m = ShortcutEquivalenceTest.escapeSome(m, r); // the 'e' of a key may become an escape
        }
        if (r.nextInt(4) == 0 && m.length() > 1) {
            m = m.substring(0, 1 + r.nextInt(m.length() - 1));
        }
        if (r.nextInt(6) == 0 && !m.isEmpty()) {
            int at = r.nextInt(m.length());
            m = m.substring(0, at) + m.substring(at + 1);
        }
        if (r.nextInt(6) == 0) {
            int at = r.nextInt(m.length() + 1);
            m = m.substring(0, at) + NOISE.charAt(r.nextInt(NOISE.length())) + m.substring(at);
        }
        return m;
    }

    static String condition(Random r) {
        String field = Trials.pick(r, FIELDS);
        if (r.nextInt(5) == 0) {
            return field + (r.nextBoolean() ? " not in [" : " in [") + Trials.pick(r, CONSTANTS) + ", "
                    + Trials.pick(r, CONSTANTS) + "]";
        }
        String op = Trials.pick(r, OPS);
        String k = Trials.pick(r, CONSTANTS);
        return r.nextBoolean() ? field + " " + op + " " + k : k + " " + op + " " + field;
    }

    static Case generate(Random r) {
        String m = object(r, 0);
        return new Case(condition(r), r.nextInt(3) == 0 ? mutate(r, m) : m);
    }

    @Test
    void neverRulesOutWhatTheFilterKeeps() {
        int[] counts = new int[3]; // kept, ruled out on the decoded message, ruled out on the raw one
        Trials.forAll("keynumber", 30_000, KeyNumberPropertyTest::generate, c -> {
            KeyNumber k = KeyNumberTest.anyCheck(c.condition());
            if (k == null) {
                assertThat(c.condition()).as("only comparisons with a non-numeric string have no check")
                        .contains("\"abc\"");
                return;
            }
            boolean decoded = KeyNumberTest.decoded(k, c.message());
            boolean raw = KeyNumberTest.raw(k, c.message(), false);
            if (KeyNumberTest.keeps(c.condition(), c.message())) {
                counts[0]++;
                assertThat(decoded).as("decoded").isTrue();
                assertThat(raw).as("raw").isTrue();
            }
            counts[1] += decoded ? 0 : 1;
            counts[2] += raw ? 0 : 1;
        });
        String seen = java.util.Arrays.toString(counts);
        assertThat(counts[0]).as("the filters keep some events " + seen).isGreaterThan(1000);
        assertThat(counts[1]).as("the check rules out events (decoded) " + seen).isGreaterThan(5000);
        assertThat(counts[2]).as("the check rules out events (raw) " + seen).isGreaterThan(5000);
    }
}
