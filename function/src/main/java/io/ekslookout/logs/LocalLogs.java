package io.ekslookout.logs;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import io.ekslookout.query.LogEvent;

import java.io.BufferedInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;

/**
 * Log events from local files: one file, or every log file under a directory (recursively, in path order).
 * Each file may be gzip-compressed (detected by its magic bytes) and its format is detected from its first bytes:
 * <ul>
 *   <li>(a) the JSON of {@code aws logs filter-log-events --output json} or {@code get-log-events} — an object with
 *   an {@code events} array (or a bare array of events);</li>
 *   <li>(b) JSON Lines, one {@code {"logStreamName","timestamp","message","ingestionTime","eventId"}} per line
 *   (a missing ingestionTime is the timestamp);</li>
 *   <li>(c) a Kubernetes API server audit log ({@code --audit-log-path}): one audit.k8s.io Event per line, read as
 *   stream {@value #AUDIT_LOG_STREAM} at its {@code stageTimestamp};</li>
 *   <li>(d) a CloudWatch Logs export to S3 ({@code <task>/<stream>/000000.gz}, lines {@code <timestamp> <message>}),
 *   the stream being the folder's name;</li>
 *   <li>(e) pretty-printed JSON over many lines (the file starts with a line holding only <code>{</code>, as
 *   {@code jq .} and {@code kubectl -o json} write): one audit Event, several concatenated, or an EventList,
 *   read by {@link JsonDocumentsReader}.</li>
 * </ul>
 * (b) and (c) are recognized line by line, so a file may mix them; a line may also hold an audit {@code EventList}
 * (<code>{"kind":"EventList","items":[...]}</code>, what audit webhooks receive), one audit event per item. A malformed line or record is counted and
 * described in the {@link ReadReport}; it never stops the read.
 */
public final class LocalLogs implements LogSource {
    public static final String DEFAULT_LOG_GROUP = "/aws/eks/local/cluster";
    public static final String AUDIT_LOG_STREAM = "kube-apiserver-audit";

    /**
     * File names read when walking a directory, also when rotated ({@code audit.log.1}, {@code audit.log-20261120},
     * see {@link #isRotationSuffix}), each optionally followed by .gz; and export objects named {@code <digits>.gz}.
     * A file named explicitly is always read.
     */
    private static final List<String> LOG_EXTENSIONS = List.of(".json", ".jsonl", ".ndjson", ".log");

    /**
     * The JSON factory of a read: no string longer than the line cap is ever buffered (Jackson's own default,
     * 20M chars, would both cut lines docs/local-logs-and-engine.md promises up to 64 MB and allow more than a smaller cap).
     */
    private static JsonFactory factory(int maxLineBytes) {
        return JsonFactory.builder()
                .disable(StreamReadFeature.INCLUDE_SOURCE_IN_LOCATION)
                .streamReadConstraints(StreamReadConstraints.builder().maxStringLength(maxLineBytes).build())
                .build();
    }

    private final Path root;
    private final String logGroup;
    private final int maxLineBytes;
    private final boolean fastPath;

    private LocalLogs(Path root, String logGroup, int maxLineBytes, boolean fastPath) {
        this.root = root;
        this.logGroup = logGroup;
        this.maxLineBytes = maxLineBytes;
        this.fastPath = fastPath;
    }

    /** Events from a file or directory, in log group {@value #DEFAULT_LOG_GROUP}. */
    public static LocalLogs open(Path path) {
        return open(path, DEFAULT_LOG_GROUP);
    }

    /**
     * Events from a file or directory ({@code -} is standard input), attributed to {@code logGroup}.
     *
     * @throws IllegalArgumentException when the path does not exist
     */
    public static LocalLogs open(Path path, String logGroup) {
        if (path.toString().equals("-")) {
            path = Path.of("/dev/stdin");
        }
        if (!Files.exists(path)) {
            throw new IllegalArgumentException("no such file or directory: " + path);
        }
        return new LocalLogs(path, logGroup == null || logGroup.isBlank() ? DEFAULT_LOG_GROUP : logGroup,
                JsonLinesReader.DEFAULT_MAX_LINE_BYTES, true);
    }

    /** The same source with another cap on one line's length (longer lines are reported and skipped). */
    public LocalLogs withMaxLineBytes(int bytes) {
        return new LocalLogs(root, logGroup, bytes, fastPath);
    }

    /** The same source reading every line with Jackson (tests compare it with the hand-parsed fast path). */
    LocalLogs withFastPath(boolean enabled) {
        return new LocalLogs(root, logGroup, maxLineBytes, enabled);
    }

    public String logGroup() {
        return logGroup;
    }

    public Path root() {
        return root;
    }

