package io.eventlens.core.layout;

import io.eventlens.core.model.CapturedEvent;
import io.eventlens.core.model.SourcePosition;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;

/**
 * How the timeline splits events into lanes (docs/reference/timeline-layout.md, "Lanes"): one lane per
 * channel (the default), per channel and partition (Kafka; other sources have no partition and keep one
 * lane per channel), or per record key.
 */
public enum LaneGrouping {
    /** One lane per channel (topic, queue, stream). */
    CHANNEL("Channel"),
    /** One lane per channel and Kafka partition ({@code orders · p3}); channels without partitions keep one lane. */
    CHANNEL_PARTITION("Channel + partition"),
    /** One lane per record key ({@code (no key)} for events without one). */
    KEY("Key");

    private final String label;

    LaneGrouping(String label) {
        this.label = label;
    }

    /** The name shown in the lane-grouping menu. */
    public String label() {
        return label;
    }

    /**
     * The lane title of an event under this grouping: the channel name, {@code channel · pN}, or the
     * key as UTF-8 text (hex, {@code 0x…}, when it is not valid UTF-8 or holds control or format
     * characters such as bidirectional overrides; at most 40 code points).
     */
    public String laneOf(CapturedEvent e) {
        return switch (this) {
            case CHANNEL -> e.channel().name();
            case CHANNEL_PARTITION -> e.source() instanceof SourcePosition.Kafka k
                    ? e.channel().name() + " · p" + k.partition() : e.channel().name();
            case KEY -> keyText(e.key());
        };
    }

    /** The text of a record key: printable UTF-8 as is, else {@code 0x} and hex; {@code (no key)} for none. */
    static String keyText(byte[] key) {
        if (key == null) {
            return "(no key)";
        }
        if (key.length == 0) {
            return "(empty key)";
        }
        try {
            String s = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(key)).toString();
            if (s.codePoints().noneMatch(cp -> Character.isISOControl(cp) || Character.getType(cp) == Character.FORMAT)) {
                return s.codePointCount(0, s.length()) <= 40 ? s : s.substring(0, s.offsetByCodePoints(0, 39)) + "…";
            }
        } catch (CharacterCodingException e) {
            // not text: hex below
        }
        String hex = HexFormat.of().formatHex(key, 0, Math.min(key.length, 19));
        return "0x" + hex + (key.length > 19 ? "…" : "");
    }
}
