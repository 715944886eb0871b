package io.ekslookout.query;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Set;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/**
 * The number check of the prefilter ({@link KeyNumber}), one row per case: for a filter and a message, what the
 * check answers on the undecoded message ({@link RawMessage}, the message as the body of a JSON string in a log
 * line) and on the decoded one ({@link EventView}) — "may" (true) or "ruled out" (false) — and, on every row, that
 * it never rules out an event the filter keeps (plain evaluation, no shortcut).
 */
class KeyNumberTest {
    static Stream<Arguments> rows() {
        String ge = "responseStatus.code >= 500";
        return Stream.of(
                arguments(ge, "{\"responseStatus\":{\"code\":500}}", true),
                arguments(ge, "{\"responseStatus\":{\"code\":499}}", false),
                arguments(ge, "{\"responseStatus\":{\"code\":503.0}}", true),
                arguments(ge, "{\"responseStatus\":{\"code\":499.99}}", false),
                arguments(ge, "{\"responseStatus\":{\"code\":5e2}}", true),
                arguments(ge, "{\"responseStatus\":{\"code\":4.99E+2}}", false),
                arguments(ge, "{\"responseStatus\":{\"code\":-1}}", false),
                arguments(ge, "{\"responseStatus\":{\"code\":\"503\"}}", true), // numeric string: compares as 503
                arguments(ge, "{\"responseStatus\":{\"code\":\"abc\"}}", true), // "abc" >= 500 in code-point order
                arguments(ge, "{\"responseStatus\":{\"code\":\"4\"}}", true),  // strings: always may
                arguments(ge, "{\"responseStatus\":{\"code\":null}}", true),
                arguments(ge, "{\"responseStatus\":{\"code\":true}}", true),
                arguments(ge, "{\"responseStatus\":{\"code\":{}}}", true),
                arguments(ge, "{\"responseStatus\":{\"code\":[]}}", true),
                arguments(ge, "{\"responseStatus\":{\"code\":[503]}}", true),
                arguments(ge, "{\"responseStatus\":{\"code\" : 503}}", true),
                arguments(ge, "{\"responseStatus\":{\"code\"\n:\t\r 499 }}", false), // blanks: \n \t \r in the line
                arguments(ge, "{\"responseStatus\":{\"code\"\n:\n503\n}}", true),
                arguments(ge, "{\"responseStatus\":{\"xcode\":503,\"code\":200}}", true), // a longer key: a candidate
                arguments(ge, "{\"responseStatus\":{\"xcode\":499,\"code\":200}}", false),
                arguments(ge, "{\"a\":{\"b\":[{\"code\":200}]},\"responseStatus\":{\"code\":200}}", false),
                arguments(ge, "{\"a\":{\"b\":[{\"code\":503}]},\"responseStatus\":{\"code\":200}}", true),
                arguments(ge, "{\"msg\":\"\\\"code\\\":503\",\"responseStatus\":{\"code\":200}}", false),
                arguments(ge, "{\"msg\":\"code\\\":503\"}", false),
                arguments(ge, "{\"msg\":\"code\",\"x\":503}", false), // a string value, then a comma: no key
                arguments(ge, "{\"responseStatus\":{\"co\\u0064e\":503}}", true), // an escaped key: may
                arguments(ge, "{\"responseStatus\":{\"co\\u0064e\":200}}", true),
                arguments(ge, "{\"responseStatus\":{\"cod\\u0065\":200}}", true),
                arguments(ge, "{\"responseStatus\":{\"code\":200},\"url\":\"a\\u0026b\"}", false), // spells '&' only
                arguments(ge, "{\"responseStatus\":{\"code\":200},\"bad\":\"\\u00zz\"}", true), // malformed escape
                arguments(ge, "{\"responseStatus\":{\"code\":0503}}", true), // not JSON: may
                arguments(ge, "{\"responseStatus\":{\"code\":503x}}", true),
                arguments(ge, "{\"responseStatus\":{\"code\":200x}}", true),
                arguments(ge, "{\"responseStatus\":{\"code\":-}}", true),
                arguments(ge, "{\"responseStatus\":{\"code\":2.}}", true),
                arguments(ge, "{\"responseStatus\":{\"code\":2e}}", true),
                arguments(ge, "{\"responseStatus\":{\"code\":12345678901234567890123}}", true), // past 18 digits
                arguments(ge, "{\"responseStatus\":{\"code\":-12345678901234567890123}}", true),
                arguments(ge, "{\"responseStatus\":{\"code\":123456789012345678}}", true),
                arguments(ge, "{\"responseStatus\":{\"code\":-123456789012345678}}", false),
                arguments(ge, "{\"responseStatus\":{\"code\":503", true), // truncated after the number
                arguments(ge, "{\"responseStatus\":{\"code\":499", false),
                arguments(ge, "{\"responseStatus\":{\"code\":", false),
                arguments(ge, "{\"responseStatus\":{\"code\"", false),
                arguments(ge, "{\"responseStatus\":{\"code\":200,\"code\":503}}", true), // duplicates: any may
                arguments(ge, "not json \"code\": 200", false),
                arguments(ge, "", false),
                arguments("code >= 0", "{\"code\":-0}", true),
                arguments("code > 0", "{\"code\":-0}", false),
                arguments("code >= 0", "{\"code\":-0.0}", false), // the engine: -0.0 < 0 (Double.compare)
                // 18 digits: compared as longs, as discovery reads them (as doubles both would be 1.2345678901234568E17)
                arguments("code > 123456789012345677", "{\"code\":123456789012345678}", true),
                arguments("code = 123456789012345677", "{\"code\":123456789012345678}", false),
                arguments("code < 123456789012345679", "{\"code\":123456789012345678}", true),
                arguments("code = 503", "{\"code\":503}", true),
                arguments("code = 503", "{\"code\":503.0}", true),
                arguments("code = 503", "{\"code\":500}", false),
                arguments("code != 503", "{\"code\":503}", false),
                arguments("code != 503", "{\"code\":500}", true),
                arguments("code < 300", "{\"code\":503}", false),
                arguments("code <= 300", "{\"code\":300}", true),
                arguments("code > 300", "{\"code\":300}", false),
                arguments("500 <= code", "{\"code\":499}", false),
                arguments("500 <= code", "{\"code\":501}", true),
                arguments("code > -1", "{\"code\":-5}", false),
                arguments("code > -1", "{\"code\":0}", true),
                arguments("code > -1.5", "{\"code\":-1.25}", true),
                arguments("code >= \"500\"", "{\"code\":503}", true),
                arguments("code >= \"500\"", "{\"code\":499}", false),
                arguments("code in [500, 503]", "{\"code\":503}", true),
                arguments("code in [500, 503]", "{\"code\":404}", false),
                arguments("code in [500, -1]", "{\"code\":-1.0}", true),
                arguments("code not in [500, 503]", "{\"code\":503}", false),
                arguments("code not in [500, 503]", "{\"code\":404}", true),
                arguments("a.code >= 500", "{\"a\":{\"code\":503}}", true),
                arguments("a.code >= 500", "{\"a.code\":503}", true), // a key with a dot flattens the same
                arguments("a.code >= 500", "{\"a\":{\"code\":200}}", false),
                arguments("`a-b/c` >= 500", "{\"a-b/c\":200}", false),
                arguments("`a-b/c` >= 500", "{\"a-b\\/c\":200}", true)); // '\/' in the key spells '/'
    }

