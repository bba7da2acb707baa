package io.eventlens.core.layout;

import io.eventlens.core.analysis.Anomaly;
import io.eventlens.core.analysis.AnomalyKind;

import java.util.Collection;
import java.util.Comparator;
import java.util.List;

/**
 * The triage order of anomaly kinds, most severe first, following the verdict order of
 * docs/reference/anomalies-and-verdicts.md ("Verdicts": dead-lettered, stopped, contract violation, conflicting
 * duplicate, out of order, lag, then the notes: clock skew, sequence restarts, benign duplicates
 * and retries). A marker with several anomalies is coloured by the most severe one.
 */
public final class AnomalySeverity {

    /** Every kind, most severe first. */
    public static final List<AnomalyKind> ORDER = List.of(
            AnomalyKind.DEAD_LETTERED,
            AnomalyKind.MISSING_STEP,
            AnomalyKind.CONTRACT_VIOLATION,
            AnomalyKind.CONFLICTING_DUPLICATE,
            AnomalyKind.FOREIGN_EVENT,
            AnomalyKind.OUT_OF_ORDER,
            AnomalyKind.LAG,
            AnomalyKind.CLOCK_SKEW,
            AnomalyKind.SEQUENCE_RESTART,
            AnomalyKind.DUPLICATE,
            AnomalyKind.RETRIED);

    /** Compares kinds so that the most severe sorts first. */
    public static final Comparator<AnomalyKind> MOST_SEVERE_FIRST = Comparator.comparingInt(ORDER::indexOf);

    private AnomalySeverity() {
    }

    /** The distinct kinds of these anomalies, most severe first. */
    public static List<AnomalyKind> kindsOf(Collection<Anomaly> anomalies) {
        return anomalies.stream().map(Anomaly::kind).distinct().sorted(MOST_SEVERE_FIRST).toList();
    }

    /** The most severe kind among these anomalies, or {@code null} when there are none. */
    public static AnomalyKind mostSevere(Collection<Anomaly> anomalies) {
        List<AnomalyKind> kinds = kindsOf(anomalies);
        return kinds.isEmpty() ? null : kinds.get(0);
    }

    /**
     * True for kinds that are benign notes rather than faults (DUPLICATE, RETRIED, SEQUENCE_RESTART:
     * a producer that restarted its numbering is worth knowing, not a broken flow).
     */
    public static boolean isBenign(AnomalyKind kind) {
        return kind == AnomalyKind.DUPLICATE || kind == AnomalyKind.RETRIED || kind == AnomalyKind.SEQUENCE_RESTART;
    }
}
