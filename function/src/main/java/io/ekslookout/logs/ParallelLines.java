package io.ekslookout.logs;

import com.fasterxml.jackson.core.JsonFactory;
import io.ekslookout.query.LogEvent;
import io.ekslookout.query.RawMessage;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.function.Consumer;

/**
 * Reads a big plain JSON Lines file on several threads, with exactly the result of {@link JsonLinesReader} reading
 * it alone: the same events, in the same order, at the same {@code file:line}, the same malformed lines counted and
 * described, the same bytes.
 * <p>
 * Why: on a warm file the read front end (finding each line, checking it is a well-formed event, and the batch's
 * raw prefilter on the undecoded message, {@link RawEventSink#skipsUnread}) is most of the work of a {@code query}
 * with a literal filter (~0.3 s per 200 MB on one core), and it is the same work for every line: it splits.
 * The queries ({@link io.ekslookout.query.QueryBatch}) are stateful (sequence numbers, aggregates, top-K), so they
 * stay on one thread.
 * <p>
 * How: the calling thread cuts the file into chunks of whole lines ({@link Splitter}: about
 * {@link Settings#chunkBytes} each, cut after a '\n'); {@link Settings#threads} worker threads each run an ordinary
 * {@link JsonLinesReader} of their own over a chunk (fast path, Jackson fallback and all) into a sink that records
 * instead of delivering ({@link Chunk}): the decoded events some query may keep, the events the sink's
 * {@link RawEventSink#unreadCheck() unread check} ruled out (their system fields and message length only), and
 * the malformed lines (the first {@link ReadTally#MAX_SAMPLES} described, the rest counted by reason) with line
 * numbers relative to the chunk. The calling thread takes the chunks strictly in file order and replays each into
 * the real sink and tally, adding the lines of the chunks before it: so the batch sees the same sequence of
 * {@code accept} / skip calls as in a serial read, and {@link LocalLogs#location()} says the same during each.
 * A chunk holds whole lines and a line's treatment depends only on its own bytes, so a chunk's reader reads
 * each line as the serial one does (blank lines, CRLF, a BOM at the start of a line, a last line without '\n',
 * lines up to the cap); a line that reaches the cap without a '\n' is never buffered whole by the splitter: it is
 * counted "too long" at its line and skipped, as the serial reader does.
 * <p>
 * Bounds: at most {@code 2 × threads} chunks in flight, and no chunk is read while those in flight hold that many
 * chunk sizes of bytes, so the bytes in flight stay under that plus one chunk (a chunk holding a long line is as long
 * as the line, at most the line cap); chunk buffers are reused.
 * A failure in a worker (an exception, an error) is recorded in its chunk and thrown on the calling thread once
 * the events before it in the file are delivered, as the serial read would throw it there; a failed read of the
 * file likewise, after every whole line read before it. Workers are daemon threads, stopped when the read ends
 * however it ends. Cost: one more copy of the bytes (chunk, then the reader's buffer) and the decoded events of a
 * few chunks held at once.
 * <p>
 * Used only for a plain regular file (not gzip, not standard input) of {@link Settings#minBytes} or more: below
 * that, starting threads costs more than it saves. {@code -Dekslookout.parallel=false} turns it off,
 * {@code -Dekslookout.readThreads=N} sets the number of worker threads (0: off; default: the available processors,
 * at most {@value #MAX_THREADS}; off on one processor).
 */
final class ParallelLines {
    /** More readers than this would wait on the one thread that feeds the queries. */
    static final int MAX_THREADS = 8;

