package io.ekslookout.notify;

import io.ekslookout.detect.SecretScrubber;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The notification side of keeping secrets out. Secret data is taken out where rows leave the detector
 * ({@link SecretScrubber}); this applies it once more to whatever rows it is given (a finding built elsewhere) and
 * adds the REDACT_BODIES policy: by default every request/response body ({@code requestObject},
 * {@code responseObject}) is replaced with {@value #REDACTED}, as a column ({@code requestObject.spec.x}) and inside
 * any text that holds one (a raw {@code @message}, whole, cut, or after a prefix). With bodies allowed
 * ({@code redactBodies=false}) Secret values are still removed.
 */
public final class Redactor {
    public static final String REDACTED = SecretScrubber.REDACTED;
    private static final Pattern BODY = Pattern.compile("(^|\\.)(requestObject|responseObject)(\\.|$)");
    private static final Set<String> BODIES = Set.of("requestObject", "responseObject");

    private final boolean redactBodies;

    public Redactor(boolean redactBodies) {
        this.redactBodies = redactBodies;
    }

    /** A copy of the row with sensitive values replaced. */
    public Map<String, String> redact(Map<String, String> row) {
        Map<String, String> clean = SecretScrubber.BY_NAME.scrub(row);
        if (!redactBodies) {
            return clean;
        }
        Map<String, String> out = new LinkedHashMap<>();
        for (Map.Entry<String, String> e : clean.entrySet()) {
            String v = e.getValue();
            if (v != null && BODY.matcher(e.getKey()).find()) {
                out.put(e.getKey(), REDACTED);
            } else {
                out.put(e.getKey(), SecretScrubber.redactValuesOf(v, BODIES));
            }
        }
        return out;
    }

    /** Free text that may echo log lines (rule errors, warnings), without Secret data. */
    public String text(String s) {
        return SecretScrubber.text(s);
    }
}
