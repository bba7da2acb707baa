package io.eventlens.app.ui;

import io.eventlens.app.DesktopServices;
import io.eventlens.app.ui.capture.ConnectDialog;
import io.eventlens.core.flows.FlowCategory;
import io.eventlens.app.ui.consumers.ConsumersViewModel;
import io.eventlens.app.ui.flows.FlowRow;
import io.eventlens.app.ui.services.AppSettings;
import io.eventlens.app.ui.task.FxTaskExecutor;
import io.eventlens.core.analysis.TimelineEntry;
import io.eventlens.core.analysis.VerdictKind;
import javafx.application.Platform;
import javafx.scene.Scene;
import javafx.scene.control.TabPane;
import javafx.scene.image.Image;
import javafx.scene.image.PixelFormat;
import javafx.stage.Stage;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumSet;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.awaitility.Awaitility.await;

/**
 * Developer tool (not a test): opens the real app window (1480×920) on the live demo, waits until the
 * Flows panel lists a dead-lettered, a conflicting-duplicate, an out-of-order and a lagging flow, lets
 * the demo open the first dead-lettered flow's timeline, selects its most severe event in the table
 * too, waits for a few rendered pulses and writes a PNG of the window. It never sleeps: every wait is
 * for a condition (Awaitility) or for rendered pulses (a latch).
 *
 * <p>Usage, with a display (Xvfb) set: {@code ScreenshotTool [OUT.png] [light|dark] [tabN|connect|complete|deadletters|contracts|consumers|stalled|cirun=FOLDER|replay|timeline10k|filter]}
 * ({@code -Dscreenshot.size=WxH} for another scene size),
 * where {@code tabN} selects the details pane's tab N and {@code connect} also writes
 * {@code OUT-connect.png} of the Connect dialog, and {@code complete} writes {@code OUT-completion.png}
 * of the correlation-ID completion popup, and {@code deadletters} waits for both of the demo's
 * dead-letter reasons and shows the Dead letters view instead of the Flows panel, and {@code contracts}
 * waits until the demo's contracts flag the poison order and shows the Contracts view, {@code consumers}
 * waits until the demo's audit-service recovered from its stall and shows its lag chart in the Consumers view
 * with the events that waited at the peak, {@code stalled} opens, during that stall, a flow audit-service
 * never read (its STOPPED verdict, the timeline's mark and the details pane's Consumer groups section), and {@code replay}
 * writes {@code OUT-replay.png} of the replay dialog after a preview and a replay into the demo broker. {@code timeline10k}
 * shows no demo: it opens a capture file holding a 10,000-event flow ({@link UiTestData#longFlow}) and
 * its timeline and shoots it fitted ({@code -Dscreenshot.timeline=fit}, the default), zoomed
 * ({@code =zoom}, {@code -Dscreenshot.zoom=6 -Dscreenshot.anchor=0.5}) or with its N-th anomaly selected
 * ({@code =anomalyN}: the window follows; docs/timeline-10k.png is {@code anomaly2}). {@code filter} applies
 * a filter in the one filter box over the demo and shoots it, then writes {@code OUT-error.png} with an
 * expression that does not compile (the caret and the message).
 */
public final class ScreenshotTool {

    /** The demo injects every fault within about 7 s; a slow machine gets much longer than that. */
    private static final Duration PATIENCE = Duration.ofSeconds(120);

    /** The flow kinds the shot waits for, so the Flows panel shows the whole range of findings. */
    private static final Set<FlowCategory> WANTED = EnumSet.of(FlowCategory.DEAD_LETTERED,
            FlowCategory.CONFLICTING_DUPLICATE, FlowCategory.OUT_OF_ORDER, FlowCategory.LAG);

    private ScreenshotTool() {
    }

