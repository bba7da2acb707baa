package io.eventlens.app.cli;

import io.eventlens.core.analysis.AnomalyKind;
import io.eventlens.core.analysis.VerdictKind;
import io.eventlens.core.kafka.StartPosition;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import io.eventlens.core.filter.EventFilter;
import io.eventlens.core.filter.FilterException;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import picocli.CommandLine.TypeConversionException;

/**
 * The options every subcommand understands the same way, as picocli mixins, with exactly the names
 * of docs/reference/cli-contract.md ("Options with one meaning everywhere"): {@code --capture}, {@code --out}, {@code --kafka},
 * {@code --topic}, {@code --from}, {@code --duration}, {@code --max-events}, {@code --correlation-id},
 * {@code --format}, {@code --fail-on}. A subcommand includes the mixins it needs with {@code @Mixin}.
 */
public final class CommonOptions {

    private CommonOptions() {
    }

    /**
     * {@code --contracts PATH}: event contracts (a mapping file, a folder, an AsyncAPI document or a
     * JSON Schema file; docs/reference/contracts.md) to check each event against (CONTRACT_VIOLATION).
     */
    public static final class ContractsIn {
        @Option(names = "--contracts", paramLabel = "PATH",
                description = "Check events against these contracts: a mapping file (eventlens-contracts.yaml),"
                        + " a folder, an AsyncAPI 2/3 document or a JSON Schema file. Local files only: remote $refs"
                        + " are refused, never fetched.")
        Path contracts;

        /** True when {@code --contracts} was given. */
        public boolean given() {
            return contracts != null;
        }

        /**
         * The contracts loaded, or null when {@code --contracts} was not given; what loading skipped
         * goes to {@code err} as warnings.
         *
         * @throws InputException (exit 3) naming the file when they cannot be loaded
         */
        public io.eventlens.core.contracts.Contracts load(java.io.PrintWriter err, String command) {
            if (contracts == null) {
                return null;
            }
            try {
                io.eventlens.core.contracts.Contracts loaded = io.eventlens.core.contracts.Contracts.load(contracts);
                for (String w : loaded.warnings()) {
                    err.println(command + ": warning: " + w);
                }
                err.flush();
                return loaded;
            } catch (io.eventlens.core.contracts.ContractException e) {
                throw new InputException("contracts: " + e.getMessage(), e);
            }
        }
    }

    /** {@code --kafka BOOTSTRAP_SERVERS} and the repeatable {@code --topic NAME}. */
    public static final class KafkaSource {
        @Option(names = "--kafka", paramLabel = "BOOTSTRAP_SERVERS",
                description = "Kafka bootstrap servers, e.g. localhost:9092.")
        String bootstrapServers;

        @Option(names = "--topic", paramLabel = "NAME",
                description = "A topic to capture (repeatable; all its partitions).")
        List<String> topics = new ArrayList<>();

        /** The bootstrap servers given. */
        public String bootstrapServers() {
            return bootstrapServers;
        }

        /** The topics given, in order; empty when none. */
        public List<String> topics() {
            return List.copyOf(topics);
        }
    }

    /** {@code --from earliest|latest|ISO-8601}. */
    public static final class From {
        @Option(names = "--from", paramLabel = "earliest|latest|ISO-8601", converter = StartPositionConverter.class,
                description = "Where to start each partition: earliest, latest or an instant such as "
                        + "2026-11-22T10:15:30Z. Default: resume from the capture's stored position, else earliest.")
        StartPosition from;

        /** The start position given, or {@code null} when {@code --from} was not given. */
        public StartPosition from() {
            return from;
        }
    }

    /** {@code --duration D} and {@code --max-events N}: when a recording stops. */
    public static final class Limits {
        @Option(names = "--duration", paramLabel = "DURATION", converter = Durations.Converter.class,
                description = "Stop after this long: 500ms, 30s, 2m, 1h or ISO-8601 (PT30S). Default: until Ctrl-C.")
        Duration duration;

