package io.eventlens.core.extract;

import static org.assertj.core.api.Assertions.assertThat;

import io.eventlens.core.model.Channel;
import io.eventlens.core.model.DerivedFields;
import io.eventlens.core.model.Header;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class EventExtractorConcurrencyTest {

    @Test
    void oneExtractorGivesTheSameAnswersFromManyThreads() throws Exception {
        EventExtractor extractor = EventExtractor.withDefaults();
        Channel ch = Channel.kafkaTopic("orders");
        int n = 2_000;
        List<DerivedFields> expected = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            expected.add(extractor.extract(ch, key(i), headers(i), payload(i)));
        }
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<List<DerivedFields>>> results = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                results.add(pool.submit(() -> {
                    List<DerivedFields> out = new ArrayList<>();
                    for (int i = 0; i < n; i++) {
                        out.add(extractor.extract(ch, key(i), headers(i), payload(i)));
                    }
                    return out;
                }));
            }
            for (Future<List<DerivedFields>> f : results) {
                assertThat(f.get(30, TimeUnit.SECONDS)).isEqualTo(expected);
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(expected.get(1).correlationIdValue()).isEqualTo("c-1");
        assertThat(expected.get(2).eventIdSynthetic()).isTrue();
    }

    private static byte[] key(int i) {
        return ("k-" + i).getBytes(StandardCharsets.UTF_8);
    }

    private static List<Header> headers(int i) {
        return i % 2 == 1 ? List.of(Header.ofString("correlationId", "c-" + i)) : List.of();
    }

    private static byte[] payload(int i) {
        String json = i % 2 == 0 ? "{\"n\":" + i + ",\"timestamp\":" + (1_700_000_000_000L + i) + "}" : "{\"eventId\":\"e-" + i + "\"}";
        return json.getBytes(StandardCharsets.UTF_8);
    }
}
