package io.ekslookout.rules;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class QueryColumnsTest {
    @Test
    void statsGivesGroupKeysThenAggregatesByAliasOrText() {
        assertThat(QueryColumns.of("filter responseStatus.code >= 500\n| stats count(*) as errors by bin(1m)"))
                .hasValueSatisfying(c -> assertThat(c).containsExactly("bin(1m)", "errors"));
        assertThat(QueryColumns.of("stats count(*), max(x) as m by user.username, `a-b` as ab | sort m desc"))
                .hasValueSatisfying(c -> assertThat(c).containsExactly("user.username", "ab", "count(*)", "m"));
    }

    @Test
    void lastStatsWinsAndLaterFieldsAppend() {
        assertThat(QueryColumns.of("stats count(*) as n by a | stats sum(n) as total | fields total * 2 as twice"))
                .hasValueSatisfying(c -> assertThat(c).containsExactly("total", "twice"));
    }

    @Test
    void fieldsAndDisplay() {
        assertThat(QueryColumns.of("fields @timestamp, user.username as who | filter verb = \"patch\""))
                .hasValueSatisfying(c -> assertThat(c).containsExactly("@timestamp", "who"));
        assertThat(QueryColumns.of("fields a, b | display b, c"))
                .hasValueSatisfying(c -> assertThat(c).containsExactly("b", "c"));
    }

    @Test
    void literalsCommentsAndRegexesDoNotSplitCommands() {
        String q = "filter @message like /a|b/ and x = \"c | d, e\"  # | stats nope\n"
                + "| stats count(*) as n by x";
        assertThat(QueryColumns.of(q)).hasValueSatisfying(c -> assertThat(c).containsExactly("x", "n"));
    }

    @Test
    void divisionIsNotARegex() {
        assertThat(QueryColumns.of("stats sum(bytes)/1024/1024 as mb, count(*) as n by host"))
                .hasValueSatisfying(c -> assertThat(c).containsExactly("host", "mb", "n"));
    }

    @Test
    void defaultProjectionIsUnknown() {
        assertThat(QueryColumns.of("filter verb = \"delete\" | sort @timestamp desc")).isEmpty();
    }
}
