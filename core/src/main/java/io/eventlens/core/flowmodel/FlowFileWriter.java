package io.eventlens.core.flowmodel;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.UncheckedIOException;
import java.util.List;

/**
 * Writes the learned model of a capture as a flow file (docs/reference/flow-files.md), a starting
 * point for a declared one: one flow per learned family, its usual path as steps, each step's
 * timeout its learned hop limit (p99, or the largest hop times the margin), the last step terminal,
 * and a comment line per step with the learned counts and percentiles. YAML; every name is written
 * as a JSON string (valid YAML), so no name can break the file.
 */
public final class FlowFileWriter {

    private static final ObjectMapper JSON = new ObjectMapper();

    private FlowFileWriter() {
    }

    /**
     * The flow file text.
     *
     * @param model  the learned model
     * @param source what it was learned from (the capture's name), for the header comment
     */
    public static String write(FlowModel model, String source) {
        StringBuilder sb = new StringBuilder();
        sb.append("# yaml-language-server: $schema=https://eventlens.io/schemas/flows.schema.json\n");
        sb.append("# Flow families learned by EventLens from ").append(oneLine(source)).append(" (").append(model.flowCount())
                .append(" flows). Edit and use with --flows.\n");
        sb.append("version: 1\nflows:");
        List<FlowFamily> families = model.learnedFamilies();
        if (families.isEmpty()) {
            sb.append(" []\n");
            return sb.toString();
        }
        sb.append('\n');
        int n = 0;
        for (FlowFamily f : families) {
            List<Step> path = f.usualPath();
            sb.append("  - name: ").append(q(f.name() + (n++ == 0 ? "" : ""))).append('\n');
            sb.append("    description: ").append(q("learned from " + f.flowCount() + " flows")).append('\n');
            sb.append("    steps:\n");
            for (int i = 0; i < path.size(); i++) {
                Step s = path.get(i);
                FlowFamily.StepStats st = f.steps().get(s);
                HopStats hop = i == 0 ? null : f.hop(path.get(i - 1), s);
                sb.append("      # reached by ").append(st.flows()).append(" of ").append(f.flowCount()).append(" flows");
                if (hop != null) {
                    sb.append("; hop p50 ").append(hop.p50Ms()).append(" ms, p95 ").append(hop.p95Ms()).append(" ms, p99 ")
                            .append(hop.p99Ms()).append(" ms over ").append(hop.count()).append(" hops")
                            .append(hop.estimated() ? " (too few for a p99: timeout = largest x margin)" : "");
                }
                sb.append('\n');
                sb.append("      - ");
                if (s.type() != null) {
                    sb.append("type: ").append(q(s.type())).append("\n        ");
                }
                sb.append("channel: ").append(q(s.channel())).append('\n');
                if (hop != null) {
                    sb.append("        timeout: ").append(q(Math.max(1, hop.thresholdMs()) + "ms")).append('\n');
                }
                if (i == path.size() - 1) {
                    sb.append("        terminal: true\n");
                }
            }
        }
        return sb.toString();
    }

    private static String q(String s) {
        try {
            return JSON.writeValueAsString(s);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String oneLine(String s) {
        return s == null ? "a capture" : s.replaceAll("[\\r\\n\\p{Cntrl}]", " ");
    }
}
