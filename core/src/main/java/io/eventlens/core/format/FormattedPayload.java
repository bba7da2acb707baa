package io.eventlens.core.format;

import java.util.Objects;

/**
 * A payload (or key) formatted for display.
 *
 * @param kind           how it was rendered
 * @param text           the display text; for a truncated payload it ends with a line
 *                       {@code "… N more bytes"}
 * @param totalBytes     size of the whole payload in bytes
 * @param omittedBytes   bytes of the payload not rendered (0 when shown whole)
 */
public record FormattedPayload(Kind kind, String text, long totalBytes, long omittedBytes) {

    /** How a payload was rendered. */
    public enum Kind {
        /** No payload (a tombstone) or zero bytes. */
        EMPTY,
        /** Valid JSON, pretty-printed. */
        JSON,
        /** UTF-8 text. */
        TEXT,
        /** Binary: a hex dump with offsets and an ASCII column. */
        HEX
    }

    public FormattedPayload {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(text, "text");
    }

    /** True when part of the payload was left out for display. */
    public boolean truncated() {
        return omittedBytes > 0;
    }
}
