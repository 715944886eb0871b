package io.ekslookout.logs;

import io.ekslookout.query.LogEvent;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/** The hand-parsed fast path gives exactly what the all-Jackson path gives, on valid and broken lines alike. */
class FastPathEquivalenceTest {
    @TempDir
    Path dir;

    private static final String[] PIECES = {"a", "Z", "0", " ", "\\\"", "\\\\", "\\/", "\\n", "\\t", "\\r", "\\b",
            "\\f", "\\u0041", "\\u00e9", "\\u20ac", "\\ud83d\\ude00", "\\ud83d", "é", "€", "😀", "{", "}", ":", ",",
            "\\x", "\\u12", "\t", "kube-apiserver-audit"};

    private static String randomString(Random r) {
        StringBuilder sb = new StringBuilder("\"");
        int n = r.nextInt(12);
        for (int i = 0; i < n; i++) {
            String piece = PIECES[r.nextInt(PIECES.length)];
            if (r.nextInt(8) > 0 && (piece.equals("\\x") || piece.equals("\\u12") || piece.equals("\t")
                    || piece.equals("\\ud83d"))) {
                piece = "q"; // keep most strings valid
            }
            sb.append(piece);
        }
        return sb.append('"').toString();
    }

    private static String randomValue(Random r, String key) {
        switch (r.nextInt(14)) {
            case 0:
                return "{\"a\":[1,2,{\"b\":null}],\"c\":\"d\"}";
            case 1:
                return "[\"x\"]";
            case 2:
                return r.nextBoolean() ? "true" : "null";
            case 3:
                return "1.5";
            case 4:
                return "-" + r.nextInt(1000);
            case 5:
                return "0" + r.nextInt(10);
            case 6:
                return Long.toString(r.nextLong());
            case 7:
            case 8:
                return Long.toString(1_700_000_000_000L + r.nextInt(1_000_000));
            default:
                return randomString(r);
        }
    }

    static String randomLine(Random r) {
        List<String> keys = new ArrayList<>(List.of("logStreamName", "timestamp", "message", "ingestionTime",
                "eventId"));
        if (r.nextInt(4) == 0) {
            keys.add("extra");
        }
        if (r.nextInt(10) == 0) {
            keys.remove(r.nextInt(keys.size()));
        }
        java.util.Collections.shuffle(keys, r);
        StringBuilder sb = new StringBuilder(r.nextInt(10) == 0 ? " {" : "{");
        for (int i = 0; i < keys.size(); i++) {
            if (i > 0) {
                sb.append(r.nextInt(10) == 0 ? " , " : ",");
            }
            String k = keys.get(i);
            String v;
            if (r.nextInt(3) > 0) { // mostly well-typed values
                v = k.equals("timestamp") || k.equals("ingestionTime") ? Long.toString(1_700_000_000_000L
                        + r.nextInt(1_000_000)) : randomString(r);
            } else {
                v = randomValue(r, k);
            }
            sb.append('"').append(k).append('"').append(r.nextInt(10) == 0 ? " : " : ":").append(v);
        }
        sb.append(r.nextInt(10) == 0 ? "} " : "}");
        String line = sb.toString();
        switch (r.nextInt(25)) {
            case 0:
                return line.substring(0, r.nextInt(line.length()));
            case 1:
                return line + " {}";
            case 2:
                return "";
            case 3:
                return line + "\r";
            default:
                return line;
        }
    }

    @Test
    void fastPathAgreesWithJackson() throws IOException {
        Random r = new Random(20261120);
        for (int round = 0; round < 40; round++) {
            StringBuilder text = new StringBuilder();
            for (int i = 0; i < 250; i++) {
                text.append(randomLine(r)).append('\n');
            }
            if (r.nextBoolean()) {
                text.setLength(text.length() - 1); // no newline at the end
            }
            Path file = dir.resolve("r" + round + ".jsonl");
            Files.write(file, text.toString().getBytes(StandardCharsets.UTF_8));
            List<LogEvent> fast = new ArrayList<>();
            List<LogEvent> slow = new ArrayList<>();
            ReadReport fastReport = LocalLogs.open(file).withMaxLineBytes(256).read(fast::add);
            ReadReport slowReport = LocalLogs.open(file).withMaxLineBytes(256).withFastPath(false).read(slow::add);
            assertThat(fast).as("round %d", round).isEqualTo(slow);
            assertThat(fastReport).as("round %d", round).isEqualTo(slowReport);
            assertThat(fastReport.events()).isPositive();
        }
    }

