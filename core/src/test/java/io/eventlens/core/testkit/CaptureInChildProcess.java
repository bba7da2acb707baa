package io.eventlens.core.testkit;

import io.eventlens.core.capture.CaptureListener;
import io.eventlens.core.capture.CapturePipeline;
import io.eventlens.core.extract.EventExtractor;
import io.eventlens.core.kafka.KafkaCaptureConfig;
import io.eventlens.core.kafka.KafkaSource;
import io.eventlens.core.kafka.StartPosition;
import io.eventlens.core.model.CapturedEvent;
import io.eventlens.core.store.CaptureStore;
import java.nio.file.Path;
import java.util.List;

/**
 * Run in a child JVM: captures {@code args[1]} from bootstrap servers {@code args[0]} into the
 * store {@code args[2]}, resuming, until killed; prints {@code committed <n>} after each committed
 * batch. Lets a test kill a capture mid-stream (SIGKILL, no shutdown hooks) and check the resume.
 */
public final class CaptureInChildProcess {

    private CaptureInChildProcess() {
    }

    public static void main(String[] args) {
        CaptureStore store = CaptureStore.open(Path.of(args[2]));
        KafkaCaptureConfig config = KafkaCaptureConfig.builder(args[0]).topic(args[1])
                .startPosition(new StartPosition.Resume()).build();
        CapturePipeline capture = new CapturePipeline(new KafkaSource(config), store, EventExtractor.withDefaults(),
                config.limits());
        long[] total = {0};
        capture.run(new CaptureListener() {
            @Override
            public void onBatch(List<CapturedEvent> committed) {
                total[0] += committed.size();
                System.out.println("committed " + total[0]);
                System.out.flush();
            }
        });
    }
}
