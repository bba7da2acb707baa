package io.eventlens.core.filter;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import dev.cel.bundle.Cel;
import dev.cel.bundle.CelFactory;
import dev.cel.common.CelAbstractSyntaxTree;
import dev.cel.common.CelIssue;
import dev.cel.common.CelOptions;
import dev.cel.common.CelValidationException;
import dev.cel.common.ast.CelExpr;
import dev.cel.common.navigation.CelNavigableAst;
import dev.cel.common.types.ListType;
import dev.cel.common.types.MapType;
import dev.cel.common.types.SimpleType;
import dev.cel.common.values.CelByteString;
import dev.cel.common.values.NullValue;
import dev.cel.parser.CelStandardMacro;
import dev.cel.runtime.CelEvaluationException;
import dev.cel.runtime.CelRuntime;
import io.eventlens.core.model.CapturedEvent;
import io.eventlens.core.model.Header;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A compiled event filter: a CEL expression (Common Expression Language) over one captured event
 * that yields {@code true} for the events to keep (docs/decisions/0022-cel-filters.md). Compile once
 * with {@link #compile}, then {@link #test} each event; a compiled filter is immutable and safe to
 * share between threads.
 *
 * <p>Variables ({@link #VARIABLES}; docs/reference/filters.md):
 * <ul>
 *   <li>{@code channel} (string): the channel name (Kafka topic, AMQP queue);</li>
 *   <li>{@code partition}, {@code offset} (int): the Kafka partition and offset, {@code -1} when the
 *       source has none;</li>
 *   <li>{@code key} (string): the message key as UTF-8 text, {@code ""} when there is none;</li>
 *   <li>{@code headers} (map of string to string): header values as UTF-8 text; when a name repeats,
 *       the last value;</li>
 *   <li>{@code type}, {@code eventId}, {@code correlationId} (string): the derived fields, {@code ""}
 *       when no extraction rule found them;</li>
 *   <li>{@code eventTime}, {@code observedAt} (timestamp): the event's own time (the observed time
 *       when it declares none) and the observed time;</li>
 *   <li>{@code payload} (dyn): the payload parsed as JSON (a map for an object), else its UTF-8 text,
 *       else its bytes; {@code null} for a tombstone. Parsed only when the expression names it;</li>
 *   <li>{@code anomalies} (list of string): the anomaly kinds found on the event
 *       ({@code "LAG"}, {@code "DEAD_LETTERED"}, ...), from the {@link FilterContext};</li>
 *   <li>{@code verdict} (string): the verdict kind of the event's flow ({@code "STOPPED"}, ...), or
 *       {@code ""}.</li>
 * </ul>
 *
 * <p>Safety: CEL has no I/O, no loops beyond bounded macros and no user-defined functions, so an
 * expression from a shared capture or link can only compute a value. Only CEL's standard
 * functions and macros are declared; anything else fails to compile with "there is no such
 * function". Limits bound the work one expression can ask for: {@value #MAX_LENGTH} characters,
 * nesting {@value #MAX_NESTING} deep, {@value #MAX_NODES} syntax nodes, {@value #MAX_ITERATIONS}
 * iterations per comprehension and regular expressions (RE2, linear time) of at most
 * {@value #MAX_REGEX_PROGRAM} program instructions.
 */
public final class EventFilter {

    /** The variables an expression may name, in the order the documentation lists them. */
    public static final List<String> VARIABLES = List.of("channel", "partition", "offset", "key", "headers", "type",
            "eventId", "correlationId", "eventTime", "observedAt", "payload", "anomalies", "verdict");

    /** The longest expression accepted, in characters (code points). */
    public static final int MAX_LENGTH = 4_096;
    /** The deepest nesting of parentheses, calls and operators accepted. */
    public static final int MAX_NESTING = 48;
    /** The most syntax nodes an expression may have. */
    public static final int MAX_NODES = 2_000;
    /** The most iterations one comprehension ({@code exists}, {@code all}, {@code map}, ...) may take. */
    public static final int MAX_ITERATIONS = 1_000;
    /** The largest RE2 program a {@code matches} pattern may compile to. */
    public static final int MAX_REGEX_PROGRAM = 1_000;

    /**
     * The CEL environment, built on first compile (holder idiom): building it loads and links most
     * of cel-java, which commands and windows that never filter should not pay for at start-up
     * ({@link #ALL} needs none of it).
     */
    private static final class Env {
        static final CelOptions OPTIONS = CelOptions.current()
                .maxExpressionCodePointSize(MAX_LENGTH)
                .maxParseRecursionDepth(MAX_NESTING)
                .maxParseExpressionNodeCount(MAX_NODES)
                .comprehensionMaxIterations(MAX_ITERATIONS)
                .maxRegexProgramSize(MAX_REGEX_PROGRAM)
                .enableHeterogeneousNumericComparisons(true)
                .enableTimestampEpoch(true)
                .evaluateCanonicalTypesToNativeValues(true)
                .build();

        static final Cel CEL = CelFactory.standardCelBuilder()
                .setOptions(OPTIONS)
                .setStandardMacros(CelStandardMacro.STANDARD_MACROS)
                .addVar("channel", SimpleType.STRING)
                .addVar("partition", SimpleType.INT)
                .addVar("offset", SimpleType.INT)
                .addVar("key", SimpleType.STRING)
                .addVar("headers", MapType.create(SimpleType.STRING, SimpleType.STRING))
                .addVar("type", SimpleType.STRING)
                .addVar("eventId", SimpleType.STRING)
                .addVar("correlationId", SimpleType.STRING)
                .addVar("eventTime", SimpleType.TIMESTAMP)
                .addVar("observedAt", SimpleType.TIMESTAMP)
                .addVar("payload", SimpleType.DYN)
                .addVar("anomalies", ListType.create(SimpleType.STRING))
                .addVar("verdict", SimpleType.STRING)
                .setResultType(SimpleType.BOOL)
                .build();
    }

    private static final JsonFactory JSON = JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(200).build())
            .build();

    private static final Pattern UNDECLARED = Pattern.compile("undeclared reference to '([^']*)'.*", Pattern.DOTALL);

    /** The filter that keeps every event: what a blank expression compiles to. */
    public static final EventFilter ALL = new EventFilter("", null, Set.of(), IndexedConstraints.NONE);

    private final String expression;
    private final CelRuntime.Program program;
    private final Set<String> variables;
    private final IndexedConstraints constraints;

    private EventFilter(String expression, CelRuntime.Program program, Set<String> variables,
            IndexedConstraints constraints) {
        this.expression = expression;
        this.program = program;
        this.variables = variables;
        this.constraints = constraints;
    }

    /**
     * Compiles an expression. A blank expression (or {@code null}) gives {@link #ALL}.
     *
     * @throws FilterException when it does not parse, does not type-check as a bool, names an unknown
     *                         variable or function, or exceeds a limit; the exception names the line
     *                         and column
     */
    public static EventFilter compile(String expression) {
        if (expression == null || expression.isBlank()) {
            return ALL;
        }
        int length = expression.codePointCount(0, expression.length());
        if (length > MAX_LENGTH) {
            throw new FilterException(expression, "the expression is " + length + " characters long; the limit is "
                    + MAX_LENGTH, 0, 0);
        }
        CelAbstractSyntaxTree ast;
        try {
            ast = Env.CEL.compile(expression).getAst();
        } catch (CelValidationException e) {
            throw translate(expression, e);
        } catch (RuntimeException | StackOverflowError e) {
            // the parser's own limits should stop hostile input first; this keeps a surprise a bad-input error
            throw new FilterException(expression, "the expression cannot be compiled (" + e.getClass().getSimpleName()
                    + ")", 0, 0);
        }
        Set<String> names = new LinkedHashSet<>();
        CelNavigableAst.fromAst(ast).getRoot().allNodes()
                .filter(n -> n.expr().getKind() == CelExpr.ExprKind.Kind.IDENT)
                .forEach(n -> {
                    String name = n.expr().ident().name();
                    if (VARIABLES.contains(name)) {
                        names.add(name);
                    }
                });
        try {
            return new EventFilter(expression, Env.CEL.createProgram(ast), Collections.unmodifiableSet(names),
                    IndexedConstraints.of(ast.getExpr()));
        } catch (dev.cel.common.CelException | RuntimeException e) {
            throw new FilterException(expression, "the expression cannot be run: " + firstLine(e.getMessage()), 0, 0);
        }
    }

    private static FilterException translate(String expression, CelValidationException e) {
        List<CelIssue> issues = e.getErrors();
        if (issues.isEmpty()) {
            return new FilterException(expression, firstLine(e.getMessage()), 0, 0);
        }
        CelIssue issue = issues.get(0);
        int line = Math.max(1, issue.getSourceLocation().getLine());
        int column = Math.max(0, issue.getSourceLocation().getColumn()) + 1;
        if (issue.getSourceLocation().getLine() <= 0) {
            line = 0;
            column = 0;
        }
        String message = issue.getMessage();
        Matcher m = UNDECLARED.matcher(message);
        if (m.matches()) {
            String name = m.group(1);
            message = calledAt(expression, line, column, name)
                    ? "there is no such function: " + name + " (filters can call only CEL's standard functions)"
                    : "there is no such variable: " + name + " (variables: " + String.join(", ", VARIABLES) + ")";
        } else if (message.startsWith("found no matching overload for '")) {
            String name = message.substring("found no matching overload for '".length());
            name = name.substring(0, Math.max(0, name.indexOf('\'')));
            if (!name.startsWith("_") && !name.startsWith("@") && !name.startsWith("!")
                    && !STANDARD_FUNCTIONS.contains(name)) {
                message = "there is no such function: " + name + " (filters can call only CEL's standard functions)";
            }
        }
        return new FilterException(expression, message, line, column);
    }

    private static final Set<String> STANDARD_FUNCTIONS = Set.of("size", "contains", "startsWith", "endsWith",
            "matches", "int", "uint", "double", "string", "bytes", "bool", "timestamp", "duration", "type", "dyn",
            "getFullYear", "getMonth", "getDate", "getDayOfMonth", "getDayOfYear", "getDayOfWeek", "getHours",
            "getMinutes", "getSeconds", "getMilliseconds", "has", "all", "exists", "exists_one", "map", "filter",
            "in");

    /** Whether the name at this place is followed by an opening parenthesis: a call, not a variable. */
    private static boolean calledAt(String expression, int line, int column, String name) {
        String[] lines = expression.split("\n", -1);
        if (line < 1 || line > lines.length) {
            return false;
        }
        String text = lines[line - 1];
        int at = text.indexOf(name, Math.max(0, Math.min(text.length(), column - 1 - name.length())));
        if (at < 0) {
            return false;
        }
        int i = at + name.length();
        while (i < text.length() && Character.isWhitespace(text.charAt(i))) {
            i++;
        }
        return i < text.length() && text.charAt(i) == '(';
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "unknown error";
        }
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }

    /** The expression as given ({@code ""} for {@link #ALL}). */
    public String expression() {
        return expression;
    }

    /** Whether this filter keeps every event (a blank expression). */
    public boolean keepsAll() {
        return program == null;
    }

    /** The variables the expression names (a subset of {@link #VARIABLES}), in order of appearance. */
    public Set<String> variables() {
        return variables;
    }

    /** Whether the expression names {@code anomalies} or {@code verdict}: it needs the analysis. */
    public boolean needsAnalysis() {
        return variables.contains("anomalies") || variables.contains("verdict");
    }

    /**
     * The constraints on indexed fields that every kept event satisfies (the top-level conjunction's
     * terms on {@code channel}, {@code type}, {@code correlationId}, {@code eventId} and
     * {@code observedAt}), for a store read to narrow what it decodes (docs/decisions/0022-cel-filters.md,
     * "Pushdown"). The rest of the expression is still evaluated per event.
     */
    public IndexedConstraints constraints() {
        return constraints;
    }

    /** {@link #test(CapturedEvent, FilterContext)} without analysis: {@code anomalies} empty, {@code verdict} "". */
    public boolean test(CapturedEvent event) {
        return test(event, FilterContext.NONE);
    }

    /**
     * Whether the event is kept. An evaluation error for this event (a missing map key, a payload that
     * is not a map, a comprehension over the iteration limit) does not keep it, as in Wireshark's
     * display filters; {@code has(payload.field)} tests for a field first.
     *
     * @param event   the event
     * @param context the analysis for {@code anomalies} and {@code verdict}; asked only when named
     */
    public boolean test(CapturedEvent event, FilterContext context) {
        if (program == null) {
            return true;
        }
        Activation activation = new Activation(event, context == null ? FilterContext.NONE : context);
        try {
            return Boolean.TRUE.equals(program.eval(activation::find));
        } catch (CelEvaluationException | RuntimeException | StackOverflowError e) {
            return false;
        }
    }

    /** The variables of one event, each computed when the expression first asks for it. */
    private static final class Activation {
        private final CapturedEvent event;
        private final FilterContext context;
        private Object payload;
        private boolean payloadDone;

        Activation(CapturedEvent event, FilterContext context) {
            this.event = event;
            this.context = context;
        }

        Optional<Object> find(String name) {
            return Optional.ofNullable(switch (name) {
                case "channel" -> event.channel().name();
                case "partition" -> number(event.source().attributes().get("partition"));
                case "offset" -> number(event.source().attributes().get("offset"));
                case "key" -> event.key() == null ? "" : new String(event.key(), StandardCharsets.UTF_8);
                case "headers" -> headers(event);
                case "type" -> orEmpty(event.derived().eventTypeValue());
                case "eventId" -> orEmpty(event.derived().eventIdValue());
                case "correlationId" -> orEmpty(event.derived().correlationIdValue());
                case "eventTime" -> event.derived().eventTimeValue() != null ? event.derived().eventTimeValue()
                        : event.observedAt();
                case "observedAt" -> event.observedAt();
                case "payload" -> payload();
                case "anomalies" -> List.copyOf(context.anomalies(event));
                case "verdict" -> orEmpty(context.verdict(event));
                default -> null;
            });
        }

        private Object payload() {
            if (!payloadDone) {
                payload = payloadValue(event.payload());
                payloadDone = true;
            }
            return payload;
        }
    }

    private static String orEmpty(String s) {
        return s == null ? "" : s;
    }

    private static Long number(Object attribute) {
        return attribute instanceof Number n ? n.longValue() : -1L;
    }

    private static Map<String, String> headers(CapturedEvent event) {
        Map<String, String> out = new LinkedHashMap<>();
        for (Header h : event.headers()) {
            out.put(h.name(), h.value() == null ? "" : new String(h.value(), StandardCharsets.UTF_8));
        }
        return out;
    }

    /**
     * The {@code payload} variable's value: JSON as maps, lists, ints, doubles, strings, bools and
     * {@code null}; else UTF-8 text; else bytes; a tombstone is {@code null}.
     */
    static Object payloadValue(byte[] payload) {
        if (payload == null) {
            return NullValue.NULL_VALUE;
        }
        int i = 0;
        while (i < payload.length && (payload[i] == ' ' || payload[i] == '\n' || payload[i] == '\r' || payload[i] == '\t')) {
            i++;
        }
        if (i < payload.length && (payload[i] == '{' || payload[i] == '[')) {
            try (JsonParser p = JSON.createParser(payload)) {
                JsonToken first = p.nextToken();
                Object value = read(p, first);
                if (p.nextToken() == null) {
                    return value;
                }
            } catch (IOException | RuntimeException e) {
                // not JSON: text or bytes below
            }
        }
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(payload)).toString();
        } catch (CharacterCodingException e) {
            return CelByteString.of(payload);
        }
    }

    private static Object read(JsonParser p, JsonToken t) throws IOException {
        switch (t) {
            case START_OBJECT -> {
                Map<String, Object> map = new LinkedHashMap<>();
                for (JsonToken n = p.nextToken(); n != JsonToken.END_OBJECT; n = p.nextToken()) {
                    String name = p.currentName();
                    map.put(name, read(p, p.nextToken()));
                }
                return map;
            }
            case START_ARRAY -> {
                List<Object> list = new ArrayList<>();
                for (JsonToken n = p.nextToken(); n != JsonToken.END_ARRAY; n = p.nextToken()) {
                    list.add(read(p, n));
                }
                return list;
            }
            case VALUE_STRING -> {
                return p.getText();
            }
            case VALUE_NUMBER_INT -> {
                return p.getNumberType() == JsonParser.NumberType.BIG_INTEGER ? p.getDoubleValue() : p.getLongValue();
            }
            case VALUE_NUMBER_FLOAT -> {
                return p.getDoubleValue();
            }
            case VALUE_TRUE -> {
                return Boolean.TRUE;
            }
            case VALUE_FALSE -> {
                return Boolean.FALSE;
            }
            case VALUE_NULL -> {
                return NullValue.NULL_VALUE;
            }
            default -> throw new IOException("unexpected JSON token " + t);
        }
    }

    /** An expression's timestamp literal value, for the constraints; {@code null} when it is not one. */
    static Instant instant(String text) {
        try {
            return Instant.parse(text);
        } catch (RuntimeException e) {
            return null;
        }
    }

    @Override
    public String toString() {
        return program == null ? "EventFilter[all]" : "EventFilter[" + expression + "]";
    }
}
