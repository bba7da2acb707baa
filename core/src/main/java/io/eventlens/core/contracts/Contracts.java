package io.eventlens.core.contracts;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonPointer;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SchemaRegistryConfig;
import com.networknt.schema.SpecificationVersion;
import com.networknt.schema.path.NodePath;
import io.eventlens.core.analysis.ContractCheck;
import io.eventlens.core.analysis.ContractChecker;
import io.eventlens.core.analysis.ContractViolation;
import io.eventlens.core.model.CapturedEvent;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A set of event contracts, loaded from local files only, that checks captured events
 * (docs/reference/contracts.md; docs/decisions/0015-event-contracts.md).
 *
 * <p>Loading ({@link #load(Path)}): a contracts mapping file ({@code eventlens-contracts.yaml},
 * {@code .yml} or {@code .json}, or any file with a top-level {@code contracts} array), a folder
 * (its mapping file when it has one, else every JSON Schema and AsyncAPI file in it), one AsyncAPI
 * 2.x/3.x document, or one JSON Schema file (draft 2020-12 by default, draft-07 and others by
 * {@code $schema}). Every {@code .json}, {@code .yaml} and {@code .yml} file under the folder is a
 * resource that {@code $ref}s may name, by its path or by its {@code $id}; a {@code $ref} to
 * anything else is refused at load time with a {@link ContractException} naming the file and the
 * reference. Nothing is ever fetched: the validator gets no network loader.
 *
 * <p>Checking ({@link #check(CapturedEvent, String)}): the payload is parsed once; the contract
 * that applies is chosen by, in order, the CloudEvents {@code dataschema} attribute naming a loaded
 * schema, the channel and event type, the event type alone, the channel alone; a structured
 * CloudEvent (a JSON object with {@code specversion}) is also checked against the built-in
 * CloudEvents 1.0 envelope rules, with its {@code data} member against the schema. Each violation
 * has a JSON Pointer, the failed keyword, the expected and the found value (cut to
 * {@value ContractViolation#MAX_VALUE} chars). Thread-safe once loaded.
 */
public final class Contracts implements ContractChecker {

    /** Contract name of the built-in CloudEvents rules when no schema applied. */
    public static final String CLOUDEVENTS = "cloudevents/1.0";
    /** The longest payload checked, in bytes; a larger one is one {@code size} violation. */
    public static final int MAX_PAYLOAD_BYTES = 16 * 1024 * 1024;

    private static final ObjectMapper PAYLOAD_JSON = new ObjectMapper(JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(256).build())
            .build())
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);

    private final List<Contract> contracts;
    private final Map<String, Contract> byDataschema;
    private final Schema cloudEvents;
    private final List<String> warnings;
    private final Path source;

    Contracts(Path source, List<Contract> contracts, Map<String, Contract> byDataschema, Schema cloudEvents,
              List<String> warnings) {
        this.source = source;
        this.contracts = List.copyOf(contracts);
        this.byDataschema = Map.copyOf(byDataschema);
        this.cloudEvents = cloudEvents;
        this.warnings = List.copyOf(warnings);
    }

    /**
     * Loads contracts from a mapping file, a folder, an AsyncAPI document or a JSON Schema file
     * (see the class comment; formats in docs/reference/contracts.md).
     *
     * @throws ContractException when a file is missing, damaged, too large, refers to a remote or
     *                           unknown {@code $ref}, or breaks the mapping rules; the message names
     *                           the file (and line, entry or member)
     */
    public static Contracts load(Path path) throws ContractException {
        return ContractLoader.load(Objects.requireNonNull(path, "path"));
    }

    /** Where the contracts were loaded from. */
    public Path source() {
        return source;
    }

    /** The loaded contracts in declaration order. */
    public List<Contract> contracts() {
        return contracts;
    }

    /** What was skipped while loading (an Avro message of an AsyncAPI document, ...), one line each. */
    public List<String> warnings() {
        return warnings;
    }

    @Override
    public ContractCheck check(CapturedEvent event, String channel) {
        byte[] payload = event.payload();
        if (payload == null) {
            return null;   // a tombstone has no payload to check
        }
        return check(payload, binaryAttributes(event.headers()), channel, event.derived().eventTypeValue());
    }

    /** Header prefixes of binary-mode CloudEvents attributes (docs/reference/extraction-rules.md#cloudevents). */
    private static final List<String> BINARY_PREFIXES = List.of("ce_", "cloudEvents_", "cloudEvents:", "ce-");

    /**
     * The CloudEvents attributes of a binary-mode event, by name, from its headers ({@code ce_id},
     * {@code cloudEvents_id}, {@code cloudEvents:id}, {@code ce-id}), or null when it has no
     * {@code specversion} header (not a binary-mode CloudEvent).
     */
    static com.fasterxml.jackson.databind.node.ObjectNode binaryAttributes(List<io.eventlens.core.model.Header> headers) {
        com.fasterxml.jackson.databind.node.ObjectNode attrs = null;
        for (io.eventlens.core.model.Header h : headers) {
            for (String prefix : BINARY_PREFIXES) {
                if (h.name().length() > prefix.length() && h.name().regionMatches(true, 0, prefix, 0, prefix.length())) {
                    if (attrs == null) {
                        attrs = PAYLOAD_JSON.createObjectNode();
                    }
                    String name = h.name().substring(prefix.length());
                    if (!attrs.has(name)) {
                        attrs.put(name, h.value() == null ? "" : new String(h.value(), java.nio.charset.StandardCharsets.UTF_8));
                    }
                    break;
                }
            }
        }
        return attrs != null && attrs.has("specversion") ? attrs : null;
    }

    /**
     * Checks a payload: parses it once, then as {@link #check(JsonNode, String, String)}; a payload
     * that is not JSON fails a matching contract with one {@code json} violation.
     *
     * @param payload the payload bytes (UTF-8 JSON expected)
     * @param channel the channel whose contracts apply
     * @param type    the event type, or null
     * @return the check, or null when no contract applies
     */
    public ContractCheck check(byte[] payload, String channel, String type) {
        return check(payload, null, channel, type);
    }

    private ContractCheck check(byte[] payload, com.fasterxml.jackson.databind.node.ObjectNode binary, String channel,
                                String type) {
        if (payload.length > MAX_PAYLOAD_BYTES) {
            Match m = match(null, channel, type);
            return m == null ? null : new ContractCheck(m.contract.name(), m.contract.schemaRef(), m.why,
                    List.of(new ContractViolation("", "size", "at most " + MAX_PAYLOAD_BYTES + " bytes",
                            payload.length + " bytes", "payload too large to check")));
        }
        JsonNode tree;
        String parseError = null;
        try {
            tree = PAYLOAD_JSON.readTree(payload);
        } catch (IOException | RuntimeException e) {
            tree = null;
            parseError = firstLine(e.getMessage());
        }
        if (tree == null || tree.isMissingNode()) {
            Match m = match(dataschemaOf(binary), channel, type);
            if (m == null && binary == null) {
                return null;
            }
            List<ContractViolation> out = new ArrayList<>();
            int[] count = {0};
            if (binary != null) {
                validateBinary(binary, out, count);
            }
            if (m != null && m.contract.schema() != null) {
                String found = new String(payload, 0, Math.min(payload.length, 120), java.nio.charset.StandardCharsets.UTF_8);
                count[0]++;
                out.add(new ContractViolation("", "json", "a JSON document", found,
                        "payload is not JSON" + (parseError == null ? "" : ": " + parseError)));
            }
            return m == null ? new ContractCheck(CLOUDEVENTS, null, "CloudEvents binary mode (specversion header)", out, count[0])
                    : new ContractCheck(m.contract.name(), m.contract.schemaRef(), m.why, out, count[0]);
        }
        return check(tree, binary, channel, type);
    }

    /**
     * Checks an already parsed payload.
     *
     * @param tree    the payload as JSON
     * @param channel the channel whose contracts apply
     * @param type    the event type, or null
     * @return the check, or null when no contract (and no CloudEvents envelope) applies
     */
    public ContractCheck check(JsonNode tree, String channel, String type) {
        return check(tree, null, channel, type);
    }

    private static String dataschemaOf(JsonNode attributes) {
        JsonNode d = attributes == null ? null : attributes.get("dataschema");
        return d != null && d.isTextual() ? d.textValue() : null;
    }

    private ContractCheck check(JsonNode tree, com.fasterxml.jackson.databind.node.ObjectNode binary, String channel,
                                String type) {
        boolean structured = binary == null && tree.isObject() && tree.has("specversion");
        String dataschema = structured ? dataschemaOf(tree) : dataschemaOf(binary);
        Match m = match(dataschema, channel, type);
        if (m == null && !structured && binary == null) {
            return null;
        }
        List<ContractViolation> out = new ArrayList<>();
        int[] count = {0};
        if (binary != null) {
            validateBinary(binary, out, count);
        }
        boolean envelope = structured
                || (binary == null && m != null && m.contract.envelope() == Contract.Envelope.CLOUDEVENTS);
        if (envelope) {
            validate(cloudEvents, tree, "", out, count);
        }
        if (m != null && m.contract.schema() != null) {
            String pointer = m.contract.payloadPointer();
            if (pointer == null && envelope) {
                pointer = "/data";
            }
            JsonNode target = pointer == null ? tree : tree.at(JsonPointer.compile(pointer));
            if (target.isMissingNode()) {
                count[0]++;
                out.add(new ContractViolation(pointer, "required", "member " + pointer, "missing",
                        "the payload has no " + pointer + " to check against the schema"));
            } else {
                validate(m.contract.schema(), target, pointer == null ? "" : pointer, out, count);
            }
        }
        if (m == null) {
            return new ContractCheck(CLOUDEVENTS, null, binary != null ? "CloudEvents binary mode (specversion header)"
                    : "CloudEvents envelope (specversion member)", out, count[0]);
        }
        return new ContractCheck(m.contract.name(), m.contract.schemaRef(), m.why, out, count[0]);
    }

    /**
     * Checks binary-mode attributes against the CloudEvents rules; each violation names its header
     * in the message ({@code header ce_time: not a valid date-time}); its pointer is {@code ""}
     * (the attributes are not in the payload).
     */
    private void validateBinary(com.fasterxml.jackson.databind.node.ObjectNode attrs, List<ContractViolation> out,
                                int[] count) {
        List<ContractViolation> found = new ArrayList<>();
        validate(cloudEvents, attrs, "", found, count);
        for (ContractViolation v : found) {
            String attribute = v.pointer().startsWith("/") ? v.pointer().substring(1).replace("~1", "/").replace("~0", "~") : "";
            String message = attribute.isEmpty() ? v.message()
                    : "header ce_" + attribute + ": " + (v.rule().equals("required") ? "required attribute missing" : v.message());
            out.add(new ContractViolation("", v.rule(), v.expected(), v.found(), message));
        }
    }

    /** Validates a node and adds its violations, their pointers under {@code prefix}. */
    private static void validate(Schema schema, JsonNode node, String prefix, List<ContractViolation> out, int[] count) {
        List<Error> errors;
        try {
            errors = schema.validate(node);
        } catch (RuntimeException | StackOverflowError e) {
            count[0]++;
            out.add(new ContractViolation(prefix, "schema", null, null,
                    "the schema could not be evaluated: " + firstLine(String.valueOf(e.getMessage()))));
            return;
        }
        for (Error e : errors) {
            count[0]++;
            if (out.size() < ContractCheck.MAX_VIOLATIONS) {
                out.add(violation(e, prefix));
            }
        }
    }

    /** One validator error as a violation: pointer, keyword, expected, found, message. */
    static ContractViolation violation(Error e, String prefix) {
        String keyword = e.getKeyword() == null ? "schema" : e.getKeyword();
        String pointer = prefix + pointer(e.getInstanceLocation());
        JsonNode instance = e.getInstanceNode();
        JsonNode schemaNode = e.getSchemaNode();
        JsonNode rule = schemaNode != null && schemaNode.isObject() && schemaNode.has(keyword) ? schemaNode.get(keyword) : schemaNode;
        String found = instance == null ? null : compact(instance);
        String expected = rule == null ? null : compact(rule);
        String message = stripLocation(e.getMessage());
        switch (keyword) {
            case "required", "dependentRequired", "dependencies" -> {
                String property = e.getProperty();
                if (property != null) {
                    pointer = pointer + "/" + escape(property);
                    expected = "property " + property;
                    found = "missing";
                    message = "required property missing";
                }
            }
            case "additionalProperties", "unevaluatedProperties" -> {
                String property = e.getProperty();
                if (property != null) {
                    pointer = pointer + "/" + escape(property);
                    JsonNode value = instance != null && instance.isObject() ? instance.get(property) : null;
                    found = value == null ? found : compact(value);
                    expected = "no other properties";
                    message = "property not allowed";
                }
            }
            case "type" -> {
                expected = rule == null ? null : rule.isTextual() ? rule.textValue() : compact(rule);
                String got = instance == null ? "nothing" : typeName(instance);
                message = "expected " + expected + ", got " + got;
            }
            case "enum" -> {
                expected = "one of " + expected;
                message = "not one of the allowed values";
            }
            case "const" -> message = "expected the constant " + expected;
            case "format" -> {
                expected = rule != null && rule.isTextual() ? rule.textValue() : expected;
                message = "not a valid " + expected;
            }
            default -> {
            }
        }
        return new ContractViolation(pointer, keyword, expected, found, message);
    }

    /** The JSON Pointer (RFC 6901) of a validator's instance location. */
    static String pointer(NodePath path) {
        if (path == null) {
            return "";
        }
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < path.getNameCount(); i++) {
            Object element = path.getElement(i);
            s.append('/').append(element instanceof Integer n ? n.toString() : escape(String.valueOf(element)));
        }
        return s.toString();
    }

    private static String escape(String name) {
        return name.replace("~", "~0").replace("/", "~1");
    }

    private static String typeName(JsonNode n) {
        return switch (n.getNodeType()) {
            case STRING -> "string";
            case NUMBER -> n.isIntegralNumber() ? "integer" : "number";
            case BOOLEAN -> "boolean";
            case NULL -> "null";
            case ARRAY -> "array";
            case OBJECT -> "object";
            default -> n.getNodeType().name().toLowerCase(java.util.Locale.ROOT);
        };
    }

    /** Compact JSON of a node, cut long before it matters (values are truncated to 80 chars anyway). */
    private static String compact(JsonNode n) {
        if (n.isContainerNode() && n.size() > 32) {
            StringBuilder s = new StringBuilder(n.isArray() ? "[" : "{");
            Iterator<Map.Entry<String, JsonNode>> fields = n.isObject() ? n.properties().iterator() : null;
            for (int i = 0; i < 8; i++) {
                if (n.isArray()) {
                    s.append(i > 0 ? "," : "").append(n.get(i));
                } else if (fields.hasNext()) {
                    Map.Entry<String, JsonNode> f = fields.next();
                    s.append(i > 0 ? "," : "").append('"').append(f.getKey()).append("\":").append(f.getValue());
                }
                if (s.length() > 200) {
                    break;
                }
            }
            return s.append(",…").toString();
        }
        String text = n.toString();
        return text.length() > 400 ? text.substring(0, 400) : text;
    }

    /** The validator's message without its leading instance location ({@code "/amount: "}, {@code "$.amount: "}). */
    private static String stripLocation(String message) {
        if (message == null) {
            return "violates the schema";
        }
        int colon = message.indexOf(": ");
        if (colon > 0 && (message.startsWith("/") || message.startsWith("$") || message.startsWith("#") || message.startsWith("''"))
                && message.lastIndexOf(' ', colon - 1) < 0) {
            return message.substring(colon + 2);
        }
        return message;
    }

    private static String firstLine(String s) {
        if (s == null) {
            return null;
        }
        int nl = s.indexOf('\n');
        String line = nl < 0 ? s : s.substring(0, nl);
        return line.length() > 200 ? line.substring(0, 199) + "…" : line;
    }

    // ---- matching ---------------------------------------------------------------------------

    /** The contract that applies and why. */
    private record Match(Contract contract, String why) {
    }

    /**
     * The contract of an event: by {@code dataschema}, then channel and type, then type alone,
     * then channel alone (the first declared wins within each).
     */
    private Match match(String dataschema, String channel, String type) {
        if (dataschema != null) {
            Contract c = byDataschema.get(dataschema);
            if (c == null) {
                c = byDataschema.get(stripFragment(dataschema));
            }
            if (c != null) {
                return new Match(c, "dataschema " + dataschema);
            }
        }
        Contract typeOnly = null;
        Contract channelOnly = null;
        for (Contract c : contracts) {
            boolean channelHit = c.channel() != null && c.channel().equals(channel);
            boolean typeHit = c.type() != null && c.type().equals(type);
            if (channelHit && typeHit) {
                return new Match(c, "channel " + channel + " and type " + type + c.origin());
            }
            if (typeHit && c.channel() == null && typeOnly == null) {
                typeOnly = c;
            }
            if (channelHit && c.type() == null && channelOnly == null) {
                channelOnly = c;
            }
        }
        if (typeOnly != null) {
            return new Match(typeOnly, "type " + type + " (any channel)" + typeOnly.origin());
        }
        if (channelOnly != null) {
            return new Match(channelOnly, "channel " + channel + " (any type)" + channelOnly.origin());
        }
        return null;
    }

    static String stripFragment(String iri) {
        int hash = iri.indexOf('#');
        return hash < 0 ? iri : iri.substring(0, hash);
    }

    // ---- building (used by ContractLoader) ----------------------------------------------------

    /** The built-in CloudEvents 1.0 envelope schema (a class-path resource of this package). */
    static Schema cloudEventsSchema() {
        try (InputStream in = Contracts.class.getResourceAsStream("cloudevents-1.0.schema.json")) {
            String text = new String(Objects.requireNonNull(in, "cloudevents-1.0.schema.json").readAllBytes(),
                    java.nio.charset.StandardCharsets.UTF_8);
            SchemaRegistry registry = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12,
                    b -> b.schemaRegistryConfig(SchemaRegistryConfig.builder().formatAssertionsEnabled(true)
                                    .regularExpressionFactory(BoundedRegularExpressions.INSTANCE).build())
                            .resourceLoaders(r -> r.values(List::clear)));
            return registry.getSchema(text);
        } catch (IOException e) {
            throw new UncheckedIOException("the built-in CloudEvents schema could not be read", e);
        }
    }
}
