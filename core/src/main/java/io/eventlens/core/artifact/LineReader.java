package io.eventlens.core.artifact;

import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;

/**
 * Reads lines of bytes from a stream in bounded memory: {@code \n} or {@code \r\n} ends a line, a
 * missing final newline is no damage, and a UTF-8 byte order mark before the first line is dropped.
 * A line longer than its bound is not kept: {@link #tooLong()} says so and the reader continues
 * with the next line.
 */
final class LineReader {

    private final InputStream in;
    private final int maxLineBytes;
    private final byte[] buf = new byte[1 << 16];
    private int pos;
    private int lim;
    private byte[] line = new byte[8192];
    private int len;
    private long lineNumber;
    private long bytesRead;
    private boolean tooLong;

    LineReader(InputStream in, int maxLineBytes) {
        this.in = in;
        this.maxLineBytes = maxLineBytes;
    }

    /** Advances to the next line; false at the end of the stream. */
    boolean next() throws IOException {
        len = 0;
        tooLong = false;
        boolean any = false;
        while (true) {
            if (pos >= lim) {
                int n = in.read(buf, 0, buf.length);
                if (n <= 0) {
                    pos = 0;
                    lim = 0;
                    if (!any) {
                        return false;
                    }
                    break;
                }
                bytesRead += n;
                pos = 0;
                lim = n;
            }
            any = true;
            int i = pos;
            while (i < lim && buf[i] != '\n') {
                i++;
            }
            append(i - pos);
            if (i < lim) {
                pos = i + 1;
                break;
            }
            pos = lim;
        }
        lineNumber++;
        if (len > 0 && line[len - 1] == '\r') {
            len--;
        }
        if (lineNumber == 1 && len >= 3 && (line[0] & 0xFF) == 0xEF && (line[1] & 0xFF) == 0xBB && (line[2] & 0xFF) == 0xBF) {
            System.arraycopy(line, 3, line, 0, len - 3);
            len -= 3;
        }
        return true;
    }

    private void append(int n) {
        if (tooLong || n == 0) {
            return;
        }
        if (len + n > maxLineBytes) {
            tooLong = true;
            len = 0;
            return;
        }
        if (len + n > line.length) {
            line = Arrays.copyOf(line, Math.min(maxLineBytes, Math.max(line.length * 2, len + n)));
        }
        System.arraycopy(buf, pos, line, len, n);
        len += n;
    }

    /** The current line's bytes, valid up to {@link #length()} until the next call. */
    byte[] bytes() {
        return line;
    }

    /** The current line's length in bytes, without its line end. */
    int length() {
        return len;
    }

    /** The current line's 1-based number. */
    long lineNumber() {
        return lineNumber;
    }

    /** True when the current line was longer than the bound and is not kept. */
    boolean tooLong() {
        return tooLong;
    }

    /** True when the current line holds only white space. */
    boolean blank() {
        for (int i = 0; i < len; i++) {
            byte b = line[i];
            if (b != ' ' && b != '\t' && b != '\r') {
                return false;
            }
        }
        return !tooLong;
    }

    /** Bytes read from the stream so far. */
    long bytesRead() {
        return bytesRead;
    }
}
