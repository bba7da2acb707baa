package io.eventlens.core.analysis;

import io.eventlens.core.model.CapturedEvent;

/**
 * The hook through which {@link TimelineAnalyzer} checks events against their contracts
 * ({@link TimelineAnalyzer#withContracts(ContractChecker)}); implemented by
 * {@code io.eventlens.core.contracts.Contracts}. Implementations are thread-safe and do no I/O
 * while checking.
 */
@FunctionalInterface
public interface ContractChecker {

    /**
     * Checks one event.
     *
     * @param event   the event (its payload, headers and derived fields)
     * @param channel the channel whose contract applies: the event's own channel, or for a dead-letter
     *                or retry copy its original channel
     * @return the result, or {@code null} when no contract applies to the event (nothing checked)
     */
    ContractCheck check(CapturedEvent event, String channel);
}
