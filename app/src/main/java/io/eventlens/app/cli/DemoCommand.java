package io.eventlens.app.cli;

import io.eventlens.app.demo.DemoEnvironment;
import io.eventlens.app.demo.SagaSimulator;
import io.eventlens.core.capture.CaptureListener;
import io.eventlens.core.capture.CapturePipeline;
import io.eventlens.core.capture.CaptureStats;
import io.eventlens.core.extract.EventExtractor;
import io.eventlens.core.kafka.KafkaCaptureConfig;
import io.eventlens.core.kafka.KafkaSource;
import io.eventlens.core.kafka.StartPosition;
import io.eventlens.core.store.CaptureStore;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code eventlens demo}: starts the live demo headless (an embedded Kafka broker and the flaky
 * checkout saga, see {@link DemoEnvironment}), prints the bootstrap servers and topics on stdout,
 * and runs until Ctrl-C or {@code --duration}. With {@code --capture-out FILE} (alias {@code --out})
 * it also captures the demo topics into that store from the start, and at the end prints a
 * {@code timeline} command line for one flow of each fault kind.
 */
@Command(name = "demo", sortOptions = false, mixinStandardHelpOptions = true,
        description = {"Run an embedded Kafka broker with a simulated, deliberately flaky checkout saga",
                "(duplicates, a conflicting duplicate, out-of-order, a slow hop, a poison message to orders.DLT)."},
        footer = {"", "Example:", "  eventlens demo --duration 1m --capture-out demo.mv.db --contracts-out demo-contracts"})
public final class DemoCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--duration", paramLabel = "DURATION", converter = Durations.Converter.class,
            description = "Stop after this long (500ms, 30s, 2m, 1h, PT30S). Default: until Ctrl-C.")
    Duration duration;

    @Option(names = {"--capture-out", "--out"}, paramLabel = "FILE",
            description = "Also capture the demo topics into this capture store (.mv.db may be left off).")
    Path captureOut;

    @Option(names = "--contracts-out", paramLabel = "DIR",
            description = "Also write the saga's contracts (a mapping file and an AsyncAPI 3 document) into this folder,"
                    + " for check-contracts and --contracts.")
    Path contractsOut;

    @Override
    public Integer call() throws InterruptedException {
        if (!DemoEnvironment.brokerInstalled()) {
            throw new InputException(DemoEnvironment.BROKER_MISSING);
        }
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (duration != null && duration.isZero()) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--duration: must be positive, was 0");
        }
        if (contractsOut != null) {
            try {
                io.eventlens.app.demo.DemoContracts.writeTo(contractsOut);
            } catch (java.io.UncheckedIOException e) {
                throw new InputException(e.getMessage(), e);
            }
            err.println("eventlens demo: the saga's contracts are in " + contractsOut + "; check a capture with:");
            err.println("  eventlens check-contracts --capture demo.mv.db --contracts " + contractsOut);
        }
        err.println("eventlens demo: starting the embedded Kafka broker and the checkout saga...");
        err.flush();
        CountDownLatch stopSignal = new CountDownLatch(1);
        AtomicReference<CapturePipeline> captureRef = new AtomicReference<>();
        try (GracefulStop stop = GracefulStop.onShutdown(() -> {
            CapturePipeline c = captureRef.get();
            if (c != null) {
                c.stop();
            }
            stopSignal.countDown();
        }, Duration.ofSeconds(30));
             DemoEnvironment demo = DemoEnvironment.start()) {
            out.println("bootstrap servers: " + demo.bootstrapServers());
            out.println("topics: " + String.join(",", demo.topics()));
            out.flush();
            err.println("eventlens demo: running" + (duration == null ? " until Ctrl-C" : " for " + Durations.format(duration))
                    + "; every fault kind appears within about 10 s. Capture it with:");
            err.println("  eventlens capture --kafka " + demo.bootstrapServers() + " --topic-pattern '.*' --out demo.mv.db");
            err.flush();
            if (captureOut == null) {
                await(stopSignal);
                printSummary(err, demo, null);
                return ExitCodes.OK;
            }
            return runWithCapture(demo, stopSignal, captureRef, err);
        }
    }

    private int runWithCapture(DemoEnvironment demo, CountDownLatch stopSignal,
                               AtomicReference<CapturePipeline> captureRef, PrintWriter err) throws InterruptedException {
        Path file = CommonOptions.storeFile(captureOut);
        KafkaCaptureConfig config = KafkaCaptureConfig.builder(demo.bootstrapServers())
                .topics(demo.topics())
                .startPosition(new StartPosition.Earliest())
                .build();
        try (CaptureStore store = CaptureStore.open(file)) {
            CapturePipeline capture = new CapturePipeline(new KafkaSource(config), store, EventExtractor.withDefaults(),
                    config.limits());
            captureRef.set(capture);
            AtomicReference<CaptureStats> result = new AtomicReference<>();
            AtomicReference<RuntimeException> failure = new AtomicReference<>();
            Thread worker = new Thread(() -> {
                try {
                    result.set(capture.run(CaptureListener.NONE));
                } catch (RuntimeException e) {
                    failure.set(e);
                } finally {
                    stopSignal.countDown();
                }
            }, "eventlens-demo-capture");
            worker.start();
            err.println("eventlens demo: capturing into " + file);
            err.flush();
            await(stopSignal);
            capture.stop();
            worker.join(TimeUnit.SECONDS.toMillis(30));
            if (failure.get() != null) {
                throw new InputException("capturing the demo into " + file + " failed: " + failure.get().getMessage(),
                        failure.get());
            }
            CaptureStats stats = result.get();
            err.println("eventlens demo: captured " + (stats == null ? store.eventCount() : stats.events())
                    + " events into " + file);
            printSummary(err, demo, file);
            return ExitCodes.OK;
        }
    }

    private void await(CountDownLatch stopSignal) throws InterruptedException {
        if (duration == null) {
            stopSignal.await();
        } else {
            stopSignal.await(duration.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    private static void printSummary(PrintWriter err, DemoEnvironment demo, Path file) {
        err.println("eventlens demo: " + demo.flowsStarted() + " flows; faults injected " + demo.faultsInjected());
        for (Map.Entry<SagaSimulator.Fault, String> e : demo.latestExamples().entrySet()) {
            err.println("  " + e.getKey() + ": " + (file == null ? e.getValue()
                    : "eventlens timeline --capture " + file + " --correlation-id " + e.getValue()));
        }
        err.flush();
    }
}
