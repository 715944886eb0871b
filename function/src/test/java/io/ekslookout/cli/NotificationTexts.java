package io.ekslookout.cli;

import io.ekslookout.detect.Finding;
import io.ekslookout.notify.MessageBuilder;
import io.ekslookout.notify.Notification;
import io.ekslookout.notify.Redactor;
import io.ekslookout.notify.RuleInfo;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/** The texts notifications of findings carry, for the tests that look for what must never be in them. */
final class NotificationTexts {
    private NotificationTexts() {
    }

    /** A message builder as a deployment has it, with or without request bodies. */
    static MessageBuilder builder(boolean bodies) {
        return new MessageBuilder(new MessageBuilder.Context("prod", "/aws/eks/prod/cluster", "eu-west-1"),
                new Redactor(bodies), 5);
    }

    /** Each finding's email text and Slack (Chatbot) message, then the digest of them all when there are any. */
    static void appendFindings(StringBuilder out, MessageBuilder mb, List<Finding> findings, RuleInfo info,
                               Instant from, Instant to) {
        for (Finding f : findings) {
            Notification n = mb.finding(f, info);
            out.append(n.text()).append('\n').append(n.chatbot()).append('\n');
        }
        if (!findings.isEmpty()) {
            Notification d = mb.digest(findings, Map.of(info.id(), info), from, to);
            out.append(d.text()).append('\n').append(d.chatbot()).append('\n');
        }
    }
}
