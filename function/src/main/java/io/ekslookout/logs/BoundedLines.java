package io.ekslookout.logs;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Lines of a byte stream with a cap on one line's length: a longer line is never buffered whole (that is how one
 * endless line in a small .gz would exhaust memory); {@link #next()} returns {@link #TOO_LONG} for it, having
 * skipped to its end, and the next call reads the line after it. Lines end at '\n'; a '\r' before it is dropped.
 */
final class BoundedLines {
    /** Returned (by identity) for a line longer than the cap; compare with {@code ==}. */
    static final String TOO_LONG = new String("<too long>");

    /** How many bytes of a too long line {@link #tooLongHead()} keeps: enough for a timestamp and a space. */
    static final int HEAD_BYTES = 64;

    private final InputStream in;
    private final int maxLineBytes;
    /** Bytes of the line last returned (after its '\r' is dropped); 0 after {@link #TOO_LONG}. */
    private int lineBytes;
    /** The first bytes of the too long line last skipped. */
    private byte[] head = new byte[0];
    private byte[] buf = new byte[1 << 16];
    private int start;
    private int end;
    private boolean eof;

    BoundedLines(InputStream in, int maxLineBytes) {
        this.in = in;
        this.maxLineBytes = maxLineBytes;
    }

    /**
     * The next line (UTF-8), {@link #TOO_LONG}, or null at the end of the input. A line is too long when it holds
     * {@code maxLineBytes} bytes or more before its '\n' (or before the end of the input), however it was buffered.
     */
    String next() throws IOException {
        int scan = start;
        while (true) {
            int limit = (int) Math.min(end, (long) start + maxLineBytes); // a '\n' past it ends a too long line
            for (int i = scan; i < limit; i++) {
                if (buf[i] == '\n') {
                    String line = text(start, i);
                    start = i + 1;
                    return line;
                }
            }
            scan = limit;
            if (end - start >= maxLineBytes) {
                head = Arrays.copyOfRange(buf, start, start + Math.min(HEAD_BYTES, end - start));
                lineBytes = 0;
                skipRestOfLine();
                return TOO_LONG;
            }
            if (eof) {
                if (start == end) {
                    return null;
                }
                String line = text(start, end);
                start = end;
                return line;
            }
            if (start > 0) {
                System.arraycopy(buf, start, buf, 0, end - start);
                end -= start;
                scan -= start;
                start = 0;
            } else if (end == buf.length) {
                buf = Arrays.copyOf(buf, (int) Math.min((long) buf.length * 2, Math.max(maxLineBytes, buf.length)));
            }
            fill();
        }
    }

    private void fill() throws IOException {
        int room = Math.min(buf.length - end, Math.max(1, maxLineBytes - (end - start)));
        int n = in.read(buf, end, Math.max(1, room));
        if (n < 0) {
            eof = true;
        } else {
            end += n;
        }
    }

    /**
     * Drops the too long line at {@link #start}: bytes up to and including the next '\n' (or the end of the input),
     * first in what is buffered (a line read after a skip may hold more than the cap), then as it is read.
     */
    private void skipRestOfLine() throws IOException {
        for (int i = start + maxLineBytes; i < end; i++) {
            if (buf[i] == '\n') {
                start = i + 1;
                return;
            }
        }
        start = 0;
        end = 0;
        while (true) {
            int n = in.read(buf, 0, buf.length);
            if (n < 0) {
                eof = true;
                return;
            }
            for (int i = 0; i < n; i++) {
                if (buf[i] == '\n') {
                    start = i + 1;
                    end = n;
                    return;
                }
            }
        }
    }

    /** The size in bytes of the line {@link #next()} returned last (its line break not counted). */
    int lineBytes() {
        return lineBytes;
    }

    /**
     * The start (up to {@value #HEAD_BYTES} bytes, as UTF-8) of the line for which {@link #next()} returned
     * {@link #TOO_LONG} last: tells a caller what kind of line it skipped (e.g. whether it starts with a timestamp).
     */
    String tooLongHead() {
        return new String(head, StandardCharsets.UTF_8);
    }

    private String text(int from, int to) {
        if (to > from && buf[to - 1] == '\r') {
            to--;
        }
        lineBytes = to - from;
        return new String(buf, from, to - from, StandardCharsets.UTF_8);
    }
}
