package io.eventlens.app.ui;

import static org.awaitility.Awaitility.await;

import io.eventlens.app.DesktopServices;
import io.eventlens.app.ui.services.AppSettings;
import io.eventlens.app.ui.task.FxTaskExecutor;
import io.eventlens.core.analysis.VerdictKind;
import io.eventlens.core.model.CapturedEvent;
import io.eventlens.core.model.Channel;
import io.eventlens.core.model.Derived;
import io.eventlens.core.model.DerivedFields;
import io.eventlens.core.model.SourcePosition;
import io.eventlens.core.model.TimestampType;
import io.eventlens.core.store.CaptureStore;
import java.awt.image.BufferedImage;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import javafx.application.Platform;
import javafx.scene.Scene;
import javafx.scene.control.TabPane;
import javafx.scene.image.Image;
import javafx.scene.image.PixelFormat;
import javafx.stage.Stage;
import javax.imageio.ImageIO;

/**
 * Developer tool (not a test): writes a synthetic capture with known flow families (a checkout
 * family with a fraud-check branch, some flows stopped after the payment, one that skipped the
 * inventory step), opens it in the real app window, waits until the expected flows are learned and a
 * stopped flow's timeline is shown, and writes two PNGs: {@code OUT.png} (the timeline with its hollow
 * markers) and {@code OUT-map.png} (the Flow map of its family). Never sleeps: every wait is for a
 * condition or for rendered pulses.
 *
 * <p>Usage, with a display (Xvfb) set: {@code FlowMapScreenshotTool [OUT.png] [light|dark]}
 * ({@code -Dscreenshot.size=WxH} for another scene size; the docs' shot is 1900x1000).
 */
public final class FlowMapScreenshotTool {

    private static final Instant T0 = Instant.parse("2026-11-22T04:00:00Z");

    private FlowMapScreenshotTool() {
    }

    private static long seq;

    private static void add(List<CapturedEvent> out, String id, String type, String channel, long ms) {
        seq++;
        DerivedFields d = new DerivedFields(new Derived<>(id, "header correlationId"),
                new Derived<>(id + "-" + seq, "header eventId"), new Derived<>(type, "json /type"), null, null, null);
        Instant at = T0.plusMillis(ms);
        out.add(new CapturedEvent(0, Channel.kafkaTopic(channel), new SourcePosition.Kafka(0, seq, TimestampType.CREATE_TIME),
                at, at, id.getBytes(StandardCharsets.UTF_8), List.of(),
                ("{\"type\":\"" + type + "\",\"orderId\":\"" + id + "\"}").getBytes(StandardCharsets.UTF_8), d));
    }

    /** The synthetic capture: 160 checkout flows and 30 refund flows, with faults. */
    public static void writeCapture(Path file) {
        List<CapturedEvent> events = new ArrayList<>();
        Random r = new Random(42);
        for (int i = 0; i < 160; i++) {
            String id = "order-" + (1000 + i);
            long t = i * 700L;
            add(events, id, "OrderPlaced", "orders", t);
            t += 40 + r.nextInt(80);
            add(events, id, "PaymentAuthorized", "payments", t);
            if (i % 23 == 7) {
                continue;   // stopped after the payment
            }
            if (i % 4 == 0) {
                t += 100 + r.nextInt(200);
                add(events, id, "FraudChecked", "fraud", t);
            }
            if (i != 51) {  // order-1051 skips the inventory step
                t += 60 + r.nextInt(120);
                add(events, id, "InventoryReserved", "inventory", t);
            }
            t += 150 + r.nextInt(300);
            add(events, id, "OrderShipped", "shipping", t);
        }
        for (int i = 0; i < 30; i++) {
            String id = "refund-" + (500 + i);
            long t = 3_000 + i * 3_000L;
            add(events, id, "RefundRequested", "refunds", t);
            add(events, id, "RefundPaid", "payments", t + 200 + r.nextInt(100));
        }
        add(events, "late", "OrderPlaced", "orders", 160 * 700L + 9_000);
        try (CaptureStore store = CaptureStore.open(file)) {
            store.append(events, List.of());
        }
    }

