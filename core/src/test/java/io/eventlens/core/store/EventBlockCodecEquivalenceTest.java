package io.eventlens.core.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.eventlens.core.model.CapturedEvent;
import io.eventlens.core.model.Channel;
import io.eventlens.core.model.ChannelKind;
import io.eventlens.core.model.Derived;
import io.eventlens.core.model.DerivedFields;
import io.eventlens.core.model.Header;
import io.eventlens.core.model.SourcePosition;
import io.eventlens.core.model.StoredPosition;
import io.eventlens.core.model.TimestampType;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The faster writer of {@link EventBlockCodec} (issue 6) writes exactly the bytes the writer before
 * it did ({@link LegacyBlockEncoder}, kept verbatim): stored blocks stay byte-for-byte what they were,
 * so no reader, old or new, can tell them apart. Seeded random blocks cover what the new writer
 * handles on separate paths: strings repeated as the same instance and as equal copies, more header
 * names than it remembers per call site, dictionaries that outgrow their table, non-ASCII and
 * malformed UTF-16 strings, every source tag and attribute type, nulls, and blocks reused after
 * {@code reset}.
 */
class EventBlockCodecEquivalenceTest {

    private static final long SEED = Long.getLong("eventlens.fuzz.seed", 0xB10C_E9L);
    private static final String[] ODD_STRINGS = {"", "é", "ü-header", "日本語", "emoji \uD83D\uDE00", "lone \uD800 high",
        "lone \uDC00 low", "\u007F", "\u0080", "mixed ascii then ß", "x".repeat(300)};

    @Test
    void randomBlocksEncodeToTheBytesOfTheFormerWriter() {
        Random r = new Random(SEED);
        EventBlockCodec codec = new EventBlockCodec();
        LegacyBlockEncoder legacy = new LegacyBlockEncoder();
        for (int block = 0; block < 300; block++) {
            codec.reset();
            legacy.reset();
            int n = 1 + r.nextInt(block % 10 == 0 ? 400 : 40);
            int style = r.nextInt(4);
            for (int i = 0; i < n; i++) {
                CapturedEvent e = event(r, style, i);
                codec.add(e);
                legacy.add(e);
            }
            assertThat(codec.count()).isEqualTo(legacy.count());
            assertThat(codec.size()).isEqualTo(legacy.size());
            assertThat(codec.payloadBytes()).isEqualTo(legacy.payloadBytes());
            assertThat(codec.minObservedMs()).isEqualTo(legacy.minObservedMs());
            assertThat(codec.maxObservedMs()).isEqualTo(legacy.maxObservedMs());
            byte[] expected = legacy.toBytes();
            assertThat(codec.toBytes()).as("block %d (seed %d)", block, SEED).isEqualTo(expected);
            byte[] expectedStored = legacy.toCompressedBytes();
            assertThat(codec.toCompressedBytes()).as("stored block %d", block).isEqualTo(expectedStored);
            int len = codec.compress();
            assertThat(Arrays.copyOf(codec.stored(), len)).isEqualTo(expectedStored);
            assertThat(EventBlockCodec.decode(expectedStored, 1, n)).hasSize(n);
        }
    }

    @Test
    void aRefusedEventLeavesTheBlockAsTheFormerWriterDid() {
        EventBlockCodec codec = new EventBlockCodec();
        LegacyBlockEncoder legacy = new LegacyBlockEncoder();
        codec.reset();
        legacy.reset();
        Random r = new Random(SEED);
        CapturedEvent ok = event(r, 0, 0);
        codec.add(ok);
        legacy.add(ok);
        List<Header> tooMany = new ArrayList<>();
        for (int i = 0; i <= EventBlockCodec.MAX_HEADERS; i++) {
            tooMany.add(Header.ofString("h" + i, "v"));
        }
        CapturedEvent refused = new CapturedEvent(0, ok.channel(), ok.source(), ok.observedAt(), ok.capturedAt(), null,
                tooMany, null, null);
        assertThatThrownBy(() -> codec.add(refused)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> legacy.add(refused)).isInstanceOf(IllegalArgumentException.class);
        CapturedEvent next = event(r, 1, 1);
        codec.add(next);
        legacy.add(next);
        assertThat(codec.toBytes()).isEqualTo(legacy.toBytes());
    }