    /** Pieces of a message body: mostly the {@code \"} pairs and plain runs of escaped JSON, then everything else. */
    private static final String[] MESSAGE_PIECES = {"\\\"", "\\\"", "\\\"", "\\\"", "\\\\", "\\\\\\\"",
            "\\/", "\\\\u", "\\\\/", "\\u0041", "\\u00e9", "\\n", "\\t", "\\x", "\\", "\"", "\t", "é", "\u0001",
            ":", ",", "µs", "€", "😀", "ü"};
    /** Byte sequences that are not well-formed UTF-8 (overlong, surrogate, past U+10FFFF, cut, stray). */
    private static final byte[][] BAD_UTF8 = {{(byte) 0x80}, {(byte) 0xc0, (byte) 0xaf}, {(byte) 0xc1, (byte) 0xbf},
            {(byte) 0xe0, (byte) 0x80, (byte) 0x80}, {(byte) 0xed, (byte) 0xa0, (byte) 0x80},
            {(byte) 0xf0, (byte) 0x80, (byte) 0x80, (byte) 0x80}, {(byte) 0xf4, (byte) 0x90, (byte) 0x80, (byte) 0x80},
            {(byte) 0xf5, (byte) 0x80, (byte) 0x80, (byte) 0x80}, {(byte) 0xe2, (byte) 0x82}, {(byte) 0xff}};

    /** A message body (raw bytes) and whether it holds a sequence that is not well-formed UTF-8. */
    private record Body(byte[] bytes, boolean badUtf8) {
    }

