package io.eventlens.core.replay;

/**
 * A replay refused before anything was sent (docs/reference/replay.md, "Safety"): the target is
 * labelled production, has no label, or matches a production pattern. The message says which and
 * why; the CLI exits 3 with it.
 */
public final class ReplayRefusedException extends RuntimeException {

    /** A refusal with this reason. */
    public ReplayRefusedException(String message) {
        super(message);
    }
}