    /**
     * A random event; {@code style} 0: names and rules as shared instances, 1: as fresh equal copies
     * (as a Kafka client decodes header names), 2: many distinct header names (past the per-site
     * memory and the initial dictionary table), 3: odd strings everywhere.
     */
    private static CapturedEvent event(Random r, int style, int i) {
        String corr = pick(r, style, "c-" + r.nextInt(50));
        List<Header> headers = new ArrayList<>();
        int headerCount = style == 2 ? r.nextInt(40) : r.nextInt(5);
        for (int h = 0; h < headerCount; h++) {
            String name = switch (style) {
                case 0 -> h % 2 == 0 ? "correlationId" : "eventType";
                case 1 -> new String((h % 2 == 0 ? "correlationId" : "eventType").toCharArray());
                case 2 -> "h-" + r.nextInt(200);
                default -> ODD_STRINGS[r.nextInt(ODD_STRINGS.length)];
            };
            headers.add(r.nextInt(8) == 0 ? new Header(name, null)
                    : new Header(name, pick(r, style, "v" + r.nextInt(9)).getBytes(StandardCharsets.UTF_8)));
        }
        byte[] payload = r.nextInt(6) == 0 ? null
                : ("{\"correlationId\":\"" + corr + "\",\"n\":" + i + "}").getBytes(StandardCharsets.UTF_8);
        Instant observed = Instant.ofEpochSecond(r.nextInt(3) == 0 ? -r.nextInt(1_000_000) : 1_790_000_000L + r.nextInt(1000),
                r.nextInt(1_000_000_000));
        DerivedFields derived = r.nextInt(5) == 0 ? DerivedFields.NONE : new DerivedFields(
                r.nextBoolean() ? new Derived<>(corr, rule(r, style, "header correlationId")) : null,
                r.nextBoolean() ? new Derived<>(pick(r, style, "e-" + i), rule(r, style, "json /eventId")) : null,
                r.nextBoolean() ? new Derived<>(pick(r, style, "OrderPlaced"), rule(r, style, "header eventType")) : null,
                r.nextBoolean() ? new Derived<>(observed.minusMillis(r.nextInt(5000)), rule(r, style, "json /timestamp")) : null,
                r.nextBoolean() ? new Derived<>(r.nextInt(3) == 0 ? r.nextLong() : (long) r.nextInt(100),
                        rule(r, style, "json /sequence")) : null,
                r.nextBoolean() ? new Derived<>(pick(r, style, "cause-" + r.nextInt(10)), rule(r, style, "json /causationId"))
                        : null);
        String channelName = style == 3 && r.nextBoolean() ? "topic-" + ODD_STRINGS[r.nextInt(4) + 1]
                : style == 1 ? new String("orders".toCharArray()) : r.nextBoolean() ? "orders" : "payments";
        SourcePosition source = switch (r.nextInt(5)) {
            case 0 -> storedPosition(r, style);
            case 1 -> new SourcePosition.Kafka(r.nextInt(4), r.nextInt(4) == 0 ? Long.MAX_VALUE - r.nextInt(9)
                    : r.nextInt(100_000), null);
            default -> new SourcePosition.Kafka(r.nextInt(1000), r.nextInt(1 << 20),
                    TimestampType.values()[r.nextInt(TimestampType.values().length)]);
        };
        return new CapturedEvent(0, new Channel(ChannelKind.values()[r.nextInt(ChannelKind.values().length)], channelName),
                source, observed, observed.plusMillis(r.nextInt(50)),
                r.nextInt(4) == 0 ? null : corr.getBytes(StandardCharsets.UTF_8), headers, payload, derived);
    }

    private static String pick(Random r, int style, String plain) {
        return style == 3 && r.nextInt(3) == 0 ? plain + ODD_STRINGS[r.nextInt(ODD_STRINGS.length)] : plain;
    }

    private static String rule(Random r, int style, String rule) {
        return switch (style) {
            case 1 -> new String(rule.toCharArray());
            case 2 -> rule + " #" + r.nextInt(3);
            case 3 -> r.nextBoolean() ? rule + ODD_STRINGS[r.nextInt(ODD_STRINGS.length)] : rule;
            default -> rule;
        };
    }

    private static SourcePosition storedPosition(Random r, int style) {
        Map<String, Object> attributes = new LinkedHashMap<>();
        int n = r.nextInt(8);
        for (int a = 0; a < n; a++) {
            String name = style == 3 ? "attr " + ODD_STRINGS[r.nextInt(ODD_STRINGS.length)] : "attr" + r.nextInt(10);
            attributes.put(name, switch (r.nextInt(6)) {
                case 0 -> null;
                case 1 -> pick(r, style, "value " + r.nextInt(100));
                case 2 -> r.nextInt();
                case 3 -> r.nextLong();
                default -> r.nextBoolean();
            });
        }
        return new StoredPosition(r.nextBoolean() ? "amqp" : "probe", r.nextBoolean() ? pick(r, style, "queue q") : null,
                r.nextBoolean() ? pick(r, style, "dt-" + r.nextInt(100)) : null, pick(r, style, "delivery " + r.nextInt(100)),
                attributes, r.nextBoolean() ? "capture time" : "probe poll time");
    }
}
