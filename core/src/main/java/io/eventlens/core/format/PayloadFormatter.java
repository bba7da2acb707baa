package io.eventlens.core.format;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;

import java.io.IOException;
import java.io.StringWriter;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * Renders payload and key bytes for display: pretty JSON when the bytes are a JSON object or array,
 * else UTF-8 text when they decode cleanly and are mostly printable, else a hex dump (16 bytes a line:
 * offset, hex, ASCII). Work is bounded by the display limit, not by the payload: only the first
 * {@code maxBytes} bytes are read (JSON is streamed token by token and stops at the limit), so a
 * 10 MB payload formats in milliseconds and ends with a line {@code "… N more bytes"}.
 * Thread-safe.
 */
public final class PayloadFormatter {

    /** Default display limit: 256 KiB of payload. */
    public static final int DEFAULT_MAX_BYTES = 256 * 1024;

    private static final JsonFactory JSON = JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(2000).build())
            .disable(com.fasterxml.jackson.core.StreamWriteFeature.AUTO_CLOSE_CONTENT)
            .build();
    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private final int maxBytes;

    /** A formatter showing at most {@code maxBytes} bytes of a payload (at least 16). */
    public PayloadFormatter(int maxBytes) {
        if (maxBytes < 16) {
            throw new IllegalArgumentException("maxBytes must be at least 16, was " + maxBytes);
        }
        this.maxBytes = maxBytes;
    }

    /** A formatter with the {@link #DEFAULT_MAX_BYTES} limit. */
    public static PayloadFormatter withDefaults() {
        return new PayloadFormatter(DEFAULT_MAX_BYTES);
    }

    /** The display limit in bytes. */
    public int maxBytes() {
        return maxBytes;
    }

    /**
     * Formats payload bytes.
     *
     * @param payload bytes, or {@code null} for a tombstone
     * @return the rendering; never null, never throws on any input
     */
    public FormattedPayload format(byte[] payload) {
        if (payload == null || payload.length == 0) {
            return new FormattedPayload(FormattedPayload.Kind.EMPTY,
                    payload == null ? "(no payload: tombstone)" : "(empty payload)", 0, 0);
        }
        FormattedPayload json = tryJson(payload);
        if (json != null) {
            return json;
        }
        FormattedPayload text = tryText(payload);
        if (text != null) {
            return text;
        }
        return hexDump(payload);
    }

    /**
     * A one-line rendering for table cells (keys, header values): UTF-8 text when printable,
     * else hex; at most {@code maxChars} characters, ending with "…" when cut. {@code null} gives "".
     */
    public static String shortText(byte[] bytes, int maxChars) {
        if (bytes == null) {
            return "";
        }
        int n = Math.min(bytes.length, Math.max(maxChars * 4, 16));
        String s = decodeUtf8(bytes, n);
        boolean printable = s != null && printableRatio(s) >= 1.0;
        String out;
        if (printable) {
            out = s.replace('\n', ' ').replace('\r', ' ').replace('\t', ' ');
        } else {
            StringBuilder sb = new StringBuilder("0x");
            for (int i = 0; i < Math.min(bytes.length, maxChars / 2 + 1); i++) {
                sb.append(HEX[(bytes[i] >> 4) & 0xF]).append(HEX[bytes[i] & 0xF]);
            }
            out = sb.toString();
        }
        boolean cut = out.length() > maxChars || n < bytes.length || (!printable && bytes.length > maxChars / 2 + 1);
        if (out.length() > maxChars) {
            out = out.substring(0, Math.max(0, maxChars - 1));
        }
        return cut ? out + "…" : out;
    }

    private FormattedPayload tryJson(byte[] payload) {
        int first = 0;
        while (first < payload.length && isJsonWhitespace(payload[first])) {
            first++;
        }
        if (first >= payload.length || (payload[first] != '{' && payload[first] != '[')) {
            return null;
        }
        StringWriter out = new StringWriter(Math.min(payload.length * 2, maxBytes * 2) + 64);
        long consumed;
        boolean complete;
        try (JsonParser parser = JSON.createParser(payload);
             JsonGenerator gen = JSON.createGenerator(out)) {
            DefaultPrettyPrinter pp = new DefaultPrettyPrinter()
                    .withObjectIndenter(DefaultIndenter.SYSTEM_LINEFEED_INSTANCE.withLinefeed("\n"))
                    .withArrayIndenter(DefaultIndenter.SYSTEM_LINEFEED_INSTANCE.withLinefeed("\n"));
            gen.setPrettyPrinter(pp);
            int depth = 0;
            JsonToken t;
            complete = false;
            while ((t = parser.nextToken()) != null) {
                gen.copyCurrentEvent(parser);
                if (t.isStructStart()) {
                    depth++;
                } else if (t.isStructEnd()) {
                    depth--;
                    if (depth == 0) {
                        complete = true;
                        break;
                    }
                }
                if (parser.currentLocation().getByteOffset() >= maxBytes) {
                    break;
                }
            }
            consumed = parser.currentLocation().getByteOffset();
            if (complete) {
                // Trailing non-whitespace after the document means this is not one JSON value.
                JsonToken trailing;
                try {
                    trailing = parser.nextToken();
                } catch (IOException e) {
                    return null;
                }
                if (trailing != null) {
                    return null;
                }
                consumed = payload.length;
            }
            gen.flush();
        } catch (IOException | RuntimeException e) {
            return null;
        }
        if (!complete && payload.length <= maxBytes) {
            return null; // ended early: truncated or invalid JSON that fits the limit is shown as text
        }
        long omitted = Math.max(0, payload.length - consumed);
        String text = out.toString();
        if (omitted > 0) {
            text = text + "\n" + moreBytes(omitted);
        }
        return new FormattedPayload(FormattedPayload.Kind.JSON, text, payload.length, omitted);
    }

    private FormattedPayload tryText(byte[] payload) {
        int n = Math.min(payload.length, maxBytes);
        String s = decodeUtf8(payload, n);
        if (s == null || printableRatio(s) < 0.95) {
            return null;
        }
        int shown = s.getBytes(StandardCharsets.UTF_8).length;
        long omitted = payload.length - shown;
        return new FormattedPayload(FormattedPayload.Kind.TEXT,
                omitted > 0 ? s + "\n" + moreBytes(omitted) : s, payload.length, omitted);
    }

    private FormattedPayload hexDump(byte[] payload) {
        int n = Math.min(payload.length, Math.max(16, maxBytes / 4 / 16 * 16));
        StringBuilder sb = new StringBuilder((n / 16 + 1) * 78);
        for (int line = 0; line < n; line += 16) {
            String off = Integer.toHexString(line);
            sb.append("00000000", 0, Math.max(0, 8 - off.length())).append(off).append("  ");
            for (int i = 0; i < 16; i++) {
                if (line + i < n) {
                    byte b = payload[line + i];
                    sb.append(HEX[(b >> 4) & 0xF]).append(HEX[b & 0xF]).append(' ');
                } else {
                    sb.append("   ");
                }
                if (i == 7) {
                    sb.append(' ');
                }
            }
            sb.append(" |");
            for (int i = 0; i < 16 && line + i < n; i++) {
                int c = payload[line + i] & 0xFF;
                sb.append(c >= 0x20 && c < 0x7F ? (char) c : '.');
            }
            sb.append("|\n");
        }
        long omitted = payload.length - n;
        if (omitted > 0) {
            sb.append(moreBytes(omitted));
        } else if (!sb.isEmpty()) {
            sb.setLength(sb.length() - 1);
        }
        return new FormattedPayload(FormattedPayload.Kind.HEX, sb.toString(), payload.length, omitted);
    }

    /** The truncation line: {@code "… 9,437,184 more bytes"}. */
    static String moreBytes(long omitted) {
        return String.format(Locale.ROOT, "… %,d more bytes", omitted);
    }

    /**
     * Decodes the first {@code n} bytes as strict UTF-8, tolerating a multi-byte character cut at the
     * end; {@code null} when the bytes are not UTF-8.
     */
    private static String decodeUtf8(byte[] bytes, int n) {
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(bytes, 0, n);
        CharBuffer out = CharBuffer.allocate(n + 1);
        var result = decoder.decode(in, out, n >= bytes.length);
        if (result.isError()) {
            return null;
        }
        if (n >= bytes.length) {
            result = decoder.flush(out);
            if (result.isError()) {
                return null;
            }
        } else if (in.remaining() > 3) {
            return null;
        }
        out.flip();
        return out.toString();
    }

    private static double printableRatio(String s) {
        if (s.isEmpty()) {
            return 1.0;
        }
        int bad = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x20 && c != '\n' && c != '\r' && c != '\t' || c == 0x7F || c == '\uFFFD') {
                bad++;
            }
        }
        return 1.0 - bad / (double) s.length();
    }

    private static boolean isJsonWhitespace(byte b) {
        return b == ' ' || b == '\n' || b == '\r' || b == '\t';
    }

}
