package io.eventlens.app.ui;

import io.eventlens.app.ui.services.AppSettings;
import io.eventlens.app.ui.services.Connection;
import io.eventlens.app.ui.services.SecretRef;
import io.eventlens.app.ui.services.WindowBounds;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.prefs.Preferences;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class AppSettingsTest {

    @TempDir
    Path dir;

    private Path file() {
        return dir.resolve("config").resolve("settings.json");
    }

    @Test
    void roundTripsEverythingThroughAVersionedReadableFile() throws IOException {
        AppSettings settings = new AppSettings(file());
        settings.setDarkTheme(true);
        settings.setBootstrapServers("kafka-1:9092,kafka-2:9092");
        settings.setTopics(List.of("orders", "payments"));
        settings.putConnection(new Connection("amqp", "staging", "amqp://rabbit:5672/orders", List.of("orders.q"),
                "svc", SecretRef.ofEnv("RABBIT_PASSWORD")));
        settings.putConnection(new Connection("probe", "ci", "https://probe.example:8443", List.of(), null,
                SecretRef.ofFile(dir.resolve("probe.token"))));
        settings.setWindowBounds(new WindowBounds(10, 20, 1234, 777, false));
        settings.setExportDir(dir.resolve("exports"));
        settings.setExtractionRules(dir.resolve("rules.yaml"));
        settings.setSlo("lag", "2s");
        settings.addRecentFile(dir.resolve("a.mv.db"));
        settings.flush();

        AppSettings reread = new AppSettings(file());
        assertThat(reread.problem()).isEmpty();
        assertThat(reread.darkTheme()).isTrue();
        assertThat(reread.bootstrapServers()).isEqualTo("kafka-1:9092,kafka-2:9092");
        assertThat(reread.topics()).containsExactly("orders", "payments");
        assertThat(reread.connection("amqp", "staging")).get()
                .satisfies(c -> assertThat(c.secret()).isEqualTo(SecretRef.ofEnv("RABBIT_PASSWORD")))
                .satisfies(c -> assertThat(c.channels()).containsExactly("orders.q"));
        assertThat(reread.connection("probe", "ci").orElseThrow().secret().file())
                .isEqualTo(dir.resolve("probe.token").toString());
        assertThat(reread.windowBounds()).contains(new WindowBounds(10, 20, 1234, 777, false));
        assertThat(reread.exportDir()).isEqualTo(dir.resolve("exports"));
        assertThat(reread.extractionRules()).isEqualTo(dir.resolve("rules.yaml"));
        assertThat(reread.slos()).containsEntry("lag", "2s");
        assertThat(reread.recentFiles()).containsExactly(dir.resolve("a.mv.db"));

        String text = Files.readString(file());
        assertThat(text).contains("\"version\" : 1").contains("\"theme\" : \"dark\"").contains("\n  ");
        try (Stream<Path> files = Files.list(file().getParent())) {
            assertThat(files).as("the temporary file was moved over settings.json").containsExactly(file());
        }
    }

    @Test
    void secretsNeverLandInTheSettingsFile() throws IOException {
        String password = "s3cret-" + UUID.randomUUID();
        Path tokenFile = dir.resolve("token.txt");
        String token = "tok-" + UUID.randomUUID();
        Files.writeString(tokenFile, token + "\n");
        AppSettings settings = new AppSettings(file());
        Connection kafka = new Connection("kafka", "prod", "b1:9093", List.of("t"), "alice", SecretRef.ofEnv("EL_PW"));
        Connection probe = new Connection("probe", "p", "https://p", List.of(), null, SecretRef.ofFile(tokenFile));
        settings.putConnection(kafka);
        settings.putConnection(probe);
        settings.flush();

        Map<String, String> env = Map.of("EL_PW", password);
        AppSettings reread = new AppSettings(file());
        assertThat(reread.connection("kafka", "prod").orElseThrow().secret().resolve(env)).isEqualTo(password);
        assertThat(reread.connection("probe", "p").orElseThrow().secret().resolve(env)).isEqualTo(token);
        String text = Files.readString(file());
        assertThat(text).doesNotContain(password).doesNotContain(token).contains("EL_PW").contains("alice");
        assertThat(kafka.toString()).doesNotContain(password);
    }

    @Test
    void anUnsetSecretNamesItsSource() {
        assertThatThrownBy(() -> SecretRef.ofEnv("EL_NOT_SET").resolve(Map.of()))
                .isInstanceOf(IOException.class).hasMessageContaining("EL_NOT_SET");
        assertThatThrownBy(() -> SecretRef.ofFile(dir.resolve("missing")).resolve(Map.of()))
                .isInstanceOf(IOException.class).hasMessageContaining("missing");
        assertThatThrownBy(() -> new SecretRef("A", "/b")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void topicListsOfAnyLengthRoundTrip() {
        List<String> topics = IntStream.range(0, 5000).mapToObj(i -> "topic-with-a-longish-name-" + i).toList();
        AppSettings settings = new AppSettings(file());
        settings.setTopics(topics);
        settings.flush();
        assertThat(new AppSettings(file()).topics()).isEqualTo(topics);
    }

    @Test
    void keepsAtMostEightRecentFilesMostRecentFirst() {
        AppSettings settings = new AppSettings(file());
        for (int i = 0; i < 10; i++) {
            settings.addRecentFile(Path.of("/tmp/c" + i + ".mv.db"));
        }
        settings.addRecentFile(Path.of("/tmp/c5.mv.db"));
        settings.flush();
        List<Path> recent = new AppSettings(file()).recentFiles();
        assertThat(recent).hasSize(AppSettings.MAX_RECENT);
        assertThat(recent.get(0)).isEqualTo(Path.of("/tmp/c5.mv.db"));
        assertThat(recent.get(1)).isEqualTo(Path.of("/tmp/c9.mv.db"));
    }

    @Test
    void defaultsWithoutAFile() {
        AppSettings settings = new AppSettings(file());
        assertThat(settings.problem()).isEmpty();
        assertThat(settings.darkTheme()).isFalse();
        assertThat(settings.bootstrapServers()).isEqualTo("localhost:9092");
        assertThat(settings.topics()).isEmpty();
        assertThat(settings.recentFiles()).isEmpty();
        assertThat(settings.windowBounds()).isEmpty();
        assertThat(Files.exists(file())).as("reading does not write").isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "{ \"version\": 1, \"theme\": \"dark\", ",                 // cut short
        "\u0000\u0001binary garbage",
        "",
        "[1, 2, 3]",
        "{ \"theme\": \"dark\" }",                                 // no version
        "{ \"version\": \"one\", \"theme\": \"dark\" }",
        "{ \"version\": 1, \"connections\": 42 }",                 // wrong type
        "{ \"version\": 1, \"connections\": [ { \"kind\": \"kafka\" } ] }", // connection without a name
        "{ \"version\": 1, \"connections\": [ null ] }",
        "{ \"version\": 1, \"connections\": [ { \"kind\": \"kafka\", \"name\": \"x\", \"secret\": {} } ] }",
        "{ \"version\": 1, \"window\": { \"width\": \"wide\" } }",
    })
    void aDamagedFileIsReportedAndSetAsideNeverACrash(String content) throws IOException {
        Files.createDirectories(file().getParent());
        Files.writeString(file(), content, StandardCharsets.UTF_8);

        AppSettings settings = new AppSettings(file());

        assertThat(settings.problem()).get().asString().contains(file().toString()).contains("damaged").contains("set aside");
        assertThat(settings.darkTheme()).isFalse();
        assertThat(Files.exists(file())).isFalse();
        try (Stream<Path> files = Files.list(file().getParent())) {
            List<Path> aside = files.toList();
            assertThat(aside).hasSize(1);
            assertThat(aside.get(0).getFileName().toString()).startsWith("settings.json.damaged-");
            assertThat(Files.readString(aside.get(0), StandardCharsets.UTF_8)).as("kept as it was").isEqualTo(content);
        }
        settings.setDarkTheme(true);
        settings.flush();
        assertThat(new AppSettings(file()).darkTheme()).as("a fresh file is written").isTrue();
    }

    @Test
    void aFileFromANewerVersionIsReadButNeverWrittenOver() throws IOException {
        Files.createDirectories(file().getParent());
        String newer = "{ \"version\": 7, \"theme\": \"dark\", \"somethingNew\": { \"a\": 1 } }";
        Files.writeString(file(), newer);

        AppSettings settings = new AppSettings(file());
        assertThat(settings.darkTheme()).isTrue();
        assertThat(settings.problem()).get().asString().contains("newer");
        settings.setDarkTheme(false);
        settings.flush();
        assertThat(Files.readString(file())).isEqualTo(newer);
    }

    @Test
    void carriesOverTheJavaPreferencesOfAnOlderVersionOnce() throws Exception {
        String path = "io/eventlens/test/" + UUID.randomUUID();
        Preferences node = Preferences.userRoot().node(path);
        try {
            node.putBoolean("theme.dark", true);
            node.put("kafka.bootstrap", "old:9092");
            node.put("kafka.topics", "a\nb");
            node.put("files.recent", "/tmp/new.mv.db\n/tmp/old.mv.db");
            node.flush();
            AppSettings settings = new AppSettings(file());
            invokeMigrate(settings, path);
            AppSettings reread = new AppSettings(file());
            assertThat(reread.darkTheme()).isTrue();
            assertThat(reread.bootstrapServers()).isEqualTo("old:9092");
            assertThat(reread.topics()).containsExactly("a", "b");
            assertThat(reread.recentFiles()).containsExactly(Path.of("/tmp/new.mv.db"), Path.of("/tmp/old.mv.db"));
        } finally {
            node.removeNode();
        }
    }

    private static void invokeMigrate(AppSettings settings, String path) throws Exception {
        var m = AppSettings.class.getDeclaredMethod("migrateFrom", Preferences.class, String.class);
        m.setAccessible(true);
        m.invoke(settings, Preferences.userRoot(), path);
    }
}