        @Option(names = "--max-events", paramLabel = "N",
                description = "Stop after this many events. Default: no limit.")
        long maxEvents;

        /** The duration given, or {@code null}. */
        public Duration duration() {
            return duration;
        }

        /** The max events given, 0 when none. */
        public long maxEvents() {
            return maxEvents;
        }
    }

    /** {@code --capture FILE}: a capture store that must exist. */
    public static final class CaptureIn {
        @Spec(Spec.Target.MIXEE)
        CommandSpec spec;

        @Option(names = "--capture", required = true, paramLabel = "FILE",
                description = "The capture store to read (the .mv.db suffix may be left off).")
        Path capture;

        /**
         * The capture store file ({@code ....mv.db}).
         *
         * @throws InputException naming the file when it does not exist or is not a file
         */
        public Path existingFile() {
            Path file = storeFile(capture);
            if (!Files.exists(file)) {
                throw new InputException("capture file not found: " + file);
            }
            if (!Files.isRegularFile(file)) {
                throw new InputException("capture file is not a regular file: " + file);
            }
            if (!Files.isReadable(file)) {
                throw new InputException("capture file is not readable: " + file);
            }
            return file;
        }
    }

    /** {@code --out FILE}: the capture store a command writes (created when absent, else appended to). */
    public static final class CaptureOut {
        @Option(names = "--out", required = true, paramLabel = "FILE",
                description = "The capture store to write; created when absent, else resumed "
                        + "(the .mv.db suffix may be left off).")
        Path out;

        /** The store file ({@code ....mv.db}). */
        public Path file() {
            return storeFile(out);
        }
    }

    /** {@code --correlation-id ID}. */
    public static final class Correlation {
        @Option(names = "--correlation-id", required = true, paramLabel = "ID",
                description = "The correlation ID of the flow, as the failing test printed it.")
        String correlationId;

        /** The correlation ID given. */
        public String correlationId() {
            return correlationId;
        }
    }

    /** {@code --format json|text|md|junit}; each command says which it supports. */
    public static final class Format {
        @Spec(Spec.Target.MIXEE)
        CommandSpec spec;

        @Option(names = "--format", paramLabel = "FORMAT",
                description = "Output format (${COMPLETION-CANDIDATES}); this command supports json and text. "
                        + "Default: text.")
        OutputFormat format = OutputFormat.TEXT;

        /**
         * The format given, checked against what the command supports.
         *
         * @throws ParameterException (exit 2) when the command does not support it
         */
        public OutputFormat require(Set<OutputFormat> supported) {
            if (!supported.contains(format)) {
                throw new ParameterException(spec.commandLine(), "--format: " + spec.name()
                        + " supports " + supported + ", not " + format);
            }
            return format;
        }
    }

    /**
     * {@code --filter EXPR}: a CEL expression over each event; only the events it is true for are
     * used (docs/reference/filters.md, docs/decisions/0022-cel-filters.md).
     */
    public static final class Filter {
        @Spec(Spec.Target.MIXEE)
        CommandSpec spec;

        @Option(names = "--filter", paramLabel = "EXPR",
                description = "Keep only the events this CEL expression is true for, e.g."
                        + " 'type == \"PaymentAuthorized\" && payload.amountCents > 10000' (docs/reference/filters.md).")
        String expression;

        /**
         * The compiled filter; {@link EventFilter#ALL} without {@code --filter}.
         *
         * @throws BadFilter (exit 2) when the expression does not compile: the message names line and
         *                   column and shows the expression with a caret under the error
         */
        public EventFilter compile() {
            try {
                return EventFilter.compile(expression);
            } catch (FilterException e) {
                String pointer = e.pointer();
                throw new BadFilter(spec.commandLine(), "--filter: " + e.reason()
                        + (e.line() > 0 ? " (line " + e.line() + ", column " + e.column() + ")" : "")
                        + (pointer.isEmpty() ? "" : "\n  " + pointer.replace("\n", "\n  ")));
            }
        }
    }

