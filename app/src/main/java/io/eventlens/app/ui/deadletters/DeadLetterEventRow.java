package io.eventlens.app.ui.deadletters;

import io.eventlens.app.ui.details.DetailsViewModel;
import io.eventlens.core.deadletter.DeadLetterEvent;

/**
 * One row of the Dead letters view's event table.
 *
 * @param seq           its store sequence
 * @param correlationId its correlation ID, or "" when it has none (its timeline cannot be opened)
 * @param channel       the dead-letter channel it was observed on
 * @param observed      its observed time, formatted ({@link DetailsViewModel#TIME})
 * @param attempts      delivery attempts, or a dash
 * @param exceptionText {@code SimpleClassName: message}, or a dash
 * @param original      where it came from: channel and position ({@code orders p0@41}), or a dash
 */
public record DeadLetterEventRow(long seq, String correlationId, String channel, String observed, String attempts,
                                 String exceptionText, String original) {

    static DeadLetterEventRow of(DeadLetterEvent e) {
        var i = e.info();
        String original = i.originalChannel() == null ? DeadLetterGroupRow.NONE : i.originalChannel()
                + (i.originalPartition() != null && i.originalOffset() != null
                        ? " p" + i.originalPartition() + "@" + i.originalOffset() : "");
        return new DeadLetterEventRow(e.seq(), e.correlationId() == null ? "" : e.correlationId(), e.channel(),
                DetailsViewModel.TIME.format(e.observedAt()),
                i.attempts() == null ? DeadLetterGroupRow.NONE : String.valueOf(i.attempts()),
                e.exceptionText() == null ? DeadLetterGroupRow.NONE : e.exceptionText(), original);
    }
}
