package io.eventlens.core.probe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.eventlens.core.analysis.AnomalyKind;
import io.eventlens.core.analysis.Timeline;
import io.eventlens.core.analysis.TimelineAnalyzer;
import io.eventlens.core.analysis.VerdictKind;
import io.eventlens.core.capture.CaptureLimits;
import io.eventlens.core.capture.CapturePipeline;
import io.eventlens.core.extract.EventExtractor;
import io.eventlens.core.model.CapturedEvent;
import io.eventlens.core.model.Header;
import io.eventlens.core.store.CaptureStore;
import io.eventlens.core.store.SourcePoll;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The probe source against a real HTTP server (the JDK's), good answers and each kind of bad one. */
class ProbeSourceTest {

    @TempDir
    Path dir;

    private HttpServer server;
    private final List<URI> requests = new CopyOnWriteArrayList<>();
    private final List<Map<String, List<String>>> requestHeaders = new CopyOnWriteArrayList<>();
    private final CountDownLatch release = new CountDownLatch(1);

    /** What the probe answers to its n-th request (0-based): status and body. */
    private record Answer(int status, String body) {
    }

    private String start(Function<Integer, Answer> answers) throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        AtomicInteger n = new AtomicInteger();
        server.createContext("/", (HttpExchange ex) -> {
            requests.add(ex.getRequestURI());
            requestHeaders.add(Map.copyOf(ex.getRequestHeaders()));
            Answer a = answers.apply(n.getAndIncrement());
            if (a == null) {   // hang: the poll times out
                try {
                    release.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                ex.close();
                return;
            }
            byte[] body = a.body().getBytes(StandardCharsets.UTF_8);
            ex.sendResponseHeaders(a.status(), body.length == 0 ? -1 : body.length);
            try (OutputStream out = ex.getResponseBody()) {
                out.write(body);
            }
        });
        server.setExecutor(java.util.concurrent.Executors.newCachedThreadPool());
        server.start();
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    @AfterEach
    void stop() {
        release.countDown();
        if (server != null) {
            server.stop(0);
        }
    }

    private static String event(String id, String corr, String type, String createdAt, String payload) {
        return "{\"id\":\"" + id + "\",\"type\":\"" + type + "\",\"correlationId\":\"" + corr + "\",\"createdAt\":\""
                + createdAt + "\",\"payload\":" + payload + "}";
    }

    /** Captures from {@code config} until {@code polls} polls were made; returns the source. */
    private ProbeSource capture(CaptureStore store, ProbeConfig config, int polls) throws Exception {
        ProbeSource source = new ProbeSource(config, p -> store.appendPolls(List.of(p)));
        CapturePipeline pipeline = new CapturePipeline(source, store, EventExtractor.withDefaults(), CaptureLimits.NONE);
        Thread t = Thread.ofPlatform().start(() -> pipeline.run(null));
        try {
            await().atMost(Duration.ofSeconds(30)).until(() -> source.polls() >= polls);
        } finally {
            pipeline.stop();
            t.join(30_000);
        }
        assertThat(t.isAlive()).as("capture stopped").isFalse();
        return source;
    }

    private static ProbeConfig config(String base, List<String> ids) {
        return new ProbeConfig(URI.create(base), null, Map.of("Authorization", "Bearer t0ken"), ids, List.of(),
                Duration.ofMillis(50), Duration.ofMillis(1500), 4096);
    }

    @Test
    void eachEventIsStoredOnceObservedAtThePollThatFirstReturnedItAndEveryPollIsRecorded() throws Exception {
        String e1 = event("e-1", "c-1", "OrderPlaced", "2026-11-30T01:00:00Z", "{\"total\":12.5}");
        String e2 = event("e-2", "c-1", "PaymentAuthorized", "2026-11-30T01:00:01Z", "{\"ok\":true}");
        String base = start(n -> new Answer(200, n < 2 ? "[" + e1 + "]" : "[" + e1 + "," + e2 + "]"));
        Path file = dir.resolve("probe.mv.db");
        try (CaptureStore store = CaptureStore.open(file)) {
            ProbeSource source = capture(store, config(base, List.of("c-1")), 5);

            List<CapturedEvent> events = store.findByCorrelationId("c-1");
            assertThat(events).extracting(e -> e.derived().eventIdValue()).containsExactly("e-1", "e-2");
            assertThat(events.get(0).source().describe()).isEqualTo("poll 1 #0");
            assertThat(events.get(1).source().describe()).isEqualTo("poll 3 #1");
            assertThat(events.get(0).source().sourceKind()).isEqualTo("probe");
            assertThat(events.get(0).observedAt()).isBefore(events.get(1).observedAt());
            assertThat(events.get(0).derived().eventTimeValue()).hasToString("2026-11-30T01:00:00Z");
            assertThat(source.mappings()).containsExactly("probe events: id, type, correlationId, createdAt, payload");

            List<SourcePoll> polls = store.polls(base, 100);
            assertThat(polls).hasSizeGreaterThanOrEqualTo(5).allSatisfy(p -> {
                assertThat(p.status()).isEqualTo(200);
                assertThat(p.ok()).isTrue();
                assertThat(p.stream()).isEqualTo("c-1");
            });
            assertThat(polls).extracting(SourcePoll::newRecords).startsWith(1, 0, 1, 0);
            assertThat(polls.get(3).records()).isEqualTo(2);

            Timeline t = TimelineAnalyzer.withDefaults().analyze("c-1", events);
            assertThat(t.verdict().kind()).as(t.verdict().message()).isEqualTo(VerdictKind.HEALTHY);
            assertThat(t.entries()).allSatisfy(en -> assertThat(en.anomalies()).isEmpty());
        }
        assertThat(requests).first().satisfies(u -> assertThat(u.toString())
                .isEqualTo("/__test/events?correlationId=c-1"));
        assertThat(requestHeaders.getFirst().get("Authorization")).containsExactly("Bearer t0ken");
    }

    @Test
    void malformedAnswersArePollsWithErrorsQuotingThemAndPollingGoesOn() throws Exception {
        String good = "[" + event("e-1", "c-1", "OrderPlaced", "2026-11-30T01:00:00Z", "{}") + "]";
        List<Answer> script = List.of(
                new Answer(200, "<html><body>502 Bad Gateway from the proxy</body></html>"),
                new Answer(200, "[{\"id\": \"e-1\", "),
                new Answer(200, "{\"id\":\"e-9\",\"correlationId\":\"c-1\"}"),
                new Answer(503, "{\"error\":\"warming up\"}"),
                new Answer(200, "[" + "x".repeat(5000) + "]"),
                new Answer(200, ""),
                new Answer(200, good));
        String base = start(n -> script.get(Math.min(n, script.size() - 1)));
        try (CaptureStore store = CaptureStore.open(dir.resolve("bad.mv.db"))) {
            ProbeSource source = capture(store, config(base, List.of("c-1")), 8);

            List<SourcePoll> polls = store.polls(base, 100);
            assertThat(polls.subList(0, 6)).extracting(SourcePoll::error).satisfiesExactly(
                    e -> assertThat(e).startsWith("not JSON").contains("\"<html><body>502 Bad Gateway from the proxy</body></html>\""),
                    e -> assertThat(e).contains("not valid JSON").contains("answer: \"[{\\\"id\\\": ").doesNotContain("\n"),
                    e -> assertThat(e).startsWith("not an array of events"),
                    e -> assertThat(e).startsWith("HTTP 503: \"{\\\"error\\\":\\\"warming up\\\"}\""),
                    e -> assertThat(e).startsWith("answer over the size limit of 4096 bytes: \"[xxx").endsWith("...\"")
                            .hasSizeLessThan(300),
                    e -> assertThat(e).startsWith("empty answer"));
            assertThat(polls.get(3).status()).isEqualTo(503);
            assertThat(polls.get(6).ok()).isTrue();
            assertThat(source.failedPolls()).isEqualTo(6);
            assertThat(store.findByCorrelationId("c-1")).hasSize(1);
            assertThat(source.health().isConnected()).isTrue();
        }
    }

    @Test
    void aProbeThatDoesNotAnswerInTimeIsAPollWithATimeoutAndAnUnreachableOneIsReported() throws Exception {
        String base = start(n -> n == 0 ? null : new Answer(200, "[]"));
        try (CaptureStore store = CaptureStore.open(dir.resolve("slow.mv.db"))) {
            ProbeConfig c = new ProbeConfig(URI.create(base), null, Map.of(), List.of("c-1"), List.of(),
                    Duration.ofMillis(50), Duration.ofMillis(300), 4096);
            capture(store, c, 2);
            List<SourcePoll> polls = store.polls(base, 10);
            assertThat(polls.getFirst().error()).contains("timeout");
            assertThat(polls.get(1).ok()).isTrue();
        }
        server.stop(0);
        server = null;
        try (CaptureStore store = CaptureStore.open(dir.resolve("down.mv.db"))) {
            ProbeSource source = capture(store, config(base, List.of("c-1")), 2);
            assertThat(store.polls(base, 10)).first().satisfies(p -> {
                assertThat(p.status()).isZero();
                assertThat(p.error()).startsWith("cannot connect");
            });
            assertThat(source.health().isConnected()).isFalse();
        }
    }

    @Test
    void anEventOfAnotherCorrelationIdIsAForeignEventAndBreaksIsolation() throws Exception {
        String answer = "[" + event("e-1", "c-1", "OrderPlaced", "2026-11-30T01:00:00Z", "{}") + ","
                + event("e-77", "c-2", "OrderPlaced", "2026-11-30T01:00:00Z", "{}") + "]";
        String base = start(n -> new Answer(200, answer));
        try (CaptureStore store = CaptureStore.open(dir.resolve("foreign.mv.db"))) {
            ProbeSource source = capture(store, config(base, List.of("c-1")), 2);
            assertThat(source.foreignEvents()).isEqualTo(1);
            List<CapturedEvent> events = store.findByCorrelationId("c-1");
            assertThat(events).hasSize(2);
            CapturedEvent foreign = events.get(1);
            assertThat(foreign.headers()).extracting(Header::name).contains(Header.PROBE_FOREIGN_CORRELATION_ID);
            assertThat(foreign.derived().correlationId().rule()).contains("the event names c-2");

            Timeline t = TimelineAnalyzer.withDefaults().analyze("c-1", events);
            assertThat(t.verdict().kind()).isEqualTo(VerdictKind.ISOLATION_BROKEN);
            assertThat(t.verdict().message()).contains("e-77").contains("c-2").contains("asked for c-1");
            assertThat(t.entries().get(1).anomalies()).extracting(a -> a.kind()).containsExactly(AnomalyKind.FOREIGN_EVENT);
            assertThat(store.findByCorrelationId("c-2")).isEmpty();
        }
    }

    @Test
    void aSecondRecordWithTheSameIdAndAnotherBodyInOneAnswerIsAConflictingDuplicate() throws Exception {
        String answer = "{\"events\":[{\"eventId\":\"e-1\",\"eventType\":\"OrderPlaced\",\"correlationId\":\"c-1\","
                + "\"timestamp\":1764464400000,\"payload\":{\"total\":1}},"
                + "{\"eventId\":\"e-1\",\"eventType\":\"OrderPlaced\",\"correlationId\":\"c-1\","
                + "\"timestamp\":1764464400000,\"payload\":{\"total\":2}}]}";
        String base = start(n -> new Answer(200, answer));
        try (CaptureStore store = CaptureStore.open(dir.resolve("conflict.mv.db"))) {
            ProbeSource source = capture(store, config(base, List.of("c-1")), 3);
            assertThat(source.mappings()).contains("an object with an events array",
                    "probe events: eventId, eventType, correlationId, timestamp, payload");
            List<CapturedEvent> events = store.findByCorrelationId("c-1");
            assertThat(events).hasSize(2);
            Timeline t = TimelineAnalyzer.withDefaults().analyze("c-1", events);
            assertThat(t.verdict().kind()).isEqualTo(VerdictKind.CONFLICTING_DUPLICATE);
        }
    }

    @Test
    void aResumedCaptureDoesNotStoreWhatTheFirstOneStored() throws Exception {
        String e1 = event("e-1", "c-1", "OrderPlaced", "2026-11-30T01:00:00Z", "{}");
        String e2 = event("e-2", "c-1", "OrderShipped", "2026-11-30T01:00:02Z", "{}");
        AtomicInteger phase = new AtomicInteger();
        String base = start(n -> new Answer(200, phase.get() == 0 ? "[" + e1 + "]" : "[" + e1 + "," + e2 + "]"));
        Path file = dir.resolve("resume.mv.db");
        try (CaptureStore store = CaptureStore.open(file)) {
            capture(store, config(base, List.of("c-1", "c-9")), 4);
            assertThat(store.positions(base)).extracting(p -> p.stream()).contains("c-1");
        }
        phase.set(1);
        try (CaptureStore store = CaptureStore.open(file)) {
            capture(store, config(base, List.of("c-1", "c-9")), 4);
            assertThat(store.findByCorrelationId("c-1")).extracting(e -> e.derived().eventIdValue())
                    .containsExactly("e-1", "e-2");
            // c-9's probe answers c-1's events: foreign, once
            assertThat(store.findByCorrelationId("c-9")).hasSize(2);
        }
    }

    @Test
    void theUrlIsFilledAndEncodedAndAnEmptyTypeParameterIsLeftOut() {
        ProbeConfig c = ProbeConfig.of(URI.create("http://probe.test:8080/"), List.of("c 1&x"));
        assertThat(c.pollUrl("c 1&x", null)).hasToString("http://probe.test:8080/__test/events?correlationId=c%201%26x");
        assertThat(c.pollUrl("c-1", "Order Placed")).hasToString(
                "http://probe.test:8080/__test/events?correlationId=c-1&type=Order%20Placed");
        ProbeConfig path = new ProbeConfig(URI.create("https://h/api"), "/flows/{correlationId}/events", Map.of(),
                List.of("a/b"), List.of(), null, null, ProbeConfig.DEFAULT_MAX_BODY_BYTES);
        assertThat(path.pollUrl("a/b", null)).hasToString("https://h/api/flows/a%2Fb/events");
    }

    @Test
    void aBadConfigurationNamesTheField() {
        assertThatThrownBy(() -> ProbeConfig.of(URI.create("file:///etc/passwd"), List.of("c")))
                .hasMessageContaining("http://");
        assertThatThrownBy(() -> ProbeConfig.of(URI.create("http://u:p@h/"), List.of("c")))
                .hasMessageContaining("credentials");
        assertThatThrownBy(() -> ProbeConfig.of(URI.create("http://h/?a=b"), List.of("c")))
                .hasMessageContaining("query");
        assertThatThrownBy(() -> ProbeConfig.of(URI.create("http://h/"), List.of()))
                .hasMessageContaining("correlation ID");
        assertThatThrownBy(() -> new ProbeConfig(URI.create("http://h/"), "/x", Map.of(), List.of("c"), List.of(),
                null, null, 4096)).hasMessageContaining("{correlationId}");
        assertThatThrownBy(() -> new ProbeConfig(URI.create("http://h/"), null, Map.of("Bad Name", "v"), List.of("c"),
                List.of(), null, null, 4096)).hasMessageContaining("Bad Name");
    }

    @Test
    void fuzzedTokensAndBodiesNeverThrow() {
        java.util.Random r = new java.util.Random(20261130);
        List<String> keys = new ArrayList<>();
        for (int i = 0; i < 2_000; i++) {
            byte[] b = new byte[r.nextInt(300)];
            r.nextBytes(b);
            if (i % 3 == 0) {
                String s = "v1 " + new String(b, StandardCharsets.ISO_8859_1);
                assertThat(ProbeSource.readToken(s)).isNotNull();
            }
            keys.add(ProbeSource.recordKey(b));
            assertThat(ProbeSource.quote(b)).startsWith("\"").doesNotContain("\n").hasSizeLessThanOrEqualTo(6 * 200 + 5);
        }
        assertThat(ProbeSource.readToken("garbage")).isEmpty();
        assertThat(ProbeSource.readToken(null)).isEmpty();
        assertThat(Collections.frequency(keys, keys.get(1))).isEqualTo(1);
    }
}
