package io.eventlens.core.analysis;

import java.util.Objects;

/**
 * One way an event's payload broke its contract (docs/reference/anomalies-and-verdicts.md,
 * "Contract violations").
 *
 * @param pointer  where in the payload, as a JSON Pointer (RFC 6901) from the payload's root:
 *                 {@code ""} for the root, {@code "/amountCents"}; for a missing required member
 *                 the pointer names the missing member
 * @param rule     the schema keyword that failed ({@code required}, {@code type}, {@code format},
 *                 {@code enum}, {@code oneOf}, ...), or {@code json} when the payload is not JSON
 * @param expected what the schema asked for, for people ({@code "integer"}, {@code "one of [\"EUR\",\"USD\"]"}),
 *                 at most {@link #MAX_VALUE} chars
 * @param found    the value found there, as compact JSON ({@code "\"151,50\""}), {@code "missing"} for
 *                 an absent member; cut to {@link #MAX_VALUE} chars with {@code …}
 * @param message  one human line, for example {@code "expected number, got string"}
 */
public record ContractViolation(String pointer, String rule, String expected, String found, String message) {

    /** The longest {@code expected} and {@code found} text kept, in chars. */
    public static final int MAX_VALUE = 80;

    public ContractViolation {
        Objects.requireNonNull(pointer, "pointer");
        Objects.requireNonNull(rule, "rule");
        expected = truncate(expected);
        found = truncate(found);
        Objects.requireNonNull(message, "message");
    }

    /**
     * {@code /amountCents: required property missing}: the pointer and the message; the message alone
     * for the whole payload (pointer {@code ""}).
     */
    public String describe() {
        return pointer.isEmpty() ? message : pointer + ": " + message;
    }

    /** The text cut to {@link #MAX_VALUE} chars, ending in {@code …} when cut; null stays null. */
    public static String truncate(String s) {
        if (s == null || s.length() <= MAX_VALUE) {
            return s;
        }
        int end = MAX_VALUE - 1;
        if (Character.isHighSurrogate(s.charAt(end - 1))) {
            end--;
        }
        return s.substring(0, end) + "…";
    }
}
