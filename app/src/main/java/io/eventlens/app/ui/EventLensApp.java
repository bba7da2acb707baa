package io.eventlens.app.ui;

import atlantafx.base.theme.PrimerDark;
import atlantafx.base.theme.PrimerLight;
import io.eventlens.app.ui.services.AppServices;
import io.eventlens.app.ui.services.AppSettings;
import io.eventlens.app.ui.task.FxTaskExecutor;
import javafx.application.Application;
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
        AppSettings settings = AppSettings.user();
        executor = new FxTaskExecutor();
        vm = new MainViewModel(services, executor, settings, MainViewModel.defaultCapturesDir());
        view = new MainView(vm, executor);
        Scene scene = createScene(view, vm, settings.windowWidth(), settings.windowHeight());
        stage.setScene(scene);
        stage.titleProperty().bind(vm.titleProperty());
        stage.setMinWidth(960);
        stage.setMinHeight(640);
        stage.setOnCloseRequest(e -> settings.setWindowSize(stage.getWidth(), stage.getHeight()));
        stage.show();
        if (captureFile != null) {
            vm.openCapture(captureFile);
        }
        if (startDemo) {
            vm.capture().startDemo();
        }
        UiProbe.startIfWanted(vm, captureFile != null);
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
