package io.eventlens.core.store;

import java.nio.file.Path;

/**
 * One stored event block cannot be decoded: its bytes break the format of {@link EventBlockCodec}
 * (a length past the end, an unknown tag, damaged LZ4 data, a count that cannot fit, ...). Blocks
 * are named by their first store sequence, the {@code first_seq} key of {@code event_block}.
 *
 * <p>Reads never fail because of it: they skip the block and record it, and
 * {@link CaptureStore#damagedBlocks()} lists what was skipped (docs/decisions/0001-capture-store.md,
 * "Damaged blocks"). The message reads
 * {@code damaged block 1025 (events 1025..2048) in /path/run.mv.db: <why>}.
 */
public final class DamagedBlockException extends CaptureStoreException {

    private final transient Path file;
    private final long firstSeq;
    private final int eventCount;
    private final String reason;

    /**
     * A damaged block.
     *
     * @param file       the store file, or {@code null} while unknown (the codec does not know it)
     * @param firstSeq   the block's first store sequence (its key)
     * @param eventCount the event count the block's row claims
     * @param reason     what is wrong, with the byte offset where known
     * @param cause      the underlying failure, or {@code null}
     */
    DamagedBlockException(Path file, long firstSeq, int eventCount, String reason, Throwable cause) {
        super(message(file, firstSeq, eventCount, reason), cause);
        this.file = file;
        this.firstSeq = firstSeq;
        this.eventCount = eventCount;
        this.reason = reason;
    }

    private static String message(Path file, long firstSeq, int eventCount, String reason) {
        String events = eventCount < 1 || firstSeq > Long.MAX_VALUE - eventCount + 1
                ? "event count " + eventCount
                : "events " + firstSeq + ".." + (firstSeq + eventCount - 1);
        return "damaged block " + firstSeq + " (" + events + ")" + (file == null ? "" : " in " + file) + ": " + reason;
    }

    /**
     * No stack trace: the exception reports damaged data, not a fault of the code, and a scan of a
     * damaged file may meet many (an unexpected failure keeps its own trace as the cause).
     */
    @Override
    public synchronized Throwable fillInStackTrace() {
        return this;
    }

    /** The same damage, naming the store file. */
    DamagedBlockException in(Path storeFile) {
        return new DamagedBlockException(storeFile, firstSeq, eventCount, reason, getCause());
    }

    /** The store file ({@code ....mv.db}), or {@code null} when thrown by the codec itself. */
    public Path file() {
        return file;
    }

    /** The block's first store sequence: its key in {@code event_block}. */
    public long firstSeq() {
        return firstSeq;
    }

    /** The number of events the block's row claims (the events that were skipped). */
    public int eventCount() {
        return eventCount;
    }

    /** What is wrong with the block, without the block and file prefix. */
    public String reason() {
        return reason;
    }
}
