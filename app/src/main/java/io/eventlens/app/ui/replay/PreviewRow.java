package io.eventlens.app.ui.replay;

/**
 * One row of the replay dialog's preview: one send, after rewrites.
 *
 * @param index    its place in send order (0-based)
 * @param seq      the store sequence of the captured event it replays
 * @param source   the channel it was captured on
 * @param target   where it goes: topic and partition, or exchange and routing key
 * @param key      the key as text, or empty
 * @param dueMs    when it is due after the first send, milliseconds
 * @param rewrites what was changed, joined for one line
 * @param outcome  its outcome once sent ({@code SENT}, {@code FAILED}, ...), else empty
 */
public record PreviewRow(int index, long seq, String source, String target, String key, double dueMs, String rewrites,
                         String outcome) {

    /** This row with an outcome. */
    public PreviewRow withOutcome(String o) {
        return new PreviewRow(index, seq, source, target, key, dueMs, rewrites, o);
    }
}