    /** The files a read goes through, in order. */
    public List<Path> files() throws IOException {
        if (!Files.isDirectory(root)) {
            return List.of(root);
        }
        List<Path> out = new ArrayList<>();
        try (Stream<Path> walk = Files.walk(root)) {
            walk.filter(Files::isRegularFile).filter(LocalLogs::isLogFile).forEach(out::add);
        }
        Collections.sort(out);
        return out;
    }

    /** Files under a directory that a read skips because their names are not log file names. */
    public List<Path> skippedFiles() throws IOException {
        if (!Files.isDirectory(root)) {
            return List.of();
        }
        List<Path> out = new ArrayList<>();
        try (Stream<Path> walk = Files.walk(root)) {
            walk.filter(Files::isRegularFile).filter(p -> !isLogFile(p)).forEach(out::add);
        }
        Collections.sort(out);
        return out;
    }

    static boolean isLogFile(Path p) {
        String name = p.getFileName().toString().toLowerCase(Locale.ROOT);
        if (name.startsWith(".")) {
            return false;
        }
        if (name.endsWith(".gz")) {
            name = name.substring(0, name.length() - 3);
            if (!name.isEmpty() && name.chars().allMatch(Character::isDigit)) {
                return true; // a CloudWatch Logs export object: <task>/<stream>/000000.gz
            }
        }
        for (String ext : LOG_EXTENSIONS) {
            if (name.endsWith(ext)) {
                return true;
            }
            int at = name.lastIndexOf(ext);
            if (at > 0 && isRotationSuffix(name, at + ext.length())) {
                return true;
            }
        }
        return false;
    }

    /** The tally of the read in progress (for {@link #location()}). */
    private ReadTally reading;

    @Override
    public String location() {
        ReadTally t = reading;
        return t == null ? null : t.location();
    }

    /**
     * True when {@code name} from {@code i} is what log rotation appends: {@code .1} (logrotate, numbered),
     * {@code -20261120} or {@code .20261120} (logrotate dateext), {@code -2026-11-20T10-00-00} and the like: a
     * separator ('.', '-' or '_'), a digit, then only digits, separators, 'T' and ':'. (kube-apiserver's own
     * rotation, {@code audit-2026-11-20T10-00-00.000.log}, keeps the .log ending and needs no rule.)
     */
    static boolean isRotationSuffix(String name, int i) {
        if (i + 1 >= name.length() || ".-_".indexOf(name.charAt(i)) < 0 || !Character.isDigit(name.charAt(i + 1))) {
            return false;
        }
        for (int k = i + 2; k < name.length(); k++) {
            char c = name.charAt(k);
            if (!(c >= '0' && c <= '9') && ".-_t:".indexOf(c) < 0) {
                return false;
            }
        }
        return true;
    }

    @Override
    public ReadReport read(Consumer<LogEvent> sink) throws IOException {
        ReadTally tally = new ReadTally();
        reading = tally;
        JsonFactory factory = factory(maxLineBytes);
        JsonLinesReader lines = new JsonLinesReader(factory, maxLineBytes, fastPath);
        ExportReader export = new ExportReader(factory, maxLineBytes);
        JsonDocumentsReader documents = new JsonDocumentsReader(factory, lines, maxLineBytes);
        ParallelLines.Settings settings = ParallelLines.Settings.current();
        ParallelLines parallel = settings.threads() > 0
                ? new ParallelLines(factory, maxLineBytes, fastPath, settings) : null;
        for (Path file : files()) {
            readFile(file, lines, parallel, export, documents, sink, tally);
        }
        return tally.report();
    }

