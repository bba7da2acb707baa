package io.eventlens.app.ui.services;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

/**
 * The versions Help → About shows and the error dialog's "Copy details" adds: EventLens, Java,
 * JavaFX and the broker clients, and where the settings, data and logs are.
 */
public final class VersionInfo {

    private VersionInfo() {
    }

    /** EventLens's version ({@code eventlens-version.properties}), or "development build". */
    public static String eventLens() {
        Properties p = new Properties();
        try (InputStream in = VersionInfo.class.getResourceAsStream("/eventlens-version.properties")) {
            if (in != null) {
                p.load(in);
            }
        } catch (IOException e) {
            // fall through
        }
        String v = p.getProperty("version", "unknown");
        return v.startsWith("${") ? "development build" : v;
    }

    /** One "name: version" line each: EventLens, Java, JavaFX, Kafka clients, H2, then the folders. */
    public static List<String> lines(UserFolders folders) {
        List<String> lines = new ArrayList<>();
        lines.add("EventLens " + eventLens());
        lines.add("Java " + Runtime.version() + " (" + System.getProperty("java.vendor", "?") + ", "
                + System.getProperty("java.home", "?") + ")");
        lines.add("JavaFX " + System.getProperty("javafx.runtime.version", "?"));
        lines.add("Kafka clients " + guarded(() -> org.apache.kafka.common.utils.AppInfoParser.getVersion()));
        lines.add("AMQP client " + guarded(() -> implementationVersion("com.rabbitmq.client.ConnectionFactory")));
        lines.add("H2 " + guarded(() -> org.h2.engine.Constants.FULL_VERSION));
        lines.add("OS " + System.getProperty("os.name") + " " + System.getProperty("os.version") + " ("
                + System.getProperty("os.arch") + ")");
        lines.add("Settings " + folders.settingsFile());
        lines.add("Captures " + folders.captures());
        lines.add("Logs " + folders.logs());
        return lines;
    }

    private static String implementationVersion(String className) throws ClassNotFoundException {
        Package p = Class.forName(className, false, VersionInfo.class.getClassLoader()).getPackage();
        String v = p == null ? null : p.getImplementationVersion();
        return v == null ? "(version unknown)" : v;
    }

    private interface Version {
        String get() throws Exception;
    }

    private static String guarded(Version v) {
        try {
            return v.get();
        } catch (Exception | LinkageError e) {
            return "(not present)";
        }
    }
}
