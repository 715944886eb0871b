package io.ekslookout.fuzz;

import io.ekslookout.logs.LocalLogs;
import io.ekslookout.logs.ReadReport;
import io.ekslookout.query.LogEvent;
import io.ekslookout.rules.RuleTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.zip.GZIPOutputStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Fuzz target 2, the log readers: files made from the sample logs and the rules' test events, then broken
 * (truncated, mutated, invalid UTF-8, BOMs, deep nesting, huge numbers, odd timestamps, long lines, corrupt gzip) in
 * each format LocalLogs reads. The only allowed outcome is events plus malformed records counted in the ReadReport:
 * never an exception; the report agrees with what the sink saw and no event is longer than the line cap.
 */
class FuzzLogReadersTest {
    @TempDir
    static Path dir;

    /**
     * One file to read.
     *
     * @param name         its path under the temporary directory (the name selects the format for exports)
     * @param bytes        its content, exactly
     * @param maxLineBytes the line cap the read uses
     */
    record Input(String name, byte[] bytes, int maxLineBytes) implements Fuzz.Raw {
    }

    private static final List<String> ODD_TIMESTAMPS = List.of("1e300", "-1", "0", "1.5", "null", "true", "\"\"",
            "\"abc\"", "99999999999999999999", "9223372036854775807", "-9223372036854775808", "1e19",
            "\"2026-13-45T25:61:61Z\"", "\"2026-11-20T10:00:00\"", "[]", "{}",
            "1795161601422000", "1795161601422000000", "-62135596800001");
    /** Years beyond what epoch milliseconds in a long can hold (java.time parses them; the conversion overflows). */
    private static final List<String> FAR_ISO = List.of("+999999999-12-31T23:59:59.999999999Z",
            "-999999999-01-01T00:00:00Z", "+292278995-01-01T00:00:00Z");
    private static final List<String> ODD_ISO = List.of("0000-01-01T00:00:00Z",
            "-000001-01-01T00:00:00Z", "2026-02-30T10:00:00Z", "2026-11-20T10:00:00+25:00", "2026-11-20T10:00:00.Z",
            "2026-11-20T10:00:00.1234567890123Z", "9999-12-31T23:59:59.999Z", "10000-01-01T00:00:00Z",
            "2026-11-20 10:00:00", "1e300", "");

    @Test
    void readersOnlyEverCountMalformedRecords() {
        Fuzz.run("readers", List.of(
                Fuzz.Generator.of("cloudwatch-lines", 300, r -> jsonl(r, bytes(String.join("\n", mutatedLines(r, cloudWatchLines(r)))))),
                Fuzz.Generator.of("audit-lines", 300, r -> new Input("audit.log",
                        bytes(String.join("\n", mutatedLines(r, auditLines(r)))), cap(r))),
                Fuzz.Generator.of("byte-noise", 300, r -> jsonl(r, noise(r, bytes(String.join("\n",
                        r.nextBoolean() ? cloudWatchLines(r) : auditLines(r)))))),
                Fuzz.Generator.of("odd-timestamps", 300, r -> oddTimestamps(r, ODD_TIMESTAMPS, ODD_ISO)),
                Fuzz.Generator.of("far-timestamps", 50, r -> oddTimestamps(r, quoted(FAR_ISO), FAR_ISO)),
                Fuzz.Generator.of("deep-nesting", 40, FuzzLogReadersTest::deepNesting),
                Fuzz.Generator.of("long-lines", 40, FuzzLogReadersTest::longLines),
                Fuzz.Generator.of("corrupt-gzip", 150, FuzzLogReadersTest::corruptGzip),
                Fuzz.Generator.of("cli-export", 200, r -> cliExport(r, DEFAULT_CAP)),
                Fuzz.Generator.of("s3-export", 200, r -> s3Export(r, DEFAULT_CAP)),
                Fuzz.Generator.of("cli-export-line-cap", 50, r -> cliExport(r, 256 << r.nextInt(3))),
                Fuzz.Generator.of("s3-export-line-cap", 50, r -> s3Export(r, 256 << r.nextInt(3)))),
                FuzzLogReadersTest::show, FuzzLogReadersTest::read);
    }

    static void read(Input in) throws IOException {
        Path file = dir.resolve(in.name());
        Files.createDirectories(file.getParent());
        Files.write(file, in.bytes());
        try {
            List<LogEvent> seen = new ArrayList<>();
            ReadReport report = LocalLogs.open(file).withMaxLineBytes(in.maxLineBytes()).read(seen::add);
            assertThat(report.events()).as("events counted").isEqualTo(seen.size());
            assertThat(report.malformedSamples().size()).as("samples").isLessThanOrEqualTo((int) report.malformed());
            for (LogEvent e : seen) {
                assertThat(e.message()).as("message").isNotNull();
                assertThat(e.message().length()).as("message length (line cap " + in.maxLineBytes() + ")")
                        .isLessThanOrEqualTo(in.maxLineBytes());
            }
        } finally {
            Files.delete(file);
        }
    }

