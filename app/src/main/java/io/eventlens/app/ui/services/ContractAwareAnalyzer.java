package io.eventlens.app.ui.services;

import io.eventlens.core.analysis.ContractChecker;
import io.eventlens.core.analysis.Timeline;
import io.eventlens.core.analysis.TimelineAnalyzer;
import io.eventlens.core.model.CapturedEvent;
import java.util.List;
import java.util.Objects;

/**
 * The app's analyzer: {@link TimelineAnalyzer} with the contracts the user loaded, if any
 * (CONTRACT_VIOLATION; docs/reference/contracts.md). Thread-safe: the contracts are swapped
 * atomically and each analysis uses the ones in force when it starts.
 */
public final class ContractAwareAnalyzer implements AppServices.Analyzer {

    private final TimelineAnalyzer base;
    private volatile ContractChecker contracts;

    /** An analyzer over {@code base}, without contracts until {@link #use} is called. */
    public ContractAwareAnalyzer(TimelineAnalyzer base) {
        this.base = Objects.requireNonNull(base, "base");
    }

    /** Checks events against these contracts from now on; null for none. */
    public void use(ContractChecker checker) {
        this.contracts = checker;
    }

    /** The contracts in force, or null. */
    public ContractChecker contracts() {
        return contracts;
    }

    @Override
    public Timeline analyze(String correlationId, List<CapturedEvent> events) {
        ContractChecker c = contracts;
        return (c == null ? base : base.withContracts(c)).analyze(correlationId, events);
    }
}
