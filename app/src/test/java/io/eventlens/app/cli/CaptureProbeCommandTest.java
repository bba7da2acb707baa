package io.eventlens.app.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code capture --probe}: a real HTTP probe, then {@code timeline} on what it stored. */
class CaptureProbeCommandTest {

    @TempDir
    Path dir;

    private HttpServer server;
    private final List<String> authorization = new CopyOnWriteArrayList<>();

    @AfterEach
    void stop() {
        if (server != null) {
            server.stop(0);
        }
    }

    private String probe(String body) throws Exception {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/__test/events", ex -> {
            String auth = ex.getRequestHeaders().getFirst("Authorization");
            authorization.add(auth == null ? "" : auth);
            byte[] b = body.getBytes(StandardCharsets.UTF_8);
            ex.sendResponseHeaders(200, b.length);
            try (OutputStream out = ex.getResponseBody()) {
                out.write(b);
            }
        });
        server.start();
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    @Test
    void aProbeCaptureStoresEachEventOnceAndTheTimelineSaysIsolationBroke() throws Exception {
        String base = probe("[{\"eventId\":\"e-1\",\"eventType\":\"OrderPlaced\",\"correlationId\":\"c-1\","
                + "\"timestamp\":\"2026-11-30T01:00:00Z\",\"payload\":{\"total\":5}},"
                + "{\"eventId\":\"e-2\",\"eventType\":\"OrderPlaced\",\"correlationId\":\"c-other\","
                + "\"timestamp\":\"2026-11-30T01:00:00Z\",\"payload\":{\"total\":7}}]");
        Path store = dir.resolve("probe.mv.db");

        CliRun capture = CliRun.of("capture", "--probe", base, "--correlation-id", "c-1", "--poll-interval", "100ms",
                "--probe-header", "Authorization=Bearer abc", "--duration", "1s", "--out", store.toString());

        assertThat(capture.exitCode()).as(capture.toString()).isZero();
        assertThat(capture.out()).isEmpty();
        assertThat(capture.err()).contains("probe " + base).contains("1 FOREIGN (other correlation IDs)")
                .contains("answers read as probe events: eventId, eventType, correlationId, timestamp, payload")
                .contains("2 new events");
        assertThat(authorization).hasSizeGreaterThan(2).allMatch("Bearer abc"::equals);

        CliRun timeline = CliRun.of("timeline", "--capture", store.toString(), "--correlation-id", "c-1",
                "--format", "json", "--fail-on", "ISOLATION_BROKEN");
        assertThat(timeline.exitCode()).as(timeline.toString()).isEqualTo(1);
        JsonNode json = new ObjectMapper().readTree(timeline.out());
        assertThat(json.at("/verdict/kind").asText()).isEqualTo("ISOLATION_BROKEN");
        assertThat(json.at("/events").size()).isEqualTo(2);
        assertThat(json.at("/events/1/anomalies/0/kind").asText()).isEqualTo("FOREIGN_EVENT");
        assertThat(json.at("/events/1/anomalies/0/message").asText()).contains("c-other").contains("asked for c-1");
    }

    @Test
    void probeOptionsWithoutAProbeOrWithoutCorrelationIdsAreUsageErrors() {
        CliRun noIds = CliRun.of("capture", "--probe", "http://127.0.0.1:9", "--out", dir.resolve("x").toString());
        assertThat(noIds.exitCode()).isEqualTo(2);
        assertThat(noIds.err()).contains("--correlation-id");

        CliRun noProbe = CliRun.of("capture", "--kafka", "127.0.0.1:9", "--topic", "t", "--poll-interval", "1s",
                "--out", dir.resolve("y").toString());
        assertThat(noProbe.exitCode()).isEqualTo(2);
        assertThat(noProbe.err()).contains("need --probe");

        CliRun badUrl = CliRun.of("capture", "--probe", "ftp://h/", "--correlation-id", "c", "--out", dir.resolve("z").toString());
        assertThat(badUrl.exitCode()).isEqualTo(2);
        assertThat(badUrl.err()).contains("--probe ftp://h/").contains("http://");

        CliRun unsetEnv = CliRun.of("capture", "--probe", "http://127.0.0.1:9", "--correlation-id", "c",
                "--probe-header", "Authorization=env:EVENTLENS_TEST_SURELY_UNSET_VARIABLE", "--out", dir.resolve("w").toString());
        assertThat(unsetEnv.exitCode()).isEqualTo(2);
        assertThat(unsetEnv.err()).contains("EVENTLENS_TEST_SURELY_UNSET_VARIABLE is not set");
    }
}
