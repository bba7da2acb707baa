package io.eventlens.core.format;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThat;

class PayloadFormatterTest {

    private final PayloadFormatter formatter = PayloadFormatter.withDefaults();

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void jsonObjectIsPrettyPrinted() {
        FormattedPayload p = formatter.format(utf8("{\"orderId\":\"o-1\",\"items\":[1,2],\"nested\":{\"ok\":true}}"));
        assertThat(p.kind()).isEqualTo(FormattedPayload.Kind.JSON);
        assertThat(p.text()).isEqualTo("""
                {
                  "orderId" : "o-1",
                  "items" : [
                    1,
                    2
                  ],
                  "nested" : {
                    "ok" : true
                  }
                }""");
        assertThat(p.truncated()).isFalse();
    }

    @Test
    void brokenJsonFallsBackToText() {
        FormattedPayload p = formatter.format(utf8("{\"orderId\": \"o-1\", oops"));
        assertThat(p.kind()).isEqualTo(FormattedPayload.Kind.TEXT);
        assertThat(p.text()).isEqualTo("{\"orderId\": \"o-1\", oops");
    }

    @Test
    void jsonFollowedByGarbageIsText() {
        assertThat(formatter.format(utf8("{\"a\":1} trailing")).kind()).isEqualTo(FormattedPayload.Kind.TEXT);
    }

    @Test
    void plainUtf8TextIsShownAsText() {
        FormattedPayload p = formatter.format(utf8("Zahlung für Bestellung o-1 abgelehnt\nline 2"));
        assertThat(p.kind()).isEqualTo(FormattedPayload.Kind.TEXT);
        assertThat(p.text()).isEqualTo("Zahlung für Bestellung o-1 abgelehnt\nline 2");
    }

    @Test
    void binaryIsAHexDumpWithOffsetsAndAsciiColumn() {
        byte[] bin = new byte[20];
        for (int i = 0; i < bin.length; i++) {
            bin[i] = (byte) (i == 1 ? 'A' : i * 13);
        }
        FormattedPayload p = formatter.format(bin);
        assertThat(p.kind()).isEqualTo(FormattedPayload.Kind.HEX);
        String[] lines = p.text().split("\n");
        assertThat(lines).hasSize(2);
        assertThat(lines[0]).startsWith("00000000  00 41 1a 27").contains("|.A");
        assertThat(lines[1]).startsWith("00000010  ");
    }

    @Test
    void nullPayloadIsATombstone() {
        assertThat(formatter.format(null).kind()).isEqualTo(FormattedPayload.Kind.EMPTY);
        assertThat(formatter.format(null).text()).contains("tombstone");
    }

    @Test
    void tenMegabyteJsonIsTruncatedWithMoreBytesLineAndStaysFast() {
        StringBuilder sb = new StringBuilder("{\"items\":[");
        while (sb.length() < 10 * 1024 * 1024) {
            sb.append("{\"sku\":\"sku-123456\",\"qty\":3,\"note\":\"a fairly ordinary line item\"},");
        }
        sb.setLength(sb.length() - 1);
        sb.append("]}");
        byte[] big = utf8(sb.toString());

        long start = System.nanoTime();
        FormattedPayload p = formatter.format(big);
        long ms = (System.nanoTime() - start) / 1_000_000;

        assertThat(p.kind()).isEqualTo(FormattedPayload.Kind.JSON);
        assertThat(p.truncated()).isTrue();
        assertThat(p.totalBytes()).isEqualTo(big.length);
        assertThat(p.omittedBytes()).isBetween(big.length - PayloadFormatter.DEFAULT_MAX_BYTES - 1024L, (long) big.length);
        assertThat(p.text()).endsWith(PayloadFormatter.moreBytes(p.omittedBytes()));
        assertThat(p.text().length()).isLessThan(PayloadFormatter.DEFAULT_MAX_BYTES * 3);
        assertThat(ms).as("formatting 10 MB took %d ms", ms).isLessThan(2000);
    }

    @Test
    void tenMegabyteTextAndBinaryAreTruncatedToo() {
        byte[] text = new byte[10 * 1024 * 1024];
        Arrays.fill(text, (byte) 'x');
        FormattedPayload t = formatter.format(text);
        assertThat(t.kind()).isEqualTo(FormattedPayload.Kind.TEXT);
        assertThat(t.omittedBytes()).isEqualTo(text.length - PayloadFormatter.DEFAULT_MAX_BYTES);
        assertThat(t.text()).endsWith("… 10,223,616 more bytes");

        byte[] bin = new byte[10 * 1024 * 1024];
        FormattedPayload b = formatter.format(bin);
        assertThat(b.kind()).isEqualTo(FormattedPayload.Kind.HEX);
        assertThat(b.truncated()).isTrue();
        assertThat(b.text()).endsWith("more bytes");
    }

    @Test
    void textCutInsideAMultiByteCharacterIsStillText() {
        PayloadFormatter small = new PayloadFormatter(16);
        FormattedPayload p = small.format(utf8("ääääääääääääääääääää"));
        assertThat(p.kind()).isEqualTo(FormattedPayload.Kind.TEXT);
        assertThat(p.text()).startsWith("ääääääää").contains("more bytes");
    }

    @Test
    void shortTextShowsPrintableKeysAndHexForBinaryKeys() {
        assertThat(PayloadFormatter.shortText(utf8("order-42"), 40)).isEqualTo("order-42");
        assertThat(PayloadFormatter.shortText(new byte[] {0, 1, (byte) 0xff}, 40)).isEqualTo("0x0001ff");
        assertThat(PayloadFormatter.shortText(utf8("x".repeat(100)), 10)).hasSize(10).endsWith("…");
        assertThat(PayloadFormatter.shortText(null, 10)).isEmpty();
    }
}
