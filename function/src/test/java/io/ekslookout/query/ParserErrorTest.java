package io.ekslookout.query;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/** Malformed queries are rejected with a QueryException at the right line and column saying what was expected. */
class ParserErrorTest {

    static Stream<Arguments> malformed() {
        return Stream.of(
                // unbalanced quotes, slashes, backticks
                arguments("fields @message | filter @message like \"abc", 1, 40, "unterminated string"),
                arguments("filter a = 'x", 1, 12, "unterminated string"),
                arguments("fields @message\n| filter @message like /abc", 2, 24, "unterminated regex"),
                arguments("fields `abc", 1, 8, "expected '`' to close"),
                arguments("filter x like /a/i", 1, 18, "write (?i) inside the regex"),
                arguments("parse @message /(\\d+/", 1, 16, "invalid regex"),
                // unbalanced brackets
                arguments("filter (a = 1 or b = 2", 1, 23, "expected ')' to close '(' opened at 1:8"),
                arguments("fields concat(a, b", 1, 19, "expected ',' or ')' to close 'concat(' opened at 1:14"),
                arguments("filter x in [1, 2", 1, 18, "expected ']' to close '[' opened at 1:13"),
                arguments("filter x in (1, 2)", 1, 13, "expected '[' to start the list"),
                arguments("fields a)", 1, 9, "expected '|' or end of query"),
                // commands
                arguments("frobnicate a", 1, 1, "unknown command 'frobnicate'"),
                arguments("fields a\n| pattern @message", 2, 3, "'pattern' command is not supported"),
                arguments("fields a | diff", 1, 12, "'diff' command is not supported"),
                arguments("fields a | lookup t id OUTPUT x", 1, 12, "'lookup' command is not supported"),
                arguments("SOURCE logGroups(namePrefix: ['a']) | fields a", 1, 1, "'SOURCE' command is not supported"),
                arguments("filter a = 1 | unmask", 1, 16, "'unmask' command is not supported"),
                arguments("pattern @message | anomaly", 1, 1, "'pattern' command is not supported"),
                arguments("parse @message logfmt as m", 1, 16, "logfmt is not supported"),
                arguments("fields a |", 1, 11, "expected a command after '|'"),
                arguments("fields a | | fields b", 1, 12, "expected a command"),
                arguments("", 1, 1, "empty query"),
                arguments("# only a comment", 1, 17, "empty query"),
                arguments("fields a b", 1, 10, "expected '|' or end of query after the fields command"),
                arguments("dedup a | sort a", 1, 11, "only limit may follow dedup"),
                arguments("limit 0", 1, 7, "whole number of rows"),
                arguments("limit x", 1, 7, "whole number of rows"),
                // functions
                arguments("fields foo(a)", 1, 8, "unknown function 'foo'"),
                arguments("fields rate(bytes, 5m)", 1, 8, "the function 'rate' is not supported"),
                arguments("stats count_over_time(x) by bin(1m)", 1, 7,
                        "the function 'count_over_time' is not supported"),
                arguments("stats SUM_OVER_TIME(x)", 1, 7, "the function 'SUM_OVER_TIME' is not supported"),
                arguments("fields histogram(bytes, 10)", 1, 8, "the function 'histogram' is not supported"),
                arguments("stats count(*) as n by bin(5m) offset 1h", 1, 32, "'by bin(...) offset' (time-series"
                        + " comparison) is not supported"),
                arguments("fields substr(a)", 1, 8, "substr() takes 2 to 3 arguments, found 1"),
                arguments("fields abs(a, b)", 1, 8, "abs() takes 1 argument, found 2"),
                arguments("filter isIpInSubnet(x)", 1, 8, "isIpInSubnet() takes 2 arguments"),
                arguments("stats count(*) by bin(x)", 1, 23, "expected a time period"),
                arguments("stats count(*) by bin(5x)", 1, 23, "expected a number or a time period"),
                arguments("fields count(*)", 1, 8, "only allowed in stats"),
                arguments("stats sum(count(*))", 1, 11, "cannot be nested"),
                arguments("stats pct(x, 101)", 1, 7, "between 0 and 100"),
                arguments("stats sum(x), y", 1, 15, "expected an aggregate function"),
                arguments("fields 5m", 1, 8, "only allowed as the argument of bin()"),
                // expressions
                arguments("filter a ==", 1, 12, "expected an expression"),
                arguments("filter a = 1 and", 1, 17, "expected an expression"),
                arguments("filter not", 1, 11, "expected an expression"),
                arguments("filter a like 5", 1, 15, "expected a \"string\" or a /regex/"),
                arguments("fields a / / b", 1, 12, "only allowed after like"),
                arguments("fields a, , b", 1, 11, "expected an expression"),
                arguments("filter a in []", 1, 14, "expected a string or number in the list"),
                arguments("filter a=1!", 1, 11, "expected '!='"),
                arguments("fields a as", 1, 12, "expected an alias name after 'as'"),
                arguments("parse @message \"* *\" as a", 1, 16, "has 2 '*' but 1 field names"),
                arguments("parse @message \"*\"", 1, 19, "expected 'as'"),
                arguments("parse @message /\\d+/", 1, 16, "expected named groups"),
                arguments("filter a like /(?=x)y/", 1, 15, "look-around"),
                // RE2 dialect (Logs Insights regexes are RE2/Hyperscan): refused at the regex token
                arguments("fields a\n| filter a like /(?<!x)y/", 2, 17, "look-around ((?<!…) is not supported"),
                arguments("filter a =~ /(a)\\1/", 1, 13, "back-references (\\1) are not supported"),
                arguments("parse @message /(?<a>x)(?<=y)/", 1, 16, "look-around ((?<=…)"),
                arguments("parse @message /(?<a>x)\\k<a>/", 1, 16, "back-references (\\k)"),
                // a "(?<name>" inside a character class is no group (found by the fuzz harness: it used to be
                // counted as one and made an IndexOutOfBoundsException instead of a located error)
                arguments("parse @message /pod=\"(?<ns>[^\"\\/)\\/(?<pod>[^\"]+)\" node=\"(?<node\\^\"]+)\"/", 1, 16,
                        "invalid regex"),
                arguments("filter a like /x*+/", 1, 15, "invalid regex: invalid nested repetition operator"),
                arguments("filter a like /(?>x)/", 1, 15, "invalid regex: invalid or unsupported Perl syntax"),
                arguments("filter a like /x{1001}/", 1, 15, "invalid regex: invalid repeat count"),
                arguments("filter a like /((a{100}){100}){100}/", 1, 15, "the regex is too large"),
                // structure around stats
                arguments("stats count(*) | stats count(*) | stats count(*)", 1, 35, "at most two stats"),
                arguments("stats count(*) as c by x | sort c desc | stats max(c) as m", 1, 28,
                        "sort must come after the second stats"),
                arguments("fields @message | stats count(*) by x | filter @message like /a/", 1, 48,
                        "'@message' is not available after stats"),
                arguments("stats count(*) as c by x | stats count(*) by bin(5m)", 1, 46, "bin() needs @timestamp"));
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @MethodSource("malformed")
    void rejectedWithALocatedError(String query, int line, int column, String fragment) {
        assertThatThrownBy(() -> Query.parse(query))
                .isInstanceOf(QueryException.class)
                .satisfies(t -> {
                    QueryException e = (QueryException) t;
                    assertThat(e.reason()).contains(fragment);
                    assertThat(e.line()).as("line of: " + e.getMessage()).isEqualTo(line);
                    assertThat(e.column()).as("column of: " + e.getMessage()).isEqualTo(column);
                    assertThat(e.getMessage()).startsWith(line + ":" + column + ": ");
                });
    }

    @Test
    void deepNestingIsALocatedErrorNotAStackOverflow() {
        for (String q : new String[] {"filter " + "(".repeat(1000) + "a" + ")".repeat(1000),
                "filter " + "not ".repeat(1000) + "a", "fields " + "-".repeat(1000) + "1 as x",
                "fields 2" + "^2".repeat(1000) + " as x", "fields " + "abs(".repeat(1000) + "1" + ")".repeat(1000)}) {
            QueryException e = catchQueryException(q);
            assertThat(e.reason()).contains("nested too deeply");
            assertThat(e.line()).isEqualTo(1);
        }
        assertThat(Query.parse("filter " + "(".repeat(50) + "a = 1" + ")".repeat(50)).text()).startsWith("filter");
        assertThat(catchQueryException("filter a = 1" + " or a = 1".repeat(1200)).reason()).contains("at most 10000");
        assertThat(Query.parse("filter a = 1" + " or a = 1".repeat(1000)).text()).hasSizeLessThan(10_001);
    }

    @Test
    void renderShowsTheLineAndACaretUnderTheColumn() {
        String q = "fields @message\n| filter (a = 1";
        QueryException e = catchQueryException(q);
        assertThat(e.render(q)).isEqualTo("2:16: expected ')' to close '(' opened at 2:10, found end of query\n"
                + "| filter (a = 1\n"
                + "               ^");
    }

    @Test
    void renderKeepsTabsSoTheCaretLinesUp() {
        String q = "fields a\n|\tfilter\tfoo(";
        QueryException e = catchQueryException(q);
        assertThat(e.render(q)).endsWith("|\tfilter\tfoo(\n \t      \t^");
    }

    @Test
    void validQueriesParse() {
        for (String q : new String[] {
                "fields @timestamp, @message | sort @timestamp desc | limit 20",
                "FIELDS @message | PARSE @message \"* [*] *\" as a, b, c | FILTER b IN [\"ERROR\"] | DISPLAY c",
                "filter @logStream like /^kube-apiserver-audit/ and verb == \"delete\"",
                "stats count(*) as c, avg(x), pct(x, 95) by bin(5m), user.username | sort c desc, user.username asc",
                "fields -2^2 as x, a.b[0] as y, jsonParse(@message).a.b as z, `odd-name`, @`aws.tag:x`",
                "fields a # a comment\n| filter a = 1 # another",
                "parse @message /(?<user_name>\\w+)@(?<domain>\\S+)/ | display user_name, domain",
                "parse @message /[(?<x>]+(?<a>\\d+)/ | display a", // a class holding "(?<x>": one group, a
                "filter x not in [\"a\", -1] and y not like /b/ and not ispresent(z)",
                "stats count() as n", "head 5", "limit any 3", "where a = 1",
                "filterIndex a = \"x\"", "filter a = 1 | unnest jsonParse(b) into c",
                "stats avg(a) as x, x * 2 as y",
                "stats count(*) as c by x | filter c > 1 | sort c"}) {
            assertThat(Query.parse(q).text()).isEqualTo(q);
        }
    }

    private static QueryException catchQueryException(String q) {
        try {
            Query.parse(q);
        } catch (QueryException e) {
            return e;
        }
        throw new AssertionError("expected a QueryException for " + q);
    }
}
