package io.eventlens.app.ui;

import io.eventlens.app.ui.services.UserFolders;
import io.eventlens.app.ui.services.VersionInfo;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Help → About and "Copy details" name the versions and the folders. */
class VersionInfoTest {

    @Test
    void namesEventLensJavaJavaFxTheClientsAndTheFolders() {
        UserFolders folders = UserFolders.of("Linux", Map.of(), Path.of("/home/u"));
        List<String> lines = VersionInfo.lines(folders);
        assertThat(lines).anyMatch(l -> l.startsWith("EventLens "))
                .anyMatch(l -> l.startsWith("Java " + Runtime.version()))
                .anyMatch(l -> l.startsWith("JavaFX "))
                .anyMatch(l -> l.matches("Kafka clients \\d+\\.\\d+\\.\\d+.*"))
                .anyMatch(l -> l.matches("H2 \\d+\\.\\d+.*"))
                .contains("Settings /home/u/.config/eventlens/settings.json")
                .contains("Logs /home/u/.local/share/eventlens/logs");
    }

    @Test
    void userFoldersFollowXdgAndIgnoreRelativeValues() {
        assertThat(UserFolders.of("Linux", Map.of("XDG_CONFIG_HOME", "/x/c", "XDG_DATA_HOME", "/x/d"), Path.of("/h")))
                .isEqualTo(new UserFolders(Path.of("/x/c/eventlens"), Path.of("/x/d/eventlens")));
        assertThat(UserFolders.of("Linux", Map.of("XDG_CONFIG_HOME", "relative"), Path.of("/h")).config())
                .isEqualTo(Path.of("/h/.config/eventlens"));
        assertThat(UserFolders.of("Linux", Map.of(), Path.of("/h")).captures())
                .isEqualTo(Path.of("/h/.local/share/eventlens/captures"));
        assertThat(UserFolders.of("Mac OS X", Map.of(), Path.of("/Users/u")).config())
                .isEqualTo(Path.of("/Users/u/Library/Application Support/EventLens"));
    }

    @Test
    void theCacheFolderFollowsXdgToo() {
        assertThat(UserFolders.cache("Linux", Map.of("XDG_CACHE_HOME", "/x/cache"), Path.of("/h")))
                .isEqualTo(Path.of("/x/cache/eventlens"));
        assertThat(UserFolders.cache("Linux", Map.of("XDG_CACHE_HOME", "relative"), Path.of("/h")))
                .isEqualTo(Path.of("/h/.cache/eventlens"));
        assertThat(UserFolders.cache("Mac OS X", Map.of(), Path.of("/Users/u")))
                .isEqualTo(Path.of("/Users/u/Library/Caches/EventLens"));
    }
}
