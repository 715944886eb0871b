package io.ekslookout.lambda;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class HandlerEventTest {
    static final Instant NOW = Instant.parse("2026-11-20T10:07:12Z");

    static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void theScheduledEventsTimeIsUsed() {
        String event = "{\"version\":\"0\",\"id\":\"x\",\"detail-type\":\"Scheduled Event\",\"source\":\"aws.events\","
                + "\"account\":\"123456789012\",\"time\":\"2026-11-20T10:05:00Z\",\"region\":\"eu-west-1\","
                + "\"resources\":[\"arn:aws:events:eu-west-1:123456789012:rule/eks-lookout\"],\"detail\":{}}";
        assertThat(Handler.eventTime(b(event), NOW)).isEqualTo(Instant.parse("2026-11-20T10:05:00Z"));
    }

    @Test
    void aManualInvocationWithoutTimeUsesNow() {
        assertThat(Handler.eventTime(b("{}"), NOW)).isEqualTo(NOW);
        assertThat(Handler.eventTime(b(""), NOW)).isEqualTo(NOW);
    }

    @Test
    void aBadTimeIsAClearError() {
        assertThatThrownBy(() -> Handler.eventTime(b("{\"time\":\"yesterday\"}"), NOW))
                .hasMessageStartingWith("the event is not a ScheduledEvent with an ISO-8601 'time'");
    }
}
