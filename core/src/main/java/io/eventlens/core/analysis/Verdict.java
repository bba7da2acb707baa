package io.eventlens.core.analysis;

import java.util.Objects;

/**
 * The one-line diagnosis of a timeline: where the flow stopped and why.
 *
 * @param kind    verdict kind
 * @param message one human line, for example
 *                {@code "dead-lettered on orders.DLT after 3 attempts: NumberFormatException"}
 * @param atSeq   store sequence of the event the verdict points at, or 0
 */
public record Verdict(VerdictKind kind, String message, long atSeq) {
    public Verdict {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(message, "message");
    }
}
