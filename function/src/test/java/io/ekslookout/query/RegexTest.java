package io.ekslookout.query;

import io.ekslookout.rules.Suppression;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/** RE2 matching: linear time on hostile text, the dialect refused by name, and literal shortcuts that never differ. */
class RegexTest {

    static Stream<Arguments> literals() {
        return Stream.of(
                // pattern, plain (no engine), required literal
                arguments("^kube-apiserver-audit", true, "kube-apiserver-audit"),
                arguments("msg=\"access denied\"", true, "msg=\"access denied\""),
                arguments("^sh\\.helm\\.release\\.v1\\.", true, "sh.helm.release.v1."),
                arguments("\\bclient=\"(?<client>[^\"]*)\"", false, "client=\""),
                arguments("\"privileged\":\\s*true", false, "\"privileged\":"),
                arguments("abc*d", false, "ab"),
                arguments("abcd?e", false, "abc"),
                arguments("ab+c", false, "ab"),
                arguments("x{2}yz", false, "yz"),
                arguments("\\x41bc", false, "bc"),
                arguments("\\pLabc", false, "abc"),
                arguments("(?i)admin", false, null),
                arguments("a(?i:b)cd", false, null),
                arguments("abc|xyz", false, null),
                arguments("(abc|xyz)qq", false, "qq"),
                arguments("[abc]+", false, null),
                arguments("\\Qa.b\\E", false, null),
                arguments("a.b", false, "a"),
                arguments("^(?:system|eks):", false, ":"));
    }

    @ParameterizedTest(name = "[{index}] /{0}/")
    @MethodSource("literals")
    void literalShortcuts(String pattern, boolean plain, String required) {
        Regex r = Regex.compile(pattern);
        assertThat(r.isPlain()).isEqualTo(plain);
        assertThat(r.requiredLiteral()).isEqualTo(required);
    }

    /** Random patterns from RE2 pieces on random text: the shortcuts never change an answer. */
    @Test
    void shortcutsAgreeWithTheEngine() {
        String[] pieces = {"a", "b", "ab", "\\.", ".", "a*", "b+", "c?", "[ab]", "(a|b)", "(?:ab)+", "^", "$",
                "x{2}", "\\d", "\\b", "(?i)A", "|", "\\x61", "\\141", "(?P<g>b)", "\\Qa.\\E", "a{1,2}?", "\\s"};
        Random random = new Random(8);
        int checked = 0;
        for (int i = 0; i < 4000; i++) {
            StringBuilder p = new StringBuilder();
            for (int k = 1 + random.nextInt(5); k > 0; k--) {
                p.append(pieces[random.nextInt(pieces.length)]);
            }
            Regex r;
            try {
                r = Regex.compile(p.toString());
            } catch (Regex.Refused e) {
                continue;
            }
            com.google.re2j.Pattern engine = com.google.re2j.Pattern.compile(p.toString());
            for (int t = 0; t < 20; t++) {
                StringBuilder text = new StringBuilder();
                for (int c = random.nextInt(12); c > 0; c--) {
                    text.append("abcxA. 1\n".charAt(random.nextInt(9)));
                }
                String s = text.toString();
                assertThat(r.find(s)).as("/%s/ on '%s'", p, s).isEqualTo(engine.matcher(s).find());
                assertThat(r.replaceAll(s, "-")).as("/%s/ on '%s'", p, s)
                        .isEqualTo(engine.matcher(s).replaceAll("-"));
                checked++;
            }
        }
        assertThat(checked).isGreaterThan(20_000);
    }

    static Stream<Arguments> refused() {
        return Stream.of(
                arguments("(?=x)y", "look-around ((?=…)", 0),
                arguments("a(?!x)", "look-around ((?!…)", 1),
                arguments("(?<=x)y", "look-around ((?<=…)", 0),
                arguments("(?<!x)y", "look-around ((?<!…)", 0),
                arguments("(a)\\1", "back-references (\\1)", 3),
                arguments("(?<n>a)\\k<n>", "back-references (\\k)", 7),
                arguments("a{1001}", "invalid regex: invalid repeat count", -1),
                arguments("((a{100}){100}){100}", "too large", -1),
                arguments("(".repeat(201) + "a" + ")".repeat(201), "nests groups more than 200 deep", 200),
                arguments("(\\d+", "invalid regex: missing closing )", -1),
                arguments("", "empty regex", -1));
    }

    @ParameterizedTest(name = "[{index}] {1}")
    @MethodSource("refused")
    void refusedWithAReason(String pattern, String fragment, int index) {
        assertThatThrownBy(() -> Regex.compile(pattern)).isInstanceOf(Regex.Refused.class)
                .hasMessageContaining(fragment)
                .satisfies(e -> assertThat(((Regex.Refused) e).index()).isEqualTo(index));
    }

    @Test
    void escapedLookAroundTextIsNotRefused() {
        assertThat(Regex.compile("\\(?=x").find("(=x")).isTrue();
        assertThat(Regex.compile("[(?=]x").find("=x")).isTrue();
        assertThat(Regex.compile("\\\\1").find("\\1")).isTrue();
    }

    @Test
    void theDeepestAcceptedNestingCompilesOnASmallStack() throws Exception {
        String deep = "(".repeat(Regex.MAX_NESTING) + "a" + ")*".repeat(Regex.MAX_NESTING);
        AtomicReference<Object> out = new AtomicReference<>();
        Thread t = new Thread(null, () -> {
            try {
                out.set(Regex.compile(deep).find("xaay"));
            } catch (Throwable e) {
                out.set(e);
            }
        }, "small-stack", 256 * 1024);
        t.start();
        t.join();
        assertThat(out.get()).isEqualTo(true);
    }

    static Stream<Arguments> hostile() {
        return Stream.of(
                arguments("/(a|aa)*b/", "a".repeat(50_000), "aab"),
                arguments("/(x+x+)+y/", "x".repeat(50_000), "xxxy"),
                arguments("/^(.*?,){11}P/", "0,".repeat(25_000), "0,".repeat(11) + "P"),
                arguments("/^(\\w+\\s?)*$/", "word ".repeat(10_000) + "!", "word word"));
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @MethodSource("hostile")
    void aSuppressRegexWithNestedLoopsOnALongValueReturns(String written, String value, String matching) {
        Suppression.Matcher m = Suppression.matcher(written);
        // a hang guard only: RE2 answers in milliseconds; java.util.regex backtracks for longer than a lifetime
        boolean matched = assertTimeoutPreemptively(Duration.ofSeconds(10), () -> m.matches(value));
        assertThat(matched).isFalse();
        assertThat(m.matches(matching)).isTrue();
    }

    @Test
    void namedGroupsInBothSpellingsAndCaseInsensitivity() {
        Query.Execution x = Query.parse("filter @message like /(?i)ADMIN/"
                + " | parse @message /(?<user.name>[a-z]+)-(?P<n>\\d+) \\(?<x>/ | fields user.name, n")
                .start(QueryContext.unbounded(java.time.Instant.EPOCH));
        x.accept(new LogEvent(1, 1, "admin-42 <x>", "s", "g", "e1"));
        x.accept(new LogEvent(2, 2, "admin-43 (<x>", "s", "g", "e2"));
        x.accept(new LogEvent(3, 3, "user-44 <x>", "s", "g", "e3")); // no "admin" in any case
        List<ResultRow> rows = x.finish().rows();
        assertThat(rows).extracting(r -> r.get("user.name") + "/" + r.get("n"))
                .containsExactlyInAnyOrder("admin/42", "admin/43");
    }
}
