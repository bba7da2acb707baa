package io.eventlens.core.extract;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class HeaderValuesTest {

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void textKeepsUtf8IncludingLineBreaks() {
        assertThat(HeaderValues.text(utf8("plain"))).isEqualTo("plain");
        assertThat(HeaderValues.text(utf8("zoë\tline 1\r\nline 2"))).isEqualTo("zoë\tline 1\r\nline 2");
        assertThat(HeaderValues.text(new byte[0])).isEmpty();
        assertThat(HeaderValues.text(null)).isNull();
    }

    @Test
    void textShowsBinaryAsHex() {
        assertThat(HeaderValues.text(new byte[] {0, 0, 0, 3})).isEqualTo("0x00000003");
        assertThat(HeaderValues.text(new byte[] {(byte) 0xc3, (byte) 0x28})).isEqualTo("0xc328"); // invalid UTF-8
    }

    @Test
    void integerReadsDecimalTextFirst() {
        assertThat(HeaderValues.integer(utf8("42"))).isEqualTo(42L);
        assertThat(HeaderValues.integer(utf8(" -7 "))).isEqualTo(-7L);
        assertThat(HeaderValues.integer(utf8("1234"))).as("4 ASCII digits are text, not an int").isEqualTo(1234L);
        assertThat(HeaderValues.integer(utf8("999999999999999999"))).isEqualTo(999_999_999_999_999_999L);
    }

    @Test
    void integerReadsBigEndianBinary() {
        assertThat(HeaderValues.integer(new byte[] {3})).isEqualTo(3L);
        assertThat(HeaderValues.integer(new byte[] {(byte) 0xff})).isEqualTo(255L);
        assertThat(HeaderValues.integer(ByteBuffer.allocate(4).putInt(-2).array())).isEqualTo(-2L);
        assertThat(HeaderValues.integer(ByteBuffer.allocate(8).putLong(1L << 42).array())).isEqualTo(1L << 42);
    }

    @Test
    void integerRejectsEverythingElse() {
        assertThat(HeaderValues.integer(null)).isNull();
        assertThat(HeaderValues.integer(new byte[0])).isNull();
        assertThat(HeaderValues.integer(new byte[] {1, 2})).isNull();
        assertThat(HeaderValues.integer(utf8("12a"))).isNull();
        assertThat(HeaderValues.integer(utf8("-"))).as("one printable byte is text").isNull();
        assertThat(HeaderValues.integer(utf8("x"))).isNull();
        assertThat(HeaderValues.integer(utf8("99999999999999999999"))).isNull();
    }
}
