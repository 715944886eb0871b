package io.ekslookout.notify;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/**
 * A link that opens the CloudWatch Logs Insights console with a query, a log group and an absolute time range
 * already filled in. The console keeps its state in the URL fragment:
 * {@code #logsV2:logs-insights$3FqueryDetail$3D~(end~'<iso>~start~'<iso>~timeType~'ABSOLUTE~tz~'UTC~editorString~'<q>~source~(~'<group>))}
 * where each string value is percent-encoded with {@code %} written as {@code *}, and the {@code ?queryDetail=}
 * separator is percent-encoded with {@code %} written as {@code $}.
 */
public final class ConsoleLink {
    private ConsoleLink() {
    }

    public static String insights(String region, String logGroup, String query, Instant start, Instant end) {
        String r = region == null || region.isBlank() ? "us-east-1" : region;
        return "https://" + r + ".console.aws.amazon.com/cloudwatch/home?region=" + r
                + "#logsV2:logs-insights$3FqueryDetail$3D~(end~'" + encode(iso(end)) + "~start~'" + encode(iso(start))
                + "~timeType~'ABSOLUTE~tz~'UTC~editorString~'" + encode(query) + "~source~(~'" + encode(logGroup)
                + "))";
    }

    private static String iso(Instant t) {
        return t.truncatedTo(ChronoUnit.MILLIS).toString();
    }

    /** Percent-encodes every byte except [A-Za-z0-9-.], writing '*' for '%' (the console's fragment encoding). */
    static String encode(String s) {
        StringBuilder sb = new StringBuilder();
        for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xFF;
            if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '.') {
                sb.append((char) c);
            } else {
                sb.append('*').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
                        .append(Character.toUpperCase(Character.forDigit(c & 0xF, 16)));
            }
        }
        return sb.toString();
    }

    /** Inverse of {@link #encode} (for tests and debugging). */
    static String decode(String s) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '*' && i + 2 < s.length()) {
                out.write(Integer.parseInt(s.substring(i + 1, i + 3), 16));
                i += 2;
            } else {
                out.write(c);
            }
        }
        return out.toString(StandardCharsets.UTF_8);
    }
}
