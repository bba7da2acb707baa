package io.eventlens.core.artifact;

import static org.assertj.core.api.Assertions.assertThat;

import io.eventlens.core.extract.EventExtractor;
import io.eventlens.core.model.CapturedEvent;
import io.eventlens.core.model.Channel;
import io.eventlens.core.model.ChannelKind;
import io.eventlens.core.model.Header;
import io.eventlens.core.model.StoredPosition;
import io.eventlens.core.store.CaptureStore;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code export} then {@code import} gives back every observation exactly: bytes (binary keys,
 * header values, payloads, nulls), headers in order, channel, coordinates and times to the nanosecond.
 */
class CaptureExportRoundTripTest {

    @TempDir
    Path dir;

    @Test
    void anExportImportsBackEqualEventForEvent() throws Exception {
        List<CapturedEvent> original;
        Path export = dir.resolve("run.ndjson");
        try (CaptureStore a = CaptureStore.open(dir.resolve("a"))) {
            Corpus.importInto(a, ZipLimits.DEFAULTS, Corpus.file("ci-run"), Corpus.file("cloudevents-batch.json"));
            a.append(oddEvents(), List.of());
            original = Corpus.all(a);
            try (OutputStream out = Files.newOutputStream(export)) {
                assertThat(CaptureExport.write(a, out, n -> { })).isEqualTo(original.size());
            }
        }
        assertThat(original).hasSizeGreaterThan(10);
        List<CapturedEvent> back;
        ArtifactSource source;
        try (CaptureStore b = CaptureStore.open(dir.resolve("b"))) {
            source = Corpus.importInto(b, ZipLimits.DEFAULTS, export);
            back = Corpus.all(b);
        }
        assertThat(source.problems()).isEmpty();
        assertThat(source.files().get(0).mappings()).containsExactly("EventLens export");
        assertThat(back).hasSameSizeAs(original);
        for (int i = 0; i < original.size(); i++) {
            assertThat(back.get(i)).as("event %d of %d", i + 1, original.size()).isEqualTo(original.get(i));
        }
    }

    /** Events the corpus lacks: binary bytes, nulls, nanoseconds, an AMQP channel, a position of every attribute type. */
    private static List<CapturedEvent> oddEvents() {
        Map<String, Object> attributes = new LinkedHashMap<>();
        attributes.put("deliveryTag", 7L);
        attributes.put("pusher", 3);
        attributes.put("redelivered", true);
        attributes.put("queue", "q.orders");
        attributes.put("expiration", null);
        StoredPosition amqp = new StoredPosition("amqp", null, "tag 7", "#7", attributes, "capture time");
        Channel queue = new Channel(ChannelKind.AMQP_QUEUE, "q.orders");
        byte[] binary = {0, (byte) 0xff, (byte) 0x80, '\n', '"'};
        Instant t = Instant.parse("2026-11-29T10:00:00.123456789Z");
        EventExtractor x = EventExtractor.withDefaults();
        List<Header> headers = List.of(new Header("x-null", null), new Header("bin", binary),
                Header.ofString("correlationId", "c-odd"), Header.ofString("correlationId", "repeated"));
        List<CapturedEvent> out = new ArrayList<>();
        out.add(new CapturedEvent(0, queue, amqp, t, t.plusNanos(1), binary, headers, null,
                x.extract(queue, binary, headers, null)));
        byte[] payload = "{\"id\":\"odd-2\",\"correlationId\":\"c-odd\"}".getBytes(StandardCharsets.UTF_8);
        out.add(new CapturedEvent(0, queue, amqp, t.plusSeconds(1), t.plusSeconds(2), null, List.of(), payload,
                x.extract(queue, null, List.of(), payload)));
        return out;
    }
}
