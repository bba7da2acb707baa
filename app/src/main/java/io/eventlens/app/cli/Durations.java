package io.eventlens.app.cli;

import java.time.Duration;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * Parses the CLI's durations: a whole number with a unit, {@code 500ms}, {@code 30s}, {@code 2m},
 * {@code 1h}, {@code 1d}, or an ISO-8601 duration such as {@code PT30S} ({@link Duration#parse}).
 */
public final class Durations {

    private Durations() {
    }

    /**
     * Parses {@code text} ({@link io.eventlens.core.format.Durations#parse}).
     *
     * @return the duration; never negative
     * @throws IllegalArgumentException quoting {@code text} and the accepted forms when it is none
     *                                  of them or negative
     */
    public static Duration parse(String text) {
        return io.eventlens.core.format.Durations.parse(text);
    }

    /** A human form: {@code 500 ms}, {@code 2.6 s}, {@code 3 min 5 s}. */
    public static String format(Duration d) {
        return io.eventlens.core.format.Durations.format(d);
    }

    /** picocli converter; a bad value is a usage error (exit 2). */
    public static final class Converter implements ITypeConverter<Duration> {
        @Override
        public Duration convert(String value) {
            try {
                return parse(value);
            } catch (IllegalArgumentException e) {
                throw new TypeConversionException(e.getMessage());
            }
        }
    }
}