    /**
     * When and how to read in parallel, from system properties read at each read: {@code ekslookout.parallel}
     * (false: off), {@code ekslookout.readThreads}, {@code ekslookout.parallelMinBytes} (default 32 MB),
     * {@code ekslookout.chunkBytes} (default 512 KB; tests make it tiny so small files split into many chunks) and
     * {@code ekslookout.chunksInFlight} (default twice the threads).
     * <p>
     * Why small chunks and few of them: when the queries are the slower side ({@code scan} decodes every audit
     * message), the workers run ahead and every chunk in flight holds its decoded events until the queries take
     * them; held across a young collection they are copied and promoted (measured on 200 MB with G1: 4 MB chunks,
     * 5 in flight: ~60 MB surviving each young collection against ~12 MB serially, and a bigger heap; 512 KB, 4 in
     * flight: ~20 MB). Smaller chunks only add hand-offs (a few microseconds each, 400 per 200 MB at 512 KB).
     *
     * @param threads    worker threads; 0: read serially
     * @param minBytes   smallest file read in parallel
     * @param chunkBytes the size of one chunk (a chunk holding a longer line is longer)
     * @param inFlight   the most chunks read and not yet replayed
     */
    record Settings(int threads, long minBytes, int chunkBytes, int inFlight) {
        static Settings current() {
            int cores = Runtime.getRuntime().availableProcessors();
            int threads = (int) number("ekslookout.readThreads", cores < 2 ? 0 : Math.min(cores, MAX_THREADS));
            if ("false".equals(System.getProperty("ekslookout.parallel"))) {
                threads = 0;
            }
            threads = Math.max(0, Math.min(threads, 64));
            return new Settings(threads, number("ekslookout.parallelMinBytes", 32L << 20),
                    (int) Math.max(1, Math.min(number("ekslookout.chunkBytes", 512L << 10), 1L << 30)),
                    (int) Math.max(1, Math.min(number("ekslookout.chunksInFlight", 2L * threads), 1024)));
        }

        private static long number(String property, long otherwise) {
            String v = System.getProperty(property);
            if (v == null) {
                return otherwise;
            }
            try {
                return Long.parseLong(v.trim());
            } catch (NumberFormatException e) {
                return otherwise;
            }
        }

        /** True when a file of {@code size} bytes is read in parallel. */
        boolean applies(long size) {
            return threads > 0 && size >= minBytes;
        }
    }

    private final JsonFactory factory;
    private final int maxLineBytes;
    private final boolean fastPath;
    private final Settings settings;

    ParallelLines(JsonFactory factory, int maxLineBytes, boolean fastPath, Settings settings) {
        this.factory = factory;
        this.maxLineBytes = maxLineBytes;
        this.fastPath = fastPath;
        this.settings = settings;
    }

    /** True when a file of {@code size} bytes is read in parallel. */
    boolean applies(long size) {
        return settings.applies(size);
    }

    /** As {@link JsonLinesReader#read}, on {@link Settings#threads} more threads. */
    void read(InputStream in, String file, String logGroup, Consumer<LogEvent> sink, ReadTally tally)
            throws IOException {
        RawEventSink raw = fastPath && sink instanceof RawEventSink r ? r : null;
        int n = settings.threads();
        int maxInFlight = settings.inFlight();
        long budget = (long) maxInFlight * settings.chunkBytes();
        BlockingQueue<Chunk> todo = new LinkedBlockingQueue<>();
        ConcurrentLinkedQueue<byte[]> free = new ConcurrentLinkedQueue<>();
        Thread[] threads = new Thread[n];
        try {
            for (int i = 0; i < n; i++) {
                Worker w = new Worker(new JsonLinesReader(factory, maxLineBytes, fastPath),
                        raw == null ? null : raw.unreadCheck(), file, logGroup, todo, free, settings.chunkBytes());
                threads[i] = new Thread(w, "ekslookout-read-" + i);
                threads[i].setDaemon(true);
                threads[i].start();
            }
            Splitter split = new Splitter(in, settings.chunkBytes(), maxLineBytes, free);
            ArrayDeque<Chunk> pending = new ArrayDeque<>();
            long pendingBytes = 0;
            long line = 0; // lines before the next chunk to replay
            IOException readFailure = null;
            boolean more = true;
            while (true) {
                while (more && (pending.isEmpty() || pending.size() < maxInFlight && pendingBytes < budget)) {
                    Chunk c;
                    try {
                        c = split.next();
                    } catch (IOException e) {
                        readFailure = e; // thrown once the chunks read before it are delivered
                        break;
                    }
                    if (c == null) {
                        more = false;
                        break;
                    }
                    pending.add(c);
                    pendingBytes += c.bytes;
                    if (c.buf != null) {
                        todo.add(c);
                    }
                }
                if (readFailure != null) {
                    more = false;
                }
                Chunk head = pending.poll();
                if (head == null) {
                    break;
                }
                pendingBytes -= head.bytes;
                try {
                    head.done.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new InterruptedIOException("interrupted while reading " + file);
                }
                line = head.replay(file, line, logGroup, sink, raw, tally);
            }
            if (readFailure != null) {
                throw readFailure;
            }
        } finally {
            for (Thread t : threads) {
                if (t != null) {
                    t.interrupt(); // idle workers wait in take(); a busy one finishes its chunk, then stops
                }
            }
        }
    }