    private void readFile(Path file, JsonLinesReader lines, ParallelLines parallel, ExportReader export,
                          JsonDocumentsReader documents, Consumer<LogEvent> sink, ReadTally tally) throws IOException {
        String name = file.toString();
        // A pipe (/dev/stdin, a FIFO) cannot be read through a FileChannel; FileInputStream reads both.
        boolean regular = Files.isRegularFile(file);
        InputStream opened = regular ? Files.newInputStream(file) : new java.io.FileInputStream(file.toFile());
        try (InputStream raw = new BufferedInputStream(opened, 1 << 16)) {
            InputStream in = raw;
            raw.mark(2);
            int b0 = raw.read();
            int b1 = raw.read();
            raw.reset();
            boolean gzip = b0 == 0x1f && b1 == 0x8b;
            if (gzip) {
                in = new BufferedInputStream(new GZIPInputStream(raw, 1 << 16), 1 << 16);
            }
            skipBom(in);
            Format format = detect(in);
            if (format == Format.EXPORT) {
                Counting counting = new Counting(in);
                try {
                    export.read(counting, name, streamNameOf(file), logGroup, sink, tally);
                } finally {
                    tally.bytes += counting.count;
                }
            } else if (format == Format.LINES) {
                // big plain files on several threads, same result (gzip and pipes are one stream: serial)
                if (parallel != null && regular && !gzip && parallel.applies(Files.size(file))) {
                    parallel.read(in, name, logGroup, sink, tally);
                } else {
                    lines.read(in, name, logGroup, sink, tally);
                }
            } else if (format == Format.PRETTY) {
                Counting counting = new Counting(in);
                try {
                    documents.read(counting, name, logGroup, sink, tally);
                } finally {
                    tally.bytes += counting.count;
                }
            } else if (format == Format.S3_EXPORT) {
                Path parent = file.toAbsolutePath().getParent();
                String stream = parent == null || parent.getFileName() == null ? streamNameOf(file)
                        : parent.getFileName().toString();
                Counting counting = new Counting(in);
                try {
                    new S3ExportReader(maxLineBytes).read(counting, name, stream, logGroup, sink, tally);
                } finally {
                    tally.bytes += counting.count;
                }
            }
        } catch (java.util.zip.ZipException e) {
            tally.skip(SkipReason.CORRUPT_GZIP, name, 0, "corrupt gzip data: " + e.getMessage() + "; the rest of this file was not read");
        } catch (java.io.EOFException e) {
            tally.skip(SkipReason.TRUNCATED_GZIP, name, 0, "truncated gzip data (" + e.getMessage() + "); the rest of this file was not read");
        }
    }

    /** Drops a UTF-8 byte order mark at the start of a (mark-supporting) stream: Windows editors write one. */
    private static void skipBom(InputStream in) throws IOException {
        in.mark(3);
        byte[] head = in.readNBytes(3);
        if (head.length < 3 || !JsonLinesReader.isBom(head, 0)) {
            in.reset();
        }
    }

    enum Format { EMPTY, EXPORT, LINES, S3_EXPORT, PRETTY }

    /** Peeks at the start of a mark-supporting stream (the stream is reset to where it was). */
    static Format detect(InputStream in) throws IOException {
        int limit = 1 << 16;
        in.mark(limit);
        try {
            byte[] head = in.readNBytes(limit);
            int i = 0;
            if (head.length >= 3 && (head[0] & 0xff) == 0xef && (head[1] & 0xff) == 0xbb && (head[2] & 0xff) == 0xbf) {
                i = 3;
            }
            i = skipSpace(head, i);
            if (i >= head.length) {
                return Format.EMPTY;
            }
            if (head[i] == '[') {
                return Format.EXPORT;
            }
            if (head[i] >= '0' && head[i] <= '9' && S3ExportReader.looksLikeExportLine(head, i)) {
                return Format.S3_EXPORT;
            }
            if (head[i] == '{') {
                int j = skipSpace(head, i + 1);
                byte[] key = "\"events\"".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
                if (j + key.length <= head.length && java.util.Arrays.equals(head, j, j + key.length, key, 0, key.length)) {
                    return Format.EXPORT;
                }
                if (opensMultiLineObject(head, i)) {
                    return Format.PRETTY;
                }
            }
            return Format.LINES;
        } finally {
            in.reset();
        }
    }

    /**
     * True when the '{' at {@code i} ends its line (only spaces, tabs or CR follow it before the newline): how
     * every pretty printer starts an object, and never a JSON Lines record, which opens and closes on one line. A
     * JSON Lines file whose first line is cut short still has text after its '{', so it stays line by line.
     */
    static boolean opensMultiLineObject(byte[] b, int i) {
        for (int k = i + 1; k < b.length; k++) {
            if (b[k] == '\n') {
                return true;
            }
            if (b[k] != ' ' && b[k] != '\t' && b[k] != '\r') {
                return false;
            }
        }
        return false;
    }

    private static int skipSpace(byte[] b, int i) {
        while (i < b.length && (b[i] == ' ' || b[i] == '\t' || b[i] == '\r' || b[i] == '\n')) {
            i++;
        }
        return i;
    }

    /** The stream name for events that carry none (get-log-events output): the file name without extensions. */
    static String streamNameOf(Path file) {
        String name = file.getFileName().toString();
        for (String ext : new String[] {".gz", ".json", ".jsonl", ".ndjson", ".log"}) {
            if (name.toLowerCase(Locale.ROOT).endsWith(ext)) {
                name = name.substring(0, name.length() - ext.length());
            }
        }
        return name;
    }

    private static final class Counting extends FilterInputStream {
        long count;

        Counting(InputStream in) {
            super(in);
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0) {
                count++;
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = super.read(b, off, len);
            if (n > 0) {
                count += n;
            }
            return n;
        }
    }
}
