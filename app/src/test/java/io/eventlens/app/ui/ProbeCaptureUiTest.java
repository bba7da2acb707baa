package io.eventlens.app.ui;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpServer;
import io.eventlens.app.DesktopServices;
import io.eventlens.app.ui.capture.ConnectViewModel;
import io.eventlens.app.ui.services.AppServices;
import io.eventlens.app.ui.services.AppSettings;
import io.eventlens.app.ui.services.CaptureRequest;
import io.eventlens.core.analysis.VerdictKind;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The Connect dialog's Probe part and a probe capture through the view models, against a real HTTP probe. */
class ProbeCaptureUiTest {

    @TempDir
    Path dir;

    @TempDir
    Path settingsDir;

    private final QueuedTaskExecutor executor = new QueuedTaskExecutor();
    private HttpServer server;
    private final List<String> tokens = new CopyOnWriteArrayList<>();

    @AfterEach
    void tearDown() throws Exception {
        executor.close();
        if (server != null) {
            server.stop(0);
        }
    }

    private String probe(String body) throws Exception {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", ex -> {
            tokens.add(String.valueOf(ex.getRequestHeaders().getFirst("X-Probe-Token")));
            byte[] b = body.getBytes(StandardCharsets.UTF_8);
            ex.sendResponseHeaders(200, b.length);
            try (OutputStream out = ex.getResponseBody()) {
                out.write(b);
            }
        });
        server.start();
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    private ConnectViewModel connect(AppSettings settings) {
        return new ConnectViewModel(AppServices.real(() -> {
            throw new UnsupportedOperationException();
        }), executor, settings);
    }

    @Test
    void theProbePartIsRememberedWithoutItsTokenAndAnUnsetVariableIsNamed() throws Exception {
        AppSettings settings = new AppSettings(settingsDir.resolve("settings.json"));
        ConnectViewModel vm = connect(settings);
        assertThat(vm.canConnect().get()).isFalse();
        vm.probeUrlProperty().set("http://probe.test:8080");
        vm.probeIdsProperty().set("c-1\nc-2; c-3");
        vm.probeHeaderProperty().set("Authorization");
        vm.probeTokenEnvProperty().set("EVENTLENS_PROBE_TOKEN");
        vm.probeIntervalProperty().set("2s");
        assertThat(vm.canConnect().get()).isTrue();
        assertThatThrownBy(vm::buildRequest).hasMessageContaining("EVENTLENS_PROBE_TOKEN is not set");

        vm.environment(Map.of("EVENTLENS_PROBE_TOKEN", "Bearer t0p-s3cret"));
        CaptureRequest request = vm.buildRequest();
        assertThat(request.kafka()).isNull();
        assertThat(request.probe().correlationIds()).containsExactly("c-1", "c-2", "c-3");
        assertThat(request.probe().headers()).containsEntry("Authorization", "Bearer t0p-s3cret");
        assertThat(request.probe().pollInterval()).isEqualTo(Duration.ofSeconds(2));
        assertThat(request.describe()).contains("c-1, c-2, c-3 from the probe at http://probe.test:8080");
        assertThat(Files.readString(settingsDir.resolve("settings.json"))).contains("EVENTLENS_PROBE_TOKEN")
                .doesNotContain("t0p-s3cret");

        ConnectViewModel again = connect(new AppSettings(settingsDir.resolve("settings.json")));
        assertThat(again.probeUrlProperty().get()).isEqualTo("http://probe.test:8080");
        assertThat(again.probeIdsProperty().get()).isEqualTo("c-1\nc-2\nc-3");
        assertThat(again.probeHeaderProperty().get()).isEqualTo("Authorization");
        assertThat(again.probeTokenEnvProperty().get()).isEqualTo("EVENTLENS_PROBE_TOKEN");

        vm.probeUrlProperty().set("ftp://nope");
        assertThatThrownBy(vm::buildRequest).hasMessageContaining("http://");
        vm.probeUrlProperty().set("http://probe.test:8080");
        vm.probeIntervalProperty().set("often");
        assertThatThrownBy(vm::buildRequest).hasMessageStartingWith("poll interval:");
    }

    @Test
    void aProbeCaptureInTheAppShowsTheFlowWithItsForeignEvent() throws Exception {
        String base = probe("[{\"id\":\"e-1\",\"type\":\"OrderPlaced\",\"correlationId\":\"c-app\",\"createdAt\":\"2026-11-30T01:00:00Z\","
                + "\"payload\":{}},{\"id\":\"e-2\",\"type\":\"OrderPlaced\",\"correlationId\":\"c-neighbour\","
                + "\"createdAt\":\"2026-11-30T01:00:00Z\",\"payload\":{}}]");
        MainViewModel vm = new MainViewModel(DesktopServices.real(), executor,
                new AppSettings(settingsDir.resolve("settings.json")), dir.resolve("captures"));
        ConnectViewModel connect = vm.newConnectViewModel();
        connect.probeUrlProperty().set(base);
        connect.probeIdsProperty().set("c-app");
        connect.probeHeaderProperty().set("X-Probe-Token");
        connect.probeTokenEnvProperty().set("T");
        connect.probeIntervalProperty().set("100ms");
        connect.environment(Map.of("T", "abc"));

        vm.capture().start(connect.buildRequest());
        await().atMost(Duration.ofSeconds(30)).until(() -> {
            executor.runCallbacks();
            vm.pulse();
            return vm.capture().capturedEventsProperty().get() == 2 && tokens.size() >= 3;
        });
        assertThat(vm.capture().capturedEventsProperty().get()).as("polled again, stored once").isEqualTo(2);
        assertThat(tokens).allMatch("abc"::equals);
        vm.openTimeline("c-app");
        await().atMost(Duration.ofSeconds(20)).until(() -> {
            executor.runCallbacks();
            vm.pulse();
            return vm.timeline().entries().size() == 2;
        });
        assertThat(vm.timeline().verdictKindProperty().get()).isEqualTo(VerdictKind.ISOLATION_BROKEN);
        vm.dispose();
    }
}