    /** The first lines of samples/eks-demo.jsonl.gz, one to eight from a random place. */
    static List<String> cloudWatchLines(Random r) {
        List<String> all = Corpus.sampleLines();
        int from = r.nextInt(all.size());
        return new ArrayList<>(all.subList(from, Math.min(all.size(), from + 1 + r.nextInt(8))));
    }

    /** Raw audit events (an API server's --audit-log-path file): the rules' JSON test events. */
    static List<String> auditLines(Random r) {
        List<String> out = new ArrayList<>();
        for (int i = 1 + r.nextInt(6); i > 0; i--) {
            String m = Fuzz.pick(r, Corpus.testEvents()).message();
            out.add(m.startsWith("{") ? m : "{\"message\":\"" + m.replace("\\", "\\\\").replace("\"", "\\\"") + "\"}");
        }
        return out;
    }

    /** Some of the lines edited as text, and now and then a BOM, CRLFs or blank lines. */
    static List<String> mutatedLines(Random r, List<String> lines) {
        for (int i = 0; i < lines.size(); i++) {
            if (r.nextInt(3) == 0) {
                lines.set(i, Mutate.text(r, lines.get(i), HostileEvents.JSON_PIECES, 4));
            }
            if (r.nextInt(10) == 0) {
                lines.set(i, lines.get(i) + "\r");
            }
            if (r.nextInt(20) == 0) {
                lines.set(i, "\uFEFF" + lines.get(i));
            }
        }
        if (r.nextInt(10) == 0) {
            lines.add(r.nextInt(lines.size() + 1), Fuzz.pick(r, List.of("", " ", "\t", "\u0000", "\r")));
        }
        return lines;
    }

