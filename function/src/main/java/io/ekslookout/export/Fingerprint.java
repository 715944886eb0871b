package io.ekslookout.export;

import io.ekslookout.detect.Finding;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * A finding's identity across runs: the same rule firing on the same cluster for the same group key (the same
 * user, the same object) is the same finding, whatever the window. Security Hub uses it as the finding Id (a repeat
 * updates the finding instead of adding one), EventBridge consumers can deduplicate on it.
 *
 * <p>It is the first 128 bits of SHA-256 over the three parts, each length-prefixed so no two different triples
 * hash the same input ({@code ("a-b", "c")} and {@code ("a", "b-c")} differ). A finding without groupBy has no
 * group key: it is one finding per rule and cluster.
 */
public final class Fingerprint {
    private Fingerprint() {
    }

    /**
     * The finding's fingerprint: its own cluster ({@link Finding#cluster()}), or {@code cluster} when it has none
     * (local files): the same rule and group key in clusters a and b are two findings.
     */
    public static String of(Finding f, String cluster) {
        return of(f.ruleId(), f.cluster() != null ? f.cluster() : cluster, f.groupKey());
    }

    public static String of(String ruleId, String cluster, String groupKey) {
        StringBuilder in = new StringBuilder();
        part(in, ruleId);
        part(in, cluster);
        if (groupKey == null) {
            in.append('-');
        } else {
            part(in, groupKey);
        }
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(in.toString().getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(d, 0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }

    private static void part(StringBuilder sb, String s) {
        String v = s == null ? "" : s;
        sb.append(v.length()).append(':').append(v);
    }
}
