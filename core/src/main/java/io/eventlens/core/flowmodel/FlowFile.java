package io.eventlens.core.flowmodel;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.LoaderOptions;

/**
 * A flow file: declared flow families in YAML or JSON (docs/reference/flow-files.md, JSON Schema
 * docs/schemas/flows.schema.json). Shape:
 * <pre>
 * version: 1
 * flows:
 *   - name: checkout
 *     steps:
 *       - {type: OrderPlaced, channel: orders}
 *       - {type: PaymentAuthorized, channel: payments, timeout: 2s, slo: 800ms}
 *       - parallel:
 *           - [{type: InventoryReserved, channel: inventory}]
 *           - [{type: EmailQueued, channel: email, optional: true}]
 *       - {type: OrderCompleted, channel: orders, terminal: true}
 * </pre>
 * The file is untrusted input: at most {@value #MAX_BYTES} bytes, nesting at most
 * {@value #MAX_DEPTH} levels, {@value #MAX_FLOWS} flows of {@value #MAX_STEPS} steps, YAML aliases
 * at most 10. A file that is not well-formed fails as a whole ({@link FlowFileException}, naming
 * file, line and column); a flow with a bad member is left out and named in {@link #problems()}
 * ({@code flows.yaml:7:9: flows[0].steps[1].timeout: ...}), the valid flows are kept.
 *
 * @param flows    the valid declared flows, in file order
 * @param problems one line per flow left out or member ignored, each naming file, line and field
 */
public record FlowFile(List<DeclaredFlow> flows, List<String> problems) {

    /** The largest flow file read, in bytes. */
    public static final int MAX_BYTES = 1 << 20;
    /** The deepest nesting of objects and lists. */
    public static final int MAX_DEPTH = 32;
    /** The most flows in one file. */
    public static final int MAX_FLOWS = 1_000;
    /** The most steps of one flow (branches counted). */
    public static final int MAX_STEPS = 500;
    /** The longest type or channel name. */
    public static final int MAX_NAME = 1_000;

    private static final Pattern DURATION = Pattern.compile("(\\d{1,9}(?:\\.\\d{1,3})?)\\s*(ms|s|m|min|h)");

    public FlowFile {
        flows = List.copyOf(flows);
        problems = List.copyOf(problems);
    }

