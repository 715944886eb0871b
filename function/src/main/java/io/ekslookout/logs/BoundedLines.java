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

    private final InputStream in;
    private final int maxLineBytes;
    private byte[] buf = new byte[1 << 16];
    private int start;
    private int end;
    private boolean eof;

    BoundedLines(InputStream in, int maxLineBytes) {
        this.in = in;
        this.maxLineBytes = maxLineBytes;
    }

    /** The next line (UTF-8), {@link #TOO_LONG}, or null at the end of the input. */
    String next() throws IOException {
        int scan = start;
        while (true) {
            for (int i = scan; i < end; i++) {
                if (buf[i] == '\n') {
                    String line = text(start, i);
                    start = i + 1;
                    return line;
                }
            }
            scan = end;
            if (eof) {
                if (start == end) {
                    return null;
                }
                String line = text(start, end);
                start = end;
                return line;
            }
            if (end - start >= maxLineBytes) {
                skipRestOfLine();
                return TOO_LONG;
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

    /** Drops bytes up to and including the next '\n' (or the end of the input). */
    private void skipRestOfLine() throws IOException {
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

    private String text(int from, int to) {
        if (to > from && buf[to - 1] == '\r') {
            to--;
        }
        return new String(buf, from, to - from, StandardCharsets.UTF_8);
    }
}
