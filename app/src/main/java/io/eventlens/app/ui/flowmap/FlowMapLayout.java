package io.eventlens.app.ui.flowmap;

import io.eventlens.core.analysis.ExpectedStep;
import io.eventlens.core.analysis.Timeline;
import io.eventlens.core.analysis.TimelineEntry;
import io.eventlens.core.flowmodel.FlowFamily;
import io.eventlens.core.flowmodel.FlowPath;
import io.eventlens.core.flowmodel.HopStats;
import io.eventlens.core.flowmodel.Step;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The geometry of the Flow map of one family, free of any UI type: a box per step (columns by hop
 * distance from the family's first step), an arrow per transition with its count and hop latency
 * percentiles, the usual path in bold, and the selected flow's path highlighted with where it left
 * the usual path and its expected steps that never came (docs/reference/anomalies-and-verdicts.md,
 * "Expected flows"). Coordinates are px from the top-left corner.
 *
 * @param width  drawing width
 * @param height drawing height
 * @param nodes  the steps drawn
 * @param edges  the transitions drawn, then the selected flow's expected steps (dashed)
 * @param note   a line about what is drawn ("12 of 14 steps; transitions seen in fewer than 1% of flows left out")
 */
public record FlowMapLayout(double width, double height, List<Node> nodes, List<Edge> edges, String note) {

    /** Box width of a step, px. */
    public static final double NODE_W = 150;
    /** Box height of a step, px. */
    public static final double NODE_H = 54;
    static final double COL_GAP = 116;
    static final double ROW_GAP = 46;
    static final double MARGIN = 24;
    /** At most this many steps are drawn (the most reached first). */
    static final int MAX_NODES = 24;

    public FlowMapLayout {
        nodes = List.copyOf(nodes);
        edges = List.copyOf(edges);
    }

    /** Nothing to draw. */
    public static FlowMapLayout empty() {
        return new FlowMapLayout(400, 120, List.of(), List.of(), "");
    }

    /**
     * A step's box.
     *
     * @param step     the step
     * @param x        left, px
     * @param y        top, px
     * @param title    the event type
     * @param subtitle channel and how many flows reached it
     * @param usual    on the family's usual path
     * @param onFlow   the selected flow has this step
     * @param missing  the selected flow's expected step of this kind never came here, or null
     * @param ends     how many flows ended here
     */
    public record Node(Step step, double x, double y, String title, String subtitle, boolean usual, boolean onFlow,
                       ExpectedStep.Kind missing, int ends) {
        /** Centre x. */
        public double cx() {
            return x + NODE_W / 2;
        }

        /** Centre y. */
        public double cy() {
            return y + NODE_H / 2;
        }
    }

    /**
     * An arrow between two steps.
     *
     * @param from     the step before (null for an expected step with no box before)
     * @param to       the step after
     * @param x1       start x (right edge of the box before, or its bottom for a back edge)
     * @param y1       start y
     * @param x2       end x
     * @param y2       end y
     * @param label    count and percentiles, or the expected step's evidence
     * @param count    how many times the transition was seen (0 for an expected step)
     * @param usual    on the usual path
     * @param onFlow   the selected flow took it
     * @param leftUsual the selected flow left the usual path with it
     * @param expected the selected flow's expected step it points to (dashed), or null
     * @param back     it goes to a column not to the right (drawn curved under the boxes)
     * @param tooltip  the whole evidence
     * @param arc      it skips a column within one row (drawn as an arc above the boxes)
     * @param labelX   centre x of its label
     * @param labelY   centre y of its label
     */
    public record Edge(Step from, Step to, double x1, double y1, double x2, double y2, String label, int count,
                       boolean usual, boolean onFlow, boolean leftUsual, ExpectedStep.Kind expected, boolean back,
                       String tooltip, boolean arc, double labelX, double labelY) {
        /** The y of an arc's top (or of a back edge's bottom) for drawing. */
        public double bendY() {
            return back ? Math.max(y1, y2) + 30 : Math.min(y1, y2) - 42 - Math.abs(x2 - x1) / 40;
        }
    }

    /**
     * The map of {@code family}, with {@code flow} (the shown timeline, may be null or of another
     * family) highlighted.
     */
    public static FlowMapLayout of(FlowFamily family, Timeline flow) {
        if (family == null) {
            return empty();
        }
        int n = Math.max(1, family.flowCount());
        List<Step> usual = family.usualPath();
        FlowPath path = null;
        List<ExpectedStep> expected = List.of();
        if (flow != null && !flow.entries().isEmpty()) {
            FlowPath p = FlowPath.of(flow.correlationId(), flow.entries().stream().map(TimelineEntry::event).toList());
            if (!p.isEmpty() && p.steps().get(0).equals(family.start())) {
                path = p;
                expected = flow.expectedSteps();
            }
        }
        Set<Step> flowSteps = path == null ? Set.of() : new HashSet<>(path.steps());
        Map<Step, ExpectedStep.Kind> missingKind = new HashMap<>();
        for (ExpectedStep x : expected) {
            missingKind.putIfAbsent(new Step(x.type(), x.channel()), x.kind());
        }

        // the steps drawn: the usual path, the selected flow's, then the most reached
        Set<Step> shown = new LinkedHashSet<>(usual);
        shown.addAll(flowSteps);
        for (Step s : missingKind.keySet()) {
            if (family.steps().containsKey(s)) {
                shown.add(s);
            }
        }
        List<FlowFamily.StepStats> byReach = new ArrayList<>(family.steps().values());
        byReach.sort(Comparator.comparingInt(FlowFamily.StepStats::flows).reversed());
        for (FlowFamily.StepStats st : byReach) {
            if (shown.size() >= MAX_NODES) {
                break;
            }
            if (st.flows() * 100L >= n) {
                shown.add(st.step());
            }
        }
        for (Step s : missingKind.keySet()) {
            shown.add(s);   // an expected step the family does not know (declared): drawn too
        }

        // columns: the longest chain of drawn transitions from the start (a step after a branch sits
        // after both branches); a cycle stops growing at the number of steps
        Map<Step, Integer> depth = new HashMap<>();
        depth.put(family.start(), 0);
        List<HopStats> drawnHops = new ArrayList<>();
        for (HopStats h : family.allHops()) {
            if (shown.contains(h.from()) && shown.contains(h.to()) && !h.from().equals(h.to())
                    && !h.to().equals(family.start()) && h.count() * 100L >= n) {
                drawnHops.add(h);
            }
        }
        for (int round = 0; round < shown.size(); round++) {
            boolean changed = false;
            for (HopStats h : drawnHops) {
                Integer a = depth.get(h.from());
                if (a != null && a + 1 < shown.size() && depth.getOrDefault(h.to(), -1) < a + 1) {
                    depth.put(h.to(), a + 1);
                    changed = true;
                }
            }
            if (!changed) {
                break;
            }
        }
        // a step of the shown flow reached only by a rare transition: right after the step it came from
        if (path != null) {
            for (int i = 1; i < path.size(); i++) {
                Integer a = depth.get(path.steps().get(i - 1));
                if (a != null && !depth.containsKey(path.steps().get(i))) {
                    depth.put(path.steps().get(i), a + 1);
                }
            }
        }
        int maxDepth = depth.values().stream().mapToInt(Integer::intValue).max().orElse(0);
        for (Step s : shown) {
            depth.putIfAbsent(s, ++maxDepth);
        }
        Map<Integer, List<Step>> columns = new java.util.TreeMap<>();
        for (Step s : shown) {
            columns.computeIfAbsent(depth.get(s), k -> new ArrayList<>()).add(s);
        }
        Set<Step> usualSet = new HashSet<>(usual);
        Map<Step, Node> nodes = new LinkedHashMap<>();
        double height = 0;
        double width = 0;
        for (Map.Entry<Integer, List<Step>> col : columns.entrySet()) {
            List<Step> steps = col.getValue();
            steps.sort(Comparator.comparing((Step s) -> !usualSet.contains(s))
                    .thenComparing(s -> -(family.steps().containsKey(s) ? family.steps().get(s).flows() : 0)));
            double x = MARGIN + col.getKey() * (NODE_W + COL_GAP);
            // the usual path runs along the top row; other steps of the column below it
            int row = steps.stream().anyMatch(usualSet::contains) ? 0 : 1;
            for (int i = 0; i < steps.size(); i++, row++) {
                Step s = steps.get(i);
                double y = MARGIN + 52 + row * (NODE_H + ROW_GAP);
                FlowFamily.StepStats st = family.steps().get(s);
                String sub = s.channel() + (st == null ? " · not learned"
                        : " · " + st.flows() + "/" + family.flowCount() + (st.ends() > 0 ? " · " + st.ends() + " end" : ""));
                nodes.put(s, new Node(s, x, y, s.type() == null ? "(untyped)" : s.type(), sub, usualSet.contains(s),
                        flowSteps.contains(s), flowSteps.contains(s) ? null : missingKind.get(s), st == null ? 0 : st.ends()));
                height = Math.max(height, y + NODE_H + MARGIN + 40);
                width = Math.max(width, x + NODE_W + MARGIN);
            }
        }

        // the selected flow's transitions and where it left the usual path
        Set<List<Step>> flowHops = new HashSet<>();
        List<Step> leftAt = null;
        if (path != null) {
            for (int i = 1; i < path.size(); i++) {
                List<Step> hop = List.of(path.steps().get(i - 1), path.steps().get(i));
                flowHops.add(hop);
                HopStats usualNext = family.expectedNext(hop.get(0));
                if (leftAt == null && usualNext != null && !usualNext.to().equals(hop.get(1))) {
                    leftAt = hop;
                }
            }
        }
        Set<List<Step>> usualHops = new HashSet<>();
        for (int i = 1; i < usual.size(); i++) {
            usualHops.add(List.of(usual.get(i - 1), usual.get(i)));
        }
        List<Edge> edges = new ArrayList<>();
        int hidden = 0;
        for (HopStats h : family.allHops()) {
            Node a = nodes.get(h.from());
            Node b = nodes.get(h.to());
            List<Step> key = List.of(h.from(), h.to());
            if (a == null || b == null || (h.count() * 100L < n && !flowHops.contains(key))) {
                hidden++;
                continue;
            }
            String label = h.count() + "×  " + h.p50Ms() + "/" + h.p95Ms() + "/" + h.p99Ms() + " ms";
            String tip = h.from().label() + " → " + h.to().label() + "\n" + h.count() + " hops; p50 " + h.p50Ms()
                    + " ms, p95 " + h.p95Ms() + " ms, p99 " + h.p99Ms() + " ms, max " + h.maxMs() + " ms"
                    + (h.estimated() ? "\nfewer than 100 hops: the limit is the largest × margin, "
                    + h.thresholdMs() + " ms" : "\nlimit (p99) " + h.thresholdMs() + " ms");
            edges.add(edge(a, b, label, h.count(), usualHops.contains(key), flowHops.contains(key), key.equals(leftAt),
                    null, tip, 0, nodes.values()));
        }
        if (path != null) {
            Map<Long, Step> stepOfSeq = new HashMap<>();
            for (int i = 0; i < path.size(); i++) {
                stepOfSeq.put(path.seqs()[i], path.steps().get(i));
            }
            for (ExpectedStep x : expected) {
                Node a = nodes.get(stepOfSeq.get(x.afterSeq()));
                Node b = nodes.get(new Step(x.type(), x.channel()));
                if (a == null || b == null) {
                    continue;
                }
                String what = switch (x.kind()) {
                    case STOPPED -> "stopped here: never came";
                    case MISSING_STEP -> "skipped";
                    case IN_FLIGHT -> "in flight: not due yet";
                };
                edges.add(edge(a, b, what, 0, false, false, false, x.kind(), x.message(), 9, nodes.values()));
            }
        }
        String note = nodes.size() + " of " + family.steps().size() + " steps"
                + (hidden > 0 ? "; " + hidden + (hidden == 1 ? " transition" : " transitions")
                + " seen in fewer than 1% of flows not drawn" : "");
        return new FlowMapLayout(Math.max(width, 400), Math.max(height, 140), List.copyOf(nodes.values()), edges, note);
    }

    private static Edge edge(Node a, Node b, String label, int count, boolean usual, boolean onFlow, boolean left,
                             ExpectedStep.Kind expected, String tip, double offset, java.util.Collection<Node> all) {
        boolean back = b.x() <= a.x();
        double x1 = back ? a.cx() + offset : a.x() + NODE_W;
        double y1 = back ? a.y() + NODE_H : a.cy() + offset;
        double x2 = back ? b.cx() + offset : b.x();
        double y2 = back ? b.y() + NODE_H : b.cy() + offset;
        // an arc above the row when a box of the same row stands between the two
        boolean arc = !back && Math.abs(a.y() - b.y()) < 1
                && all.stream().anyMatch(n -> Math.abs(n.y() - a.y()) < 1 && n.x() > a.x() && n.x() < b.x());
        double lx = (x1 + x2) / 2;
        double ly = (y1 + y2) / 2 + (expected != null ? 9 : 0);
        Edge e = new Edge(a.step(), b.step(), x1, y1, x2, y2, label, count, usual, onFlow, left, expected, back, tip, arc,
                lx, ly);
        if (back || arc) {
            e = new Edge(a.step(), b.step(), x1, y1, x2, y2, label, count, usual, onFlow, left, expected, back, tip, arc,
                    lx, arc ? e.bendY() * 0.75 + y1 * 0.25 : e.bendY());
        }
        return e;
    }

    /** The node under a point, or null. */
    public Node nodeAt(double x, double y) {
        for (Node n : nodes) {
            if (x >= n.x() && x <= n.x() + NODE_W && y >= n.y() && y <= n.y() + NODE_H) {
                return n;
            }
        }
        return null;
    }

    /** The edge whose label or middle is near a point (12 px), or null. */
    public Edge edgeAt(double x, double y) {
        for (Edge e : edges) {
            if (Math.abs(x - e.labelX()) < 70 && Math.abs(y - e.labelY()) < 10) {
                return e;
            }
        }
        return null;
    }
}