    /**
     * Takes the screenshot; see the class comment for the arguments.
     *
     * @param args {@code [OUT.png] [light|dark] [tabN|connect|deadletters]}
     * @throws Exception when the window cannot be built, a condition is not met in time, or the PNG
     *                   cannot be written
     */
    public static void main(String[] args) throws Exception {
        Path out = Path.of(args.length > 0 ? args[0] : "docs/screenshot.png");
        boolean dark = args.length > 1 && args[1].equals("dark");
        String extra = args.length > 2 ? args[2] : "";
        Path captures = Files.createTempDirectory("eventlens-shot-");

        CompletableFuture<Window> started = new CompletableFuture<>();
        Platform.startup(() -> {
            FxTaskExecutor executor = new FxTaskExecutor();
            MainViewModel vm = new MainViewModel(DesktopServices.real(), executor, new AppSettings(captures.resolve("settings.json")), captures);
            vm.darkThemeProperty().set(dark);
            MainView view = new MainView(vm, executor);
            Stage stage = new Stage();
            String[] size = System.getProperty("screenshot.size", "1480x920").split("x");
            Scene scene = EventLensApp.createScene(view, vm, Double.parseDouble(size[0]), Double.parseDouble(size[1]));
            stage.setScene(scene);
            stage.titleProperty().bind(vm.titleProperty());
            stage.show();
            if (!extra.startsWith("cirun=") && !extra.equals("timeline10k")) {
                vm.capture().startDemo();
            }
            started.complete(new Window(vm, view, scene, executor));
        });
        Window w = started.get(30, TimeUnit.SECONDS);
        MainViewModel vm = w.vm();
        int exit = 0;
        if (extra.equals("timeline10k")) {
            try {
                shootLongTimeline(w, captures, out);
            } catch (Exception | AssertionError e) {
                System.err.println("screenshot failed: " + e);
                exit = 1;
            } finally {
                onFx(() -> {
                    w.view().dispose();
                    vm.dispose();
                    return null;
                });
                w.executor().close();
                deleteTree(captures);
                Platform.exit();
            }
            System.exit(exit);
        }
        try {
            if (extra.startsWith("cirun=")) { // a CI run's folder or zip: its failed tests and the first one's timeline
                Path run = Path.of(extra.substring("cirun=".length()));
                onFx(() -> {
                    vm.openCiRun(run);
                    return null;
                });
                await("the CI run view lists failed tests").atMost(PATIENCE).pollInterval(Duration.ofMillis(200))
                        .until(() -> onFx(() -> !vm.ciRun().rows().isEmpty()));
                onFx(() -> {
                    var rows = vm.ciRun().rows();
                    var row = rows.stream().filter(r -> r.headline() == VerdictKind.DEAD_LETTERED).findFirst()
                            .orElse(rows.getFirst());
                    w.view().ciRunView().list().getSelectionModel().select(row);
                    vm.ciRun().open(row);
                    return null;
                });
                await("the timeline opens").atMost(PATIENCE).pollInterval(Duration.ofMillis(100))
                        .until(() -> onFx(() -> !vm.timeline().loadingProperty().get()
                                && vm.timeline().verdictKindProperty().get() != null));
                awaitRenderedPulses(w.scene(), 4);
                write(onFx(() -> w.scene().snapshot(null)), out);
                System.out.println("wrote " + out + " showing the CI run " + run);
            } else {
            await("the Flows panel lists a flow of each kind " + WANTED).atMost(PATIENCE)
                    .pollInterval(Duration.ofMillis(200))
                    .until(() -> onFx(() -> vm.flows().rows().stream().map(FlowRow::category).toList())
                            .containsAll(WANTED));
            await("the demo opens the first dead-lettered flow's timeline").atMost(PATIENCE)
                    .pollInterval(Duration.ofMillis(100))
                    .until(() -> onFx(() -> !vm.timeline().loadingProperty().get()
                            && vm.timeline().verdictKindProperty().get() == VerdictKind.DEAD_LETTERED
                            && vm.timeline().selectedProperty().get() != null));
            if (extra.equals("deadletters")) {
                await("the Dead letters view lists both of the demo's dead-letter reasons").atMost(PATIENCE)
                        .pollInterval(Duration.ofMillis(200))
                        .until(() -> onFx(() -> vm.deadLetters().groups().size() >= 2));
                onFx(() -> {
                    w.view().showDeadLetters();
                    return null;
                });
            }
            if (extra.equals("contracts")) {
                await("the Contracts view finds the poison order and its timeline says so").atMost(PATIENCE)
                        .pollInterval(Duration.ofMillis(200))
                        .until(() -> onFx(() -> vm.contracts().failedProperty().get() > 0
                                && vm.timeline().verdictTextProperty().get() != null
                                && vm.timeline().verdictTextProperty().get().startsWith("dead-lettered because")));
                onFx(() -> {
                    w.view().showContracts();
                    return null;
                });
            }
            if (extra.equals("filter")) {   // the one filter box applied over table, Flows panel and timeline
                onFx(() -> {
                    vm.filter().textProperty().set("verdict in [\"DEAD_LETTERED\", \"LAG\"] && channel != \"\"");
                    vm.filter().apply();
                    return null;
                });
                await("the filter has read the capture").atMost(PATIENCE).pollInterval(Duration.ofMillis(100))
                        .until(() -> onFx(() -> !vm.table().filteringProperty().get()
                                && vm.table().filterStatusProperty().get().contains(" of ")));
            }
            if (extra.equals("stalled")) {   // during audit-service's stall: a flow it never read, its verdict, mark and details
                await("an event has waited 6 s or more for the stalled audit-service").atMost(PATIENCE.multipliedBy(2))
                        .pollInterval(Duration.ofSeconds(1))
                        .until(() -> onFx(() -> {
                            var audit = vm.consumers().groups().stream().filter(g -> g.group().equals("audit-service")).findFirst();
                            if (audit.isEmpty()) {
                                return false;
                            }
                            if (vm.consumers().selectedGroupProperty().get() == null
                                    || !vm.consumers().selectedGroupProperty().get().group().equals("audit-service")) {
                                vm.consumers().selectedGroupProperty().set(audit.get());
                            }
                            boolean old = !vm.consumers().waiting().isEmpty() && vm.consumers().waiting().get(0).observedAt()
                                    .isBefore(java.time.Instant.now().minusSeconds(6));
                            if (!old) {
                                vm.consumers().pickPoint(System.currentTimeMillis());
                            }
                            return old;
                        }));
                onFx(() -> {
                    vm.consumers().open(vm.consumers().waiting().get(0));
                    return null;
                });
                await("the stalled flow's timeline says STOPPED").atMost(PATIENCE).pollInterval(Duration.ofMillis(200))
                        .until(() -> onFx(() -> !vm.timeline().loadingProperty().get()
                                && vm.timeline().verdictKindProperty().get() == VerdictKind.STOPPED
                                && vm.timeline().selectedProperty().get() != null));
            }
            String shown = onFx(() -> {
                selectInTable(w);
                return vm.timeline().correlationIdProperty().get();
            });
            if (extra.equals("consumers")) {   // the demo's stalled audit-service: its lag chart and the events waiting at the peak
                await("the Consumers view shows audit-service after its stall and the second member").atMost(PATIENCE.multipliedBy(3))
                        .pollInterval(Duration.ofMillis(500))
                        .until(() -> onFx(() -> vm.consumers().groups().stream().anyMatch(g -> g.group().equals("audit-service")
                                && g.changes().stream().anyMatch(c -> c.members() == 2) && g.lagAtEnd() == 0)));
                long peak = onFx(() -> {
                    var audit = vm.consumers().groups().stream().filter(g -> g.group().equals("audit-service")).findFirst().orElseThrow();
                    vm.consumers().selectedGroupProperty().set(audit);
                    w.view().showConsumers();
                    return audit.lag().stream().max(java.util.Comparator.comparingLong(ConsumersViewModel.LagPoint::lag))
                            .orElseThrow().atMs();
                });
                onFx(() -> {
                    vm.consumers().pickPoint(peak);
                    return null;
                });
                await("the events waiting at the peak").atMost(PATIENCE).pollInterval(Duration.ofMillis(200))
                        .until(() -> onFx(() -> !vm.consumers().waiting().isEmpty()));
            }
            if (extra.startsWith("tab")) {
                int tab = Integer.parseInt(extra.substring(3));
                onFx(() -> {
                    ((TabPane) w.scene().lookup("#detailsTabs")).getSelectionModel().select(tab);
                    return null;
                });
            }
            awaitRenderedPulses(w.scene(), 4);
            Image image = onFx(() -> w.scene().snapshot(null));
            write(image, out);
            System.out.println("wrote " + out + " showing " + shown);
            if (extra.equals("filter")) {   // and an expression that does not compile: caret and message
                Path errorOut = Path.of(out.toString().replace(".png", "-error.png"));
                onFx(() -> {
                    vm.filter().textProperty().set("type == \"OrderPlaced\" && payload.total >> 3");
                    w.view().filterBar().field().fireEvent(new javafx.event.ActionEvent());
                    return null;
                });
                await("the error shows").atMost(PATIENCE).pollInterval(Duration.ofMillis(100))
                        .until(() -> onFx(() -> !vm.filter().errorProperty().get().isEmpty()));
                awaitRenderedPulses(w.scene(), 4);
                write(onFx(() -> w.scene().snapshot(null)), errorOut);
                System.out.println("wrote " + errorOut + ": " + onFx(() -> vm.filter().errorProperty().get()));
            }
            if (extra.equals("complete")) { // the correlation-ID completion popup, in the chosen theme
                Path popupOut = Path.of(out.toString().replace(".png", "-completion.png"));
                String prefix = shown.substring(0, Math.min(shown.length(), 10));
                onFx(() -> {
                    javafx.scene.control.TextField search = (javafx.scene.control.TextField) w.scene().lookup("#correlationSearch");
                    search.requestFocus();
                    search.setText("");
                    search.setText(prefix);
                    return null;
                });
                await("the completion popup shows").atMost(PATIENCE).pollInterval(Duration.ofMillis(100))
                        .until(() -> onFx(() -> javafx.stage.Window.getWindows().stream()
                                .anyMatch(x -> x instanceof javafx.stage.PopupWindow p && p.isShowing()
                                        && p.getScene().getRoot().lookup(".list-view") != null)));
                Scene popup = onFx(() -> javafx.stage.Window.getWindows().stream()
                        .filter(x -> x instanceof javafx.stage.PopupWindow p && p.isShowing()
                                && p.getScene().getRoot().lookup(".list-view") != null)
                        .findFirst().orElseThrow().getScene());
                awaitRenderedPulses(popup, 4);
                write(onFx(() -> popup.snapshot(null)), popupOut);
                System.out.println("wrote " + popupOut);
            }
            if (extra.equals("replay")) {   // the replay dialog on the shown flow, previewed, then sent to the demo broker
                Path replayOut = Path.of(out.toString().replace(".png", "-replay.png"));
                io.eventlens.app.ui.replay.ReplayViewModel rvm = onFx(vm::newReplayViewModel);
                io.eventlens.app.ui.replay.ReplayDialog dialog = onFx(() -> {
                    rvm.speedProperty().set("2");
                    io.eventlens.app.ui.replay.ReplayDialog d = new io.eventlens.app.ui.replay.ReplayDialog(rvm,
                            w.scene().getWindow());
                    d.show();
                    rvm.preview();
                    return d;
                });
                await("the replay preview lists the sends").atMost(PATIENCE).pollInterval(Duration.ofMillis(100))
                        .until(() -> onFx(() -> !rvm.rows().isEmpty()));
                onFx(() -> {
                    rvm.send();
                    return null;
                });
                await("the replay finishes").atMost(PATIENCE).pollInterval(Duration.ofMillis(100))
                        .until(() -> onFx(() -> !rvm.runningProperty().get() && !rvm.resultProperty().get().isEmpty()
                                && !rvm.resultProperty().get().startsWith("Opening")));
                onFx(() -> {
                    rvm.compare();
                    return null;
                });
                await("the comparison finishes").atMost(PATIENCE).pollInterval(Duration.ofMillis(200))
                        .until(() -> onFx(() -> rvm.comparisonProperty().get() != null || !rvm.errorProperty().get().isEmpty()));
                Scene dialogScene = onFx(() -> dialog.getDialogPane().getScene());
                awaitRenderedPulses(dialogScene, 4);
                write(onFx(() -> dialogScene.snapshot(null)), replayOut);
                System.out.println("wrote " + replayOut + ": " + onFx(() -> rvm.resultProperty().get() + rvm.errorProperty().get()));
                onFx(() -> {
                    dialog.close();
                    return null;
                });
            }
            if (extra.startsWith("connect")) { // connect, connect1 (RabbitMQ), connect2 (Probe)
                Path connectOut = Path.of(out.toString().replace(".png", "-" + extra + ".png"));
                int tab = extra.length() > "connect".length() ? Integer.parseInt(extra.substring("connect".length())) : 0;
                ConnectDialog dialog = onFx(() -> {
                    ConnectDialog d = new ConnectDialog(vm.newConnectViewModel(), w.scene().getWindow());
                    d.show();
                    ((TabPane) d.getDialogPane().lookup("#connectTabs")).getSelectionModel().select(tab);
                    return d;
                });
                Scene dialogScene = onFx(() -> dialog.getDialogPane().getScene());
                awaitRenderedPulses(dialogScene, 4);
                write(onFx(() -> dialogScene.snapshot(null)), connectOut);
                onFx(() -> {
                    dialog.close();
                    return null;
                });
                System.out.println("wrote " + connectOut);
            }
            }
        } catch (Exception | AssertionError e) {
            System.err.println("screenshot failed: " + e);
            try {
                System.err.println("the window showed: " + onFx(() -> vm.flows().countsProperty().get() + "; "
                        + vm.capture().capturedEventsProperty().get() + " events captured; "
                        + vm.deadLetters().summaryProperty().get() + "; status: " + vm.statusProperty().get()));
            } catch (Exception | AssertionError ignored) {
                // the toolkit is gone: nothing more to say
            }
            exit = 1;
        } finally {
            onFx(() -> {
                w.view().dispose();
                vm.dispose();
                return null;
            });
            w.executor().close();
            deleteTree(captures);
            Platform.exit();
        }
        System.exit(exit);
    }

