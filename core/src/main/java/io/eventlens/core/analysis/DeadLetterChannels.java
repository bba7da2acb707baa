package io.eventlens.core.analysis;

import io.eventlens.core.extract.HeaderValues;
import io.eventlens.core.model.Header;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Dead-letter and retry conventions (docs/reference/anomalies-and-verdicts.md, "Dead-letter
 * channels"; docs/reference/extraction-rules.md, "Dead-letter and retry headers"): which channel names are dead-letter or retry channels, and what dead-letter and retry
 * headers say. Stateless; every method is total (bad header bytes give {@code null}, never an
 * exception).
 *
 * <p>Channel names, compared case-insensitively:
 * <ul>
 * <li>dead-letter: ending in {@code .DLT} (Spring {@code DeadLetterPublishingRecoverer}),
 *     {@code -dlt} (Spring {@code @RetryableTopic}), {@code .dlq}, {@code -dlq}, {@code _dlq},
 *     {@code _dlt}, or containing {@code dead-letter}, {@code dead_letter} or {@code deadletter};</li>
 * <li>retry: ending in {@code -retry}, {@code .retry} or {@code _retry}, optionally followed by
 *     {@code -N} (Spring {@code @RetryableTopic}'s {@code orders-retry-0}, {@code orders-retry-5000}).</li>
 * </ul>
 */
public final class DeadLetterChannels {

    private static final Pattern DEAD_LETTER_SUFFIX = Pattern.compile("(?i)^(.+?)[._-](dlt|dlq)$");
    private static final Pattern DEAD_LETTER_WORD = Pattern.compile("(?i).*dead[-_]?letter.*");
    private static final Pattern RETRY_SUFFIX = Pattern.compile("(?i)^(.+?)[._-]retry([._-]\\d+)?$");
    private static final Pattern X_DEATH_COUNT = Pattern.compile("(?i)\"?count\"?\\s*[=:]\\s*(\\d{1,9})");

    private static final Pattern EXCEPTION_CLASS = Pattern.compile("\\s*([A-Za-z_$][\\w$]*(?:\\.[A-Za-z_$][\\w$]*)+)(?::|\\s|$)");
    private static final ObjectMapper JSON = new ObjectMapper();
    /** The largest {@code x-death} value parsed (bytes). */
    static final int X_DEATH_MAX_BYTES = 1 << 20;

    private DeadLetterChannels() {
    }

    /** True when the channel name follows a dead-letter naming convention (see the class comment). */
    public static boolean isDeadLetter(String channelName) {
        return channelName != null
                && (DEAD_LETTER_SUFFIX.matcher(channelName).matches() || DEAD_LETTER_WORD.matcher(channelName).matches());
    }

    /** True when the channel name follows a retry-channel naming convention (see the class comment). */
    public static boolean isRetry(String channelName) {
        return channelName != null && RETRY_SUFFIX.matcher(channelName).matches();
    }

    /**
     * The channel a dead-letter or retry channel's name points back at ({@code orders.DLT} →
     * {@code orders}, {@code orders-retry-1000} → {@code orders}), or {@code null} when the name does
     * not say (for example {@code dead-letter-queue}).
     */
    public static String originalChannelOf(String channelName) {
        if (channelName == null) {
            return null;
        }
        Matcher m = DEAD_LETTER_SUFFIX.matcher(channelName);
        if (m.matches()) {
            return m.group(1);
        }
        m = RETRY_SUFFIX.matcher(channelName);
        return m.matches() ? m.group(1) : null;
    }

    /**
     * True when the headers mark a dead-lettered message: any Spring {@code kafka_dlt-*} header,
     * Spring {@code kafka_original-*} together with {@code kafka_exception-*}, any Kafka Connect
     * {@code __connect.errors.*} header, or RabbitMQ {@code x-death} / {@code x-first-death-*}.
     * (Spring's {@code @RetryableTopic} also writes {@code kafka_original-*} and
     * {@code kafka_exception-*} on retry-topic copies; callers tell those apart by {@link #isRetry}.)
     */
    public static boolean hasDeadLetterHeaders(List<Header> headers) {
        return headerConvention(headers) != null;
    }

    private static DeadLetterInfo.Convention headerConvention(List<Header> headers) {
        if (headers == null) {
            return null;
        }
        boolean original = false;
        boolean exception = false;
        boolean spring = false;
        for (Header h : headers) {
            String n = h.name();
            char c = n.isEmpty() ? ' ' : Character.toLowerCase(n.charAt(0));
            if (c != 'k' && c != '_' && c != 'x') {
                continue;   // no convention's header starts otherwise; spares the lower-casing
            }
            // compared as its lower case (Locale.ROOT), without making it
            if (lowerStartsWith(n, "kafka_dlt-")) {
                return DeadLetterInfo.Convention.SPRING_DLT;
            }
            if (lowerStartsWith(n, "__connect.errors.")) {
                return DeadLetterInfo.Convention.KAFKA_CONNECT;
            }
            if (lowerEquals(n, "x-death") || lowerStartsWith(n, "x-first-death-") || lowerStartsWith(n, "x-last-death-")) {
                return DeadLetterInfo.Convention.RABBITMQ;
            }
            if (lowerEquals(n, "x-exception-message") || lowerEquals(n, "x-exception-stacktrace")
                    || lowerEquals(n, "x-original-exchange")) {
                spring = true;
            }
            original |= lowerStartsWith(n, "kafka_original-");
            exception |= lowerStartsWith(n, "kafka_exception-");
        }
        if (original && exception) {
            return DeadLetterInfo.Convention.SPRING_RETRY_TOPIC;
        }
        return spring ? DeadLetterInfo.Convention.SPRING_AMQP : null;
    }

    /**
     * The number of deliveries the headers report, the largest of Spring's {@code kafka_deliveryAttempt}
     * (4-byte big-endian int), Spring's {@code retry_topic-attempts} (4-byte or, in old versions,
     * 1-byte big-endian int, or decimal text) and the {@code count} of RabbitMQ's most recent
     * {@code x-death} entry; {@code null} when none is present.
     */
    public static Integer deliveryAttempts(List<Header> headers) {
        Long best = null;
        if (headers == null) {
            return null;
        }
        for (Header h : headers) {
            String n = h.name();
            char c = n.isEmpty() ? ' ' : Character.toLowerCase(n.charAt(0));
            if (c != 'k' && c != 'r' && c != 'x') {
                continue;   // none of the names below starts otherwise
            }
            // compared as its lower case (Locale.ROOT), without making it
            Long v = lowerEquals(n, "kafka_deliveryattempt") || lowerEquals(n, "retry_topic-attempts")
                    ? HeaderValues.integer(h.value())
                    : lowerEquals(n, "x-death") ? xDeathCount(h.value()) : null;
            if (v != null && v > 0 && v <= Integer.MAX_VALUE && (best == null || v > best)) {
                best = v;
            }
        }
        return best == null ? null : best.intValue();
    }

    /**
     * The count of the first (most recent) table of an {@code x-death} header rendered as text
     * as a JSON array (the AMQP source's encoding), else found in its text
     * ({@code [{count=2, reason=rejected, ...}]}).
     */
    private static Long xDeathCount(byte[] value) {
        JsonNode first = xDeathEntries(value).stream().findFirst().orElse(null);
        if (first != null) {
            JsonNode c = first.path("count");
            return c.canConvertToLong() ? c.asLong() : null;
        }
        String text = HeaderValues.text(value);
        if (text == null) {
            return null;
        }
        Matcher m = X_DEATH_COUNT.matcher(text);
        return m.find() ? Long.parseLong(m.group(1)) : null;
    }

    /**
     * The tables of an {@code x-death} header encoded as a JSON array (docs/reference/extraction-rules.md,
     * "AMQP messages"), most recent first; empty when the value is not such an array. Bounded: at
     * most {@link #X_DEATH_MAX_BYTES} bytes are parsed.
     */
    private static List<JsonNode> xDeathEntries(byte[] value) {
        if (value == null || value.length == 0 || value.length > X_DEATH_MAX_BYTES || value[0] != '[') {
            return List.of();
        }
        try {
            JsonNode array = JSON.readTree(value);
            if (array == null || !array.isArray()) {
                return List.of();
            }
            List<JsonNode> out = new ArrayList<>();
            for (JsonNode e : array) {
                if (e.isObject()) {
                    out.add(e);
                }
            }
            return out;
        } catch (java.io.IOException | RuntimeException e) {
            return List.of();
        }
    }

    private static String xText(JsonNode entry, String field) {
        JsonNode v = entry == null ? null : entry.get(field);
        return v == null || !v.isValueNode() || v.isNull() ? null : v.asText();
    }

    /**
     * Decodes what a dead-letter or retry copy says about itself.
     *
     * @param channelName the channel the copy was observed on
     * @param headers     its headers
     * @return the decoded information; its convention is {@link DeadLetterInfo.Convention#CHANNEL_NAME}
     *         when no dead-letter headers are present (the original channel then comes from the name)
     */
    public static DeadLetterInfo inspect(String channelName, List<Header> headers) {
        DeadLetterInfo.Convention convention = headerConvention(headers);
        Integer attempts = deliveryAttempts(headers);
        if (convention == null) {
            return new DeadLetterInfo(DeadLetterInfo.Convention.CHANNEL_NAME, originalChannelOf(channelName),
                    null, null, null, null, attempts);
        }
        return switch (convention) {
            case SPRING_DLT -> new DeadLetterInfo(convention,
                    firstText(headers, "kafka_dlt-original-topic", "kafka_original-topic"),
                    intHeader(headers, "kafka_dlt-original-partition", "kafka_original-partition"),
                    longHeader(headers, "kafka_dlt-original-offset", "kafka_original-offset"),
                    firstText(headers, "kafka_dlt-exception-fqcn", "kafka_dlt-key-exception-fqcn"),
                    firstText(headers, "kafka_dlt-exception-message", "kafka_dlt-key-exception-message"),
                    attempts);
            case SPRING_RETRY_TOPIC -> new DeadLetterInfo(convention,
                    firstText(headers, "kafka_original-topic"),
                    intHeader(headers, "kafka_original-partition"),
                    longHeader(headers, "kafka_original-offset"),
                    firstText(headers, "kafka_exception-fqcn"),
                    firstText(headers, "kafka_exception-message"),
                    attempts);
            case KAFKA_CONNECT -> new DeadLetterInfo(convention,
                    firstText(headers, "__connect.errors.topic"),
                    intHeader(headers, "__connect.errors.partition"),
                    longHeader(headers, "__connect.errors.offset"),
                    firstText(headers, "__connect.errors.exception.class.name"),
                    firstText(headers, "__connect.errors.exception.message"),
                    attempts);
            case RABBITMQ -> rabbitmq(headers, attempts);
            case SPRING_AMQP -> springAmqp(headers, attempts);
            case CHANNEL_NAME -> throw new IllegalStateException("not a header convention");
        };
    }

    /**
     * RabbitMQ: the most recent {@code x-death} table gives the reason, exchange, routing keys and
     * time; the original queue is {@code x-first-death-queue} (where the message was first
     * dead-lettered), else the oldest table's queue; {@code x-last-death-*} and {@code x-first-death-*}
     * stand in where {@code x-death} is missing. Spring AMQP's exception headers are read too.
     */
    private static DeadLetterInfo rabbitmq(List<Header> headers, Integer attempts) {
        Header death = first(headers, "x-death");
        List<JsonNode> entries = death == null ? List.of() : xDeathEntries(death.value());
        JsonNode latest = entries.isEmpty() ? null : entries.get(0);
        JsonNode oldest = entries.isEmpty() ? null : entries.get(entries.size() - 1);
        String queue = firstText(headers, "x-first-death-queue");
        if (queue == null) {
            queue = xText(oldest, "queue");
        }
        if (queue == null) {
            queue = firstText(headers, "x-last-death-queue");
        }
        String reason = firstText(headers, "x-last-death-reason");
        if (reason == null) {
            reason = xText(latest, "reason");
        }
        if (reason == null) {
            reason = firstText(headers, "x-first-death-reason");
        }
        String exchange = xText(oldest, "exchange");
        if (exchange == null) {
            Header h = first(headers, "x-first-death-exchange");
            exchange = h == null ? null : HeaderValues.text(h.value());
        }
        List<String> keys = new ArrayList<>();
        JsonNode rk = oldest == null ? null : oldest.get("routing-keys");
        if (rk != null && rk.isArray()) {
            rk.forEach(k -> keys.add(k.asText()));
        }
        Instant time = null;
        String t = xText(latest, "time");
        if (t != null) {
            try {
                time = Instant.parse(t);
            } catch (java.time.format.DateTimeParseException e) {
                time = null;
            }
        }
        String message = firstText(headers, "x-exception-message");
        String stack = firstText(headers, "x-exception-stacktrace");
        String exceptionClass = exceptionClassOf(stack);
        if (message != null && reason != null) {
            reason = reason + ": " + message;
        } else if (message != null) {
            reason = message;
        }
        return new DeadLetterInfo(DeadLetterInfo.Convention.RABBITMQ, queue, null, null, exceptionClass, reason, attempts,
                exchange, keys, time, stack);
    }

    /** Spring AMQP's {@code RepublishMessageRecoverer} headers, without RabbitMQ's own dead-lettering. */
    private static DeadLetterInfo springAmqp(List<Header> headers, Integer attempts) {
        String stack = firstText(headers, "x-exception-stacktrace");
        Header ex = first(headers, "x-original-exchange");
        String exchange = ex == null ? null : HeaderValues.text(ex.value());
        String key = firstText(headers, "x-original-routingKey");
        return new DeadLetterInfo(DeadLetterInfo.Convention.SPRING_AMQP,
                exchange == null || exchange.isEmpty() ? key : exchange, null, null, exceptionClassOf(stack),
                firstText(headers, "x-exception-message"), attempts, exchange, key == null ? List.of() : List.of(key),
                null, stack);
    }

    /** The exception class at the start of a Java stack trace ({@code com.x.FooException: message}), or null. */
    static String exceptionClassOf(String stacktrace) {
        if (stacktrace == null) {
            return null;
        }
        Matcher m = EXCEPTION_CLASS.matcher(stacktrace);
        return m.lookingAt() ? m.group(1) : null;
    }

    /**
     * {@code name.toLowerCase(Locale.ROOT).equals(lower)} for a lower-case ASCII {@code lower},
     * without making the lower-case copy unless {@code name} has a non-ASCII char that decides.
     */
    static boolean lowerEquals(String name, String lower) {
        return lowerMatch(name, lower, true);
    }

    /**
     * {@code name.toLowerCase(Locale.ROOT).startsWith(lower)} for a lower-case ASCII {@code lower},
     * without making the lower-case copy unless {@code name} has a non-ASCII char that decides.
     */
    static boolean lowerStartsWith(String name, String lower) {
        return lowerMatch(name, lower, false);
    }

    private static boolean lowerMatch(String name, String lower, boolean whole) {
        int n = Math.min(name.length(), lower.length());
        for (int i = 0; i < n; i++) {
            char c = name.charAt(i);
            if (c >= 0x80) {
                // the lower case of a non-ASCII char may be ASCII ('\u212A' Kelvin sign) or longer
                // ('\u0130'): as toLowerCase does it
                String l = name.toLowerCase(Locale.ROOT);
                return whole ? l.equals(lower) : l.startsWith(lower);
            }
            if (c >= 'A' && c <= 'Z') {
                c = (char) (c + ('a' - 'A'));
            }
            if (c != lower.charAt(i)) {
                return false;   // the chars before were ASCII: the lower-case copy differs here too
            }
        }
        if (name.length() == lower.length()) {
            return true;
        }
        if (name.length() < lower.length()) {
            return false;   // all ASCII and shorter
        }
        if (!whole) {
            return true;
        }
        for (int i = n; i < name.length(); i++) {
            if (name.charAt(i) >= 0x80) {
                return name.toLowerCase(Locale.ROOT).equals(lower);
            }
        }
        return false;
    }

    private static Header first(List<Header> headers, String name) {
        for (Header h : headers) {
            if (h.name().equalsIgnoreCase(name)) {
                return h;
            }
        }
        return null;
    }

    private static String firstText(List<Header> headers, String... names) {
        for (String name : names) {
            Header h = first(headers, name);
            String text = h == null ? null : HeaderValues.text(h.value());
            if (text != null && !text.isBlank()) {
                return text;
            }
        }
        return null;
    }

    private static Long longHeader(List<Header> headers, String... names) {
        for (String name : names) {
            Header h = first(headers, name);
            Long v = h == null ? null : HeaderValues.integer(h.value());
            if (v != null) {
                return v;
            }
        }
        return null;
    }

    private static Integer intHeader(List<Header> headers, String... names) {
        Long v = longHeader(headers, names);
        return v == null || v < Integer.MIN_VALUE || v > Integer.MAX_VALUE ? null : v.intValue();
    }
}
