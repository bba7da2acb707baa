package io.eventlens.core.format;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parses durations as the CLI and the app take them (docs/reference/cli-contract.md, {@code --duration}): a whole number with a unit, {@code 500ms}, {@code 30s}, {@code 2m},
 * {@code 1h}, {@code 1d}, or an ISO-8601 duration such as {@code PT30S} ({@link Duration#parse}).
 */
public final class Durations {

    private static final Pattern SHORT = Pattern.compile("(\\d{1,12})\\s*(ms|s|m|h|d)");

    private Durations() {
    }

    /**
     * Parses {@code text}.
     *
     * @return the duration; never negative
     * @throws IllegalArgumentException quoting {@code text} and the accepted forms when it is none
     *                                  of them or negative
     */
    public static Duration parse(String text) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException(hint("''"));
        }
        String t = text.trim().toLowerCase(Locale.ROOT);
        Matcher m = SHORT.matcher(t);
        if (m.matches()) {
            long n = Long.parseLong(m.group(1));
            return switch (m.group(2)) {
                case "ms" -> Duration.ofMillis(n);
                case "s" -> Duration.ofSeconds(n);
                case "m" -> Duration.ofMinutes(n);
                case "h" -> Duration.ofHours(n);
                case "d" -> Duration.ofDays(n);
                default -> throw new IllegalArgumentException(hint("'" + text + "'"));
            };
        }
        if (t.startsWith("p") || t.startsWith("-p")) {
            try {
                Duration d = Duration.parse(text.trim());
                if (d.isNegative()) {
                    throw new IllegalArgumentException("'" + text + "' is negative; a duration must be 0 or more");
                }
                return d;
            } catch (DateTimeParseException e) {
                throw new IllegalArgumentException(hint("'" + text + "'"), e);
            }
        }
        throw new IllegalArgumentException(hint("'" + text + "'"));
    }

    /** A human form: {@code 500 ms}, {@code 2.6 s}, {@code 3 min 5 s}. */
    public static String format(Duration d) {
        long ms = d.toMillis();
        if (ms < 1_000) {
            return ms + " ms";
        }
        if (ms < 60_000) {
            return String.format(Locale.ROOT, "%.1f s", ms / 1000.0);
        }
        return d.toMinutes() + " min " + d.toSecondsPart() + " s";
    }

    private static String hint(String quoted) {
        return quoted + " is not a duration: use a number with ms, s, m, h or d (500ms, 30s, 2m, 1h)"
                + " or ISO-8601 (PT30S)";
    }
}
