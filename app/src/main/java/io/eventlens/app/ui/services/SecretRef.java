package io.eventlens.app.ui.services;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Where a secret (a SASL or TLS password, a probe token) comes from: an environment variable or a
 * file the user names. The settings file holds only this reference, never the secret itself
 * (README "Files and settings"). Exactly one of {@code env} and {@code file} is set.
 *
 * @param env  the name of an environment variable holding the secret, or {@code null}
 * @param file the path of a file whose first line is the secret, or {@code null}
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record SecretRef(String env, String file) {

    /** Exactly one source. */
    public SecretRef {
        if ((env == null || env.isBlank()) == (file == null || file.isBlank())) {
            throw new IllegalArgumentException("a secret comes from exactly one of an environment variable or a file");
        }
    }

    /** The secret held by environment variable {@code name}. */
    public static SecretRef ofEnv(String name) {
        return new SecretRef(name, null);
    }

    /** The secret on the first line of {@code file}. */
    public static SecretRef ofFile(Path file) {
        return new SecretRef(null, file.toAbsolutePath().toString());
    }

    /**
     * Reads the secret now.
     *
     * @param environment the process environment ({@code System.getenv()})
     * @return the secret, without a trailing line break
     * @throws IOException naming the variable or file when it is unset, missing or unreadable
     */
    public String resolve(Map<String, String> environment) throws IOException {
        if (env != null) {
            String v = environment.get(env);
            if (v == null) {
                throw new IOException("environment variable " + env + " (named for a secret in the settings) is not set");
            }
            return v;
        }
        Path p = Path.of(file);
        try {
            String text = Files.readString(p, StandardCharsets.UTF_8);
            int nl = text.indexOf('\n');
            return (nl < 0 ? text : text.substring(0, nl)).stripTrailing();
        } catch (IOException e) {
            throw new IOException("cannot read the secret file " + p + " (named in the settings): " + e.getMessage(), e);
        }
    }

    /** Where the secret comes from, for the connect dialog ("env KAFKA_PASSWORD", "file /path"), never the secret. */
    @Override
    public String toString() {
        return env != null ? "env " + env : "file " + file;
    }
}
