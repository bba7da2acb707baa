package io.eventlens.core.flowmodel;

import java.util.Objects;

/**
 * One step of a flow: an event type on a channel (docs/reference/anomalies-and-verdicts.md,
 * "Expected flows"). Two events are the same step when both their type and their channel agree.
 *
 * @param type    the event type (derived field {@code eventType}), or null when the event has none
 * @param channel the channel name (topic, queue), never null
 */
public record Step(String type, String channel) implements Comparable<Step> {
    public Step {
        Objects.requireNonNull(channel, "channel");
    }

    /** {@code PaymentAuthorized on payments}; {@code (untyped) on payments} without a type. */
    public String label() {
        return (type == null ? "(untyped)" : type) + " on " + channel;
    }

    @Override
    public String toString() {
        return label();
    }

    @Override
    public int compareTo(Step o) {
        int c = channel.compareTo(o.channel);
        if (c != 0) {
            return c;
        }
        return type == null ? (o.type == null ? 0 : -1) : o.type == null ? 1 : type.compareTo(o.type);
    }
}
