package io.ekslookout.notify;

import org.junit.jupiter.api.Test;

import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

class ConsoleLinkTest {
    @Test
    void opensLogsInsightsWithTheQueryLogGroupAndAbsoluteWindow() {
        String q = "filter objectRef.name = \"aws-auth\"\n| fields @timestamp, user.username";
        String url = ConsoleLink.insights("eu-west-1", "/aws/eks/prod/cluster", q,
                Instant.parse("2026-11-20T09:58:00Z"), Instant.parse("2026-11-20T10:03:00Z"));
        assertThat(url).startsWith("https://eu-west-1.console.aws.amazon.com/cloudwatch/home?region=eu-west-1"
                + "#logsV2:logs-insights$3FqueryDetail$3D~(end~'2026-11-20T10*3A03*3A00Z~start~'2026-11-20T09*3A58*3A00Z"
                + "~timeType~'ABSOLUTE~tz~'UTC~editorString~'filter*20objectRef.name*20*3D*20*22aws-auth*22*0A*7C*20");
        assertThat(url).endsWith("~source~(~'*2Faws*2Feks*2Fprod*2Fcluster))");
        String editor = url.substring(url.indexOf("editorString~'") + 14, url.indexOf("~source"));
        assertThat(ConsoleLink.decode(editor)).isEqualTo(q);
        // nothing that breaks a Slack <url|text> link or an email line
        assertThat(url).doesNotContain(" ", "|", ">", "<", "\n", "\"");
    }

    @Test
    void encodesUnicode() {
        assertThat(ConsoleLink.decode(ConsoleLink.encode("é ü /x/"))).isEqualTo("é ü /x/");
    }
}
