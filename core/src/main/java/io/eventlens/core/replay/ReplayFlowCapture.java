package io.eventlens.core.replay;

import io.eventlens.core.analysis.Timeline;
import io.eventlens.core.analysis.TimelineAnalyzer;
import io.eventlens.core.capture.CaptureLimits;
import io.eventlens.core.capture.CapturePipeline;
import io.eventlens.core.capture.CaptureSource;
import io.eventlens.core.capture.CaptureStats;
import io.eventlens.core.extract.EventExtractor;
import io.eventlens.core.store.CaptureStore;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * Captures the flow a replay causes, with the ordinary capture pipeline (docs/decisions/0006): a
 * {@link CapturePipeline} from the given source (a Kafka source starting at the replay's start, an
 * AMQP tap of the target exchanges) into a store of its own, started before the first send and
 * stopped a settle time after the last one. The replay's flow is then the events with the replay's
 * correlation ID (docs/decisions/0018-replay.md, "Comparison").
 */
public final class ReplayFlowCapture implements AutoCloseable {

    private final CapturePipeline pipeline;
    private final CaptureStore store;
    private final CompletableFuture<CaptureStats> run;

    private ReplayFlowCapture(CapturePipeline pipeline, CaptureStore store, CompletableFuture<CaptureStats> run) {
        this.pipeline = pipeline;
        this.store = store;
        this.run = run;
    }

    /**
     * The source that captures a replay's flow: for Kafka the target topics and the original flow's
     * channels as the plan maps them, those that exist on the target, from {@code from}; for
     * RabbitMQ a tap (classic queue, binding {@code #}) of each target exchange (the default exchange
     * cannot be tapped). Nothing is read or created before the capture starts.
     *
     * @param originalChannels the channels of the original flow
     * @param from             where the Kafka source starts (the replay's start, a little earlier)
     * @param timeout          how long to wait for the target
     * @throws io.eventlens.core.kafka.KafkaConnectException when the Kafka cluster cannot be listed
     * @throws ReplayException naming the endpoint when an AMQP replay goes to the default exchange only
     */
    public static CaptureSource sourceFor(ReplayPlan plan, java.util.Collection<String> originalChannels,
                                          java.time.Instant from, Duration timeout) {
        java.util.Set<String> channels = new java.util.LinkedHashSet<>(plan.targetChannels());
        java.util.Map<String, String> map = plan.options().channelMap();
        return switch (plan.target()) {
            case ReplayTarget.Kafka k -> {
                for (String c : originalChannels) {
                    channels.add(map.getOrDefault(c, c));
                }
                channels.retainAll(new java.util.HashSet<>(io.eventlens.core.kafka.KafkaClusterMetadata.listTopics(
                        k.bootstrapServers(), timeout)));
                io.eventlens.core.kafka.KafkaCaptureConfig.Builder b = io.eventlens.core.kafka.KafkaCaptureConfig
                        .builder(k.bootstrapServers()).topics(java.util.List.copyOf(channels))
                        .startPosition(new io.eventlens.core.kafka.StartPosition.AtTime(from)).connectTimeout(timeout);
                k.clientProperties().forEach(b::clientProperty);
                yield new io.eventlens.core.kafka.KafkaSource(b.build());
            }
            case ReplayTarget.Amqp a -> {
                io.eventlens.core.amqp.AmqpCaptureConfig c = a.connection();
                io.eventlens.core.amqp.AmqpCaptureConfig.Builder b = io.eventlens.core.amqp.AmqpCaptureConfig.builder()
                        .host(c.host()).port(c.port()).virtualHost(c.virtualHost()).username(c.username())
                        .password(c.password()).tls(c.tls()).connectTimeout(timeout).classicTap(true);
                channels.stream().filter(x -> !x.isEmpty()).forEach(x -> b.exchange(x, java.util.List.of()));
                if (channels.stream().allMatch(String::isEmpty)) {
                    throw new ReplayException(a.endpoint() + ": the replay goes to the default exchange only, which"
                            + " cannot be tapped; its flow is not captured");
                }
                yield new io.eventlens.core.amqp.AmqpSource(b.build());
            }
        };
    }

    /**
     * Starts capturing on a thread of its own and waits until the source is open (records produced
     * from now on are captured).
     *
     * @param source  the source of the replay's channels
     * @param store   the store the capture writes (opened for writing; closed by the caller)
     * @param rules   the extraction in force
     * @param timeout how long to wait for the source to open
     * @throws ReplayException naming the source when it does not open within {@code timeout} or fails
     */
    public static ReplayFlowCapture start(CaptureSource source, CaptureStore store, EventExtractor rules, Duration timeout) {
        CapturePipeline p = CapturePipeline.builder(Objects.requireNonNull(source, "source"), store, rules)
                .limits(CaptureLimits.NONE).build();
        CompletableFuture<CaptureStats> run = CompletableFuture.supplyAsync(() -> p.run(null),
                r -> Thread.ofPlatform().name("eventlens-replay-capture").daemon().start(r));
        try {
            if (!p.awaitStarted(timeout)) {
                p.stop();
                if (run.isDone()) {
                    run.join();   // rethrows the source's failure
                }
                throw new ReplayException("capturing the replay's flow from " + source.endpoint() + " did not start within "
                        + timeout.toMillis() + " ms");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            p.stop();
            throw new ReplayException("interrupted while starting the capture of the replay's flow", e);
        } catch (java.util.concurrent.CompletionException e) {
            throw new ReplayException("capturing the replay's flow from " + source.endpoint() + " failed: "
                    + (e.getCause() == null ? e : e.getCause()).getMessage(), e.getCause());
        }
        return new ReplayFlowCapture(p, store, run);
    }

    /**
     * Waits {@code settle} (for the system to react to the replay), stops the capture and analyses
     * the replay's flow.
     *
     * @param correlationId the replay's correlation ID
     * @return the replay's timeline (verdict NO_EVENTS when nothing of it was captured)
     */
    public Timeline finish(String correlationId, Duration settle, TimelineAnalyzer analyzer) {
        try {
            try {
                run.get(settle.toMillis(), TimeUnit.MILLISECONDS);
            } catch (java.util.concurrent.TimeoutException expected) {
                // the usual case: the capture runs until stopped
            }
            pipeline.stop();
            run.get(60, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            pipeline.stop();
        } catch (ExecutionException | java.util.concurrent.TimeoutException e) {
            Throwable c = e.getCause() == null ? e : e.getCause();
            throw new ReplayException("capturing the replay's flow from " + pipeline.source().endpoint() + " failed: "
                    + c.getMessage(), c);
        }
        return analyzer.analyze(correlationId, store.findByCorrelationId(correlationId));
    }

    /** Stops the capture (without waiting for the settle time). */
    @Override
    public void close() {
        pipeline.stop();
        try {
            run.get(60, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | java.util.concurrent.TimeoutException e) {
            // reported by finish(), or nothing to report
        }
    }
}
