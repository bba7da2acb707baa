package io.eventlens.core.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * {@link OffsetCommitRecords}: the {@code __consumer_offsets} record formats, and crafted or damaged
 * bytes (docs/decisions/0021-consumer-groups.md), each refused with a message naming the field.
 */
class OffsetCommitRecordsTest {

    static byte[] key(int version, String group, String topic, int partition) {
        return bytes(out -> {
            out.writeShort(version);
            string(out, group);
            if (topic != null) {
                string(out, topic);
                out.writeInt(partition);
            }
        });
    }

    static byte[] value(int version, long offset) {
        return bytes(out -> {
            out.writeShort(version);
            out.writeLong(offset);
            if (version == 3 || version == 4) {
                out.writeInt(7);   // leader epoch
            }
            if (version == 4) {
                out.writeByte(1);   // compact string "" (length + 1)
                out.writeLong(1_000);
                out.writeByte(0);   // no tagged fields
            } else {
                string(out, "");
                out.writeLong(1_000);
                if (version == 1) {
                    out.writeLong(2_000);
                }
            }
        });
    }

    interface Writer {
        void write(DataOutputStream out) throws IOException;
    }

    static byte[] bytes(Writer w) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(b)) {
            w.write(out);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
        return b.toByteArray();
    }

    static void string(DataOutputStream out, String s) throws IOException {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        out.writeShort(b.length);
        out.write(b);
    }

    @Test
    void anOffsetCommitOfEachKeyAndValueVersionGivesGroupTopicPartitionAndOffset() {
        for (int kv = 0; kv <= 1; kv++) {
            for (int vv = 0; vv <= 4; vv++) {
                OffsetCommitRecords.Decoded d = OffsetCommitRecords.decode(key(kv, "inventory-service", "orders", 2),
                        value(vv, 42));
                assertThat(d).as("key v%d, value v%d", kv, vv)
                        .isEqualTo(new OffsetCommitRecords.OffsetCommit("inventory-service", "orders", 2, 42, kv, vv));
            }
        }
    }

    @Test
    void aTombstoneIsADeletedOffsetAGroupMetadataKeyIsNoOffsetAndNewerKeysAreOther() {
        assertThat(OffsetCommitRecords.decode(key(1, "g", "orders", 0), null))
                .isEqualTo(new OffsetCommitRecords.OffsetDeleted("g", "orders", 0));
        assertThat(OffsetCommitRecords.decode(key(2, "g", null, 0), new byte[] {0, 3, 1, 2, 3}))
                .isEqualTo(new OffsetCommitRecords.GroupMetadata("g"));
        assertThat(OffsetCommitRecords.decode(new byte[] {0, 5, 9, 9}, new byte[] {1}))
                .isEqualTo(new OffsetCommitRecords.Other(5));
        assertThat(OffsetCommitRecords.decode(key(0, "gruppe-ü", "bestellungen", 0), value(0, 0)))
                .isEqualTo(new OffsetCommitRecords.OffsetCommit("gruppe-ü", "bestellungen", 0, 0, 0, 0));
    }

    @Test
    void craftedOrDamagedBytesAreRefusedNamingTheField() {
        byte[] good = key(1, "g", "orders", 0);
        expect(null, value(0, 1), "key: missing");
        expect(new byte[0], value(0, 1), "key version: 0 bytes left, 2 needed");
        expect(new byte[] {0}, value(0, 1), "key version: 1 bytes left");
        expect(new byte[] {(byte) 0xFF, (byte) 0xFF}, value(0, 1), "key version: -1 is negative");
        expect(new byte[] {0, 1, (byte) 0xFF, (byte) 0xFF}, value(0, 1), "key group: length -1 is negative");
        expect(new byte[] {0, 1, 0x7F, (byte) 0xFF, 'g'}, value(0, 1), "key group: length 32767 but 1 bytes left");
        expect(new byte[] {0, 1, 0, 2, (byte) 0xC3, (byte) 0x28, 0, 0}, value(0, 1), "key group: not UTF-8");
        expect(java.util.Arrays.copyOf(good, good.length - 2), value(0, 1), "key partition: 2 bytes left, 4 needed");
        expect(key(1, "g", "orders", -3), value(0, 1), "key partition: -3 is negative");
        byte[] trailing = java.util.Arrays.copyOf(good, good.length + 3);
        expect(trailing, value(0, 1), "offset commit key: 3 unexpected bytes after the last field");
        expect(good, new byte[0], "value version: 0 bytes left");
        expect(good, new byte[] {0, 9, 0, 0, 0, 0, 0, 0, 0, 1}, "value version: 9 is not 0 to 4");
        expect(good, new byte[] {(byte) 0x80, 0, 0, 0, 0, 0, 0, 0, 0, 1}, "value version: -32768 is not 0 to 4");
        expect(good, new byte[] {0, 3, 0, 0, 0}, "value offset: 3 bytes left, 8 needed");
        expect(good, value(2, -5), "value offset: -5 is negative");
        expect(java.util.Arrays.copyOf(key(2, "g", null, 0), 6), null, "group metadata key: 1 unexpected bytes");
    }

    private static void expect(byte[] key, byte[] value, String message) {
        assertThatThrownBy(() -> OffsetCommitRecords.decode(key, value))
                .isInstanceOf(OffsetCommitRecords.MalformedRecordException.class)
                .hasMessageContaining(message);
    }
}
