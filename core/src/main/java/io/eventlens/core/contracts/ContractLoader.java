package io.eventlens.core.contracts;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonPointer;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.networknt.schema.AbsoluteIri;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SchemaRegistryConfig;
import com.networknt.schema.SpecificationVersion;
import com.networknt.schema.resource.InputStreamSource;
import com.networknt.schema.resource.ResourceLoader;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.yaml.snakeyaml.LoaderOptions;

/**
 * Reads contract files into {@link Contracts} (docs/reference/contracts.md). Local files only: the
 * validator's only resource loader serves the files read here, by path and by {@code $id}; any
 * other IRI (http, https, a file outside the folder) is refused and named in the error.
 */
final class ContractLoader {

    /** Names of a folder's mapping file, in the order they are looked for. */
    static final List<String> MAPPING_NAMES = List.of("eventlens-contracts.yaml", "eventlens-contracts.yml",
            "eventlens-contracts.json");
    /** The largest contract file read, in bytes. */
    static final long MAX_FILE_BYTES = 4L * 1024 * 1024;
    /** The most files read under one contracts folder. */
    static final int MAX_FILES = 2_000;
    /** The deepest folder level searched. */
    static final int MAX_DEPTH = 8;
    /** The most contracts (mapping entries and AsyncAPI messages). */
    static final int MAX_CONTRACTS = 10_000;

