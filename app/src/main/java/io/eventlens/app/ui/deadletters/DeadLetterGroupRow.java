package io.eventlens.app.ui.deadletters;

import io.eventlens.core.deadletter.DeadLetterReport;
import java.util.List;

/**
 * One row of the Dead letters view's group table: what a group of dead-lettered events shares, how
 * many there are, and its latest events.
 *
 * @param key             the group's key (for keeping the selection across refreshes)
 * @param reason          the reason's pattern (numbers and IDs as {@code #}), or a dash when none is given
 * @param exceptionClass  the exception's simple class name, or a dash
 * @param exceptionFqcn   the fully qualified exception class, or "" when none
 * @param originalChannel the channel the events were first published to, or a dash
 * @param count           how many dead-lettered events the group has
 * @param channels        the dead-letter channels they were observed on, comma-separated
 * @param events          its latest events, newest first (bounded)
 */
public record DeadLetterGroupRow(DeadLetterReport.GroupKey key, String reason, String exceptionClass,
                                 String exceptionFqcn, String originalChannel, long count, String channels,
                                 List<DeadLetterEventRow> events) {

    static final String NONE = "—";

    static DeadLetterGroupRow of(DeadLetterReport.Group g) {
        DeadLetterReport.GroupKey k = g.key();
        String fqcn = k.exceptionClass() == null ? "" : k.exceptionClass();
        String simple = fqcn.isEmpty() ? NONE : fqcn.substring(fqcn.lastIndexOf('.') + 1);
        String reason = k.otherReasons() ? "(other reasons: more groups than the view keeps)"
                : k.reason() == null ? NONE : k.reason();
        return new DeadLetterGroupRow(k, reason, simple, fqcn, k.originalChannel() == null ? NONE : k.originalChannel(),
                g.count(), String.join(", ", g.channels()),
                g.examples().stream().map(DeadLetterEventRow::of).toList());
    }
}