    /**
     * Takes the screenshots; see the class comment for the arguments.
     *
     * @throws Exception when the window cannot be built, a condition is not met in time, or a PNG
     *                   cannot be written
     */
    public static void main(String[] args) throws Exception {
        Path out = Path.of(args.length > 0 ? args[0] : "flowmap.png");
        boolean dark = args.length > 1 && args[1].equals("dark");
        Path dir = Files.createTempDirectory("eventlens-flowmap-");
        Path capture = dir.resolve("checkout.mv.db");
        writeCapture(capture);
        CompletableFuture<Object[]> started = new CompletableFuture<>();
        Platform.startup(() -> {
            FxTaskExecutor executor = new FxTaskExecutor();
            MainViewModel vm = new MainViewModel(DesktopServices.real(), executor, new AppSettings(dir.resolve("settings.json")), dir);
            vm.darkThemeProperty().set(dark);
            MainView view = new MainView(vm, executor);
            Stage stage = new Stage();
            String[] size = System.getProperty("screenshot.size", "1480x920").split("x");
            Scene scene = EventLensApp.createScene(view, vm, Double.parseDouble(size[0]), Double.parseDouble(size[1]));
            stage.setScene(scene);
            stage.show();
            vm.openCapture(capture);
            started.complete(new Object[] {vm, view, scene, executor});
        });
        Object[] w = started.get(30, TimeUnit.SECONDS);
        MainViewModel vm = (MainViewModel) w[0];
        MainView view = (MainView) w[1];
        Scene scene = (Scene) w[2];
        int exit = 0;
        try {
            await("the expected flows are learned").atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(100))
                    .until(() -> onFx(() -> vm.flowMap().modelProperty().get() != null));
            await("the Flows panel lists the stopped flows").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100))
                    .until(() -> onFx(() -> vm.flows().rows().stream().anyMatch(row -> row.verdict() == VerdictKind.STOPPED)));
            onFx(() -> {
                vm.openTimeline("order-1030");
                return null;
            });
            await("the stopped flow's timeline is shown").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100))
                    .until(() -> onFx(() -> !vm.timeline().loadingProperty().get()
                            && vm.timeline().verdictKindProperty().get() == VerdictKind.STOPPED));
            awaitRenderedPulses(scene, 4);
            write(onFx(() -> scene.snapshot(null)), out);
            System.out.println("wrote " + out + ": " + onFx(() -> vm.timeline().verdictTextProperty().get()));
            onFx(() -> {
                view.showFlowMap();
                return null;
            });
            awaitRenderedPulses(scene, 4);
            Path map = Path.of(out.toString().replace(".png", "-map.png"));
            write(onFx(() -> scene.snapshot(null)), map);
            System.out.println("wrote " + map + ": " + onFx(() -> vm.flowMap().summaryProperty().get()));
            onFx(() -> {
                vm.openTimeline("order-1051");
                return null;
            });
            await("the skipped flow's timeline is shown").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100))
                    .until(() -> onFx(() -> !vm.timeline().loadingProperty().get()
                            && vm.timeline().verdictKindProperty().get() == VerdictKind.MISSING_STEP));
            awaitRenderedPulses(scene, 4);
            Path skipped = Path.of(out.toString().replace(".png", "-map-skipped.png"));
            write(onFx(() -> scene.snapshot(null)), skipped);
            onFx(() -> {
                ((TabPane) scene.lookup("#lowerTabs")).getSelectionModel().select(0);
                return null;
            });
            awaitRenderedPulses(scene, 4);
            Path skippedTimeline = Path.of(out.toString().replace(".png", "-skipped.png"));
            write(onFx(() -> scene.snapshot(null)), skippedTimeline);
            System.out.println("wrote " + skipped + " and " + skippedTimeline);
        } catch (Exception | AssertionError e) {
            System.err.println("screenshot failed: " + e + "; status: " + onFx(() -> vm.statusProperty().get()));
            exit = 1;
        } finally {
            onFx(() -> {
                view.dispose();
                vm.dispose();
                return null;
            });
            ((FxTaskExecutor) w[3]).close();
            Platform.exit();
        }
        System.exit(exit);
    }

    private static <T> T onFx(Callable<T> work) throws Exception {
        CompletableFuture<T> result = new CompletableFuture<>();
        Platform.runLater(() -> {
            try {
                result.complete(work.call());
            } catch (Throwable t) {
                result.completeExceptionally(t);
            }
        });
        return result.get(30, TimeUnit.SECONDS);
    }

    private static void awaitRenderedPulses(Scene scene, int pulses) throws Exception {
        CountDownLatch latch = new CountDownLatch(pulses);
        Runnable listener = () -> {
            latch.countDown();
            if (latch.getCount() > 0) {
                Platform.requestNextPulse();
            }
        };
        onFx(() -> {
            scene.addPostLayoutPulseListener(listener);
            Platform.requestNextPulse();
            return null;
        });
        try {
            latch.await(30, TimeUnit.SECONDS);
        } finally {
            onFx(() -> {
                scene.removePostLayoutPulseListener(listener);
                return null;
            });
        }
    }

    private static void write(Image image, Path out) throws Exception {
        int w = (int) image.getWidth();
        int h = (int) image.getHeight();
        int[] argb = new int[w * h];
        image.getPixelReader().getPixels(0, 0, w, h, PixelFormat.getIntArgbInstance(), argb, 0, w);
        BufferedImage bi = new BufferedImage(w, h, BufferedImage.TYPE_INT_ARGB);
        bi.setRGB(0, 0, w, h, argb, 0, w);
        ImageIO.write(bi, "png", out.toFile());
    }
}