    /** An event a worker's unread check ruled out: what the sink needs to account for it. */
    private record Unread(long timestamp, long ingestionTime, String logStream, int length) {
    }

    /** A malformed line, described. */
    private record Skip(SkipReason reason, String what) {
    }

    /**
     * Whole lines of the file, then what a worker made of them, replayed on the reading thread. Everything a worker
     * writes is written before {@link #done} counts down, and read only after it has.
     */
    static final class Chunk {
        /** The lines (null once parsed, and for a chunk that needs no parsing). */
        byte[] buf;
        final int len;
        /** Bytes of the file this chunk stands for. */
        final long bytes;
        final CountDownLatch done = new CountDownLatch(1);
        /** Events ({@link LogEvent}, {@link Unread}) and described malformed lines ({@link Skip}), in line order. */
        private Object[] items = new Object[64];
        /** The line of each item, from 1 at the chunk's first line. */
        private int[] lines = new int[64];
        private int count;
        private int described;
        /** Malformed lines past the described ones, by reason; null: none. */
        private Map<SkipReason, Long> moreSkipped;
        /** The '\n's in the chunk: the lines before the next chunk. */
        long lineCount;
        /** What stopped the chunk's reader: thrown after its items are replayed. */
        Throwable failure;

        Chunk(byte[] buf, int len, long bytes) {
            this.buf = buf;
            this.len = len;
            this.bytes = bytes;
        }

        private void add(Object item, long line) {
            if (count == items.length) {
                items = Arrays.copyOf(items, count * 2);
                lines = Arrays.copyOf(lines, count * 2);
            }
            items[count] = item;
            lines[count++] = (int) line;
        }

        void skip(SkipReason reason, long line, String what) {
            if (described < ReadTally.MAX_SAMPLES) {
                described++;
                add(new Skip(reason, what), line);
            } else {
                if (moreSkipped == null) {
                    moreSkipped = new EnumMap<>(SkipReason.class);
                }
                moreSkipped.merge(reason, 1L, Long::sum);
            }
        }

        /**
         * Delivers the chunk as the serial reader would have: each event to the sink at its file:line, each
         * malformed line to the tally; then throws what stopped the chunk's reader, if anything.
         *
         * @param before the lines of the file before this chunk
         * @return the lines of the file up to the end of this chunk
         */
        long replay(String file, long before, String logGroup, Consumer<LogEvent> sink, RawEventSink raw,
                    ReadTally tally) throws IOException {
            for (int i = 0; i < count; i++) {
                Object o = items[i];
                items[i] = null;
                long line = before + lines[i];
                if (o instanceof LogEvent e) {
                    tally.events++;
                    tally.at(file, line);
                    sink.accept(e);
                } else if (o instanceof Unread u) {
                    tally.at(file, line);
                    tally.events++;
                    raw.skipUnread(u.timestamp, u.ingestionTime, u.logStream, logGroup, u.length);
                } else {
                    Skip s = (Skip) o;
                    tally.skip(s.reason, file, line, s.what);
                }
            }
            if (moreSkipped != null) {
                moreSkipped.forEach(tally::skipped);
            }
            tally.bytes += bytes;
            if (failure instanceof IOException e) {
                throw e;
            }
            if (failure instanceof RuntimeException e) {
                throw e;
            }
            if (failure instanceof Error e) {
                throw e;
            }
            if (failure != null) {
                throw new IOException(failure);
            }
            return before + lineCount;
        }
    }

