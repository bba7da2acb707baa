package io.eventlens.core.deadletter;

import io.eventlens.core.analysis.DeadLetterChannels;
import io.eventlens.core.analysis.DeadLetterStackTraces;
import io.eventlens.core.model.CapturedEvent;
import io.eventlens.core.model.Header;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Which captured events are dead-lettered, by the rule of docs/reference/anomalies-and-verdicts.md
 * ("Dead-letter channels"), the same rule {@code TimelineAnalyzer} applies: the event is on a
 * configured dead-letter channel, on a channel named like one ({@link DeadLetterChannels#isDeadLetter}),
 * or carries dead-letter headers ({@link DeadLetterChannels#hasDeadLetterHeaders}) outside a retry
 * channel. Also reads the exception stack trace that some conventions put in a header. Stateless.
 */
public final class DeadLetters {

    private DeadLetters() {
    }

    /**
     * True when an event on {@code channel} with these headers is dead-lettered.
     *
     * @param configured channel names configured as dead-letter channels (exact match)
     */
    public static boolean isDeadLettered(String channel, List<Header> headers, Set<String> configured) {
        if (configured.contains(channel) || DeadLetterChannels.isDeadLetter(channel)) {
            return true;
        }
        return !DeadLetterChannels.isRetry(channel) && DeadLetterChannels.hasDeadLetterHeaders(headers);
    }

    /** {@link #isDeadLettered(String, List, Set)} of a captured event. */
    public static boolean isDeadLettered(CapturedEvent e, Set<String> configured) {
        return isDeadLettered(e.channel().name(), e.headers(), configured);
    }

    /**
     * The same decision from header names alone (what a {@link io.eventlens.core.store.EventSelector}
     * sees): dead-letter headers are recognised by name, never by value.
     */
    static boolean isDeadLetteredByNames(String channel, List<String> headerNames, Set<String> configured) {
        if (configured.contains(channel) || DeadLetterChannels.isDeadLetter(channel)) {
            return true;
        }
        boolean candidate = false;
        for (String n : headerNames) {
            char c = n.isEmpty() ? ' ' : Character.toLowerCase(n.charAt(0));
            if (c == 'k' || c == 'x' || c == '_') {   // kafka_*, x-death / x-*-death-*, __connect.errors.*
                candidate = true;
                break;
            }
        }
        if (!candidate || DeadLetterChannels.isRetry(channel)) {
            return false;
        }
        List<Header> named = new ArrayList<>(headerNames.size());
        for (String n : headerNames) {
            named.add(new Header(n, null));
        }
        return DeadLetterChannels.hasDeadLetterHeaders(named);
    }

    /**
     * The exception stack trace a dead-letter convention put in the headers
     * ({@link DeadLetterStackTraces}), as text; {@code null} when there is none.
     */
    public static String stackTrace(List<Header> headers) {
        return DeadLetterStackTraces.of(headers);
    }
}