    /** Bytes flipped, invalid UTF-8 sequences (lone continuation bytes, overlong forms, CESU surrogates) inserted. */
    static byte[] noise(Random r, byte[] b) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        List<byte[]> bad = List.of(new byte[] {(byte) 0x80}, new byte[] {(byte) 0xC0, (byte) 0xAF},
                new byte[] {(byte) 0xED, (byte) 0xA0, (byte) 0x80}, new byte[] {(byte) 0xF8, (byte) 0x88},
                new byte[] {(byte) 0xFF}, new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF}, new byte[] {0},
                new byte[] {(byte) 0xE2, (byte) 0x82});
        int edits = 1 + r.nextInt(8);
        for (int i = 0; i < b.length; i++) {
            if (r.nextInt(Math.max(1, b.length / edits)) == 0) {
                if (r.nextBoolean()) {
                    out.writeBytes(Fuzz.pick(r, bad));
                } else {
                    out.write(b[i] ^ (1 << r.nextInt(8)));
                    continue;
                }
            }
            out.write(b[i]);
        }
        return out.toByteArray();
    }

    private static List<String> quoted(List<String> l) {
        return l.stream().map(s -> "\"" + s + "\"").toList();
    }

    /** CloudWatch events whose timestamp or ingestionTime, and audit events whose stage times, are odd. */
    static Input oddTimestamps(Random r, List<String> jsonValues, List<String> isoTexts) {
        List<String> lines = new ArrayList<>();
        for (int i = 1 + r.nextInt(4); i > 0; i--) {
            if (r.nextBoolean()) {
                String line = Fuzz.pick(r, Corpus.sampleLines());
                String key = Fuzz.pick(r, List.of("\"timestamp\":", "\"ingestionTime\":"));
                int at = line.indexOf(key) + key.length();
                int end = line.indexOf(',', at);
                lines.add(line.substring(0, at) + Fuzz.pick(r, jsonValues) + line.substring(end));
            } else {
                String m = auditLines(r).get(0);
                lines.add(m.replaceAll("\"(stageTimestamp|requestReceivedTimestamp)\":\"[^\"]*\"",
                        "\"$1\":\"" + Fuzz.pick(r, isoTexts) + "\""));
            }
        }
        return jsonl(r, bytes(String.join("\n", lines)));
    }

    /** An audit event or a CloudWatch event whose message holds objects or arrays nested 500 to 5000 deep. */
    static Input deepNesting(Random r) {
        int depth = 500 + r.nextInt(4500);
        boolean arrays = r.nextBoolean();
        String nested = (arrays ? "[" : "{\"a\":").repeat(depth) + "1" + (arrays ? "]" : "}").repeat(depth);
        String line = r.nextBoolean()
                ? "{\"kind\":\"Event\",\"stageTimestamp\":\"2026-11-20T10:00:00Z\",\"deep\":" + nested + "}"
                : "{\"logStreamName\":\"kube-apiserver-audit-x\",\"timestamp\":1795161601422,\"message\":\"{\\\"deep\\\":"
                        + nested.replace("\"", "\\\"") + "}\"}";
        return jsonl(r, bytes(line + "\n" + Fuzz.pick(r, Corpus.sampleLines())));
    }

    /** Lines around a small line cap (1 to 16 KiB): just under, at, just over, far over; with and without end. */
    static Input longLines(Random r) {
        int cap = 1024 << r.nextInt(5);
        List<String> lines = new ArrayList<>();
        for (int i = 1 + r.nextInt(4); i > 0; i--) {
            String line = Fuzz.pick(r, Corpus.sampleLines());
            int target = cap + Fuzz.pick(r, List.of(-2, -1, 0, 1, 2, cap, 5 * cap));
            int at = line.indexOf("\"message\":\"") + 11;
            String pad = Fuzz.pick(r, List.of("x", "é", "\\n", " ", "\uD83D\uDE00"));
            StringBuilder sb = new StringBuilder(line.substring(0, at));
            while (sb.length() + line.length() - at < target) {
                sb.append(pad);
            }
            lines.add(sb + line.substring(at));
        }
        String text = String.join("\n", lines) + (r.nextBoolean() ? "\n" : "");
        return new Input("long.jsonl", bytes(text), cap);
    }

    /** A gzip file of sample lines, then truncated or with bytes flipped (header, body or trailer). */
    static Input corruptGzip(Random r) {
        byte[] gz = gzip(bytes(String.join("\n", cloudWatchLines(r))));
        if (r.nextBoolean()) {
            gz = java.util.Arrays.copyOf(gz, r.nextInt(gz.length + 1));
        } else {
            for (int i = 1 + r.nextInt(3); i > 0; i--) {
                int at = r.nextInt(4) == 0 ? r.nextInt(Math.min(10, gz.length)) : r.nextInt(gz.length);
                gz[at] ^= (byte) (1 + r.nextInt(255));
            }
        }
        if (r.nextInt(4) == 0) {
            gz = concat(gz, gzip(bytes(Fuzz.pick(r, Corpus.sampleLines()))));
        }
        return new Input(Fuzz.pick(r, List.of("audit.jsonl.gz", "stream/000000.gz", "x.log.gz")), gz,
                cap(r));
    }

    /** aws logs filter-log-events / get-log-events JSON made from sample events, edited as text. */
    static Input cliExport(Random r, int cap) {
        List<String> events = new ArrayList<>();
        for (String line : cloudWatchLines(r)) {
            events.add(r.nextInt(4) == 0 ? line.replaceFirst("\"logStreamName\":\"[^\"]*\",", "") : line);
        }
        String doc = r.nextBoolean() ? "{\"events\":[" + String.join(",\n", events) + "],\"searchedLogStreams\":[]}"
                : "[" + String.join(",", events) + "]";
        if (r.nextInt(3) != 0) {
            doc = Mutate.text(r, doc, HostileEvents.JSON_PIECES, 4);
        }
        return new Input("events.json", bytes(doc), cap);
    }

    /** A CloudWatch Logs export object (stream/000000.gz: "<timestamp> <message>" lines), edited as text. */
    static Input s3Export(Random r, int cap) {
        StringBuilder sb = new StringBuilder();
        for (RuleTest.Event e : List.of(Fuzz.pick(r, Corpus.testEvents()), Fuzz.pick(r, Corpus.testEvents()))) {
            sb.append(r.nextInt(5) == 0 ? Fuzz.pick(r, ODD_ISO) : e.timestamp().toString()).append(' ')
                    .append(e.message()).append(r.nextInt(5) == 0 ? "\ncontinued line\n\n" : "\n");
        }
        String text = r.nextBoolean() ? Mutate.text(r, sb.toString(), List.of(" ", "\n", "Z", "T", "-", ":", "2026"),
                4) : sb.toString();
        return new Input("stream-" + r.nextInt(3) + "/000000.gz", gzip(bytes(text)), cap);
    }

    private static Input jsonl(Random r, byte[] b) {
        return new Input(Fuzz.pick(r, List.of("x.jsonl", "audit.log", "events.ndjson")), b, cap(r));
    }

    /** LocalLogs' default line cap (64 MiB). */
    private static final int DEFAULT_CAP = 64 << 20;

    /** Mostly the default cap; sometimes a small one so the cap's paths run too. */
    private static int cap(Random r) {
        return r.nextInt(4) == 0 ? 256 << r.nextInt(8) : DEFAULT_CAP;
    }

    static String show(Input in) {
        byte[] b = in.bytes();
        boolean gz = b.length > 1 && (b[0] & 0xff) == 0x1f && (b[1] & 0xff) == 0x8b;
        return in.name() + " (" + b.length + " bytes" + (gz ? ", gzip" : "") + ", line cap " + in.maxLineBytes()
                + "):\n" + (gz ? "(binary: see the .input file)" : Fuzz.escape(new String(b, StandardCharsets.UTF_8)));
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] gzip(byte[] b) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream z = new GZIPOutputStream(out)) {
            z.write(b);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] c = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, c, a.length, b.length);
        return c;
    }
}
