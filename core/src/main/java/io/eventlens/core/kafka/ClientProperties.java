package io.eventlens.core.kafka;

import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.common.config.ConfigDef;

/**
 * Kafka client properties as they may appear in {@code toString()} and logs: a value is shown only
 * for a property the Kafka consumer or admin client defines with a type other than
 * {@link ConfigDef.Type#PASSWORD} and whose name does not look like a secret; every other value
 * (passwords, {@code sasl.jaas.config}, keys, tokens, and any property Kafka does not know, such as
 * a schema registry's {@code basic.auth.user.info}) is shown as {@value #HIDDEN}.
 */
public final class ClientProperties {

    /** What a hidden value prints as. */
    public static final String HIDDEN = "[hidden]";

    private static final Map<String, ConfigDef.ConfigKey> CONSUMER = ConsumerConfig.configDef().configKeys();
    private static final Map<String, ConfigDef.ConfigKey> ADMIN = AdminClientConfig.configDef().configKeys();
    private static final String[] SECRET_WORDS = {"password", "secret", "jaas", "token", "credential", "private",
        "keystore.key", "auth.user.info", "apikey", "api.key"};

    private ClientProperties() {
    }

    /** True when the value of property {@code name} may be printed. */
    public static boolean isShown(String name) {
        if (name == null) {
            return false;
        }
        String lower = name.toLowerCase(Locale.ROOT);
        for (String word : SECRET_WORDS) {
            if (lower.contains(word)) {
                return false;
            }
        }
        ConfigDef.ConfigKey key = CONSUMER.getOrDefault(name, ADMIN.get(name));
        return key != null && key.type != ConfigDef.Type.PASSWORD;
    }

    /** {@code properties} sorted by name, with every value {@link #isShown not shown} replaced by {@value #HIDDEN}. */
    public static String redacted(Map<String, String> properties) {
        Map<String, String> out = new TreeMap<>();
        properties.forEach((k, v) -> out.put(k, isShown(k) ? v : HIDDEN));
        return out.toString();
    }
}
