package io.ekslookout.notify;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Keeps secrets out of notifications. By default every request/response body ({@code requestObject},
 * {@code responseObject}) and every {@code data}/{@code stringData} value is replaced with {@value #REDACTED}:
 * as flattened result fields ({@code requestObject.data.password}) and inside a raw JSON {@code @message}.
 * With bodies allowed ({@code redactBodies=false}) only Secret data is still removed: Secret values never appear.
 */
public final class Redactor {
    public static final String REDACTED = "[redacted]";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern BODY = Pattern.compile("(^|\\.)(requestObject|responseObject)(\\.|$)");
    private static final Pattern DATA = Pattern.compile("(^|\\.)(data|stringData|binaryData)(\\.|$)");

    private final boolean redactBodies;

    public Redactor(boolean redactBodies) {
        this.redactBodies = redactBodies;
    }

    /** A copy of the row with sensitive values replaced. */
    public Map<String, String> redact(Map<String, String> row) {
        boolean secretRow = "secrets".equals(row.get("objectRef.resource"));
        Map<String, String> out = new LinkedHashMap<>();
        for (Map.Entry<String, String> e : row.entrySet()) {
            String k = e.getKey();
            String v = e.getValue();
            if (v == null) {
                out.put(k, null);
            } else if ((redactBodies && BODY.matcher(k).find()) || DATA.matcher(k).find()
                    || (secretRow && BODY.matcher(k).find())) {
                out.put(k, REDACTED);
            } else if (v.startsWith("{")) {
                out.put(k, redactJson(v));
            } else {
                out.put(k, v);
            }
        }
        return out;
    }

    /** A JSON message with bodies and data removed; unparsable text is returned unchanged. */
    String redactJson(String text) {
        JsonNode node;
        try {
            node = JSON.readTree(text);
        } catch (Exception e) {
            return text;
        }
        if (!(node instanceof ObjectNode obj)) {
            return text;
        }
        boolean secret = "secrets".equals(obj.path("objectRef").path("resource").asText(null));
        if (!scrub(obj, secret)) {
            return text;
        }
        return obj.toString();
    }

    /** Returns true when something was replaced. */
    private boolean scrub(ObjectNode obj, boolean secret) {
        boolean changed = false;
        for (Map.Entry<String, JsonNode> f : obj.properties()) {
            String k = f.getKey();
            boolean body = k.equals("requestObject") || k.equals("responseObject");
            boolean data = k.equals("data") || k.equals("stringData") || k.equals("binaryData");
            if ((body && (redactBodies || secret)) || data) {
                if (!f.getValue().isNull()) {
                    f.setValue(JSON.getNodeFactory().textNode(REDACTED));
                    changed = true;
                }
            } else if (f.getValue() instanceof ObjectNode child) {
                changed |= scrub(child, secret);
            } else if (f.getValue().isArray()) {
                for (JsonNode n : f.getValue()) {
                    if (n instanceof ObjectNode child) {
                        changed |= scrub(child, secret);
                    }
                }
            }
        }
        return changed;
    }
}