    /** A {@code --filter} expression that does not compile: a usage error (exit 2) shown without the usage text. */
    public static final class BadFilter extends ParameterException {
        BadFilter(picocli.CommandLine commandLine, String message) {
            super(commandLine, message);
        }
    }

    /** {@code --fail-on KIND,...}: anomaly or verdict kinds that make the command exit 1. */
    public static final class FailOn {
        @Spec(Spec.Target.MIXEE)
        CommandSpec spec;

        @Option(names = "--fail-on", split = ",", paramLabel = "KIND",
                description = "Exit 1 when any of these anomaly kinds (DUPLICATE, CONFLICTING_DUPLICATE, "
                        + "OUT_OF_ORDER, LAG, DEAD_LETTERED, RETRIED, CLOCK_SKEW, MISSING_STEP, FOREIGN_EVENT, "
                        + "SEQUENCE_RESTART, CONTRACT_VIOLATION) "
                        + "or verdict kinds (NO_EVENTS, DEAD_LETTERED, STOPPED, ...) is present. "
                        + "Case-insensitive, comma-separated.")
        List<String> kinds = new ArrayList<>();

        /**
         * The kinds given, upper-case, each an {@link AnomalyKind} or {@link VerdictKind} name.
         *
         * @throws ParameterException (exit 2) naming a kind that is neither
         */
        public Set<String> kinds() {
            Set<String> out = new LinkedHashSet<>();
            for (String k : kinds) {
                String name = k.trim().toUpperCase(Locale.ROOT).replace('-', '_');
                if (name.isEmpty()) {
                    continue;
                }
                if (!isKind(name)) {
                    throw new ParameterException(spec.commandLine(), "--fail-on: '" + k
                            + "' is not an anomaly kind " + List.of(AnomalyKind.values())
                            + " or a verdict kind " + List.of(VerdictKind.values()));
                }
                out.add(name);
            }
            return out;
        }

        private static boolean isKind(String name) {
            for (AnomalyKind a : AnomalyKind.values()) {
                if (a.name().equals(name)) {
                    return true;
                }
            }
            for (VerdictKind v : VerdictKind.values()) {
                if (v.name().equals(name)) {
                    return true;
                }
            }
            return false;
        }
    }

    /** The output formats of docs/reference/cli-contract.md; parsed case-insensitively, shown lower-case. */
    public enum OutputFormat {
        JSON, TEXT, MD, JUNIT;

        @Override
        public String toString() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** The store file for a {@code --capture}/{@code --out} value: {@code .mv.db} appended when left off. */
    public static Path storeFile(Path given) {
        Path abs = given.toAbsolutePath().normalize();
        String name = abs.getFileName().toString();
        return name.endsWith(".mv.db") ? abs : abs.resolveSibling(name + ".mv.db");
    }

    /** picocli converter for {@code --from}; a bad value is a usage error (exit 2). */
    public static final class StartPositionConverter implements ITypeConverter<StartPosition> {
        @Override
        public StartPosition convert(String value) {
            try {
                return StartPosition.parse(value);
            } catch (IllegalArgumentException e) {
                throw new TypeConversionException(e.getMessage().replaceFirst("^--from: ", ""));
            }
        }
    }

    /**
     * The RabbitMQ connection properties of {@code --amqp-config FILE} ({@code username},
     * {@code password}, {@code virtual-host}, {@code tls}, {@code management-url}; a Java properties
     * file), or none when {@code file} is null.
     *
     * @throws InputException naming the file when it cannot be read
     */
    static java.util.Properties amqpProperties(Path file) {
        java.util.Properties props = new java.util.Properties();
        if (file != null) {
            try (java.io.Reader r = Files.newBufferedReader(file, java.nio.charset.StandardCharsets.UTF_8)) {
                props.load(r);
            } catch (java.io.IOException | IllegalArgumentException e) {
                throw new InputException("--amqp-config " + file + ": cannot read RabbitMQ connection properties: "
                        + (e.getMessage() == null ? e.toString() : e.getMessage()), e);
            }
        }
        return props;
    }
}