    /** A tally that records a chunk's malformed lines into it instead of counting them. */
    private static final class ChunkTally extends ReadTally {
        Chunk chunk;

        @Override
        void skip(SkipReason reason, String file, long line, String what) {
            chunk.skip(reason, line, what);
        }
    }

    /** The sink of a worker's reader: records events into the chunk; asks the worker's unread check first. */
    private static final class Recorder implements RawEventSink {
        private final ChunkTally tally;
        private final UnreadCheck check;

        Recorder(ChunkTally tally, UnreadCheck check) {
            this.tally = tally;
            this.check = check;
        }

        @Override
        public void accept(LogEvent e) {
            tally.chunk.add(e, tally.atLine());
        }

        @Override
        public boolean wantsUnread() {
            return check != null && check.active();
        }

        @Override
        public boolean skipsUnread(long timestamp, long ingestionTime, String logStream, String logGroup,
                                   RawMessage message) {
            if (!check.rulesOut(timestamp, ingestionTime, logStream, logGroup, message)) {
                return false;
            }
            tally.chunk.add(new Unread(timestamp, ingestionTime, logStream, message.length()),
                    tally.atLine());
            return true;
        }
    }

    /** One reader thread: chunk after chunk, with its own reader and unread check. */
    private static final class Worker implements Runnable {
        private final JsonLinesReader reader;
        private final ChunkTally tally = new ChunkTally();
        private final Recorder recorder;
        private final String file;
        private final String logGroup;
        private final BlockingQueue<Chunk> todo;
        private final ConcurrentLinkedQueue<byte[]> free;
        private final int chunkBytes;

        Worker(JsonLinesReader reader, RawEventSink.UnreadCheck check, String file, String logGroup,
               BlockingQueue<Chunk> todo, ConcurrentLinkedQueue<byte[]> free, int chunkBytes) {
            this.reader = reader;
            this.recorder = new Recorder(tally, check);
            this.file = file;
            this.logGroup = logGroup;
            this.todo = todo;
            this.free = free;
            this.chunkBytes = chunkBytes;
        }

        @Override
        public void run() {
            while (true) {
                Chunk c;
                try {
                    c = todo.take();
                } catch (InterruptedException e) {
                    return;
                }
                try {
                    tally.chunk = c;
                    c.lineCount = reader.read(new ByteArrayInputStream(c.buf, 0, c.len), file, logGroup, recorder,
                            tally);
                } catch (Throwable e) { // any failure, errors included, is the reading thread's to throw
                    c.failure = e;
                } finally {
                    byte[] buf = c.buf;
                    c.buf = null;
                    tally.chunk = null;
                    c.done.countDown(); // first: nothing below may keep the reading thread waiting
                    if (buf.length == chunkBytes) {
                        try {
                            free.offer(buf);
                        } catch (Throwable e) { // out of memory for a queue node: the buffer is not reused, that is all
                            // this worker goes on with the next chunk
                        }
                    }
                }
            }
        }
    }

    /**
     * Cuts a stream into chunks of whole lines: each ends just after a '\n', except the last one of the stream.
     * Starts at a line start and keeps the bytes after the last '\n' for the next chunk; a line that does not fit
     * a chunk makes the buffer grow, up to the line cap: a line that reaches the cap without a '\n' becomes a
     * chunk of its own, already parsed: one "too long" line, its bytes read and dropped up to its end.
     */
    static final class Splitter {
        private final InputStream in;
        private final int chunkBytes;
        private final int maxLineBytes;
        private final ConcurrentLinkedQueue<byte[]> free;
        /** The start of the line the next chunk begins with. */
        private byte[] tail = new byte[0];
        private int tailLen;
        private boolean eof;
        private boolean done;
        /** A read that failed after whole lines were read: thrown by the next call. */
        private IOException failed;

