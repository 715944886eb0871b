package io.ekslookout.rules;

import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class HuntTest {
    private static Hunt hunt(String template) {
        Map<String, Hunt.Param> params = new LinkedHashMap<>();
        params.put("user", new Hunt.Param("user", "the user name", null, true));
        params.put("limit", new Hunt.Param("limit", "rows", "100", false));
        return new Hunt("requests-by-user", "Requests by a user", "", params, template, "h.yaml");
    }

    @Test
    void valueInDoubleQuotesCannotCloseTheString() {
        Hunt h = hunt("filter user.username = \"{{user}}\" | limit {{limit}}");
        String q = h.render(Map.of("user", "x\" or 1=1 | stats count(*) as \"y"));
        assertThat(q).isEqualTo("filter user.username = \"x\\\" or 1=1 | stats count(*) as \\\"y\" | limit 100");
    }

    @Test
    void backslashesAreEscapedSoAnEscapedQuoteCannotBeForged() {
        Hunt h = hunt("filter user.username = '{{user}}' | limit {{limit}}");
        assertThat(h.render(Map.of("user", "a\\' | x"))).isEqualTo("filter user.username = 'a\\\\\\' | x' | limit 100");
    }

    @Test
    void valueInsideRegexMatchesLiterally() {
        Hunt h = hunt("filter user.username like /^{{user}}$/ | limit {{limit}}");
        assertThat(h.render(Map.of("user", "system:node/a.b*")))
                .isEqualTo("filter user.username like /^system:node\\/a\\.b\\*$/ | limit 100");
    }

    @Test
    void bareValuesMustBePlain() {
        Hunt h = hunt("filter user.username = \"{{user}}\" | limit {{limit}}");
        assertThat(h.render(Map.of("user", "u", "limit", "5"))).endsWith("| limit 5");
        assertThatThrownBy(() -> h.render(Map.of("user", "u", "limit", "5 | stats count(*)")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'limit'");
    }

    @Test
    void missingRequiredAndUnknownParamsAreNamed() {
        Hunt h = hunt("filter user.username = \"{{user}}\" | limit {{limit}}");
        assertThatThrownBy(() -> h.render(Map.of()))
                .hasMessageContaining("needs parameter user (the user name)").hasMessageContaining("--param");
        assertThatThrownBy(() -> h.render(Map.of("user", "u", "usr", "x")))
                .hasMessageContaining("no parameter 'usr'");
    }

    @Test
    void commentsAndBackticksDoNotConfuseTheContext() {
        String a = "# it's a comment\nfilter `a'b` = {{x}}";
        assertThat(Hunt.contextAt(a, a.indexOf("{{"))).isEqualTo(Hunt.Context.BARE);
        String b = "filter a = 2 / 3 and b = \"{{x}}\"";
        assertThat(Hunt.contextAt(b, b.indexOf("{{"))).isEqualTo(Hunt.Context.DOUBLE_QUOTED);
    }
}
