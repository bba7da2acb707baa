package io.eventlens.core.capture;

import io.eventlens.core.model.CapturedEvent;
import io.eventlens.core.model.Channel;
import io.eventlens.core.model.ChannelKind;
import io.eventlens.core.model.Header;
import io.eventlens.core.model.SourcePosition;
import io.eventlens.core.store.CaptureStore;
import io.eventlens.core.store.StreamPosition;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * An in-memory broker as a {@link CaptureSource} that is not Kafka's shape: it PUSHES from threads
 * of its own (like an AMQP client's consumer threads), has no replayable positions (it stores none
 * and ignores stored ones), and takes acknowledgements per delivery tag in whatever order they come.
 *
 * <p>Pusher {@code i} of {@code n} pushes the messages whose tag is {@code i} modulo {@code n}, in
 * batches. Pusher 0 waits until pusher 1 delivered its first batch, so the store commits a batch of
 * higher tags before the lowest ones: acknowledgements then arrive out of tag order, as they do from
 * several AMQP channels.
 *
 * <p>Every acknowledgement is checked against the store at the moment it arrives: a delivery
 * acknowledged before it is stored is a {@link #violations() violation}.
 */
final class FakePushSource implements CaptureSource {

    static final String KIND = "fake";
    /** A broker that never has a message: the source waits for the capture's stop. */
    static final long IDLE = -1;
    static final Channel CHANNEL = new Channel(ChannelKind.AMQP_QUEUE, "fake.orders");

    /** One message of the fake broker. */
    record Message(long tag, String eventId, byte[] payload) {
    }

    /** A fake delivery's coordinates: its tag; no ordering promise. */
    record FakePosition(long tag) implements SourcePosition {
        @Override
        public String sourceKind() {
            return KIND;
        }

        @Override
        public String orderingStream() {
            return null;
        }

        @Override
        public String messageCoordinates() {
            return "tag " + tag;
        }

        @Override
        public String describe() {
            return "#" + tag;
        }

        @Override
        public Map<String, Object> attributes() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("deliveryTag", tag);
            m.put("pusher", (int) (tag % 7));
            m.put("redelivered", false);
            m.put("queue", CHANNEL.name());
            m.put("expiration", null);
            return m;
        }

        @Override
        public String observedTimeMeaning() {
            return "capture time";
        }
    }

    private final long messages;
    private final int pushers;
    private final int batchSize;
    private final int payloadPadding;
    private final CaptureStore store;
    private final Duration outageGrace;

    private final List<Long> ackedTags = new CopyOnWriteArrayList<>();
    private final Set<Long> givenBack = ConcurrentHashMap.newKeySet();
    private final List<String> violations = new CopyOnWriteArrayList<>();
    private final AtomicLong deliveredBytes = new AtomicLong();
    private final AtomicLong acknowledgedBytes = new AtomicLong();
    private final AtomicInteger blockedInDeliver = new AtomicInteger();
    private final List<Thread> threads = new ArrayList<>();
    private volatile boolean opened;
    private volatile boolean runReturned;
    private volatile boolean closed;
    private volatile Instant lostSince;

    /**
     * @param messages       how many messages the broker holds; {@link Long#MAX_VALUE} for an endless
     *                       stream; {@link #IDLE} for none, waiting for the stop
     * @param pushers        pushing threads, 2 or more
     * @param batchSize      messages per delivery
     * @param payloadPadding extra payload bytes per message
     * @param store          the store the pipeline writes, to check each acknowledgement against
     */
    FakePushSource(long messages, int pushers, int batchSize, int payloadPadding, CaptureStore store) {
        this(messages, pushers, batchSize, payloadPadding, store, Duration.ofSeconds(10));
    }

    FakePushSource(long messages, int pushers, int batchSize, int payloadPadding, CaptureStore store, Duration outageGrace) {
        this.messages = messages;
        this.pushers = pushers;
        this.batchSize = batchSize;
        this.payloadPadding = payloadPadding;
        this.store = store;
        this.outageGrace = outageGrace;
    }

    @Override
    public String kind() {
        return KIND;
    }

    @Override
    public String endpoint() {
        return "fake broker at memory:1";
    }

    @Override
    public Duration outageGrace() {
        return outageGrace;
    }

    @Override
    public void open(StoredPositions stored) {
        opened = true; // nothing to resume: a push broker redelivers what was not acknowledged
    }

    @Override
    public String sourceId() {
        return opened ? "fake-broker-1" : null;
    }

    @Override
    public void run(SourceContext context) throws InterruptedException {
        if (messages == IDLE) {
            while (!context.awaitStop(Duration.ofSeconds(1))) {
                // subscribed, nothing arrives
            }
            runReturned = true;
            return;
        }
        CountDownLatch secondPusherDelivered = new CountDownLatch(1);
        for (int i = 0; i < pushers; i++) {
            int pusher = i;
            Thread t = new Thread(() -> push(context, pusher, secondPusherDelivered), "fake-pusher-" + i);
            t.setDaemon(true);
            threads.add(t);
            t.start();
        }
        try {
            while (threads.stream().anyMatch(Thread::isAlive)) {
                if (context.awaitStop(Duration.ofMillis(20))) {
                    break;
                }
            }
            for (Thread t : threads) {
                t.join(); // a pusher blocked in deliver returns once the capture is stopping
            }
        } finally {
            runReturned = true;
        }
    }

    private void push(SourceContext context, int pusher, CountDownLatch secondPusherDelivered) {
        try {
            if (pusher == 0) {
                secondPusherDelivered.await();
            }
            long tag = pusher;
            while (tag < messages && !context.stopping()) {
                List<Message> batch = new ArrayList<>(batchSize);
                long bytes = 0;
                for (; batch.size() < batchSize && tag < messages; tag += pushers) {
                    Message m = message(tag);
                    batch.add(m);
                    bytes += m.payload().length;
                }
                long batchBytes = bytes;
                blockedInDeliver.incrementAndGet();
                int taken;
                try {
                    taken = context.deliver(new SourceBatch<>(batch, FakePushSource::toEvent, Instant.now(), bytes,
                            SourceBatch.BatchPositions.NONE, n -> acknowledge(batch, n, batchBytes)));
                } finally {
                    blockedInDeliver.decrementAndGet();
                }
                deliveredBytes.addAndGet(taken == batch.size() ? bytes : bytes * taken / batch.size());
                if (pusher == 1) {
                    secondPusherDelivered.countDown();
                }
                if (taken < batch.size()) {
                    batch.subList(taken, batch.size()).forEach(m -> givenBack.add(m.tag()));
                    return;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            secondPusherDelivered.countDown();
        }
    }

    private Message message(long tag) {
        String id = "m-" + tag;
        String json = "{\"eventId\":\"" + id + "\",\"correlationId\":\"c-" + (tag / 4) + "\",\"type\":\"Fake\",\"pad\":\""
                + "x".repeat(payloadPadding) + "\"}";
        return new Message(tag, id, json.getBytes(StandardCharsets.UTF_8));
    }

    private static CapturedEvent toEvent(Message m, Instant capturedAt, FieldDeriver derive) {
        List<Header> headers = List.of(Header.ofString("delivery-tag", Long.toString(m.tag())));
        return new CapturedEvent(0, CHANNEL, new FakePosition(m.tag()), capturedAt, capturedAt, null, headers,
                m.payload(), derive.derive(CHANNEL, null, headers, m.payload()));
    }

    private void acknowledge(List<Message> batch, int n, long batchBytes) {
        // the n records of a delivery are appended in one transaction: the last one stored means all are
        Message last = batch.get(n - 1);
        if (store.findByEventId(last.eventId()).isEmpty()) {
            violations.add("acknowledged before it was stored: " + last.eventId());
        }
        for (Message m : batch.subList(0, n)) {
            ackedTags.add(m.tag());
        }
        acknowledgedBytes.addAndGet(n == batch.size() ? batchBytes : batchBytes * n / batch.size());
    }

    @Override
    public SourceHealth health() {
        Instant since = lostSince;
        return since == null ? SourceHealth.connected(endpoint()) : SourceHealth.lost(endpoint(), since);
    }

    /** Makes the broker look unreachable since {@code since}, or connected with null. */
    void lostSince(Instant since) {
        lostSince = since;
    }

    @Override
    public String describe(StreamPosition position) {
        return "fake stream " + position.stream();
    }

    @Override
    public void close() {
        closed = true;
    }

    /** Acknowledged delivery tags, in the order the acknowledgements arrived. */
    List<Long> ackedTags() {
        return ackedTags;
    }

    /** Tags the pipeline did not take (max events reached, stopping): never stored, never acknowledged. */
    Set<Long> givenBack() {
        return givenBack;
    }

    /** Acknowledgements that came before their message was stored. */
    List<String> violations() {
        return violations;
    }

    /** Payload bytes the pipeline took and has not acknowledged yet. */
    long unacknowledgedBytes() {
        return deliveredBytes.get() - acknowledgedBytes.get();
    }

    /** Pusher threads inside {@link SourceContext#deliver} right now. */
    int blockedInDeliver() {
        return blockedInDeliver.get();
    }

    /** The pushing threads, once {@link #run} started them. */
    List<Thread> pusherThreads() {
        return threads;
    }

    boolean runReturned() {
        return runReturned;
    }

    boolean closed() {
        return closed;
    }
}