        Splitter(InputStream in, int chunkBytes, int maxLineBytes, ConcurrentLinkedQueue<byte[]> free) {
            this.in = in;
            this.chunkBytes = chunkBytes;
            this.maxLineBytes = maxLineBytes;
            this.free = free;
        }

        /** The next chunk, or null at the end of the stream. */
        Chunk next() throws IOException {
            if (failed != null) {
                IOException e = failed;
                failed = null;
                done = true;
                throw e;
            }
            if (done) {
                return null;
            }
            byte[] buf = buffer(tailLen);
            System.arraycopy(tail, 0, buf, 0, tailLen);
            int n = tailLen;
            tailLen = 0;
            int searched = 0; // buf[0, searched) holds no '\n'
            while (true) {
                try {
                    while (n < buf.length && !eof) {
                        int r = in.read(buf, n, buf.length - n);
                        if (r < 0) {
                            eof = true;
                        } else {
                            n += r;
                        }
                    }
                } catch (IOException e) {
                    done = true;
                    int nl = lastNewline(buf, searched, n);
                    if (nl < 0) {
                        throw e;
                    }
                    failed = e; // the whole lines read before the failure first, as the serial reader
                    return new Chunk(buf, nl + 1, nl + 1);
                }
                if (eof) {
                    done = true;
                    return n == 0 ? null : new Chunk(buf, n, n);
                }
                int nl = lastNewline(buf, searched, n);
                if (nl >= 0) {
                    keepTail(buf, nl + 1, n);
                    return new Chunk(buf, nl + 1, nl + 1);
                }
                searched = n;
                if (n >= maxLineBytes) {
                    return tooLong(buf, n);
                }
                buf = Arrays.copyOf(buf, (int) Math.min((long) buf.length * 2, maxLineBytes)); // > n here
            }
        }

        /** A buffer for a chunk that starts with {@code start} bytes of a line. */
        private byte[] buffer(int start) {
            if (start < chunkBytes) {
                byte[] b = free.poll();
                return b != null ? b : new byte[chunkBytes];
            }
            long size = Math.max(start + 1L, Math.min(2L * start, Math.max(maxLineBytes, chunkBytes)));
            return new byte[(int) Math.min(size, Integer.MAX_VALUE - 16)];
        }

        private void keepTail(byte[] buf, int from, int to) {
            int rest = to - from;
            if (tail.length < rest) {
                tail = new byte[Math.max(rest, 2 * tail.length)];
            }
            System.arraycopy(buf, from, tail, 0, rest);
            tailLen = rest;
        }

        /**
         * The line filling {@code buf} (its first {@code n} bytes, no '\n') is at the cap: reads and drops the
         * rest of it; the chunk is that one line, counted too long, as {@link JsonLinesReader#read} counts it.
         */
        private Chunk tooLong(byte[] buf, int n) throws IOException {
            long bytes = n;
            long lines = 0;
            while (true) {
                int r = in.read(buf, 0, buf.length);
                if (r < 0) {
                    eof = true;
                    done = true;
                    break;
                }
                int nl = -1;
                for (int i = 0; i < r; i++) {
                    if (buf[i] == '\n') {
                        nl = i;
                        break;
                    }
                }
                if (nl >= 0) {
                    bytes += nl + 1;
                    lines = 1;
                    keepTail(buf, nl + 1, r);
                    break;
                }
                bytes += r;
            }
            if (buf.length == chunkBytes) {
                free.offer(buf);
            }
            Chunk c = new Chunk(null, 0, bytes);
            c.skip(SkipReason.TOO_LONG, 1, JsonLinesReader.tooLong(maxLineBytes));
            c.lineCount = lines;
            c.done.countDown();
            return c;
        }

        private static int lastNewline(byte[] b, int from, int to) {
            for (int i = to - 1; i >= from; i--) {
                if (b[i] == '\n') {
                    return i;
                }
            }
            return -1;
        }
    }
}
