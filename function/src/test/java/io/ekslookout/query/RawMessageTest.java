package io.ekslookout.query;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link RawMessage} answers "may contain" whenever the decoded message ({@link EventView} over the String) does:
 * random messages of JSON-ish text with quotes, backslashes, inner escapes, written as a JSON string body with
 * and without extra escapes ({@code \/}, {@code \}{@code u00XX}), against random literals cut from them or made up.
 */
class RawMessageTest {
    private static final String ALPHABET = "ab-/\"\\:{}u0d5 \n\tA";

    @Test
    void neverRulesOutWhatTheDecodedMessageHolds() {
        Random r = new Random(3);
        FieldTrie none = FieldTrie.of(java.util.Set.of());
        int ruledOut = 0;
        for (int n = 0; n < 20000; n++) {
            String m = randomText(r, 1 + r.nextInt(40));
            String body = new String(JsonStringEncoder.getInstance().quoteAsString(m));
            boolean charEscapes = false;
            if (r.nextInt(4) == 0) { // the line's own escapes for some plain characters
                StringBuilder sb = new StringBuilder();
                for (int i = 0; i < body.length(); i++) {
                    char c = body.charAt(i);
                    if (c == '\\') {
                        sb.append(c).append(body.charAt(++i));
                    } else if ((c == '/' || c == 'a') && r.nextBoolean()) {
                        sb.append(c == '/' ? "\\/" : "\\u0061");
                        charEscapes = true;
                    } else {
                        sb.append(c);
                    }
                }
                body = sb.toString();
            }
            byte[] raw = ("xx" + body + "yy").getBytes(StandardCharsets.US_ASCII);
            RawMessage rm = new RawMessage();
            rm.set(raw, 2, raw.length - 2, m.length(), charEscapes);
            String[] literals = {literal(r, m), literal(r, m)};
            EventView decoded = new EventView(new LogEvent(0, 0, m, "s", "g", null), 0, none);
            boolean json = decoded.mayContain(literals);
            boolean verbatim = decoded.containsVerbatim(literals);
            String what = "message " + m + " raw " + body + " literals " + String.join(" | ", literals);
            if (json) {
                assertThat(rm.mayContain(literals)).as(what).isTrue();
            }
            if (verbatim) {
                assertThat(rm.containsVerbatim(literals)).as(what).isTrue();
            }
            if (!rm.mayContain(literals)) {
                ruledOut++;
            }
            assertThat(rm.length()).isEqualTo(m.length());
        }
        assertThat(ruledOut).as("the raw checks do rule events out").isGreaterThan(200);
    }

    /**
     * One reader asked for many literals searches each line once for all of them ({@link RawMessage#ONE_PASS_FROM}):
     * the answers equal a plain search of the raw text for each literal's raw form, line after line, also for
     * literals first asked in the middle of a line (searched alone until the next line) and one-byte literals; and
     * the escape-aware answer ({@link RawMessage#mayContain}) equals that of a reader asked for that literal alone.
     */
    @Test
    void theOnePassSearchFindsExactlyWhatAPlainSearchFinds() {
        Random r = new Random(11);
        List<String> pool = new ArrayList<>();
        for (int i = 0; i < 3 * RawMessage.ONE_PASS_FROM; i++) {
            pool.add(randomText(r, 1 + r.nextInt(5)).replace("\\u", "u"));
        }
        pool.addAll(List.of("ab", "ab-", "a\"", "\"a", "-", "\\/", "d5"));
        RawMessage rm = new RawMessage();
        int asked = 0;
        int found = 0;
        for (int n = 0; n < 20000; n++) {
            String m = randomText(r, 1 + r.nextInt(60));
            String body = new String(JsonStringEncoder.getInstance().quoteAsString(m));
            byte[] raw = ("x" + body + "y").getBytes(StandardCharsets.US_ASCII);
            rm.set(raw, 1, raw.length - 1, m.length(), false);
            int k = 1 + r.nextInt(pool.size());
            for (int i = 0; i < k; i++) {
                String l = r.nextInt(50) == 0 ? randomText(r, 2 + r.nextInt(3)) : Trials.pick(r, pool);
                byte[] form = RawMessage.rawForm(l);
                boolean expected = form != RawMessage.NEVER && body.contains(new String(form, StandardCharsets.US_ASCII));
                assertThat(rm.containsVerbatim(new String[] {l})).as("literal " + l + " in " + body).isEqualTo(expected);
                RawMessage alone = new RawMessage(); // few literals: indexOf, and the escapes scanned without the pass
                alone.set(raw, 1, raw.length - 1, m.length(), false);
                assertThat(rm.mayContain(new String[] {l})).as("json literal " + l + " in " + body)
                        .isEqualTo(alone.mayContain(new String[] {l}));
                asked++;
                found += expected ? 1 : 0;
            }
        }
        assertThat(found).as("some literals are found, most are not").isBetween(asked / 20, asked / 2);
    }