    private static final StreamReadConstraints LIMITS = StreamReadConstraints.builder()
            .maxNestingDepth(200).maxStringLength(4 * 1024 * 1024).build();
    private static final ObjectMapper JSON = new ObjectMapper(JsonFactory.builder().streamReadConstraints(LIMITS).build())
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY);
    private static final ObjectMapper YAML;

    static {
        LoaderOptions options = new LoaderOptions();
        options.setMaxAliasesForCollections(50);
        options.setAllowRecursiveKeys(false);
        options.setNestingDepthLimit(100);
        options.setCodePointLimit((int) MAX_FILE_BYTES);
        options.setAllowDuplicateKeys(false);
        YAML = new ObjectMapper(YAMLFactory.builder().loaderOptions(options).streamReadConstraints(LIMITS).build());
    }

    private static final Set<String> MAPPING_KEYS = Set.of("version", "description", "contracts");
    private static final Set<String> ENTRY_KEYS = Set.of("name", "channel", "type", "schema", "asyncapi", "envelope",
            "payload", "description");

    private final Path root;
    private final Map<Path, JsonNode> docs = new LinkedHashMap<>();
    private final Map<String, String> resources = new HashMap<>();
    private final Map<String, Path> fileOfId = new HashMap<>();
    private final List<String> warnings = new ArrayList<>();
    private final List<Contract> contracts = new ArrayList<>();
    private final Map<String, Contract> byDataschema = new HashMap<>();
    private final List<String> refused = java.util.Collections.synchronizedList(new ArrayList<>());
    private final SchemaRegistry draft2020;
    private final SchemaRegistry draft7;

    private ContractLoader(Path root) {
        this.root = root;
        ResourceLoader local = this::localResource;
        SchemaRegistryConfig config = SchemaRegistryConfig.builder().formatAssertionsEnabled(true).preloadSchema(true)
                .regularExpressionFactory(BoundedRegularExpressions.INSTANCE).build();
        this.draft2020 = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12,
                b -> b.schemaRegistryConfig(config).resourceLoaders(r -> r.values(List::clear).add(local)));
        this.draft7 = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_7,
                b -> b.schemaRegistryConfig(config).resourceLoaders(r -> r.values(List::clear).add(local)));
    }

    /** The only resource loader the validator has: the files read here; everything else is refused. */
    private InputStreamSource localResource(AbsoluteIri iri) {
        String key = canonical(Contracts.stripFragment(iri.toString()));
        String text = resources.get(key);
        if (text == null) {
            refused.add(key);
            throw new RefusedReference(key);
        }
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        return () -> new ByteArrayInputStream(bytes);
    }

    /** A {@code $ref} to something that is not among the contract files. */
    static final class RefusedReference extends RuntimeException {
        RefusedReference(String iri) {
            super("$ref " + iri + " is not among the contract files and is never fetched");
        }
    }

    static Contracts load(Path path) throws ContractException {
        Path abs = path.toAbsolutePath().normalize();
        if (!Files.exists(abs)) {
            throw new ContractException(path, path + ": no such file or folder");
        }
        if (Files.isDirectory(abs)) {
            ContractLoader loader = new ContractLoader(abs);
            loader.readFolder(true);
            Path mapping = null;
            for (String name : MAPPING_NAMES) {
                if (Files.isRegularFile(abs.resolve(name))) {
                    mapping = abs.resolve(name);
                    break;
                }
            }
            if (mapping != null) {
                loader.mapping(mapping, loader.docs.get(mapping));
            } else {
                for (Map.Entry<Path, JsonNode> doc : List.copyOf(loader.docs.entrySet())) {
                    loader.autoContract(doc.getKey(), doc.getValue());
                }
            }
            return loader.finish(abs);
        }
        ContractLoader loader = new ContractLoader(abs.getParent());
        JsonNode given = loader.read(abs);
        loader.register(abs, given);
        loader.readFolder(false);
        if (given.isObject() && given.has("contracts")) {
            loader.mapping(abs, given);
        } else {
            loader.autoContract(abs, given);
        }
        return loader.finish(abs);
    }

    private Contracts finish(Path source) throws ContractException {
        if (contracts.isEmpty()) {
            throw new ContractException(source, name(source) + ": no contracts found (expected a mapping file "
                    + MAPPING_NAMES.get(0) + ", AsyncAPI documents or JSON Schema files)");
        }
        return new Contracts(source, contracts, byDataschema, Contracts.cloudEventsSchema(), warnings);
    }

    // ---- reading files --------------------------------------------------------------------------

    /** Reads every .json/.yaml/.yml file under the root; strict: a damaged file fails, else it is skipped with a warning. */
    private void readFolder(boolean strict) throws ContractException {
        List<Path> files;
        try (Stream<Path> walk = Files.walk(root, MAX_DEPTH)) {
            files = walk.filter(Files::isRegularFile).filter(ContractLoader::isContractFile).sorted().limit(MAX_FILES + 1L)
                    .toList();
        } catch (IOException | java.io.UncheckedIOException e) {
            throw new ContractException(root, root + ": cannot list the folder: " + e.getMessage(), e);
        }
        if (files.size() > MAX_FILES) {
            if (strict) {
                throw new ContractException(root, root + ": more than " + MAX_FILES + " .json/.yaml files; give a smaller folder");
            }
            warnings.add(root + ": more than " + MAX_FILES + " files, only the first " + MAX_FILES + " are available to $ref");
            files = files.subList(0, MAX_FILES);
        }
        for (Path f : files) {
            Path abs = f.toAbsolutePath().normalize();
            if (docs.containsKey(abs)) {
                continue;
            }
            try {
                register(abs, read(abs));
            } catch (ContractException e) {
                if (strict) {
                    throw e;
                }
                warnings.add(e.getMessage() + " (skipped)");
            }
        }
    }

    private static boolean isContractFile(Path p) {
        String n = p.getFileName().toString().toLowerCase(Locale.ROOT);
        return n.endsWith(".json") || n.endsWith(".yaml") || n.endsWith(".yml");
    }

    /** Parses one file (JSON, or YAML by its extension), naming file, line and column on damage. */
    JsonNode read(Path file) throws ContractException {
        try {
            long size = Files.size(file);
            if (size > MAX_FILE_BYTES) {
                throw new ContractException(file, name(file) + ": " + size + " bytes, larger than the "
                        + MAX_FILE_BYTES + " bytes a contract file may have");
            }
            byte[] bytes = Files.readAllBytes(file);
            String n = file.getFileName().toString().toLowerCase(Locale.ROOT);
            ObjectMapper mapper = n.endsWith(".json") ? JSON : YAML;
            JsonNode tree = mapper.readTree(bytes);
            if (tree == null || tree.isMissingNode()) {
                throw new ContractException(file, name(file) + ": empty file");
            }
            return tree;
        } catch (JsonProcessingException e) {
            JsonLocation at = e.getLocation();
            String where = at == null || at.getLineNr() < 1 ? "" : ":" + at.getLineNr() + ":" + at.getColumnNr();
            throw new ContractException(file, name(file) + where + ": not valid "
                    + (file.toString().toLowerCase(Locale.ROOT).endsWith(".json") ? "JSON" : "YAML") + ": "
                    + e.getOriginalMessage(), e);
        } catch (IOException e) {
            throw new ContractException(file, name(file) + ": cannot be read: " + e.getMessage(), e);
        } catch (RuntimeException e) {
            // snakeyaml limits (aliases, nesting, code points) and Jackson constraints surface as runtime exceptions
            throw new ContractException(file, name(file) + ": refused: " + e.getMessage(), e);
        }
    }

    /** Makes a document available to {@code $ref}s: by its file IRI and by its absolute {@code $id}. */
    private void register(Path file, JsonNode tree) throws ContractException {
        docs.put(file, tree);
        String text = tree.toString();
        resources.put(iriOf(file), text);
        JsonNode id = tree.isObject() ? tree.get("$id") : null;
        if (id != null && id.isTextual()) {
            String key = Contracts.stripFragment(id.textValue());
            if (isAbsoluteIri(key)) {
                Path other = fileOfId.putIfAbsent(key, file);
                if (other != null && !other.equals(file)) {
                    throw new ContractException(file, name(file) + ": $id " + key + " is also the $id of " + name(other));
                }
                resources.put(key, text);
            }
        }
    }

    private static boolean isAbsoluteIri(String s) {
        try {
            return URI.create(s).isAbsolute();
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    static String iriOf(Path file) {
        return file.toUri().toString();
    }

    /** An IRI as resources are keyed: a {@code file:} IRI in the form {@link Path#toUri()} gives ({@code file:///...}). */
    static String canonical(String iri) {
        if (iri.regionMatches(true, 0, "file:", 0, 5)) {
            try {
                return Path.of(URI.create(iri)).toAbsolutePath().normalize().toUri().toString();
            } catch (RuntimeException e) {
                return iri;
            }
        }
        return iri;
    }

    /** The file's name relative to the contracts folder, for messages. */
    String name(Path file) {
        try {
            Path rel = root.relativize(file);
            return rel.toString().isEmpty() || rel.startsWith("..") ? file.toString() : rel.toString();
        } catch (IllegalArgumentException e) {
            return file.toString();
        }
    }

    // ---- contracts -------------------------------------------------------------------------------

    /** A file in a folder without a mapping, or the one file given: an AsyncAPI document or a JSON Schema. */
    private void autoContract(Path file, JsonNode doc) throws ContractException {
        if (doc.isObject() && doc.has("asyncapi")) {
            asyncApi(file, doc, null, null, null, file.getFileName().toString());
            return;
        }
        if (!doc.isObject() && !doc.isBoolean()) {
            throw new ContractException(file, name(file) + ": not a JSON Schema (an object or a boolean), an AsyncAPI"
                    + " document or a contracts mapping");
        }
        if (doc.isObject() && doc.has("contracts")) {
            throw new ContractException(file, name(file) + ": a contracts mapping must be the folder's "
                    + MAPPING_NAMES.get(0) + " or be given itself");
        }
        String base = name(file);
        int dot = base.lastIndexOf('.');
        String contractName = dot > 0 ? base.substring(0, dot) : base;
        String fileBase = file.getFileName().toString();
        fileBase = fileBase.contains(".") ? fileBase.substring(0, fileBase.indexOf('.')) : fileBase;
        JsonNode title = doc.isObject() ? doc.get("title") : null;
        String type = title != null && title.isTextual() && !title.textValue().isBlank() ? title.textValue() : fileBase;
        Schema schema = compile(file, null, SpecificationVersion.DRAFT_2020_12);
        add(new Contract(contractName, null, type, base, Contract.Envelope.NONE, null, "schema file " + base, schema),
                file, doc);
    }

    private void add(Contract c, Path file, JsonNode doc) throws ContractException {
        if (contracts.size() >= MAX_CONTRACTS) {
            throw new ContractException(file, name(file) + ": more than " + MAX_CONTRACTS + " contracts");
        }
        contracts.add(c);
        if (c.schema() != null && file != null && c.schemaRef() != null && !c.schemaRef().contains("#")) {
            byDataschema.putIfAbsent(iriOf(file), c);
            byDataschema.putIfAbsent(name(file), c);
            JsonNode id = doc != null && doc.isObject() ? doc.get("$id") : null;
            if (id != null && id.isTextual()) {
                byDataschema.putIfAbsent(Contracts.stripFragment(id.textValue()), c);
            }
        }
        byDataschema.putIfAbsent(c.name(), c);
    }

    /** Compiles the schema at a file (and pointer); every {@code $ref} is resolved now, locally or refused. */
    private Schema compile(Path file, String pointer, SpecificationVersion defaultDialect) throws ContractException {
        JsonNode doc = docs.get(file);
        SchemaRegistry registry = doc != null && doc.isObject() && doc.has("$schema") ? draft2020
                : defaultDialect == SpecificationVersion.DRAFT_7 ? draft7 : draft2020;
        String location = iriOf(file) + (pointer == null || pointer.isEmpty() ? "" : "#" + fragment(pointer));
        checkRefs(file, new java.util.HashSet<>());
        int refusedBefore = refused.size();
        try {
            Schema schema = registry.getSchema(SchemaLocation.of(location));
            schema.getSchemaNode();
            return schema;
        } catch (RuntimeException | StackOverflowError e) {
            String where = name(file) + (pointer == null || pointer.isEmpty() ? "" : "#" + pointer);
            if (refused.size() > refusedBefore) {
                throw new ContractException(file, where + ": refers to " + refused.get(refusedBefore)
                        + " ($ref or $schema), which is not among the contract files and is never fetched; add a file"
                        + " with that $id to the contracts folder, or remove the reference");
            }
            Throwable cause = e;
            while (cause.getCause() != null && cause.getCause() != cause) {
                if (cause instanceof RefusedReference) {
                    break;
                }
                cause = cause.getCause();
            }
            throw new ContractException(file, where + ": not a usable schema: " + cause.getMessage(), e);
        }
    }

    /**
     * Refuses, before the validator sees them, every {@code $ref} of a file (and of the files it
     * refers to) that does not resolve to one of the contract files: the validator resolves
     * references lazily, so this is where a remote reference is named at load time. Each reference
     * is resolved against the file's {@code $id} (else its path); a nested {@code $id} is not followed.
     */
    private void checkRefs(Path file, java.util.Set<Path> seen) throws ContractException {
        if (!seen.add(file)) {
            return;
        }
        JsonNode doc = docs.get(file);
        if (doc == null) {
            return;
        }
        JsonNode id = doc.isObject() ? doc.get("$id") : null;
        String base = id != null && id.isTextual() && isAbsoluteIri(Contracts.stripFragment(id.textValue()))
                ? id.textValue() : iriOf(file);
        java.util.ArrayDeque<JsonNode> todo = new java.util.ArrayDeque<>();
        java.util.ArrayDeque<String> where = new java.util.ArrayDeque<>();
        todo.push(doc);
        where.push("");
        int visited = 0;
        while (!todo.isEmpty() && visited++ < 1_000_000) {
            JsonNode n = todo.pop();
            String at = where.pop();
            if (n.isObject()) {
                JsonNode ref = n.get("$ref");
                if (ref != null && ref.isTextual() && !ref.textValue().startsWith("#")) {
                    String target;
                    try {
                        target = canonical(Contracts.stripFragment(URI.create(base).resolve(URI.create(ref.textValue())).toString()));
                    } catch (IllegalArgumentException e) {
                        throw new ContractException(file, name(file) + "#" + at + ": $ref '" + ref.textValue()
                                + "' is not a URI reference");
                    }
                    if (!resources.containsKey(target)) {
                        throw new ContractException(file, name(file) + "#" + at + "/$ref: " + ref.textValue()
                                + (target.equals(ref.textValue()) ? "" : " (" + target + ")")
                                + " is not among the contract files and is never fetched; add a file with that $id"
                                + " (or at that path) to the contracts folder, or remove the reference");
                    }
                    Path other = fileOfId.get(target);
                    if (other == null) {
                        for (Path p : docs.keySet()) {
                            if (iriOf(p).equals(target)) {
                                other = p;
                                break;
                            }
                        }
                    }
                    if (other != null) {
                        checkRefs(other, seen);
                    }
                }
            }
            if (n.isObject()) {
                for (var it = n.properties().iterator(); it.hasNext(); ) {
                    var f = it.next();
                    if (f.getValue().isContainerNode()) {
                        todo.push(f.getValue());
                        where.push(at + "/" + AsyncApiMessages.escape(f.getKey()));
                    }
                }
            } else if (n.isArray()) {
                for (int i = 0; i < n.size(); i++) {
                    if (n.get(i).isContainerNode()) {
                        todo.push(n.get(i));
                        where.push(at + "/" + i);
                    }
                }
            }
        }
    }

    /** A JSON Pointer as a URI fragment: RFC 6901 section 6 (percent-encoding outside unreserved, '/' and '~'). */
    static String fragment(String pointer) {
        StringBuilder s = new StringBuilder();
        for (byte b : pointer.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xff;
            if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || "-._~/".indexOf(c) >= 0) {
                s.append((char) c);
            } else {
                s.append('%').append(String.format(Locale.ROOT, "%02X", c));
            }
        }
        return s.toString();
    }

    // ---- the mapping file ----------------------------------------------------------------------

    private void mapping(Path file, JsonNode doc) throws ContractException {
        String f = name(file);
        if (doc == null || !doc.isObject()) {
            throw new ContractException(file, f + ": a contracts mapping is an object with a 'contracts' list");
        }
        for (var it = doc.fieldNames(); it.hasNext(); ) {
            String key = it.next();
            if (!MAPPING_KEYS.contains(key)) {
                throw new ContractException(file, f + ": unknown member '" + key + "' (known: " + MAPPING_KEYS + ")");
            }
        }
        JsonNode version = doc.get("version");
        if (version != null && !(version.canConvertToInt() && version.asInt() == 1 && version.isNumber())) {
            throw new ContractException(file, f + ": version " + version + " is not supported (1)");
        }
        JsonNode list = doc.get("contracts");
        if (list == null || !list.isArray()) {
            throw new ContractException(file, f + ": 'contracts' must be a list");
        }
        if (list.size() > MAX_CONTRACTS) {
            throw new ContractException(file, f + ": more than " + MAX_CONTRACTS + " contracts");
        }
        for (int i = 0; i < list.size(); i++) {
            entry(file, i, list.get(i));
        }
    }

    private void entry(Path file, int index, JsonNode e) throws ContractException {
        String at = name(file) + ": contracts[" + index + "]";
        if (!e.isObject()) {
            throw new ContractException(file, at + ": must be an object");
        }
        for (var it = e.fieldNames(); it.hasNext(); ) {
            String key = it.next();
            if (!ENTRY_KEYS.contains(key)) {
                throw new ContractException(file, at + ": unknown member '" + key + "' (known: " + ENTRY_KEYS + ")");
            }
        }
        String name = text(file, at, e, "name");
        String channel = text(file, at, e, "channel");
        String type = text(file, at, e, "type");
        String schema = text(file, at, e, "schema");
        String asyncapi = text(file, at, e, "asyncapi");
        String envelopeText = text(file, at, e, "envelope");
        String payload = text(file, at, e, "payload");
        if (name != null) {
            at = at + " (" + name + ")";
        }
        Contract.Envelope envelope;
        if (envelopeText == null || envelopeText.equalsIgnoreCase("none")) {
            envelope = Contract.Envelope.NONE;
        } else if (envelopeText.equalsIgnoreCase("cloudevents")) {
            envelope = Contract.Envelope.CLOUDEVENTS;
        } else {
            throw new ContractException(file, at + ": envelope '" + envelopeText + "' is not one of none, cloudevents");
        }
        if (payload != null) {
            try {
                if (!payload.startsWith("/")) {
                    throw new IllegalArgumentException("must start with '/'");
                }
                JsonPointer.compile(payload);
            } catch (IllegalArgumentException ex) {
                throw new ContractException(file, at + ": payload '" + payload + "' is not a JSON Pointer: " + ex.getMessage());
            }
        }
        if (schema != null && asyncapi != null) {
            throw new ContractException(file, at + ": give either 'schema' or 'asyncapi', not both");
        }
        if (asyncapi != null) {
            Path doc = inside(file, at, asyncapi, "asyncapi");
            JsonNode tree = docs.get(doc);
            if (tree == null || !tree.isObject() || !tree.has("asyncapi")) {
                throw new ContractException(file, at + ": " + asyncapi + " is not an AsyncAPI document (no 'asyncapi' member)");
            }
            int before = contracts.size();
            asyncApi(doc, tree, name, channel, type, name(file) + " contracts[" + index + "]");
            if (contracts.size() == before) {
                throw new ContractException(file, at + ": " + asyncapi + " has no message payload"
                        + (channel != null ? " on channel " + channel : "") + (type != null ? " of type " + type : ""));
            }
            return;
        }
        if (name == null) {
            throw new ContractException(file, at + ": 'name' is missing");
        }
        if (channel == null && type == null) {
            throw new ContractException(file, at + ": give 'channel', 'type' or both: which events the contract is for");
        }
        if (schema == null) {
            if (envelope != Contract.Envelope.CLOUDEVENTS) {
                throw new ContractException(file, at + ": 'schema' is missing (only an envelope: cloudevents contract may go without)");
            }
            add(new Contract(name, channel, type, null, envelope, payload, name(file) + " contracts[" + index + "]", null),
                    null, null);
            return;
        }
        String pathPart = Contracts.stripFragment(schema);
        String pointer = schema.length() > pathPart.length() ? schema.substring(pathPart.length() + 1) : null;
        Path target;
        if (fileOfId.containsKey(pathPart)) {
            target = fileOfId.get(pathPart);
        } else if (isAbsoluteIri(pathPart) && !pathPart.startsWith("file:")) {
            throw new ContractException(file, at + ": schema " + pathPart + " is not the $id of any contract file"
                    + " and is never fetched");
        } else {
            target = inside(file, at, pathPart, "schema");
        }
        if (pointer != null && !pointer.isEmpty()) {
            try {
                pointer = java.net.URLDecoder.decode(pointer.replace("+", "%2B"), StandardCharsets.UTF_8);
                JsonPointer.compile(pointer);
            } catch (IllegalArgumentException ex) {
                throw new ContractException(file, at + ": '#" + pointer + "' is not a JSON Pointer");
            }
            if (docs.get(target).at(pointer).isMissingNode()) {
                throw new ContractException(file, at + ": " + name(target) + " has nothing at #" + pointer);
            }
        }
        Schema compiled = compile(target, pointer, SpecificationVersion.DRAFT_2020_12);
        String ref = name(target) + (pointer == null || pointer.isEmpty() ? "" : "#" + pointer);
        add(new Contract(name, channel, type, ref, envelope, payload, name(file) + " contracts[" + index + "]", compiled),
                pointer == null || pointer.isEmpty() ? target : null, docs.get(target));
    }

    /** A file named by the mapping: relative to the mapping's folder, inside the contracts folder, loaded. */
    private Path inside(Path mapping, String at, String relative, String member) throws ContractException {
        Path target;
        try {
            target = mapping.getParent().resolve(relative).toAbsolutePath().normalize();
        } catch (java.nio.file.InvalidPathException e) {
            throw new ContractException(mapping, at + ": " + member + " '" + relative + "' is not a file name");
        }
        if (!target.startsWith(root)) {
            throw new ContractException(mapping, at + ": " + member + " '" + relative + "' is outside the contracts folder "
                    + root);
        }
        if (!docs.containsKey(target)) {
            throw new ContractException(mapping, at + ": " + member + " file '" + relative + "' "
                    + (Files.exists(target) ? "is not a .json, .yaml or .yml file" : "does not exist"));
        }
        return target;
    }

    private static String text(Path file, String at, JsonNode e, String key) throws ContractException {
        JsonNode v = e.get(key);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isTextual() || v.textValue().isBlank()) {
            throw new ContractException(file, at + ": '" + key + "' must be a non-empty text");
        }
        return v.textValue();
    }

    // ---- AsyncAPI ------------------------------------------------------------------------------

    private void asyncApi(Path file, JsonNode doc, String name, String channelFilter, String typeFilter, String declaredIn)
            throws ContractException {
        String contractName = name;
        if (contractName == null) {
            JsonNode title = doc.path("info").path("title");
            JsonNode version = doc.path("info").path("version");
            contractName = title.isTextual() ? title.textValue() + (version.isTextual() ? " " + version.textValue() : "")
                    : file.getFileName().toString();
        }
        AsyncApiMessages.Result read = AsyncApiMessages.read(file, doc, docs, this::name);
        warnings.addAll(read.warnings());
        for (AsyncApiMessages.Message m : read.messages()) {
            if (channelFilter != null && !channelFilter.equals(m.channel())) {
                continue;
            }
            if (typeFilter != null && !typeFilter.equals(m.type())) {
                continue;
            }
            if (!m.jsonSchema()) {
                warnings.add(name(m.file()) + "#" + m.payloadPointer() + ": skipped, schemaFormat " + m.schemaFormat()
                        + " is not JSON Schema or AsyncAPI Schema");
                continue;
            }
            Schema schema = compile(m.file(), m.payloadPointer(), SpecificationVersion.DRAFT_7);
            String where = "AsyncAPI " + name(file) + " channel " + m.channel()
                    + (m.type() == null ? "" : " message " + m.type())
                    + (declaredIn.equals(file.getFileName().toString()) ? "" : ", " + declaredIn);
            String ref = name(m.file()) + "#" + m.payloadPointer();
            add(new Contract(contractName, m.channel(), m.type(), ref, Contract.Envelope.NONE, null, where, schema), null, null);
            if (m.onlyOnChannel() && m.type() != null) {
                // the channel's only message: it applies to every event on the channel (after channel + type)
                add(new Contract(contractName, m.channel(), null, ref, Contract.Envelope.NONE, null,
                        where + ", the channel's only message", schema), null, null);
            }
        }
    }
}