    private static Body randomMessageBody(Random r) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        boolean bad = false;
        int n = r.nextInt(40);
        for (int i = 0; i < n; i++) {
            out.writeBytes("kubeapiserver".substring(0, r.nextInt(12)).getBytes(StandardCharsets.US_ASCII));
            if (r.nextInt(400) == 0) {
                out.writeBytes(BAD_UTF8[r.nextInt(BAD_UTF8.length)]);
                bad = true;
            }
            int k = r.nextInt(r.nextInt(12) == 0 ? MESSAGE_PIECES.length : 4);
            out.writeBytes(MESSAGE_PIECES[k].getBytes(StandardCharsets.UTF_8));
        }
        return new Body(out.toByteArray(), bad);
    }

    /**
     * The message check that skips whole words of {@code \"} pairs and takes well-formed UTF-8 beyond ASCII: a line it
     * accepts is one Jackson reads, with the same message (decoded on demand, or as the line is parsed when not
     * deferred) and length, and the escape flags a walk over the raw body finds; both ways answer the same for every
     * line; a sequence that is not well-formed UTF-8 always goes to the Jackson path. The pairs come at every
     * alignment, with every other kind of byte, escape and UTF-8 sequence among them.
     */
    @Test
    void deferredMessageCheckAgreesWithJacksonOnEscapedJsonAndUtf8() throws IOException {
        com.fasterxml.jackson.databind.ObjectMapper json = new com.fasterxml.jackson.databind.ObjectMapper();
        Random r = new Random(20261202);
        FastLine deferred = new FastLine();
        deferred.deferMessage = true;
        FastLine decoding = new FastLine();
        int ok = 0;
        int okBeyondAscii = 0;
        int badSeen = 0;
        for (int round = 0; round < 60_000; round++) {
            Body body = randomMessageBody(r);
            java.io.ByteArrayOutputStream line = new java.io.ByteArrayOutputStream();
            line.writeBytes(("{\"logStreamName\":\"kube-apiserver-audit-" + "x".repeat(r.nextInt(9))
                    + "\",\"timestamp\":1795161600824,\"message\":\"").getBytes(StandardCharsets.US_ASCII));
            line.writeBytes(body.bytes());
            line.writeBytes("\",\"eventId\":\"1\"}".getBytes(StandardCharsets.US_ASCII));
            byte[] text = line.toByteArray();
            if (r.nextInt(20) == 0) {
                text = java.util.Arrays.copyOf(text, r.nextInt(text.length));
            }
            byte[] bytes = java.util.Arrays.copyOf(text, text.length + 1);
            bytes[text.length] = '\n';
            String shown = new String(text, StandardCharsets.ISO_8859_1);
            boolean atEof = r.nextBoolean();
            EventFields f1 = new EventFields();
            EventFields f2 = new EventFields();
            int code = deferred.parse(bytes, 0, bytes.length, atEof, f1);
            int now = decoding.parse(bytes, 0, bytes.length, atEof, f2);
            assertThat(code).as("%s", shown).isEqualTo(now);
            if (body.badUtf8() && text.length == line.size()) {
                badSeen++;
                assertThat(code).as("%s", shown).isNotEqualTo(FastLine.OK);
            }
            if (code == FastLine.OK) {
                ok++;
                String raw = new String(body.bytes(), StandardCharsets.ISO_8859_1);
                String message = json.readTree(text).get("message").textValue();
                assertThat(deferred.lineEnd).as("%s", shown).isEqualTo(text.length);
                assertThat(deferred.decodeMessage()).as("%s", shown).isEqualTo(message);
                assertThat(deferred.message.length()).as("%s", shown).isEqualTo(message.length());
                assertThat(deferred.messageCharEscapes()).as("%s", shown).isEqualTo(hasEscape(raw, "/u"));
                assertThat(deferred.messageInnerEscapes()).as("%s", shown).isEqualTo(hasInnerEscape(raw));
                assertThat(f2.message).as("%s", shown).isEqualTo(message);
                if (!raw.chars().allMatch(c -> c < 0x80)) {
                    okBeyondAscii++;
                }
            }
        }
        assertThat(ok).isGreaterThan(25_000);
        assertThat(okBeyondAscii).as("lines with UTF-8 beyond ASCII read on the fast path").isGreaterThan(3_000);
        assertThat(badSeen).isGreaterThan(1_000);
    }

    /** Whether a valid raw string body holds an escape {@code \c} for some c of {@code chars}. */
    private static boolean hasEscape(String body, String chars) {
        for (int i = 0; i + 1 < body.length(); i++) {
            if (body.charAt(i) == '\\') {
                if (chars.indexOf(body.charAt(i + 1)) >= 0) {
                    return true;
                }
                i++;
            }
        }
        return false;
    }

    /** Whether a valid raw string body holds an escaped backslash followed by {@code u} or {@code /}. */
    private static boolean hasInnerEscape(String body) {
        for (int i = 0; i + 1 < body.length(); i++) {
            if (body.charAt(i) == '\\') {
                if (body.charAt(i + 1) == '\\' && i + 2 < body.length() && (body.charAt(i + 2) == 'u'
                        || body.charAt(i + 2) == '/')) {
                    return true;
                }
                i++;
            }
        }
        return false;
    }

    /**
     * A stream name seen before is recognised in the line's bytes, without decoding, only when it is written plainly:
     * a name holding a backslash ({@code s\\} decodes to {@code s\}) must not match the raw bytes {@code s\} before a
     * quote, where that quote is escaped and the string goes on.
     */
    @Test
    void recentStreamNamesMatchInPlaceOnlyWhenWrittenPlainly() throws IOException {
        String rest = "\",\"timestamp\":1795161600824,\"message\":\"m\"}\n";
        String text = "{\"logStreamName\":\"s\\\\" + rest // s\\ : the name s\
                + "{\"logStreamName\":\"s\\\",\"timestamp\":1795161600825,\"message\":\"m\"}\n" // s\" goes on
                + "{\"logStreamName\":\"s\\\\" + rest
                + "{\"logStreamName\":\"plain-1" + rest
                + "{\"logStreamName\":\"plain-1" + rest
                + "{\"logStreamName\":\"plain-1x" + rest
                + "{\"logStreamName\":\"plain-\\u0031" + rest;
        Path file = dir.resolve("streams.jsonl");
        Files.write(file, text.getBytes(StandardCharsets.UTF_8));
        List<LogEvent> fast = new ArrayList<>();
        List<LogEvent> slow = new ArrayList<>();
        ReadReport fastReport = LocalLogs.open(file).read(fast::add);
        ReadReport slowReport = LocalLogs.open(file).withFastPath(false).read(slow::add);
        assertThat(fast).isEqualTo(slow);
        assertThat(fastReport).isEqualTo(slowReport);
        assertThat(fast).extracting(LogEvent::logStream)
                .containsExactly("s\\", "s\\", "plain-1", "plain-1", "plain-1x", "plain-1");
        assertThat(fastReport.malformed()).as("s\\\" ends no string: the line is malformed").isEqualTo(1);
    }

    @Test
    void plainWordFlagsEveryQuoteBackslashControlAndNonAsciiByteAtEveryPosition() {
        Random r = new Random(1);
        for (int round = 0; round < 20_000; round++) {
            byte[] bytes = new byte[8];
            for (int i = 0; i < 8; i++) {
                bytes[i] = (byte) (0x20 + r.nextInt(0x60)); // printable ASCII
                if (bytes[i] == '"' || bytes[i] == '\\') {
                    bytes[i] = 'x';
                }
            }
            int special = r.nextInt(3) == 0 ? -1 : r.nextInt(8);
            if (special >= 0) {
                int kind = r.nextInt(4);
                bytes[special] = (byte) (kind == 0 ? '"' : kind == 1 ? '\\' : kind == 2 ? r.nextInt(0x20)
                        : 0x80 + r.nextInt(0x80));
            }
            long v = java.nio.ByteBuffer.wrap(bytes).order(java.nio.ByteOrder.LITTLE_ENDIAN).getLong();
            assertThat(FastLine.plainWord(v)).as("%s", java.util.Arrays.toString(bytes)).isEqualTo(special < 0);
        }
    }
}
