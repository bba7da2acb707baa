package io.eventlens.core.analysis;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * The canonical text of a JSON value, so that two observations of one event framed differently by
 * two sources are compared on their content (docs/reference/anomalies-and-verdicts.md, "Observations
 * and content"): object members sorted by name, numbers normalised ({@code 1}, {@code 1.0} and
 * {@code 1e0} are the same number: the shortest decimal with trailing zeros stripped), no
 * insignificant white space, strings as Jackson escapes them.
 *
 * <p>Input that is not exactly one JSON value (trailing bytes, duplicate member names, invalid
 * UTF-8, nesting beyond Jackson's limits) is not JSON here: {@link #parse(byte[])} returns
 * {@code null} and callers compare bytes instead. Thread-safe.
 */
public final class CanonicalJson {

    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .build();
    private static final JsonFactory FACTORY = MAPPER.getFactory();

    private CanonicalJson() {
    }

    /** The JSON value of these bytes, or {@code null} when they are not exactly one JSON value. */
    public static JsonNode parse(byte[] bytes) {
        if (bytes == null || bytes.length == 0) {
            return null;
        }
        try {
            return MAPPER.readTree(bytes);
        } catch (IOException | RuntimeException e) {
            return null; // not JSON: the caller compares bytes
        }
    }

    /** The JSON value of this text, or {@code null} when it is not exactly one JSON value. */
    public static JsonNode parse(String text) {
        if (text == null || text.isBlank()) {
            return null;
        }
        try {
            return MAPPER.readTree(text);
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /** The canonical text of these bytes, or {@code null} when they are not JSON. */
    public static String of(byte[] bytes) {
        JsonNode node = parse(bytes);
        return node == null ? null : of(node);
    }

    /**
     * The canonical text of a JSON value.
     *
     * @throws NullPointerException when {@code node} is null
     */
    public static String of(JsonNode node) {
        StringWriter out = new StringWriter();
        try (JsonGenerator g = FACTORY.createGenerator(out)) {
            write(node, g);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write canonical JSON to a string", e);
        }
        return out.toString();
    }

    private static void write(JsonNode node, JsonGenerator g) throws IOException {
        switch (node.getNodeType()) {
            case OBJECT -> {
                List<String> names = new ArrayList<>(node.size());
                for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
                    names.add(it.next());
                }
                names.sort(null);
                g.writeStartObject();
                for (String name : names) {
                    g.writeFieldName(name);
                    write(node.get(name), g);
                }
                g.writeEndObject();
            }
            case ARRAY -> {
                g.writeStartArray();
                for (JsonNode item : node) {
                    write(item, g);
                }
                g.writeEndArray();
            }
            case NUMBER -> g.writeRawValue(number(node.decimalValue()));
            case STRING -> g.writeString(node.textValue());
            case BOOLEAN -> g.writeBoolean(node.booleanValue());
            case NULL -> g.writeNull();
            default -> g.writeString(node.asText()); // BINARY, POJO, MISSING: never produced by readTree
        }
    }

    /**
     * One form per numeric value: trailing zeros stripped; a whole number of at most 21 digits in
     * plain digits, anything else as {@link BigDecimal#toString()} writes the stripped value.
     */
    private static String number(BigDecimal d) {
        BigDecimal s = d.stripTrailingZeros();
        if (s.signum() == 0) {
            return "0";
        }
        if (s.scale() <= 0 && s.precision() - s.scale() <= 21) {
            return s.toPlainString();
        }
        return s.toString();
    }
}
