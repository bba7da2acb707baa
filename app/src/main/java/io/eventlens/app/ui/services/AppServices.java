package io.eventlens.app.ui.services;

import io.eventlens.core.analysis.AnalysisSettings;
import io.eventlens.core.analysis.DeadLetterChannels;
import io.eventlens.core.analysis.Timeline;
import io.eventlens.core.analysis.TimelineAnalyzer;
import io.eventlens.core.capture.CaptureListener;
import io.eventlens.core.capture.CapturePipeline;
import io.eventlens.core.capture.CaptureStats;
import io.eventlens.core.extract.EventExtractor;
import io.eventlens.core.kafka.KafkaCaptureConfig;
import io.eventlens.core.kafka.KafkaClusterMetadata;
import io.eventlens.core.kafka.KafkaSource;
import io.eventlens.core.model.CapturedEvent;
import io.eventlens.core.store.CaptureStore;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.function.Predicate;

/**
 * The core services the view models use, as one immutable value so tests can substitute any of them
 * (an in-memory store, a fixed analysis). {@link #real(DemoStarter)} wires the core implementations; the
 * launcher ({@code io.eventlens.app.DesktopServices}) adds the demo, which the UI never imports.
 *
 * @param storeOpener       opens an existing capture file for reading: Open…, Recent, drag and drop, the
 *                          command line ({@link CaptureStore#openReadOnly(Path)}: checked, never written)
 * @param storeCreator      creates the capture file a capture writes ({@link CaptureStore#open(Path)})
 * @param analyzer          analyzes one correlation ID's events ({@link TimelineAnalyzer#analyze})
 * @param deadLetterChannel tells whether a channel name is a dead-letter channel (lanes are tinted)
 * @param topicLister       lists a cluster's topics ({@link KafkaClusterMetadata#listTopics(String, Duration)})
 * @param captureFactory    creates a Kafka capture into a store (a {@link CapturePipeline} running a {@link KafkaSource})
 * @param demoStarter       starts the live demo (the embedded broker and its saga)
 */