    /**
     * A literal whose raw form starts or ends with an escaped quote (a key, {@code "code"}) is found exactly where a
     * plain search finds it, at every place in texts of every length, among many near misses ({@code \"cod\"},
     * {@code \"code:}, keys of the same length), and never by reading past the message's end into bytes that would
     * complete it.
     */
    @Test
    void quotedLiteralsAreFoundWhereAPlainSearchFindsThem() {
        Random r = new Random(12);
        String[] pieces = {"\"code\"", "\"code", "code\"", "\"cade\"", "\"kind\"", "\"cod\"", "\"code:", "c", "e",
                "\"", ":", "{", "co", "de", "x"};
        String[] literals = {"\"code\"", "\"code", "code\"", "\"ab\"", "\"kind\":\"Event\"", "\"c\""};
        int found = 0;
        for (int n = 0; n < 20000; n++) {
            StringBuilder sb = new StringBuilder();
            int k = r.nextInt(14);
            for (int i = 0; i < k; i++) {
                sb.append(pieces[r.nextInt(pieces.length)]);
            }
            String m = sb.toString();
            String body = new String(JsonStringEncoder.getInstance().quoteAsString(m));
            String after = new String[] {"y", "\\\"", "e\\\"", "de\\\"x"}[r.nextInt(4)]; // would end a match
            byte[] raw = ("x" + body + after).getBytes(StandardCharsets.US_ASCII);
            String l = literals[r.nextInt(literals.length)];
            RawMessage rm = new RawMessage();
            rm.set(raw, 1, 1 + body.length(), m.length(), false);
            boolean expected = body.contains(new String(RawMessage.rawForm(l), StandardCharsets.US_ASCII));
            assertThat(rm.containsVerbatim(new String[] {l})).as("literal " + l + " in " + body).isEqualTo(expected);
            found += expected ? 1 : 0;
        }
        assertThat(found).as("found in some texts, not in most").isBetween(1000, 10000);
    }

    @Test
    void literalsWithQuotesAreFoundInTheirEscapedForm() {
        byte[] raw = "msg=\\\"access denied\\\" a\\\\b".getBytes(StandardCharsets.US_ASCII);
        RawMessage rm = new RawMessage();
        rm.set(raw, 0, raw.length, 26, false);
        assertThat(rm.containsVerbatim(new String[] {"msg=\"access denied\""})).isTrue();
        assertThat(rm.containsVerbatim(new String[] {"a\\b"})).isTrue();
        assertThat(rm.containsVerbatim(new String[] {"msg=\"access granted\""})).isFalse();
        assertThat(rm.containsVerbatim(new String[] {"dénied"})).isFalse();
    }

    private static String randomText(Random r, int len) {
        StringBuilder sb = new StringBuilder();
        while (sb.length() < len) {
            int k = r.nextInt(10);
            if (k == 0) {
                sb.append(String.format("\\u%04x", (int) "a-/\"A".charAt(r.nextInt(5))));
            } else if (k == 1) {
                sb.append(r.nextBoolean() ? "\\/" : "\\u00");
            } else {
                sb.append(ALPHABET.charAt(r.nextInt(ALPHABET.length())));
            }
        }
        return sb.toString();
    }

    private static String literal(Random r, String m) {
        if (r.nextInt(3) == 0) {
            return randomText(r, 1 + r.nextInt(3));
        }
        int from = r.nextInt(m.length());
        return m.substring(from, Math.min(m.length(), from + 1 + r.nextInt(4)));
    }
}
