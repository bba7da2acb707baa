package io.eventlens.core.artifact;

import io.eventlens.core.capture.CaptureLimits;
import io.eventlens.core.capture.CapturePipeline;
import io.eventlens.core.extract.EventExtractor;
import io.eventlens.core.model.CapturedEvent;
import io.eventlens.core.store.CaptureStore;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The artifact corpus under src/test/resources/artifacts and a helper that imports through the real pipeline. */
final class Corpus {

    private Corpus() {
    }

    /** A corpus file or folder. */
    static Path file(String name) {
        try {
            return Path.of(Corpus.class.getResource("/artifacts/" + name).toURI());
        } catch (URISyntaxException | NullPointerException e) {
            throw new IllegalStateException("corpus file missing: " + name, e);
        }
    }

    /** Imports {@code roots} into {@code store} through the capture pipeline; returns the source. */
    static ArtifactSource importInto(CaptureStore store, ZipLimits limits, Path... roots) {
        ArtifactSource source = new ArtifactSource(List.of(roots), limits);
        new CapturePipeline(source, store, EventExtractor.withDefaults(), CaptureLimits.NONE).run(null);
        return source;
    }

    /** Every stored event in store order. */
    static List<CapturedEvent> all(CaptureStore store) {
        List<CapturedEvent> out = new ArrayList<>();
        long from = 1;
        while (true) {
            List<CapturedEvent> page = store.page(from, 1000);
            if (page.isEmpty()) {
                return out;
            }
            out.addAll(page);
            from = page.get(page.size() - 1).seq() + 1;
        }
    }
}
