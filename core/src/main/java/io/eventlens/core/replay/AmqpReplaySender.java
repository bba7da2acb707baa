package io.eventlens.core.replay;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import io.eventlens.core.amqp.AmqpConnectException;
import io.eventlens.core.amqp.AmqpConnections;
import io.eventlens.core.amqp.AmqpHeaders;
import io.eventlens.core.model.Header;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Sends a replay to RabbitMQ: each message published to its exchange with its routing key,
 * {@code mandatory} (a message no queue takes comes back and the send fails, never silently lost),
 * on a channel in publisher-confirm mode, waiting for the broker's confirm before the next one (so
 * per-routing-key order holds).
 *
 * <p>Headers go back the way the capture read them (docs/reference/extraction-rules.md, "AMQP
 * messages"): {@code amqp.<property>} headers become the basic properties ({@code amqp.user_id} is
 * dropped: the broker refuses a user ID other than the connection's), every other header an entry
 * of the header table with its value as a UTF-8 string ({@code null}: a void value).
 *
 * <p>{@link #connect} checks that every target exchange exists (passively), before anything is sent.
 * A send cannot be read back from an exchange: {@link #findSent} is unsupported, and a resume
 * leaves sends of unknown outcome unsent unless told to resend them.
 */
public final class AmqpReplaySender implements ReplaySender {

    private final ReplayTarget.Amqp target;
    private final Duration timeout;
    private final Connection connection;
    private Channel channel;
    private final AtomicReference<String> returned = new AtomicReference<>();

    private AmqpReplaySender(ReplayTarget.Amqp target, Duration timeout, Connection connection) {
        this.target = target;
        this.timeout = timeout;
        this.connection = connection;
    }

    /**
     * Connects and checks the exchanges.
     *
     * @param exchanges the target exchanges ({@code ""}: the default exchange, always there)
     * @throws AmqpConnectException naming the endpoint when the broker is unreachable or an exchange is missing
     */
    public static AmqpReplaySender connect(ReplayTarget.Amqp target, Collection<String> exchanges, Duration timeout) {
        Connection c = AmqpConnections.open(target.connection(),
                "eventlens-replay-" + Long.toHexString(ThreadLocalRandom.current().nextLong() >>> 24));
        AmqpReplaySender sender = new AmqpReplaySender(target, timeout, c);
        try {
            for (String exchange : new java.util.LinkedHashSet<>(exchanges)) {
                if (exchange.isEmpty()) {
                    continue;
                }
                Channel ch = c.createChannel();
                try {
                    ch.exchangeDeclarePassive(exchange);
                } catch (IOException e) {
                    throw new AmqpConnectException(target.endpoint() + ": exchange '" + exchange + "' does not exist ("
                            + AmqpConnections.message(e) + ")", e);
                } finally {
                    if (ch.isOpen()) {
                        closeQuietly(ch);
                    }
                }
            }
            return sender;
        } catch (IOException e) {
            sender.close();
            throw new AmqpConnectException(target.endpoint() + ": " + AmqpConnections.message(e), e);
        } catch (RuntimeException e) {
            sender.close();
            throw e;
        }
    }

    @Override
    public String clusterId() {
        return null;
    }

    private Channel channel() throws IOException {
        if (channel == null || !channel.isOpen()) {
            channel = connection.createChannel();
            channel.confirmSelect();
            channel.addReturnListener(r -> returned.set(r.getReplyText() + " (exchange '" + r.getExchange()
                    + "', routing key '" + r.getRoutingKey() + "')"));
        }
        return channel;
    }

    @Override
    public Result send(PlannedSend s) throws Exception {
        returned.set(null);
        Channel ch;
        try {
            ch = channel();
        } catch (IOException e) {
            throw new ReplayException(target.endpoint() + ": cannot open a channel: " + AmqpConnections.message(e), e);
        }
        try {
            ch.basicPublish(s.targetChannel(), s.routingKey() == null ? "" : s.routingKey(), true,
                    properties(s), s.payload() == null ? new byte[0] : s.payload());
        } catch (IOException e) {
            throw new ReplayException(target.endpoint() + ": publishing to exchange '" + s.targetChannel()
                    + "' failed: " + AmqpConnections.message(e), e);
        }
        try {
            ch.waitForConfirmsOrDie(Math.max(1, timeout.toMillis()));
        } catch (TimeoutException e) {
            throw new OutcomeUnknownException(target.endpoint() + ": no confirm within " + timeout.toMillis() + " ms", e);
        } catch (IOException e) {
            throw new ReplayException(target.endpoint() + ": the broker did not take the message for exchange '"
                    + s.targetChannel() + "': " + AmqpConnections.message(e), e);
        } catch (com.rabbitmq.client.ShutdownSignalException e) {
            throw new OutcomeUnknownException(target.endpoint() + ": the connection closed before the confirm: "
                    + AmqpConnections.message(e), e);
        }
        String back = returned.get();
        if (back != null) {   // the return arrives before the confirm (AMQP 0-9-1 publisher confirms)
            throw new ReplayException(target.endpoint() + ": no queue took the message: " + back);
        }
        return new Result(null, null, "confirmed", null);
    }

    /** The basic properties and header table of a send (see the class comment). */
    static AMQP.BasicProperties properties(PlannedSend s) {
        AMQP.BasicProperties.Builder b = new AMQP.BasicProperties.Builder();
        Map<String, Object> table = new LinkedHashMap<>();
        for (Header h : s.headers()) {
            String n = h.name();
            String v = h.valueAsString();
            if (n.startsWith(AmqpHeaders.PROPERTY_PREFIX)) {
                String prop = n.substring(AmqpHeaders.PROPERTY_PREFIX.length());
                try {
                    switch (prop) {
                        case "content_type" -> b.contentType(v);
                        case "content_encoding" -> b.contentEncoding(v);
                        case "delivery_mode" -> b.deliveryMode(v == null ? null : Integer.valueOf(v.strip()));
                        case "priority" -> b.priority(v == null ? null : Integer.valueOf(v.strip()));
                        case "correlation_id" -> b.correlationId(v);
                        case "reply_to" -> b.replyTo(v);
                        case "expiration" -> b.expiration(v);
                        case "message_id" -> b.messageId(v);
                        case "timestamp" -> b.timestamp(v == null ? null : Date.from(Instant.parse(v.strip())));
                        case "type" -> b.type(v);
                        case "app_id" -> b.appId(v);
                        case "user_id" -> { }   // the broker refuses another user's ID
                        default -> table.put(n, v);
                    }
                } catch (RuntimeException e) {
                    table.put(n, v);   // a property value that does not parse stays visible as a header
                }
            } else {
                table.put(n, v);
            }
        }
        return b.headers(table).build();
    }

    @Override
    public Map<Integer, Result> findSent(String replayId, Collection<String> channels, Instant since,
                                         Collection<Integer> indexes) {
        throw new UnsupportedOperationException(target.endpoint() + ": a message published to an exchange cannot be"
                + " read back; sends of unknown outcome are left unsent (resend them with --resend-unknown)");
    }

    @Override
    public void close() {
        if (channel != null && channel.isOpen()) {
            closeQuietly(channel);
        }
        try {
            connection.close(2_000);
        } catch (IOException | RuntimeException e) {
            // already closed
        }
    }

    private static void closeQuietly(Channel ch) {
        try {
            ch.close();
        } catch (IOException | TimeoutException | RuntimeException e) {
            // closing
        }
    }
}