    /**
     * Reads a flow file: JSON when its name ends in {@code .json}, else YAML.
     *
     * @throws FlowFileException when it cannot be read, is too large or is not well-formed
     */
    public static FlowFile read(Path file) {
        byte[] bytes;
        try {
            long size = Files.size(file);
            if (size > MAX_BYTES) {
                throw new FlowFileException(file + ": flow file too large (" + size + " bytes, at most " + MAX_BYTES + ")");
            }
            try (InputStream in = Files.newInputStream(file)) {
                bytes = in.readNBytes(MAX_BYTES + 1);
            }
        } catch (IOException e) {
            throw new FlowFileException(file + ": cannot read flow file: " + e.getMessage(), e);
        }
        boolean json = file.getFileName() != null && file.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".json");
        return parse(bytes, file.getFileName() == null ? file.toString() : file.getFileName().toString(), json);
    }

    /**
     * Parses flow file bytes.
     *
     * @param bytes the file's content (UTF-8)
     * @param name  the file name used in messages and evidence
     * @param json  true to read JSON, false for YAML
     * @throws FlowFileException when the bytes are too many or not well-formed
     */
    public static FlowFile parse(byte[] bytes, String name, boolean json) {
        if (bytes.length > MAX_BYTES) {
            throw new FlowFileException(name + ": flow file too large (" + bytes.length + " bytes, at most " + MAX_BYTES + ")");
        }
        Node root;
        try (JsonParser p = factory(json).createParser(bytes)) {
            JsonToken t = p.nextToken();
            if (t == null) {
                throw new FlowFileException(name + ": empty flow file; expected 'flows:' with a list of flows");
            }
            root = read(p, name, 0);
        } catch (JsonProcessingException e) {
            JsonLocation at = e.getLocation();
            throw new FlowFileException(name + (at == null ? "" : ":" + at.getLineNr() + ":" + at.getColumnNr())
                    + ": not well-formed " + (json ? "JSON" : "YAML") + ": " + e.getOriginalMessage(), e);
        } catch (IOException | RuntimeException e) {
            if (e instanceof FlowFileException f) {
                throw f;
            }
            throw new FlowFileException(name + ": not well-formed " + (json ? "JSON" : "YAML") + ": " + e.getMessage(), e);
        }
        return interpret(root, name);
    }

    private static JsonFactory factory(boolean json) {
        StreamReadConstraints limits = StreamReadConstraints.builder().maxNestingDepth(MAX_DEPTH + 2)
                .maxStringLength(MAX_BYTES).maxNumberLength(100).build();
        if (json) {
            return JsonFactory.builder().streamReadConstraints(limits).build();
        }
        LoaderOptions options = new LoaderOptions();
        options.setMaxAliasesForCollections(10);
        options.setNestingDepthLimit(MAX_DEPTH + 2);
        options.setCodePointLimit(MAX_BYTES);
        options.setAllowDuplicateKeys(true);   // reported by this reader with the line
        return YAMLFactory.builder().loaderOptions(options).streamReadConstraints(limits).build();
    }

    // ---- a tree that remembers lines -----------------------------------------------------------

    /** A value of the file with where it starts. Exactly one of scalar / fields / items is used. */
    private record Node(Object scalar, Map<String, Node> fields, List<Node> items, int line, int column) {
        boolean isObject() {
            return fields != null;
        }

        boolean isList() {
            return items != null;
        }

        String kind() {
            return fields != null ? "an object" : items != null ? "a list"
                    : scalar == null ? "null" : scalar instanceof String ? "text" : scalar instanceof Boolean ? "true/false" : "a number";
        }
    }

    private static Node read(JsonParser p, String name, int depth) throws IOException {
        if (depth > MAX_DEPTH) {
            JsonLocation at = p.currentTokenLocation();
            throw new FlowFileException(name + ":" + at.getLineNr() + ":" + at.getColumnNr() + ": nested deeper than "
                    + MAX_DEPTH + " levels");
        }
        JsonLocation at = p.currentTokenLocation();
        int line = at.getLineNr();
        int col = at.getColumnNr();
        JsonToken t = p.currentToken();
        switch (t) {
            case START_OBJECT -> {
                Map<String, Node> fields = new LinkedHashMap<>();
                while (p.nextToken() == JsonToken.FIELD_NAME) {
                    String key = p.currentName();
                    JsonLocation keyAt = p.currentTokenLocation();
                    p.nextToken();
                    Node value = read(p, name, depth + 1);
                    if (fields.containsKey(key)) {
                        throw new FlowFileException(name + ":" + keyAt.getLineNr() + ":" + keyAt.getColumnNr()
                                + ": duplicate key '" + abbreviate(key) + "'");
                    }
                    fields.put(key, value);
                }
                return new Node(null, fields, null, line, col);
            }
            case START_ARRAY -> {
                List<Node> items = new ArrayList<>();
                while (p.nextToken() != JsonToken.END_ARRAY) {
                    if (p.currentToken() == null) {
                        throw new FlowFileException(name + ": unexpected end of file in the list of line " + line);
                    }
                    items.add(read(p, name, depth + 1));
                    if (items.size() > MAX_STEPS * 4) {
                        throw new FlowFileException(name + ":" + line + ":" + col + ": list longer than " + MAX_STEPS * 4 + " items");
                    }
                }
                return new Node(null, null, items, line, col);
            }
            case VALUE_STRING -> {
                return new Node(p.getText(), null, null, line, col);
            }
            case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> {
                return new Node(p.getNumberValue(), null, null, line, col);
            }
            case VALUE_TRUE, VALUE_FALSE -> {
                return new Node(t == JsonToken.VALUE_TRUE, null, null, line, col);
            }
            case VALUE_NULL -> {
                return new Node(null, null, null, line, col);
            }
            default -> throw new FlowFileException(name + ":" + line + ":" + col + ": unexpected " + t);
        }
    }

    // ---- from the tree to declared flows -------------------------------------------------------

    /** A problem with one flow: it is left out. */
    private static final class Bad extends Exception {
        Bad(String message) {
            super(message, null, false, false);
        }
    }

    private static FlowFile interpret(Node root, String name) {
        List<String> problems = new ArrayList<>();
        if (!root.isObject()) {
            throw new FlowFileException(name + ":" + root.line() + ":" + root.column() + ": the file must be an object with"
                    + " 'flows:', was " + root.kind());
        }
        for (String key : root.fields().keySet()) {
            if (!key.equals("flows") && !key.equals("version") && !key.equals("$schema")) {
                Node n = root.fields().get(key);
                problems.add(name + ":" + n.line() + ": '" + abbreviate(key) + "' is not a member of a flow file (ignored)");
            }
        }
        Node version = root.fields().get("version");
        if (version != null && !(version.scalar() instanceof Number v && v.intValue() == 1 && v.doubleValue() == 1.0)) {
            throw new FlowFileException(name + ":" + version.line() + ":" + version.column()
                    + ": version: this EventLens reads flow files of version 1");
        }
        Node flows = root.fields().get("flows");
        if (flows == null || !flows.isList()) {
            throw new FlowFileException(name + ":" + (flows == null ? root.line() : flows.line())
                    + ": 'flows' must be a list of flows" + (flows == null ? "" : ", was " + flows.kind()));
        }
        if (flows.items().size() > MAX_FLOWS) {
            throw new FlowFileException(name + ":" + flows.line() + ": more than " + MAX_FLOWS + " flows");
        }
        List<DeclaredFlow> out = new ArrayList<>();
        Set<String> names = new HashSet<>();
        Set<Step> starts = new HashSet<>();
        for (int i = 0; i < flows.items().size(); i++) {
            Node f = flows.items().get(i);
            try {
                DeclaredFlow flow = flow(f, "flows[" + i + "]", name, problems);
                if (!names.add(flow.name())) {
                    throw new Bad(name + ":" + f.line() + ": flows[" + i + "].name: '" + flow.name() + "' is declared twice");
                }
                if (!starts.add(flow.start())) {
                    throw new Bad(name + ":" + f.line() + ": flows[" + i + "]: another flow already starts with "
                            + flow.start().label() + " (a family is found by its first step)");
                }
                out.add(flow);
            } catch (Bad b) {
                problems.add(b.getMessage() + " (flow left out)");
            }
        }
        return new FlowFile(out, problems);
    }

    private static DeclaredFlow flow(Node f, String path, String file, List<String> problems) throws Bad {
        if (!f.isObject()) {
            throw new Bad(file + ":" + f.line() + ": " + path + ": a flow must be an object, was " + f.kind());
        }
        for (String key : f.fields().keySet()) {
            if (!Set.of("name", "steps", "description").contains(key)) {
                problems.add(file + ":" + f.fields().get(key).line() + ": " + path + "." + abbreviate(key)
                        + ": not a member of a flow (ignored)");
            }
        }
        String name = text(f.fields().get("name"), path + ".name", file, f, true);
        Node steps = f.fields().get("steps");
        if (steps == null || !steps.isList() || steps.items().isEmpty()) {
            throw new Bad(file + ":" + (steps == null ? f.line() : steps.line()) + ": " + path
                    + ".steps: a flow needs a non-empty list of steps");
        }
        List<DeclaredStep> out = new ArrayList<>();
        Set<Step> seen = new HashSet<>();
        for (int s = 0; s < steps.items().size(); s++) {
            Node item = steps.items().get(s);
            String at = path + ".steps[" + s + "]";
            if (item.isObject() && item.fields().containsKey("parallel")) {
                if (s == 0) {
                    throw new Bad(file + ":" + item.line() + ": " + at + ": the first step cannot be parallel: it names the family");
                }
                if (item.fields().size() > 1) {
                    throw new Bad(file + ":" + item.line() + ": " + at + ": 'parallel' stands alone in its item");
                }
                Node branches = item.fields().get("parallel");
                if (!branches.isList() || branches.items().size() < 2) {
                    throw new Bad(file + ":" + branches.line() + ": " + at + ".parallel: a list of at least two branches");
                }
                for (int b = 0; b < branches.items().size(); b++) {
                    Node branch = branches.items().get(b);
                    if (!branch.isList() || branch.items().isEmpty()) {
                        throw new Bad(file + ":" + branch.line() + ": " + at + ".parallel[" + b
                                + "]: a branch is a non-empty list of steps, was " + branch.kind());
                    }
                    for (int k = 0; k < branch.items().size(); k++) {
                        out.add(step(branch.items().get(k), at + ".parallel[" + b + "][" + k + "]", file, s, b, k, seen));
                    }
                }
            } else {
                out.add(step(item, at, file, s, 0, 0, seen));
            }
            if (out.size() > MAX_STEPS) {
                throw new Bad(file + ":" + item.line() + ": " + path + ".steps: more than " + MAX_STEPS + " steps");
            }
        }
        if (out.get(0).optional()) {
            throw new Bad(file + ":" + out.get(0).line() + ": " + path + ".steps[0].optional: the first step names the family"
                    + " and cannot be optional");
        }
        return new DeclaredFlow(name, out, file, f.line());
    }

    private static DeclaredStep step(Node n, String at, String file, int stage, int branch, int index, Set<Step> seen)
            throws Bad {
        if (!n.isObject()) {
            throw new Bad(file + ":" + n.line() + ": " + at + ": a step is an object with type and channel, was " + n.kind());
        }
        for (String key : n.fields().keySet()) {
            if (!Set.of("type", "channel", "optional", "terminal", "timeout", "slo").contains(key)) {
                throw new Bad(file + ":" + n.fields().get(key).line() + ": " + at + "." + abbreviate(key)
                        + ": not a member of a step (type, channel, optional, terminal, timeout, slo)");
            }
        }
        String type = text(n.fields().get("type"), at + ".type", file, n, false);
        String channel = text(n.fields().get("channel"), at + ".channel", file, n, true);
        Step step = new Step(type, channel);
        if (!seen.add(step)) {
            throw new Bad(file + ":" + n.line() + ": " + at + ": " + step.label() + " is declared twice in this flow");
        }
        return new DeclaredStep(step, bool(n.fields().get("optional"), at + ".optional", file),
                bool(n.fields().get("terminal"), at + ".terminal", file),
                duration(n.fields().get("timeout"), at + ".timeout", file),
                duration(n.fields().get("slo"), at + ".slo", file), stage, branch, index, n.line());
    }

    private static String text(Node n, String at, String file, Node parent, boolean required) throws Bad {
        if (n == null || n.scalar() == null && !n.isObject() && !n.isList()) {
            if (required) {
                throw new Bad(file + ":" + (n == null ? parent.line() : n.line()) + ": " + at + ": required");
            }
            return null;
        }
        if (!(n.scalar() instanceof String s)) {
            throw new Bad(file + ":" + n.line() + ": " + at + ": must be text, was " + n.kind());
        }
        if (s.isBlank() || s.length() > MAX_NAME || s.chars().anyMatch(Character::isISOControl)) {
            throw new Bad(file + ":" + n.line() + ": " + at + ": must be 1 to " + MAX_NAME
                    + " characters without control characters");
        }
        return s;
    }

    private static boolean bool(Node n, String at, String file) throws Bad {
        if (n == null) {
            return false;
        }
        if (!(n.scalar() instanceof Boolean b)) {
            throw new Bad(file + ":" + n.line() + ": " + at + ": must be true or false, was " + n.kind());
        }
        return b;
    }

    private static Duration duration(Node n, String at, String file) throws Bad {
        if (n == null) {
            return null;
        }
        if (!(n.scalar() instanceof String s)) {
            throw new Bad(file + ":" + n.line() + ": " + at + ": a duration with a unit (500ms, 2s, 1.5s, 1m, PT2S), was "
                    + n.kind());
        }
        Duration d = parseDuration(s.trim());
        if (d == null || d.isNegative() || d.isZero() || d.compareTo(Duration.ofDays(7)) > 0) {
            throw new Bad(file + ":" + n.line() + ": " + at + ": '" + abbreviate(s)
                    + "' is not a duration from 1 ms to 7 days (500ms, 2s, 1.5s, 1m, PT2S)");
        }
        return d;
    }

    /** {@code 500ms}, {@code 2s}, {@code 1.5s}, {@code 1m}/{@code 1min}, {@code 1h} or ISO-8601 {@code PT2S}; null when neither. */
    static Duration parseDuration(String s) {
        Matcher m = DURATION.matcher(s);
        if (m.matches()) {
            double v = Double.parseDouble(m.group(1));
            double ms = switch (m.group(2)) {
                case "ms" -> v;
                case "s" -> v * 1_000;
                case "m", "min" -> v * 60_000;
                default -> v * 3_600_000;
            };
            return Duration.ofMillis(Math.round(ms));
        }
        if (s.length() <= 40 && (s.startsWith("PT") || s.startsWith("P"))) {
            try {
                return Duration.parse(s);
            } catch (DateTimeParseException e) {
                return null;
            }
        }
        return null;
    }

    private static String abbreviate(String s) {
        String clean = s.replaceAll("\\p{Cntrl}", "?");
        return clean.length() <= 60 ? clean : clean.substring(0, 59) + "…";
    }
}
