package io.ekslookout.notify;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/**
 * One SNS message: a subject (email), a plain-text body (email and every protocol without its own key), the AWS
 * Chatbot custom-notification JSON (the {@code https} key: Chatbot subscribes over HTTPS) and message attributes
 * for subscription filter policies.
 *
 * @param kind       finding | digest | health
 * @param subject    at most 99 printable ASCII characters
 * @param text       the plain-text body
 * @param chatbot    the Chatbot custom notification (a JSON document)
 * @param attributes String message attributes (severity, ruleId, cluster, kind)
 * @param shortened  what was cut or left out to fit SNS's limit (empty when the message is whole)
 */
public record Notification(String kind, String subject, String text, String chatbot, Map<String, String> attributes,
                           List<String> shortened) {
    /** SNS's limit for a message, body and attributes together. */
    public static final int MAX_BYTES = 256 * 1024;
    private static final ObjectMapper JSON = new ObjectMapper();

    public Notification {
        attributes = Map.copyOf(attributes);
        shortened = shortened == null ? List.of() : List.copyOf(shortened);
    }

    public Notification(String kind, String subject, String text, String chatbot, Map<String, String> attributes) {
        this(kind, subject, text, chatbot, attributes, List.of());
    }

    /** The Publish {@code Message} for {@code MessageStructure=json}: {"default","email","https"}. */
    public String snsMessage() {
        ObjectNode m = JSON.createObjectNode();
        m.put("default", text);
        m.put("email", text);
        m.put("https", chatbot);
        return m.toString();
    }

    /** What SNS counts against its 256 KB limit: the message, the subject and the attributes. */
    public int sizeBytes() {
        int n = snsMessage().getBytes(StandardCharsets.UTF_8).length + subject.getBytes(StandardCharsets.UTF_8).length;
        for (Map.Entry<String, String> a : attributes.entrySet()) {
            n += a.getKey().getBytes(StandardCharsets.UTF_8).length + "String".length()
                    + a.getValue().getBytes(StandardCharsets.UTF_8).length;
        }
        return n;
    }
}
