package io.eventlens.app;

import io.eventlens.app.demo.DemoEnvironment;
import io.eventlens.app.ui.services.AppServices;
import java.util.List;

/**
 * Wires the desktop app's services: the core implementations ({@link AppServices#real}) and the
 * live demo ({@link DemoEnvironment}). Lives beside {@link Main}, outside {@code ui}, so that the UI
 * never imports the demo (docs/decisions/0006-capture-pipeline.md, "Layers").
 */
public final class DesktopServices {

    private DesktopServices() {
    }

    /** The core services with the embedded-broker demo. */
    public static AppServices real() {
        return AppServices.real(() -> {
            DemoEnvironment demo = DemoEnvironment.start();
            return new AppServices.Demo() {
                @Override
                public String bootstrapServers() {
                    return demo.bootstrapServers();
                }

                @Override
                public List<String> topics() {
                    return DemoEnvironment.TOPICS;
                }

                @Override
                public java.nio.file.Path contracts() {
                    try {
                        java.nio.file.Path dir = java.nio.file.Files.createTempDirectory("eventlens-demo-contracts");
                        dir.toFile().deleteOnExit();
                        java.nio.file.Path written = io.eventlens.app.demo.DemoContracts.writeTo(dir);
                        for (String f : io.eventlens.app.demo.DemoContracts.FILES) {
                            written.resolve(f).toFile().deleteOnExit();
                        }
                        return written;
                    } catch (java.io.IOException | java.io.UncheckedIOException e) {
                        return null;
                    }
                }

                @Override
                public void close() {
                    demo.close();
                }
            };
        });
    }
}
