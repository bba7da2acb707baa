package io.eventlens.core.analysis;

import java.util.List;
import java.util.Objects;

/**
 * The result of checking one event against the contract that applies to it
 * (docs/reference/anomalies-and-verdicts.md, "Contract violations"): which contract, why it applied,
 * and what was wrong.
 *
 * @param contract   the contract's name, for example {@code "payments/v3"}, or
 *                   {@code "cloudevents/1.0"} when only the built-in CloudEvents envelope rules applied
 * @param schema     where the schema came from: a file (relative to the contracts folder, with a
 *                   {@code #/pointer} into an AsyncAPI document) or a {@code $id}; {@code null} when
 *                   only envelope rules applied
 * @param matchedBy  why this contract applied, for people: {@code "channel payments and type PaymentCaptured"},
 *                   {@code "dataschema https://..."}, {@code "CloudEvents envelope (specversion)"}
 * @param violations the violations found, at most {@link #MAX_VIOLATIONS}, in schema order; empty when the event passed
 * @param violationCount how many violations there were in all (at least {@code violations.size()})
 */
public record ContractCheck(String contract, String schema, String matchedBy, List<ContractViolation> violations,
                            int violationCount) {

    /** The most violations kept per event; the rest are only counted. */
    public static final int MAX_VIOLATIONS = 20;

    public ContractCheck {
        Objects.requireNonNull(contract, "contract");
        Objects.requireNonNull(matchedBy, "matchedBy");
        violations = List.copyOf(violations.size() > MAX_VIOLATIONS ? violations.subList(0, MAX_VIOLATIONS) : violations);
        violationCount = Math.max(violationCount, violations.size());
    }

    /** A check with these violations, all counted. */
    public ContractCheck(String contract, String schema, String matchedBy, List<ContractViolation> violations) {
        this(contract, schema, matchedBy, violations, violations.size());
    }

    /** True when the event broke no rule of the contract. */
    public boolean passed() {
        return violationCount == 0;
    }

    /**
     * {@code "payments/v3 at /amountCents: required property missing; /amount: expected number, got string"}:
     * the contract and the first three violations ("and N more" after them). For a passed check, the contract's name.
     */
    public String summary() {
        StringBuilder s = new StringBuilder(contract);
        for (int i = 0; i < Math.min(3, violations.size()); i++) {
            ContractViolation v = violations.get(i);
            s.append(i > 0 ? "; " : v.pointer().isEmpty() ? ": " : " at ").append(v.describe());
        }
        if (violationCount > 3) {
            s.append("; and ").append(violationCount - 3).append(" more");
        }
        return s.toString();
    }
}