public record AppServices(
        StoreOpener storeOpener,
        StoreOpener storeCreator,
        Analyzer analyzer,
        Predicate<String> deadLetterChannel,
        TopicLister topicLister,
        CaptureFactory captureFactory,
        DemoStarter demoStarter) {

    public AppServices {
        Objects.requireNonNull(storeOpener, "storeOpener");
        Objects.requireNonNull(storeCreator, "storeCreator");
        Objects.requireNonNull(analyzer, "analyzer");
        Objects.requireNonNull(deadLetterChannel, "deadLetterChannel");
        Objects.requireNonNull(topicLister, "topicLister");
        Objects.requireNonNull(captureFactory, "captureFactory");
        Objects.requireNonNull(demoStarter, "demoStarter");
    }

    /** Opens (or creates) a capture store. */
    @FunctionalInterface
    public interface StoreOpener {
        /** @throws io.eventlens.core.store.CaptureStoreException naming the file */
        CaptureStore open(Path file);
    }

    /** Analyzes the events of one correlation ID into a timeline. */
    @FunctionalInterface
    public interface Analyzer {
        Timeline analyze(String correlationId, List<CapturedEvent> events);
    }

    /** Lists a Kafka cluster's topics. */
    @FunctionalInterface
    public interface TopicLister {
        /** @throws io.eventlens.core.kafka.KafkaConnectException naming the bootstrap servers */
        List<String> listTopics(String bootstrapServers, Duration timeout);
    }

    /** A running or runnable capture. */
    public interface CaptureRun {
        /** Blocks until the capture ends; see {@link CapturePipeline#run(CaptureListener)}. */
        CaptureStats run(CaptureListener listener);

        /** Asks the capture to stop; safe from any thread. */
        void stop();

        /**
         * The sources' warnings so far ({@link io.eventlens.core.capture.CaptureSource#warnings()}: a
         * tap's retention losses, publishers blocked by the broker); safe from any thread. None by default.
         */
        default List<String> warnings() {
            return List.of();
        }
    }

    /** Creates captures. */
    @FunctionalInterface
    public interface CaptureFactory {
        /** A Kafka capture into {@code store}. */
        CaptureRun create(KafkaCaptureConfig config, CaptureStore store);

        /**
         * A capture of every part of {@code request} into {@code store} (one pipeline). This default
         * handles a Kafka-only request (test doubles); {@link #real} handles AMQP too.
         *
         * @throws UnsupportedOperationException for an AMQP part when the factory records Kafka only
         */
        default CaptureRun create(CaptureRequest request, CaptureStore store) {
            if (request.amqp() != null) {
                throw new UnsupportedOperationException("this capture factory records Kafka only");
            }
            return create(request.kafka(), store);
        }
    }

    /** The real capture factory: one {@link CapturePipeline} over a Kafka source, an AMQP source, a probe source, or several. */
    private static final class PipelineCaptureFactory implements CaptureFactory {
        private final EventExtractor extractor;

        PipelineCaptureFactory(EventExtractor extractor) {
            this.extractor = extractor;
        }

        @Override
        public CaptureRun create(KafkaCaptureConfig config, CaptureStore store) {
            return create(CaptureRequest.of(config), store);
        }

        @Override
        public CaptureRun create(CaptureRequest request, CaptureStore store) {
            List<io.eventlens.core.capture.CaptureSource> sources = new java.util.ArrayList<>();
            if (request.kafka() != null) {
                sources.add(new KafkaSource(request.kafka()));
                // follows the consumer groups of the captured topics (docs/decisions/0021-consumer-groups.md)
                sources.add(new io.eventlens.core.kafka.ConsumerGroupFollower(request.kafka(),
                        io.eventlens.core.consumers.ConsumerFollowConfig.defaults(), store::appendConsumerProgress));
            }
            if (request.amqp() != null) {
                sources.add(new io.eventlens.core.amqp.AmqpSource(request.amqp()));
            }
            if (request.probe() != null) {
                sources.add(new io.eventlens.core.probe.ProbeSource(request.probe(), poll -> store.appendPolls(List.of(poll))));
            }
            io.eventlens.core.capture.CaptureSource source = io.eventlens.core.capture.CompositeSource.of(sources);
            CapturePipeline capture = new CapturePipeline(source, store, extractor, request.limits());
            return new CaptureRun() {
                @Override
                public CaptureStats run(CaptureListener listener) {
                    return capture.run(listener);
                }

                @Override
                public void stop() {
                    capture.stop();
                }

                @Override
                public List<String> warnings() {
                    return source.warnings();
                }
            };
        }
    }

    /** The live demo: an embedded broker and the flaky saga. */
    public interface Demo extends AutoCloseable {
        /** The demo broker's bootstrap servers. */
        String bootstrapServers();

        /** The demo's topics, the dead-letter topic included. */
        List<String> topics();

        /** A folder with the demo saga's contracts (docs/reference/contracts.md), or null when it has none. */
        default java.nio.file.Path contracts() {
            return null;
        }

        @Override
        void close();
    }

    /** Starts the demo (blocking, ~5 s). */
    @FunctionalInterface
    public interface DemoStarter {
        Demo start();
    }

    /**
     * The dead-letter naming convention of docs/reference/anomalies-and-verdicts.md ({@code *.DLT}, {@code *.dlq}, {@code *-dlq},
     * {@code *dead-letter*}), as decided by {@link DeadLetterChannels#isDeadLetter(String)}.
     */
    public static boolean namedLikeDeadLetter(String channel) {
        return channel != null && DeadLetterChannels.isDeadLetter(channel);
    }

    /**
     * The core implementations with default analysis settings and extraction rules, and
     * {@code demoStarter} for the live demo.
     */
    public static AppServices real(DemoStarter demoStarter) {
        ContractAwareAnalyzer analyzer = new ContractAwareAnalyzer(new TimelineAnalyzer(AnalysisSettings.defaults()));
        EventExtractor extractor = EventExtractor.withDefaults();
        return new AppServices(
                CaptureStore::openReadOnly,
                CaptureStore::open,
                analyzer,
                AppServices::namedLikeDeadLetter,
                KafkaClusterMetadata::listTopics,
                new PipelineCaptureFactory(extractor),
                demoStarter);
    }

    /** A copy with another store opener (for existing files, read-only). */
    public AppServices withStoreOpener(StoreOpener opener) {
        return new AppServices(opener, storeCreator, analyzer, deadLetterChannel, topicLister, captureFactory, demoStarter);
    }

    /** A copy with another store creator (for the files captures write). */
    public AppServices withStoreCreator(StoreOpener creator) {
        return new AppServices(storeOpener, creator, analyzer, deadLetterChannel, topicLister, captureFactory, demoStarter);
    }

    /** A copy with another analyzer. */
    public AppServices withAnalyzer(Analyzer a) {
        return new AppServices(storeOpener, storeCreator, a, deadLetterChannel, topicLister, captureFactory, demoStarter);
    }

    /** A copy with another topic lister. */
    public AppServices withTopicLister(TopicLister lister) {
        return new AppServices(storeOpener, storeCreator, analyzer, deadLetterChannel, lister, captureFactory, demoStarter);
    }

    /** A copy with another capture factory. */
    public AppServices withCaptureFactory(CaptureFactory factory) {
        return new AppServices(storeOpener, storeCreator, analyzer, deadLetterChannel, topicLister, factory, demoStarter);
    }

    /** A copy with another demo starter. */
    public AppServices withDemoStarter(DemoStarter starter) {
        return new AppServices(storeOpener, storeCreator, analyzer, deadLetterChannel, topicLister, captureFactory, starter);
    }
}
