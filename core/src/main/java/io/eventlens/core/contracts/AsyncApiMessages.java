package io.eventlens.core.contracts;

import com.fasterxml.jackson.core.JsonPointer;
import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The message payload schemas of an AsyncAPI 2.x or 3.x document, per channel
 * (docs/reference/contracts.md, "AsyncAPI"): AsyncAPI 2 {@code channels.<address>.publish|subscribe.message}
 * (with {@code oneOf}); AsyncAPI 3 {@code channels.<id>.messages.<id>}, the channel's {@code address}
 * (else its id) being the channel. A message's type is its {@code name}, else its {@code messageId}
 * (2.x), else its key under {@code messages} or {@code components.messages}. {@code $ref}s to
 * messages and channels are followed inside the document and into other loaded files
 * ({@code other.yaml#/components/messages/X}); payload {@code $ref}s are left to the validator.
 */
final class AsyncApiMessages {

    /** The most {@code $ref} hops followed to find one message or channel. */
    private static final int MAX_HOPS = 16;

    /**
     * One message payload.
     *
     * @param channel        the channel (address) it travels on
     * @param type           the message's type, or null when it has no name
     * @param file           the file holding the payload schema
     * @param payloadPointer JSON Pointer to the payload schema in that file
     * @param schemaFormat   the declared schema format, or null (AsyncAPI Schema)
     * @param onlyOnChannel  true when it is the channel's only message
     */
    record Message(String channel, String type, Path file, String payloadPointer, String schemaFormat,
                   boolean onlyOnChannel) {

        /** True when the payload is a JSON Schema or AsyncAPI Schema (the formats that are validated). */
        boolean jsonSchema() {
            if (schemaFormat == null) {
                return true;
            }
            String f = schemaFormat.toLowerCase(java.util.Locale.ROOT);
            return f.startsWith("application/vnd.aai.asyncapi") || f.startsWith("application/schema+json")
                    || f.startsWith("application/schema+yaml");
        }
    }

    /** The messages and what was skipped. */
    record Result(List<Message> messages, List<String> warnings) {
    }

    /** A node and where it is. */
    private record Located(Path file, String pointer, JsonNode node, String refName) {
    }

    private final String fileName;
    private final Map<Path, JsonNode> docs;
    private final Function<Path, String> names;
    private final List<String> warnings = new ArrayList<>();

    private AsyncApiMessages(String fileName, Map<Path, JsonNode> docs, Function<Path, String> names) {
        this.fileName = fileName;
        this.docs = docs;
        this.names = names;
    }

    /**
     * Reads the messages of a document.
     *
     * @throws ContractException when the document is not AsyncAPI 2.x/3.x or its structure is broken
     *                           (the message names the file and the JSON Pointer)
     */
    static Result read(Path file, JsonNode doc, Map<Path, JsonNode> docs, Function<Path, String> names)
            throws ContractException {
        AsyncApiMessages r = new AsyncApiMessages(names.apply(file), docs, names);
        return new Result(r.messages(file, doc), r.warnings);
    }

    private List<Message> messages(Path file, JsonNode doc) throws ContractException {
        JsonNode version = doc.get("asyncapi");
        String v = version != null && version.isTextual() ? version.textValue() : String.valueOf(version);
        JsonNode channels = doc.get("channels");
        if (channels == null || channels.isNull()) {
            return List.of();
        }
        if (!channels.isObject()) {
            throw new ContractException(file, fileName + "#/channels: must be an object");
        }
        List<Message> out = new ArrayList<>();
        if (v.startsWith("2.")) {
            for (var it = channels.properties().iterator(); it.hasNext(); ) {
                var ch = it.next();
                String base = "/channels/" + escape(ch.getKey());
                Located channel = resolve(file, base, ch.getValue());
                List<Located> msgs = new ArrayList<>();
                for (String op : List.of("publish", "subscribe")) {
                    JsonNode operation = channel.node().get(op);
                    if (operation == null) {
                        continue;
                    }
                    Located opNode = resolve(channel.file(), channel.pointer() + "/" + op, operation);
                    JsonNode message = opNode.node().get("message");
                    if (message != null) {
                        collect(opNode.file(), opNode.pointer() + "/message", message, msgs, 0);
                    }
                }
                add(out, ch.getKey(), msgs, true);
            }
        } else if (v.startsWith("3.")) {
            for (var it = channels.properties().iterator(); it.hasNext(); ) {
                var ch = it.next();
                Located channel = resolve(file, "/channels/" + escape(ch.getKey()), ch.getValue());
                JsonNode address = channel.node().get("address");
                String name = address != null && address.isTextual() ? address.textValue() : ch.getKey();
                JsonNode messages = channel.node().get("messages");
                List<Located> msgs = new ArrayList<>();
                if (messages != null && messages.isObject()) {
                    for (var mi = messages.properties().iterator(); mi.hasNext(); ) {
                        var m = mi.next();
                        Located located = resolve(channel.file(), channel.pointer() + "/messages/" + escape(m.getKey()), m.getValue());
                        msgs.add(new Located(located.file(), located.pointer(), located.node(),
                                located.refName() != null ? located.refName() : m.getKey()));
                    }
                } else if (messages != null && !messages.isNull()) {
                    throw new ContractException(file, fileName + "#" + channel.pointer() + "/messages: must be an object");
                }
                add(out, name, msgs, false);
            }
        } else {
            throw new ContractException(file, fileName + ": asyncapi version " + v + " is not supported (2.x or 3.x)");
        }
        return out;
    }

    private void add(List<Message> out, String channel, List<Located> msgs, boolean v2) throws ContractException {
        int withPayload = (int) msgs.stream().filter(m -> m.node().has("payload")).count();
        for (Located m : msgs) {
            JsonNode payload = m.node().get("payload");
            if (payload == null) {
                continue;
            }
            String type = text(m.node(), "name");
            if (type == null && v2) {
                type = text(m.node(), "messageId");
            }
            if (type == null) {
                type = m.refName();
            }
            String format = text(m.node(), "schemaFormat");
            String pointer = m.pointer() + "/payload";
            if (!v2 && payload.isObject() && payload.has("schema") && payload.has("schemaFormat")) {
                format = text(payload, "schemaFormat");
                pointer = pointer + "/schema";
            }
            out.add(new Message(channel, type, m.file(), pointer, format, withPayload == 1));
        }
    }

    /** Collects an AsyncAPI 2 operation's message: one message, a {@code $ref}, or {@code oneOf} of them. */
    private void collect(Path file, String pointer, JsonNode node, List<Located> out, int depth) throws ContractException {
        if (depth > MAX_HOPS) {
            throw new ContractException(file, fileName + "#" + pointer + ": messages nested too deeply");
        }
        Located m = resolve(file, pointer, node);
        JsonNode oneOf = m.node().get("oneOf");
        if (oneOf != null && oneOf.isArray()) {
            for (int i = 0; i < oneOf.size(); i++) {
                collect(m.file(), m.pointer() + "/oneOf/" + i, oneOf.get(i), out, depth + 1);
            }
            return;
        }
        out.add(m);
    }

    /** Follows {@code $ref}s (local, or into another loaded file) to an object. */
    private Located resolve(Path file, String pointer, JsonNode node) throws ContractException {
        String refName = null;
        for (int hop = 0; ; hop++) {
            if (!node.isObject()) {
                throw new ContractException(file, names.apply(file) + "#" + pointer + ": must be an object");
            }
            JsonNode ref = node.get("$ref");
            if (ref == null) {
                return new Located(file, pointer, node, refName);
            }
            if (hop >= MAX_HOPS) {
                throw new ContractException(file, names.apply(file) + "#" + pointer + ": more than " + MAX_HOPS
                        + " $ref hops (a cycle?)");
            }
            if (!ref.isTextual()) {
                throw new ContractException(file, names.apply(file) + "#" + pointer + "/$ref: must be a text");
            }
            String r = ref.textValue();
            int hash = r.indexOf('#');
            String filePart = hash < 0 ? r : r.substring(0, hash);
            String target;
            try {
                target = hash < 0 ? "" : java.net.URLDecoder.decode(r.substring(hash + 1).replace("+", "%2B"),
                        java.nio.charset.StandardCharsets.UTF_8);
            } catch (IllegalArgumentException e) {
                throw new ContractException(file, names.apply(file) + "#" + pointer + ": $ref " + r
                        + " has a damaged %-escape");
            }
            Path targetFile = file;
            if (!filePart.isEmpty()) {
                if (filePart.contains(":")) {
                    throw new ContractException(file, names.apply(file) + "#" + pointer + ": $ref " + r
                            + " is not among the contract files and is never fetched");
                }
                targetFile = file.getParent().resolve(filePart).normalize();
                if (!docs.containsKey(targetFile)) {
                    throw new ContractException(file, names.apply(file) + "#" + pointer + ": $ref " + r
                            + " names a file that is not among the contract files");
                }
            }
            JsonNode found;
            try {
                found = target.isEmpty() ? docs.get(targetFile) : docs.get(targetFile).at(JsonPointer.compile(target));
            } catch (IllegalArgumentException e) {
                throw new ContractException(file, names.apply(file) + "#" + pointer + ": $ref " + r + " is not a JSON Pointer");
            }
            if (found == null || found.isMissingNode()) {
                throw new ContractException(file, names.apply(file) + "#" + pointer + ": $ref " + r + " points at nothing");
            }
            int slash = target.lastIndexOf('/');
            refName = slash >= 0 ? target.substring(slash + 1).replace("~1", "/").replace("~0", "~") : refName;
            file = targetFile;
            pointer = target;
            node = found;
        }
    }

    private static String text(JsonNode n, String key) {
        JsonNode v = n.get(key);
        return v != null && v.isTextual() && !v.textValue().isBlank() ? v.textValue() : null;
    }

    static String escape(String key) {
        return key.replace("~", "~0").replace("/", "~1");
    }
}