    @ParameterizedTest(name = "{0} on {1}: {2}")
    @MethodSource("rows")
    void answersAndNeverRulesOutAMatch(String condition, String message, boolean may) {
        KeyNumber k = check(condition);
        if (keeps(condition, message)) {
            assertThat(may).as("the table itself: the filter keeps this event").isTrue();
        }
        assertThat(decoded(k, message)).as("decoded").isEqualTo(may);
        assertThat(raw(k, message, false)).as("raw").isEqualTo(may);
        assertThat(raw(k, message, true)).as("raw with the line's own escapes").isTrue();
    }

    @Test
    void onlyComparisonsWithANumberGetTheCheck() {
        for (String c : new String[] {"code != \"x\"", "code > \"abc\"", "code in [1, \"x\"]", "code.0 >= 500",
                "`@@x` >= 500", "code >= otherField", "code + 1 >= 500", "not (code >= 500)"}) {
            assertThat(Query.parse("filter " + c).plan().prefilter.get(0)).as(c).isNull();
        }
        assertThat(Query.parse("fields jsonParse(@message) as j | filter j.code >= 500").plan().prefilter.get(0))
                .as("a field the query made").isNull();
        assertThat(Query.parse("parse @message /code=(?<code>\\d+)/ | filter code >= 500").plan().prefilter.get(0))
                .as("a field the query made").isNull();
        Prefilter.Node any = Query.parse("filter code >= 500 or code = -1").plan().prefilter.get(0);
        assertThat(any).isInstanceOf(Prefilter.Any.class);
        assertThat(((Prefilter.Any) any).parts()).allMatch(n -> n instanceof Prefilter.Numeric);
    }

