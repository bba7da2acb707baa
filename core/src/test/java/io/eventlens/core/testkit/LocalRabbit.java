package io.eventlens.core.testkit;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.GetResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The real RabbitMQ on 127.0.0.1:5672 (guest/guest) for tests (COMMON.md): unique names per test,
 * everything declared through {@link #queue}/{@link #exchange} deleted after each test. Register as
 * an instance field with {@code @RegisterExtension}.
 */
public final class LocalRabbit implements BeforeEachCallback, AfterEachCallback {

    private Connection connection;
    private final List<String> queues = new ArrayList<>();
    private final List<String> exchanges = new ArrayList<>();

    @Override
    public void beforeEach(ExtensionContext context) throws Exception {
        ConnectionFactory f = new ConnectionFactory();
        f.setHost("127.0.0.1");
        f.setPort(5672);
        f.setConnectionTimeout(5_000);
        connection = f.newConnection("eventlens-test");
    }

    @Override
    public void afterEach(ExtensionContext context) throws Exception {
        for (String q : queues) {
            tryOn(ch -> ch.queueDelete(q));
        }
        for (String e : exchanges) {
            tryOn(ch -> ch.exchangeDelete(e));
        }
        connection.close();
    }

    /** A name unique to this test run: {@code prefix-<hex>}. */
    public static String unique(String prefix) {
        return prefix + "-" + Long.toHexString(ThreadLocalRandom.current().nextLong() >>> 20);
    }

    /** Declares a durable exchange of this type (deleted after the test). */
    public String exchange(String prefix, String type) throws Exception {
        String name = unique(prefix);
        on(ch -> ch.exchangeDeclare(name, type, true));
        exchanges.add(name);
        return name;
    }

    /** Declares a durable queue with these arguments (deleted after the test). */
    public String queue(String prefix, Map<String, Object> args) throws Exception {
        String name = unique(prefix);
        on(ch -> ch.queueDeclare(name, true, false, false, args));
        queues.add(name);
        return name;
    }

    /** Binds a queue. */
    public void bind(String queue, String exchange, String key) throws Exception {
        on(ch -> ch.queueBind(queue, exchange, key));
    }

    /** Publishes with publisher confirms. */
    public void publish(String exchange, String key, AMQP.BasicProperties props, String body) throws Exception {
        on(ch -> {
            ch.confirmSelect();
            ch.basicPublish(exchange, key, props, body.getBytes(StandardCharsets.UTF_8));
            ch.waitForConfirmsOrDie(10_000);
            return null;
        });
    }

    /** Publishes many with publisher confirms, on one channel. */
    public void publishAll(String exchange, String key, List<AMQP.BasicProperties> props, List<String> bodies) throws Exception {
        on(ch -> {
            ch.confirmSelect();
            for (int i = 0; i < bodies.size(); i++) {
                ch.basicPublish(exchange, key, props.get(i), bodies.get(i).getBytes(StandardCharsets.UTF_8));
            }
            ch.waitForConfirmsOrDie(30_000);
            return null;
        });
    }

    /** The queue's message count (passive declare). */
    public long messageCount(String queue) throws Exception {
        return on(ch -> (long) ch.queueDeclarePassive(queue).getMessageCount());
    }

    /** True when the queue exists. */
    public boolean exists(String queue) {
        try {
            on(ch -> ch.queueDeclarePassive(queue));
            return true;
        } catch (Exception e) {
            return false;
        }
    }

    /**
     * The bodies of a classic queue in order, read by getting them all and returning them at once
     * (as EventLens's browse does; the queue's count and order stay).
     */
    public List<String> bodies(String queue) throws Exception {
        return on(ch -> {
            List<String> out = new ArrayList<>();
            long last = -1;
            GetResponse r;
            while ((r = ch.basicGet(queue, false)) != null) {
                out.add(new String(r.getBody(), StandardCharsets.UTF_8));
                last = r.getEnvelope().getDeliveryTag();
            }
            if (last >= 0) {
                ch.basicNack(last, true, true);
            }
            return out;
        });
    }

    /** Gets one message and rejects it without requeueing (dead-letters it where configured). */
    public boolean rejectOne(String queue, boolean requeue) throws Exception {
        return on(ch -> {
            GetResponse r = ch.basicGet(queue, false);
            if (r == null) {
                return false;
            }
            ch.basicReject(r.getEnvelope().getDeliveryTag(), requeue);
            return true;
        });
    }

    /** Runs on a fresh channel. */
    public <T> T on(ChannelWork<T> work) throws Exception {
        try (Channel ch = connection.createChannel()) {
            return work.run(ch);
        }
    }

    private void tryOn(ChannelWork<?> work) {
        try {
            on(work);
        } catch (Exception e) {
            // cleanup only
        }
    }

    /** Work on a channel. */
    @FunctionalInterface
    public interface ChannelWork<T> {
        T run(Channel ch) throws Exception;
    }
}
