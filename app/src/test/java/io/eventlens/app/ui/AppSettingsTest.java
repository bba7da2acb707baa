package io.eventlens.app.ui;

import io.eventlens.app.ui.services.AppSettings;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import java.util.prefs.Preferences;

import static org.assertj.core.api.Assertions.assertThat;

class AppSettingsTest {

    private final Preferences node = Preferences.userRoot().node("io/eventlens/test/" + UUID.randomUUID());
    private final AppSettings settings = new AppSettings(node);

    @AfterEach
    void removeNode() throws Exception {
        node.removeNode();
    }

    @Test
    void remembersThemeServersTopicsAndWindowSize() {
        settings.setDarkTheme(true);
        settings.setBootstrapServers("kafka-1:9092,kafka-2:9092");
        settings.setTopics(List.of("orders", "payments"));
        settings.setWindowSize(1234, 777);

        AppSettings reread = new AppSettings(node);
        assertThat(reread.darkTheme()).isTrue();
        assertThat(reread.bootstrapServers()).isEqualTo("kafka-1:9092,kafka-2:9092");
        assertThat(reread.topics()).containsExactly("orders", "payments");
        assertThat(reread.windowWidth()).isEqualTo(1234);
        assertThat(reread.windowHeight()).isEqualTo(777);
    }

    @Test
    void recentFilesAreMostRecentFirstWithoutDuplicatesAndBounded() {
        for (int i = 0; i < 12; i++) {
            settings.addRecentFile(Path.of("/tmp/c" + i + ".mv.db"));
        }
        settings.addRecentFile(Path.of("/tmp/c5.mv.db"));

        List<Path> recent = settings.recentFiles();
        assertThat(recent).hasSize(AppSettings.MAX_RECENT);
        assertThat(recent.get(0)).isEqualTo(Path.of("/tmp/c5.mv.db"));
        assertThat(recent).doesNotHaveDuplicates();
    }

    @Test
    void defaultsWhenNothingWasStored() {
        assertThat(settings.darkTheme()).isFalse();
        assertThat(settings.bootstrapServers()).isEqualTo("localhost:9092");
        assertThat(settings.topics()).isEmpty();
        assertThat(settings.recentFiles()).isEmpty();
    }
}
