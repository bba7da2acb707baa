package io.eventlens.core.kafka;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Decodes the records of Kafka's internal {@code __consumer_offsets} topic, as far as EventLens
 * needs them: which group committed which offset of which partition (docs/decisions/0021-consumer-groups.md).
 * The bytes come from outside (a broker, or anyone who can write the topic's records), so every
 * length and version is checked and anything else is a {@link MalformedRecordException} naming
 * what is wrong; nothing is allocated beyond the record's own length.
 *
 * <p>The format (Kafka's {@code OffsetCommitKey}/{@code OffsetCommitValue} and
 * {@code GroupMetadataKey} message specs in {@code group-coordinator}):
 * <ul>
 *   <li>key: an INT16 version. 0 and 1: an offset commit, then STRING group, STRING topic, INT32
 *       partition (STRING = INT16 length ≥ 0 and that many UTF-8 bytes), nothing after. 2: group
 *       metadata, then STRING group. 3 and more: the records of the newer group coordinator
 *       (consumer-group and share-group state), not read here.</li>
 *   <li>value of an offset commit: null (a tombstone: the offset was deleted) or an INT16 version
 *       0 to 4, then the INT64 committed offset first in every version (then metadata, leader epoch
 *       and timestamps, not read here).</li>
 * </ul>
 * The commit's time is the record's timestamp, which the caller has.
 */
public final class OffsetCommitRecords {

    /** The longest group or topic name accepted, in bytes (Kafka's topic limit is 249; groups are looser). */
    static final int MAX_NAME_BYTES = 32_767;
    /** The newest offset commit value version known (Kafka 4.1: 4). */
    static final int MAX_VALUE_VERSION = 4;

    private OffsetCommitRecords() {
    }

    /** A decoded record. */
    public sealed interface Decoded permits OffsetCommit, OffsetDeleted, GroupMetadata, Other {
    }

    /**
     * A group committed {@code offset} on {@code topic}/{@code partition}.
     *
     * @param keyVersion 0 or 1
     * @param valueVersion 0 to {@value #MAX_VALUE_VERSION}
     */
    public record OffsetCommit(String group, String topic, int partition, long offset, int keyVersion, int valueVersion)
            implements Decoded {
    }

    /** The committed offset of {@code topic}/{@code partition} was deleted (a tombstone). */
    public record OffsetDeleted(String group, String topic, int partition) implements Decoded {
    }

    /** A group's metadata record (key version 2): not an offset. */
    public record GroupMetadata(String group) implements Decoded {
    }

    /** A record of another kind (key version 3 or more). */
    public record Other(int keyVersion) implements Decoded {
    }

    /** The bytes are not a record of the format above; the message says which field and why. */
    public static final class MalformedRecordException extends IllegalArgumentException {
        MalformedRecordException(String message) {
            super(message);
        }
    }

    /**
     * Decodes one {@code __consumer_offsets} record.
     *
     * @param key   the record's key (never null in this topic)
     * @param value the record's value; null for a tombstone
     * @return what the record is
     * @throws MalformedRecordException naming the field when the bytes are not such a record
     */
    public static Decoded decode(byte[] key, byte[] value) {
        if (key == null) {
            throw new MalformedRecordException("key: missing (every __consumer_offsets record has one)");
        }
        ByteBuffer k = ByteBuffer.wrap(key);
        int keyVersion = int16(k, "key version");
        if (keyVersion < 0) {
            throw new MalformedRecordException("key version: " + keyVersion + " is negative");
        }
        if (keyVersion >= 3) {
            return new Other(keyVersion);
        }
        String group = string(k, "key group");
        if (keyVersion == 2) {
            end(k, "group metadata key");
            return new GroupMetadata(group);
        }
        String topic = string(k, "key topic");
        if (k.remaining() < 4) {
            throw new MalformedRecordException("key partition: " + k.remaining() + " bytes left, 4 needed");
        }
        int partition = k.getInt();
        if (partition < 0) {
            throw new MalformedRecordException("key partition: " + partition + " is negative");
        }
        end(k, "offset commit key");
        if (value == null) {
            return new OffsetDeleted(group, topic, partition);
        }
        ByteBuffer v = ByteBuffer.wrap(value);
        int valueVersion = int16(v, "value version");
        if (valueVersion < 0 || valueVersion > MAX_VALUE_VERSION) {
            throw new MalformedRecordException("value version: " + valueVersion + " is not 0 to " + MAX_VALUE_VERSION);
        }
        if (v.remaining() < 8) {
            throw new MalformedRecordException("value offset: " + v.remaining() + " bytes left, 8 needed");
        }
        long offset = v.getLong();
        if (offset < 0) {
            throw new MalformedRecordException("value offset: " + offset + " is negative");
        }
        return new OffsetCommit(group, topic, partition, offset, keyVersion, valueVersion);
    }

    private static int int16(ByteBuffer b, String field) {
        if (b.remaining() < 2) {
            throw new MalformedRecordException(field + ": " + b.remaining() + " bytes left, 2 needed");
        }
        return b.getShort();
    }

    private static String string(ByteBuffer b, String field) {
        int length = int16(b, field + " length");
        if (length < 0) {
            throw new MalformedRecordException(field + ": length " + length + " is negative (null is not allowed)");
        }
        if (length > MAX_NAME_BYTES || length > b.remaining()) {
            throw new MalformedRecordException(field + ": length " + length + " but " + b.remaining() + " bytes left");
        }
        ByteBuffer slice = b.slice(b.position(), length);
        b.position(b.position() + length);
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(slice).toString();
        } catch (CharacterCodingException e) {
            throw new MalformedRecordException(field + ": not UTF-8");
        }
    }

    private static void end(ByteBuffer b, String what) {
        if (b.hasRemaining()) {
            throw new MalformedRecordException(what + ": " + b.remaining() + " unexpected bytes after the last field");
        }
    }
}
