package io.eventlens.app.ui;

import atlantafx.base.theme.PrimerDark;
import atlantafx.base.theme.PrimerLight;
import io.eventlens.app.ui.services.AppServices;
import io.eventlens.app.ui.services.AppSettings;
import io.eventlens.app.ui.task.FxTaskExecutor;
import io.eventlens.app.ui.services.WindowBounds;
import javafx.application.Application;
import javafx.geometry.Rectangle2D;
import javafx.stage.Screen;
import javafx.scene.Scene;
import javafx.stage.Stage;

import java.nio.file.Path;
import java.util.Objects;

/**
 * The JavaFX desktop app. {@link io.eventlens.app.Main} launches it through {@link #launchApp}. Builds
 * one {@link MainViewModel} (with the core services it was launched with and one {@link FxTaskExecutor}) and its
 * {@link MainView}; applies the AtlantaFX theme (PrimerLight or PrimerDark, remembered) through
 * {@link Application#setUserAgentStylesheet(String)}, and remembers the window size.
 */
public final class EventLensApp extends Application {

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(EventLensApp.class);

    /** The app's stylesheet on top of the AtlantaFX theme. */
    public static final String STYLESHEET = "/io/eventlens/app/ui/eventlens.css";

    private static volatile AppServices services;
    private static volatile boolean startDemo;
    private static volatile Path captureFile;

    private FxTaskExecutor executor;
    private MainViewModel vm;
    private MainView view;

    /** Used by the JavaFX launcher. */
    public EventLensApp() {
    }

    /**
     * Launches the desktop app and blocks until its window closes.
     *
     * @param services    the core services, the demo included (wired by the launcher)
     * @param startDemo   true to start the live demo at once (the "Start demo" action)
     * @param captureFile a capture store to open at start, or {@code null}
     */
    public static void launchApp(AppServices services, boolean startDemo, Path captureFile) {
        EventLensApp.services = Objects.requireNonNull(services, "services");
        EventLensApp.startDemo = startDemo;
        EventLensApp.captureFile = captureFile;
        Application.launch(EventLensApp.class);
    }

    @Override
    public void start(Stage stage) {
        LOG.info("Starting the desktop app: {}", String.join("; ",
                io.eventlens.app.ui.services.VersionInfo.lines(io.eventlens.app.ui.services.UserFolders.user())));
        AppSettings settings = AppSettings.user();
        executor = new FxTaskExecutor();
        vm = new MainViewModel(services, executor, settings, MainViewModel.defaultCapturesDir());
        view = new MainView(vm, executor);
        Rectangle2D primary = Screen.getPrimary().getVisualBounds();
        WindowBounds bounds = WindowPlacement.place(settings.windowBounds(), primary,
                Screen.getScreens().stream().map(Screen::getVisualBounds).toList());
        Scene scene = createScene(view, vm, bounds.width(), bounds.height());
        stage.setScene(scene);
        stage.titleProperty().bind(vm.titleProperty());
        var icon = EventLensApp.class.getResource("/io/eventlens/app/ui/eventlens.png");
        if (icon != null) {
            stage.getIcons().add(new javafx.scene.image.Image(icon.toExternalForm()));
        }
        Rectangle2D home = Screen.getScreensForRectangle(bounds.x(), bounds.y(), bounds.width(), bounds.height())
                .stream().findFirst().orElse(Screen.getPrimary()).getVisualBounds();
        double[] min = WindowPlacement.minimumSize(home);
        stage.setMinWidth(min[0]);
        stage.setMinHeight(min[1]);
        stage.setX(bounds.x());
        stage.setY(bounds.y());
        stage.setMaximized(bounds.maximized());
        stage.setOnCloseRequest(e -> settings.setWindowBounds(stage.isMaximized()
                ? new WindowBounds(bounds.x(), bounds.y(), bounds.width(), bounds.height(), true)
                : new WindowBounds(stage.getX(), stage.getY(), stage.getWidth(), stage.getHeight(), false)));
        reportFirstFrame(scene);
        stage.show();
        settings.problem().ifPresent(p -> vm.reportProblem("Settings file", p));
        if (captureFile != null) {
            vm.openCapture(captureFile);
        }
        if (startDemo) {
            vm.capture().startDemo();
        }
        UiProbe.startIfWanted(vm, captureFile != null);
    }

    /**
     * Logs the time from JVM start to the first frame drawn (README "Start-up"); with
     * {@code -Deventlens.exitAfterFirstFrame=true} the app then exits (how start-up is measured).
     */
    private static void reportFirstFrame(Scene scene) {
        Runnable[] once = new Runnable[1];
        once[0] = () -> {
            scene.removePostLayoutPulseListener(once[0]);
            // the JVM's uptime, in ms (the process start time the OS gives is only as exact as its boot time: 1 s)
            long ms = java.lang.management.ManagementFactory.getRuntimeMXBean().getUptime();
            LOG.info("First frame after {} ms (JVM start to first layout pulse)", ms);
            if (Boolean.getBoolean("eventlens.exitAfterFirstFrame")) {
                javafx.application.Platform.runLater(javafx.application.Platform::exit);
            }
        };
        scene.addPostLayoutPulseListener(once[0]);
    }

    /**
     * The scene of a main view: app stylesheet, keyboard shortcuts, and the theme following
     * {@code vm}'s dark-theme property. Also used by the headless UI tests.
     */
    public static Scene createScene(MainView view, MainViewModel vm, double width, double height) {
        Objects.requireNonNull(view, "view");
        Scene scene = new Scene(view, width, height);
        scene.getStylesheets().add(Objects.requireNonNull(EventLensApp.class.getResource(STYLESHEET),
                "missing stylesheet " + STYLESHEET).toExternalForm());
        view.installShortcuts();
        vm.darkThemeProperty().subscribe(EventLensApp::applyTheme);
        return scene;
    }

    /** Applies PrimerDark or PrimerLight as the user-agent stylesheet. */
    public static void applyTheme(boolean dark) {
        Application.setUserAgentStylesheet(dark ? new PrimerDark().getUserAgentStylesheet()
                : new PrimerLight().getUserAgentStylesheet());
    }

    @Override
    public void stop() {
        if (view != null) {
            view.dispose();
        }
        if (vm != null) {
            vm.settings().flush();
            vm.dispose();
        }
        if (executor != null) {
            executor.close();
        }
    }
}