    private record Window(MainViewModel vm, MainView view, Scene scene, FxTaskExecutor executor) {
    }

    /** The {@code timeline10k} shot: a capture with a 10,000-event flow, its timeline, an anomaly selected. */
    private static void shootLongTimeline(Window w, Path captures, Path out) throws Exception {
        MainViewModel vm = w.vm();
        Path file = captures.resolve("bulk-order.mv.db");
        try (io.eventlens.core.store.CaptureStore store = io.eventlens.core.store.CaptureStore.open(file)) {
            java.util.List<io.eventlens.core.model.CapturedEvent> events = new java.util.ArrayList<>(UiTestData.captureWithTroubledFlow());
            events.addAll(UiTestData.longFlow(UiTestData.LONG, 10_000));
            store.append(events, java.util.List.of());
        }
        onFx(() -> {
            vm.openCapture(file);
            return null;
        });
        await("the capture opens").atMost(PATIENCE).pollInterval(Duration.ofMillis(100))
                .until(() -> onFx(() -> vm.storeProperty().get() != null));
        onFx(() -> {
            vm.openTimeline(UiTestData.LONG);
            return null;
        });
        await("the timeline is laid out").atMost(PATIENCE).pollInterval(Duration.ofMillis(100))
                .until(() -> onFx(() -> vm.timeline().entries().size() >= 10_000
                        && !vm.timeline().windowLayoutProperty().get().lanes().isEmpty()));
        String mode = System.getProperty("screenshot.timeline", "fit");
        onFx(() -> {
            var t = vm.timeline();
            if (mode.equals("zoom")) {
                t.zoom(Double.parseDouble(System.getProperty("screenshot.zoom", "6")),
                        Double.parseDouble(System.getProperty("screenshot.anchor", "0.5")));
            } else if (mode.startsWith("anomaly")) {
                int n = mode.length() > 7 ? Integer.parseInt(mode.substring(7)) : 2;
                t.entries().stream().filter(e -> !e.anomalies().isEmpty()).skip(n - 1L).findFirst()
                        .ifPresent(e -> t.selectSeq(e.event().seq()));
            }
            return null;
        });
        await("the window settles").atMost(PATIENCE).pollInterval(Duration.ofMillis(200))
                .until(() -> onFx(() -> !vm.timeline().loadingProperty().get()));
        awaitRenderedPulses(w.scene(), 6);
        write(onFx(() -> w.scene().snapshot(null)), out);
        System.out.println("wrote " + out + " showing " + UiTestData.LONG + " (" + mode + "): "
                + onFx(() -> vm.timeline().windowTextProperty().get()));
    }

