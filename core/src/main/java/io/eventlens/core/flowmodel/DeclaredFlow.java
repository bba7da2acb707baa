package io.eventlens.core.flowmodel;

import java.util.List;
import java.util.Objects;

/**
 * A flow family declared in a flow file (docs/reference/flow-files.md): its steps in order, with
 * optional steps, parallel branches, per-step timeouts and SLOs and terminal steps. Declared beats
 * learned: a flow whose first step is {@link #start()} is judged by this declaration only.
 *
 * @param name  the family's name
 * @param steps its steps, in file order (each with its stage and branch)
 * @param file  the flow file's name, for evidence
 * @param line  the line of the flow file where the flow begins
 */
public record DeclaredFlow(String name, List<DeclaredStep> steps, String file, int line) {

    public DeclaredFlow {
        Objects.requireNonNull(name, "name");
        steps = List.copyOf(steps);
        if (steps.isEmpty()) {
            throw new IllegalArgumentException("a declared flow needs a step");
        }
        Objects.requireNonNull(file, "file");
    }

    /** The first step: a flow that starts with it belongs to this family. */
    public Step start() {
        return steps.get(0).step();
    }

    /** The declaration of a step, or null when the flow does not declare it. */
    public DeclaredStep find(Step step) {
        for (DeclaredStep d : steps) {
            if (d.step().equals(step)) {
                return d;
            }
        }
        return null;
    }

    /** {@code checkout (flows.yaml line 3)}. */
    public String where() {
        return name + " (" + file + " line " + line + ")";
    }
}
