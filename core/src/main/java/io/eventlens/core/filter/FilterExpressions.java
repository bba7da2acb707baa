package io.eventlens.core.filter;

import java.util.List;
import java.util.Locale;

/**
 * Builds filter expressions for a value the user points at ("Filter on this" / "Exclude this", as in
 * Wireshark's "Apply as filter"), so that the expression selects exactly that value however it is
 * spelled: strings become CEL string literals with quotes, backslashes and control characters escaped
 * (docs/reference/filters.md, "Right-click filters").
 */
public final class FilterExpressions {

    private FilterExpressions() {
    }

    /**
     * A CEL string literal of {@code value}: in double quotes, with {@code \} {@code "} escaped and
     * control characters, line and paragraph separators as {@code \\uXXXX}; an unpaired surrogate (which
     * no decoded text holds) becomes U+FFFD.
     */
    public static String quote(String value) {
        StringBuilder sb = new StringBuilder(value.length() + 2).append('"');
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '\\' -> sb.append("\\\\");
                case '"' -> sb.append("\\\"");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                default -> {
                    boolean pairedHigh = Character.isHighSurrogate(c) && i + 1 < value.length()
                            && Character.isLowSurrogate(value.charAt(i + 1));
                    if (pairedHigh) {
                        sb.append(c).append(value.charAt(++i));
                    } else if (Character.isSurrogate(c)) {
                        sb.append('\uFFFD');   // CEL has no lone surrogates; decoded text never holds one
                    } else if (c < 0x20 || c == 0x7f || c == '\u2028' || c == '\u2029') {
                        sb.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        return sb.append('"').toString();
    }

    /**
     * {@code field == "value"} for a string variable ({@code channel}, {@code key}, {@code type},
     * {@code eventId}, {@code correlationId}, {@code verdict}).
     *
     * @throws IllegalArgumentException when {@code field} is not one of them
     */
    public static String equalTo(String field, String value) {
        if (!List.of("channel", "key", "type", "eventId", "correlationId", "verdict").contains(field)) {
            throw new IllegalArgumentException("not a string variable: " + field);
        }
        return field + " == " + quote(value);
    }

    /** {@code "name" in headers && headers["name"] == "value"}: the header with this exact value. */
    public static String header(String name, String value) {
        return quote(name) + " in headers && headers[" + quote(name) + "] == " + quote(value);
    }

    /**
     * The payload field at {@code path} (map keys as strings, list indexes as integers) equal to
     * {@code value}: a string, a number (integral numbers as ints), a boolean or {@code null}. The
     * keys along the path are tested first ({@code "a" in payload && ...}), so that events without
     * the field are neither kept by the filter nor dropped by its exclusion.
     *
     * @throws IllegalArgumentException for an empty path or a value of another type
     */
    public static String payloadField(List<Object> path, Object value) {
        if (path.isEmpty()) {
            throw new IllegalArgumentException("empty payload path");
        }
        StringBuilder guards = new StringBuilder();
        StringBuilder access = new StringBuilder("payload");
        for (Object step : path) {
            if (step instanceof Integer index) {
                guards.append("size(dyn(").append(access).append(")) > ").append(index).append(" && ");
                access.append('[').append(index).append(']');
            } else {
                // dyn(...) around an indexed map: "k" in payload["a"] alone evaluates to false in cel-java 0.14
                guards.append(quote(String.valueOf(step))).append(" in ")
                        .append(path.get(0) == step ? access : "dyn(" + access + ")").append(" && ");
                access.append('[').append(quote(String.valueOf(step))).append(']');
            }
        }
        return guards + access.toString() + " == " + literal(value);
    }

    /** {@code !(expression)}: the events the expression does not keep. */
    public static String not(String expression) {
        return "!(" + expression + ")";
    }

    /**
     * {@code current && term}, with {@code current} in parentheses when it has a top-level {@code ||}
     * or a ternary (always, to be safe, unless it is blank); {@code term} alone when {@code current} is blank.
     */
    public static String and(String current, String term) {
        if (current == null || current.isBlank()) {
            return term;
        }
        return "(" + current.strip() + ") && " + term;
    }

    private static String literal(Object value) {
        return switch (value) {
            case null -> "null";
            case String s -> quote(s);
            case Boolean b -> b.toString();
            case Integer i -> i.toString();
            case Long l -> l.toString();
            case java.math.BigInteger b -> b.toString() + ".0";
            case Double d when d.isNaN() || d.isInfinite() -> throw new IllegalArgumentException("not a JSON number: " + d);
            case Double d -> d == Math.rint(d) && Math.abs(d) < 1e15 ? Long.toString(d.longValue()) + ".0" : d.toString();
            case Float f -> literal(f.doubleValue());
            case java.math.BigDecimal b -> literal(b.doubleValue());
            default -> throw new IllegalArgumentException("not a JSON scalar: " + value.getClass().getSimpleName());
        };
    }
}