    /** Selects the timeline's selected event in the event table too and scrolls it into view (FX thread). */
    private static void selectInTable(Window w) {
        TimelineEntry selected = w.vm().timeline().selectedProperty().get();
        var table = w.view().tableView().table();
        long seq = selected.event().seq();
        for (int i = 0; i < table.getItems().size(); i++) {
            if (table.getItems().get(i).seq() == seq) {
                table.scrollTo(Math.max(0, i - 4));
                table.getSelectionModel().select(i);
                break;
            }
        }
        w.vm().timeline().selectSeq(seq);
    }

    /** Runs {@code work} on the FX thread and waits for its result. */
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

    /**
     * Waits until the scene has laid out and rendered {@code pulses} more pulses (CSS, layout, the
     * timeline canvas repaint and table cells all settle within a couple of pulses).
     */
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
            if (!latch.await(30, TimeUnit.SECONDS)) {
                throw new IllegalStateException("the scene rendered only " + (pulses - latch.getCount())
                        + " of " + pulses + " pulses in 30 s");
            }
        } finally {
            onFx(() -> {
                scene.removePostLayoutPulseListener(listener);
                return null;
            });
        }
    }

    /** Deletes the shot's own temporary captures folder (the capture store is closed by then). */
    private static void deleteTree(Path dir) {
        try (var paths = Files.walk(dir)) {
            paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (java.io.IOException e) {
            System.err.println("could not delete " + dir + ": " + e.getMessage());
        }
    }

    private static void write(Image image, Path out) throws Exception {
        Path parent = out.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        int w = (int) image.getWidth();
        int h = (int) image.getHeight();
        BufferedImage bi = new BufferedImage(w, h, BufferedImage.TYPE_INT_ARGB);
        int[] argb = new int[w * h];
        image.getPixelReader().getPixels(0, 0, w, h, PixelFormat.getIntArgbInstance(), argb, 0, w);
        bi.setRGB(0, 0, w, h, argb, 0, w);
        ImageIO.write(bi, "png", out.toFile());
    }
}
