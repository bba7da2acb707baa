package io.eventlens.app.ui;

import io.eventlens.app.ui.task.FxTaskExecutor;
import io.eventlens.core.analysis.Timeline;
import io.eventlens.core.analysis.TimelineEntry;
import io.eventlens.core.layout.AnomalySeverity;
import io.eventlens.core.store.CaptureStore;
import javafx.application.Platform;
import javafx.scene.Scene;
import javafx.stage.Stage;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.prefs.Preferences;

/**
 * Developer tool (not a test): opens the real app window on the live demo, waits until the saga has
 * injected its faults, opens the timeline with the most anomaly kinds and writes a PNG of the window.
 * Usage: {@code ScreenshotTool OUT.png [seconds] [dark]} with a display (Xvfb) set.
 */
public final class ScreenshotTool {

    private ScreenshotTool() {
    }

    public static void main(String[] args) throws Exception {
        Path out = Path.of(args.length > 0 ? args[0] : "docs/screenshot.png");
        long seconds = args.length > 1 ? Long.parseLong(args[1]) : 40;
        boolean dark = args.length > 2 && args[2].equals("dark");
        Preferences node = Preferences.userRoot().node("io/eventlens/screenshot/" + UUID.randomUUID());
        CompletableFuture<Object[]> ready = new CompletableFuture<>();
        Platform.startup(() -> {
            FxTaskExecutor executor = new FxTaskExecutor();
            MainViewModel vm = new MainViewModel(AppServices.real(), executor, new AppSettings(node),
                    Files.exists(Path.of("/tmp")) ? Path.of("/tmp/eventlens-shot-" + UUID.randomUUID()) : Path.of("."));
            vm.darkThemeProperty().set(dark);
            MainView view = new MainView(vm, executor);
            Stage stage = new Stage();
            Scene scene = EventLensApp.createScene(view, vm, 1480, 920);
            stage.setScene(scene);
            stage.titleProperty().bind(vm.titleProperty());
            stage.show();
            vm.capture().startDemo();
            ready.complete(new Object[] {vm, scene, view});
        });
        Object[] r = ready.get();
        MainViewModel vm = (MainViewModel) r[0];
        Scene scene = (Scene) r[1];
        Thread.sleep(seconds * 1000);
        CompletableFuture<String> chosen = new CompletableFuture<>();
        Platform.runLater(() -> {
            CaptureStore store = vm.storeProperty().get();
            List<String> ids = store.correlationIds("", 2000);
            String best = ids.stream().max(Comparator.comparingInt((String id) -> score(vm, store, id))).orElseThrow();
            chosen.complete(best);
        });
        String id = chosen.get();
        if (args.length > 3 && args[3].equals("connect")) {
            CompletableFuture<Void> dialogShot = new CompletableFuture<>();
            Platform.runLater(() -> {
                var dialog = new io.eventlens.app.ui.capture.ConnectDialog(vm.newConnectViewModel(), scene.getWindow());
                dialog.show();
                javafx.animation.PauseTransition p = new javafx.animation.PauseTransition(javafx.util.Duration.seconds(2));
                p.setOnFinished(e -> {
                    try {
                        write(dialog.getDialogPane().getScene().snapshot(null), Path.of(out.toString().replace(".png", "-connect.png")));
                        dialog.close();
                        dialogShot.complete(null);
                    } catch (Exception ex) {
                        dialogShot.completeExceptionally(ex);
                    }
                });
                p.play();
            });
            dialogShot.get();
        }
        MainView view = (MainView) r[2];
        Platform.runLater(() -> vm.openTimeline(id));
        Thread.sleep(3000);
        Platform.runLater(() -> {
            var selected = vm.timeline().selectedProperty().get();
            if (selected != null) {
                view.tableView().table().scrollTo((int) Math.max(0, selected.event().seq() - 5));
                view.tableView().table().getSelectionModel().select((int) selected.event().seq() - 1);
                vm.timeline().selectSeq(selected.event().seq());
            }
        });
        if (args.length > 3 && args[3].startsWith("tab")) {
            int tab = Integer.parseInt(args[3].substring(3));
            Platform.runLater(() -> ((javafx.scene.control.TabPane) scene.lookup("#detailsTabs"))
                    .getSelectionModel().select(tab));
        }
        Thread.sleep(1500);
        CompletableFuture<Void> shot = new CompletableFuture<>();
        Platform.runLater(() -> {
            try {
                write(scene.snapshot(null), out);
                shot.complete(null);
            } catch (Exception e) {
                shot.completeExceptionally(e);
            }
        });
        shot.get();
        System.out.println("wrote " + out + " showing " + id);
        Platform.runLater(() -> {
            vm.dispose();
            Platform.exit();
        });
        Thread.sleep(2000);
        System.exit(0);
    }

    private static void write(javafx.scene.image.Image image, Path out) throws Exception {
        Files.createDirectories(out.toAbsolutePath().getParent());
        int w = (int) image.getWidth();
        int h = (int) image.getHeight();
        java.awt.image.BufferedImage bi = new java.awt.image.BufferedImage(w, h, java.awt.image.BufferedImage.TYPE_INT_ARGB);
        int[] argb = new int[w * h];
        image.getPixelReader().getPixels(0, 0, w, h, javafx.scene.image.PixelFormat.getIntArgbInstance(), argb, 0, w);
        bi.setRGB(0, 0, w, h, argb, 0, w);
        javax.imageio.ImageIO.write(bi, "png", out.toFile());
    }

    private static int score(MainViewModel vm, CaptureStore store, String id) {
        Timeline t = AppServices.real().analyzer().analyze(id, store.findByCorrelationId(id));
        List<io.eventlens.core.analysis.AnomalyKind> kinds = t.entries().stream()
                .flatMap((TimelineEntry e) -> e.anomalies().stream()).map(a -> a.kind()).distinct().toList();
        int severe = kinds.stream().mapToInt(k -> 10 - AnomalySeverity.ORDER.indexOf(k)).max().orElse(0);
        return kinds.size() * 100 + severe * 5 + t.entries().size() * 15;
    }
}
