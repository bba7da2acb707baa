package io.eventlens.core.filter;

import dev.cel.common.ast.CelConstant;
import dev.cel.common.ast.CelExpr;
import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * What a filter's top-level conjunction says about the indexed fields, for a store read to narrow
 * what it decodes before the filter runs on each event (docs/decisions/0022-cel-filters.md,
 * "Pushdown"). Every event the filter keeps satisfies these constraints; events that satisfy them
 * may still be refused by the rest of the expression.
 *
 * <p>Recognised terms of {@code a && b && ...} (either operand order for {@code ==}): {@code channel},
 * {@code type}, {@code correlationId} and {@code eventId} {@code == "literal"} or
 * {@code in ["literal", ...]}; {@code observedAt} compared ({@code < <= > >=}) with
 * {@code timestamp("RFC 3339 literal")}. Anything else (an {@code ||}, a negation, a function of a
 * field) constrains nothing here.
 *
 * @param channels       the channel names a kept event may have, or {@code null} for any
 * @param types          the event types, or {@code null} for any
 * @param correlationIds the correlation IDs, or {@code null} for any
 * @param eventIds       the event IDs, or {@code null} for any
 * @param observedFromMs the earliest observed time in epoch ms (inclusive, rounded down), or
 *                       {@link Long#MIN_VALUE}
 * @param observedToMs   the latest observed time in epoch ms (inclusive, rounded up), or
 *                       {@link Long#MAX_VALUE}
 */
public record IndexedConstraints(Set<String> channels, Set<String> types, Set<String> correlationIds,
        Set<String> eventIds, long observedFromMs, long observedToMs) {

    /** No constraint. */
    public static final IndexedConstraints NONE =
            new IndexedConstraints(null, null, null, null, Long.MIN_VALUE, Long.MAX_VALUE);

    public IndexedConstraints {
        channels = channels == null ? null : Set.copyOf(channels);
        types = types == null ? null : Set.copyOf(types);
        correlationIds = correlationIds == null ? null : Set.copyOf(correlationIds);
        eventIds = eventIds == null ? null : Set.copyOf(eventIds);
    }

    /** Whether anything is constrained. */
    public boolean any() {
        return channels != null || types != null || correlationIds != null || eventIds != null
                || observedFromMs != Long.MIN_VALUE || observedToMs != Long.MAX_VALUE;
    }

    /** Whether the observed time is bounded on either side. */
    public boolean timeBounded() {
        return observedFromMs != Long.MIN_VALUE || observedToMs != Long.MAX_VALUE;
    }

    /** Whether an event on this channel can be kept. */
    public boolean allowsChannel(String channel) {
        return channels == null || channels.contains(channel);
    }

    static IndexedConstraints of(CelExpr root) {
        Builder b = new Builder();
        b.conjunct(root);
        return b.build();
    }

    private static final class Builder {
        Set<String> channels;
        Set<String> types;
        Set<String> correlationIds;
        Set<String> eventIds;
        long from = Long.MIN_VALUE;
        long to = Long.MAX_VALUE;

        void conjunct(CelExpr e) {
            if (e.getKind() != CelExpr.ExprKind.Kind.CALL) {
                return;
            }
            CelExpr.CelCall call = e.call();
            List<CelExpr> args = call.args();
            if (call.target().isPresent() || args.size() != 2) {
                return;
            }
            switch (call.function()) {
                case "_&&_" -> {
                    conjunct(args.get(0));
                    conjunct(args.get(1));
                }
                case "_==_" -> {
                    if (ident(args.get(0)) != null && string(args.get(1)) != null) {
                        restrict(ident(args.get(0)), Set.of(string(args.get(1))));
                    } else if (ident(args.get(1)) != null && string(args.get(0)) != null) {
                        restrict(ident(args.get(1)), Set.of(string(args.get(0))));
                    }
                }
                case "@in" -> {
                    String name = ident(args.get(0));
                    if (name != null && args.get(1).getKind() == CelExpr.ExprKind.Kind.LIST) {
                        Set<String> values = new LinkedHashSet<>();
                        for (CelExpr v : args.get(1).list().elements()) {
                            String s = string(v);
                            if (s == null) {
                                return;
                            }
                            values.add(s);
                        }
                        restrict(name, values);
                    }
                }
                case "_<_", "_<=_", "_>_", "_>=_" -> {
                    boolean fieldLeft = "observedAt".equals(ident(args.get(0)));
                    boolean fieldRight = "observedAt".equals(ident(args.get(1)));
                    Instant t = timestamp(args.get(fieldLeft ? 1 : 0));
                    if ((fieldLeft == fieldRight) || t == null) {
                        return;
                    }
                    boolean lower = call.function().startsWith("_>") == fieldLeft;
                    if (lower) {
                        from = Math.max(from, floorMs(t));
                    } else {
                        to = Math.min(to, ceilMs(t));
                    }
                }
                default -> {
                    // constrains nothing the store indexes
                }
            }
        }

        private void restrict(String field, Set<String> values) {
            switch (field) {
                case "channel" -> channels = intersect(channels, values);
                case "type" -> types = intersect(types, values);
                case "correlationId" -> correlationIds = intersect(correlationIds, values);
                case "eventId" -> eventIds = intersect(eventIds, values);
                default -> {
                    // not an indexed field
                }
            }
        }

        private static Set<String> intersect(Set<String> current, Set<String> values) {
            if (current == null) {
                return new LinkedHashSet<>(values);
            }
            current.retainAll(values);
            return current;
        }

        IndexedConstraints build() {
            return new IndexedConstraints(channels, types, correlationIds, eventIds, from, to);
        }
    }

    private static String ident(CelExpr e) {
        return e.getKind() == CelExpr.ExprKind.Kind.IDENT ? e.ident().name() : null;
    }

    private static String string(CelExpr e) {
        return e.getKind() == CelExpr.ExprKind.Kind.CONSTANT
                && e.constant().getKind() == CelConstant.Kind.STRING_VALUE ? e.constant().stringValue() : null;
    }

    private static Instant timestamp(CelExpr e) {
        if (e.getKind() != CelExpr.ExprKind.Kind.CALL || !"timestamp".equals(e.call().function())
                || e.call().target().isPresent() || e.call().args().size() != 1) {
            return null;
        }
        String s = string(e.call().args().get(0));
        return s == null ? null : EventFilter.instant(s);
    }

    private static long floorMs(Instant t) {
        return Math.floorDiv(t.getEpochSecond(), 1) * 1000 + t.getNano() / 1_000_000;
    }

    private static long ceilMs(Instant t) {
        return floorMs(t) + (t.getNano() % 1_000_000 == 0 ? 0 : 1);
    }
}