    /**
     * A key beyond ASCII cannot be in an ASCII message, but may be in one holding UTF-8 beyond ASCII as its bytes:
     * then the check never rules it out (the decoded view finds the number, so must the raw one let it through).
     */
    @Test
    void aKeyBeyondAsciiIsNeverRuledOutOfAMessageHoldingUtf8() {
        KeyNumber k = check("`größe` >= 5");
        String message = "{\"größe\":7}";
        assertThat(keeps("`größe` >= 5", message)).isTrue();
        assertThat(decoded(k, message)).isTrue();
        String body = new String(JsonStringEncoder.getInstance().quoteAsString(message));
        byte[] b = ("{\"message\":\"" + body + "\"}").getBytes(StandardCharsets.UTF_8);
        RawMessage rm = new RawMessage();
        rm.set(b, 12, b.length - 2, message.length(), false, false, true);
        assertThat(rm.mayHoldNumber(k)).isTrue();
        byte[] ascii = "{\"message\":\"{\\\"size\\\":7}\"}".getBytes(StandardCharsets.US_ASCII);
        rm.set(ascii, 12, ascii.length - 2, 10, false, false, false);
        assertThat(rm.mayHoldNumber(k)).as("no such key in an ASCII message").isFalse();
    }

    /** The number check the planner derives from a filter made of one comparison. */
    static KeyNumber check(String condition) {
        Prefilter.Node n = Query.parse("filter " + condition).plan().prefilter.get(0);
        assertThat(n).as(condition).isInstanceOf(Prefilter.Numeric.class);
        return ((Prefilter.Numeric) n).test();
    }

    /** The number check of a filter made of one comparison; null when it compares with no number. */
    static KeyNumber anyCheck(String condition) {
        Command c = Query.parse("filter " + condition, false).plan().commands.get(0);
        return KeyNumber.of(((Command.Filter) c).condition, Set.of());
    }

    /** The filter keeps the event: plain evaluation, no shortcut. */
    static boolean keeps(String condition, String message) {
        Query.Execution x = Query.parse("filter " + condition, false).start(QueryContext.unbounded(Instant.EPOCH));
        x.accept(new LogEvent(0, 0, message, "s", "g", "e"));
        return x.finish().recordsMatched() == 1;
    }

    static boolean decoded(KeyNumber k, String message) {
        return new EventView(new LogEvent(0, 0, message, "s", "g", null), 0, FieldTrie.of(Set.of()))
                .mayHoldNumber(k);
    }

    /**
     * On the message written as a log line writes it (a JSON string body); with {@code lineEscapes}, the line also
     * spells its first plain character with a {@code \}{@code u} escape (the reader then flags the message).
     */
    static boolean raw(KeyNumber k, String message, boolean lineEscapes) {
        String body = new String(JsonStringEncoder.getInstance().quoteAsString(message));
        if (lineEscapes) {
            body = "\\u0020" + body;
        }
        byte[] b = ("{\"message\":\"" + body + "\"}").getBytes(StandardCharsets.US_ASCII);
        RawMessage rm = new RawMessage();
        rm.set(b, 12, b.length - 2, message.length() + (lineEscapes ? 1 : 0), lineEscapes);
        return rm.mayHoldNumber(k);
    }
}
