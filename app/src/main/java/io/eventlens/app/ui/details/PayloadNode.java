package io.eventlens.app.ui.details;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import javafx.scene.control.TreeItem;

/**
 * One node of the payload's field tree in the details pane: its path from the payload's root (map
 * keys as strings, list indexes as integers), its label and, for a scalar, its value as the filter
 * variable {@code payload} holds it (String, Long, Double, Boolean or {@code null}), so that
 * "Filter on this" can select it exactly ({@link io.eventlens.core.filter.FilterExpressions#payloadField}).
 *
 * @param path   the path from the root
 * @param label  what the tree shows: {@code name: value} or {@code name {n}} / {@code name [n]}
 * @param scalar whether it is a scalar (a value to filter on)
 * @param value  the scalar's value
 */
public record PayloadNode(List<Object> path, String label, boolean scalar, Object value) {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** The tree of a JSON payload text (pretty or not), or an empty root when it is not a JSON object or array. */
    public static TreeItem<PayloadNode> tree(String text) {
        TreeItem<PayloadNode> root = new TreeItem<>(new PayloadNode(List.of(), "payload", false, null));
        if (text == null || text.isBlank()) {
            return root;
        }
        String t = text.strip();
        if (!t.startsWith("{") && !t.startsWith("[")) {
            return root;
        }
        try {
            JsonNode node = JSON.readTree(t);
            add(root, node, new ArrayList<>(), 0);
        } catch (java.io.IOException | RuntimeException e) {
            // shortened or not JSON: no tree
        }
        return root;
    }

    private static void add(TreeItem<PayloadNode> parent, JsonNode node, List<Object> path, int depth) {
        if (depth > 64) {
            return;
        }
        if (node.isObject()) {
            Iterator<Map.Entry<String, JsonNode>> it = node.fields();
            while (it.hasNext()) {
                Map.Entry<String, JsonNode> f = it.next();
                child(parent, f.getValue(), path, f.getKey(), f.getKey(), depth);
            }
        } else if (node.isArray()) {
            for (int i = 0; i < node.size() && i < 1_000; i++) {
                child(parent, node.get(i), path, i, "[" + i + "]", depth);
            }
        }
    }

    private static void child(TreeItem<PayloadNode> parent, JsonNode value, List<Object> path, Object step,
                              String name, int depth) {
        List<Object> p = new ArrayList<>(path);
        p.add(step);
        TreeItem<PayloadNode> item;
        if (value.isContainerNode()) {
            item = new TreeItem<>(new PayloadNode(List.copyOf(p), name + (value.isObject() ? " {" + value.size() + "}"
                    : " [" + value.size() + "]"), false, null));
            add(item, value, p, depth + 1);
            item.setExpanded(depth < 2);
        } else {
            Object v = value.isNull() ? null : value.isBoolean() ? value.booleanValue()
                    : value.isIntegralNumber() && value.canConvertToLong() ? value.longValue()
                    : value.isNumber() ? value.doubleValue() : value.asText();
            item = new TreeItem<>(new PayloadNode(java.util.Collections.unmodifiableList(p), name + ": "
                    + (value.isTextual() ? "\"" + value.asText() + "\"" : value.toString()), true, v));
        }
        parent.getChildren().add(item);
    }
}
