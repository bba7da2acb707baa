package io.eventlens.app.ui.details;

import io.eventlens.app.ui.task.TaskExecutor;
import io.eventlens.core.analysis.Anomaly;
import io.eventlens.core.analysis.AnomalyKind;
import io.eventlens.core.analysis.DeadLetterInfo;
import io.eventlens.core.analysis.DeadLetterStackTraces;
import io.eventlens.core.deadletter.DeadLetterEvent;
import io.eventlens.core.deadletter.DeadLetters;
import io.eventlens.core.analysis.TimelineEntry;
import io.eventlens.core.extract.EventExtractor;
import io.eventlens.core.format.FormattedPayload;
import io.eventlens.core.format.PayloadFormatter;
import io.eventlens.core.model.CapturedEvent;
import io.eventlens.core.model.Derived;
import io.eventlens.core.model.DerivedFields;
import io.eventlens.core.model.Header;
import io.eventlens.core.store.CaptureStore;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;

import java.time.format.DateTimeFormatter;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.LongConsumer;
import java.util.function.Supplier;

/**
 * View model of the details pane: for one captured event, its derived fields with the extraction rule
 * that found each (saying so when the event ID is a synthetic hash, or when the event time is only the
 * broker timestamp), source coordinates as the source describes them, key, headers, the payload
 * rendered by {@link PayloadFormatter} (pretty JSON, else text, else hex; truncated for huge payloads)
 * and its anomalies with their messages. A dead-lettered event also gets its reason, original channel
 * and position, attempts, exception text and stack trace, and a way to its original ({@link #openOriginal()}).
 * An event of the timeline observed more than once (by two
 * sources, or the same message read twice) lists each observation: source kind, channel, position and
 * observed time (docs/reference/vocabulary.md, "observation").
 */
public final class DetailsViewModel {

    /** Observed-time format in the details: ISO-8601 UTC with milliseconds. */
    public static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSS 'UTC'")
            .withZone(ZoneOffset.UTC);

    /** The most chars of a dead letter's stack trace shown; the rest is counted. */
    static final int MAX_STACK_TRACE = 64 * 1024;

    /** One labelled value: a derived field (with its rule), a source coordinate, or a header. */
    public record Field(String name, String value, String rule) {
    }

    /**
     * What a dead-lettered event says about itself (docs/reference/anomalies-and-verdicts.md,
     * "Dead-letter channels").
     *
     * @param fields      reason, exception, original channel and position, attempts, convention (absent ones left out)
     * @param stackTrace  the exception's stack trace from its headers, or "" when none
     * @param originalSeq the store sequence of its original when that was captured too and linked, else 0
     * @param link        how the original was found, or why there is no link ("original not captured")
     */
    public record DeadLetter(List<Field> fields, String stackTrace, long originalSeq, String link) {
        public DeadLetter {
            fields = List.copyOf(fields);
        }
    }

    private final Supplier<CaptureStore> store;
    private final TaskExecutor executor;
    private final Function<Long, List<Anomaly>> knownAnomalies;
    private final Consumer<Throwable> errorSink;
    private final LongConsumer eventOpener;
    private final ReadOnlyObjectWrapper<DeadLetter> deadLetter = new ReadOnlyObjectWrapper<>(this, "deadLetter");
    private final PayloadFormatter formatter = PayloadFormatter.withDefaults();

    private final ReadOnlyStringWrapper title = new ReadOnlyStringWrapper(this, "title", "No event selected");
    private final ReadOnlyStringWrapper payloadText = new ReadOnlyStringWrapper(this, "payloadText", "");
    private final ReadOnlyStringWrapper payloadSummary = new ReadOnlyStringWrapper(this, "payloadSummary", "");
    private final ReadOnlyStringWrapper keyText = new ReadOnlyStringWrapper(this, "keyText", "");
    private final ReadOnlyBooleanWrapper hasEvent = new ReadOnlyBooleanWrapper(this, "hasEvent");
    private final ObservableList<Field> derived = FXCollections.observableArrayList();
    private final ObservableList<Field> derivedView = FXCollections.unmodifiableObservableList(derived);
    private final ObservableList<Field> source = FXCollections.observableArrayList();
    private final ObservableList<Field> sourceView = FXCollections.unmodifiableObservableList(source);
    private final ObservableList<Field> headers = FXCollections.observableArrayList();
    private final List<String> headerTexts = new ArrayList<>();
    private final ObservableList<Field> headersView = FXCollections.unmodifiableObservableList(headers);
    private final ObservableList<Field> observations = FXCollections.observableArrayList();
    private final ObservableList<Field> observationsView = FXCollections.unmodifiableObservableList(observations);
    private final ObservableList<Anomaly> anomalies = FXCollections.observableArrayList();
    private final ObservableList<Anomaly> anomaliesView = FXCollections.unmodifiableObservableList(anomalies);
    private long shownSeq = -1;
    private Function<Long, io.eventlens.core.analysis.ContractCheck> knownContracts = seq -> null;
    private Function<Long, io.eventlens.core.analysis.Consumption> knownConsumption = seq -> null;
    private final javafx.beans.property.ReadOnlyObjectWrapper<io.eventlens.core.analysis.Consumption> consumption =
            new javafx.beans.property.ReadOnlyObjectWrapper<>(this, "consumption");
    private final javafx.beans.property.ReadOnlyObjectWrapper<io.eventlens.core.analysis.ContractCheck> contract =
            new javafx.beans.property.ReadOnlyObjectWrapper<>(this, "contract");

    /**
     * A details view model.
     *
     * @param store          the open store, or {@code null}
     * @param executor       loads events off the FX thread
     * @param knownAnomalies the anomalies known for a store sequence (from the shown timeline); empty when unknown
     * @param errorSink      receives failures
     */
    public DetailsViewModel(Supplier<CaptureStore> store, TaskExecutor executor,
                            Function<Long, List<Anomaly>> knownAnomalies, Consumer<Throwable> errorSink) {
        this(store, executor, knownAnomalies, errorSink, seq -> { });
    }

    /**
     * A details view model that can go to another event ({@link #openOriginal()}).
     *
     * @param eventOpener goes to the event with this store sequence (selects it on the timeline or shows it)
     * @see #DetailsViewModel(Supplier, TaskExecutor, Function, Consumer)
     */
    public DetailsViewModel(Supplier<CaptureStore> store, TaskExecutor executor,
                            Function<Long, List<Anomaly>> knownAnomalies, Consumer<Throwable> errorSink,
                            LongConsumer eventOpener) {
        this.store = store;
        this.executor = executor;
        this.knownAnomalies = knownAnomalies;
        this.errorSink = errorSink;
        this.eventOpener = java.util.Objects.requireNonNull(eventOpener, "eventOpener");
    }

    /** Goes to the original of the shown dead-lettered event, when it was captured too. */
    public void openOriginal() {
        DeadLetter d = deadLetter.get();
        if (d != null && d.originalSeq() > 0) {
            eventOpener.accept(d.originalSeq());
        }
    }

    /** The shown event's dead-letter details, or {@code null} when it is not dead-lettered. */
    /**
     * Where the details pane gets an event's contract check from (the shown timeline's entry);
     * returns null when unknown or when no contract applied.
     */
    public void setKnownContracts(Function<Long, io.eventlens.core.analysis.ContractCheck> known) {
        this.knownContracts = java.util.Objects.requireNonNull(known, "known");
    }

    /**
     * Where the details pane gets who consumed an event from (the shown timeline;
     * docs/decisions/0021-consumer-groups.md); returns null when unknown or no followed group reads its topic.
     */
    public void setKnownConsumption(Function<Long, io.eventlens.core.analysis.Consumption> known) {
        this.knownConsumption = java.util.Objects.requireNonNull(known, "known");
    }

    /** Who consumed the shown event, or null. */
    public ReadOnlyObjectProperty<io.eventlens.core.analysis.Consumption> consumptionProperty() {
        return consumption.getReadOnlyProperty();
    }

    /** The shown event's check against its contract, or null (docs/reference/contracts.md). */
    public ReadOnlyObjectProperty<io.eventlens.core.analysis.ContractCheck> contractProperty() {
        return contract.getReadOnlyProperty();
    }

    public ReadOnlyObjectProperty<DeadLetter> deadLetterProperty() {
        return deadLetter.getReadOnlyProperty();
    }

    /**
     * The dead-letter details of an event: from its DEAD_LETTERED anomaly when the timeline gave one
     * (with the link to its original), else from its channel and headers alone.
     */
    static DeadLetter deadLetterOf(CapturedEvent e, List<Anomaly> eventAnomalies) {
        Anomaly found = null;
        for (Anomaly a : eventAnomalies == null ? List.<Anomaly>of() : eventAnomalies) {
            if (a.kind() == AnomalyKind.DEAD_LETTERED) {
                found = a;
                break;
            }
        }
        if (found == null && !DeadLetters.isDeadLettered(e, java.util.Set.of())) {
            return null;
        }
        DeadLetterInfo info = DeadLetterEvent.of(e).info();
        List<Field> fields = new ArrayList<>();
        if (info.reason() != null) {
            fields.add(new Field("Reason", info.reason(), ""));
        }
        if (info.exceptionClass() != null) {
            fields.add(new Field("Exception", info.exceptionClass(), ""));
        }
        Header cause = e.header("kafka_dlt-exception-cause-fqcn");
        if (cause != null && cause.value() != null) {
            fields.add(new Field("Cause", PayloadFormatter.shortText(cause.value(), 300), ""));
        }
        String original = info.originalChannel() == null ? "not named by its headers or channel"
                : info.originalChannel() + (info.originalPartition() != null && info.originalOffset() != null
                        ? " · partition " + info.originalPartition() + " · offset " + info.originalOffset() : "");
        fields.add(new Field("Original", original, ""));
        fields.add(new Field("Attempts", info.attempts() == null ? "—" : String.valueOf(info.attempts()),
                info.attempts() == null ? "no delivery-attempt header" : ""));
        fields.add(new Field("Dead letter on", e.channel().name(), "convention " + info.convention().name()
                + (found != null ? " · rule " + found.rule() : "")));
        long originalSeq = 0;
        String link;
        if (found != null && found.evidence().get("originalSeq") instanceof Number n) {
            originalSeq = n.longValue();
            Object how = found.evidence().get("linkedBy");
            link = "original #" + originalSeq + (how == null ? "" : " (linked by " + how + ")");
        } else if (found != null) {
            link = "original not captured";
        } else {
            link = "open its timeline to link the original";
        }
        String trace = DeadLetterStackTraces.of(e.headers());
        if (trace != null && trace.length() > MAX_STACK_TRACE) {   // header values come from untrusted files
            trace = trace.substring(0, MAX_STACK_TRACE) + "\n… (" + (trace.length() - MAX_STACK_TRACE) + " more chars)";
        }
        return new DeadLetter(fields, trace == null ? "" : trace, originalSeq, link);
    }

    private static final com.fasterxml.jackson.core.JsonFactory POINTER_JSON = new com.fasterxml.jackson.core.JsonFactory();

    /**
     * Where the member a JSON Pointer names sits in the shown payload text, to highlight a contract
     * violation's field (docs/reference/contracts.md): {@code [start, end)} in chars, from the member's
     * name to the end of its value (an array element: the element). A pointer to a missing member
     * gives its parent's range (the object that lacks it); {@code ""} the whole text.
     *
     * @return the range, or null when the text is not JSON (a hex dump, a cut payload) or has nothing there
     */
    public static int[] rangeOf(String text, String pointer) {
        if (text == null || pointer == null || text.isEmpty()) {
            return null;
        }
        if (pointer.isEmpty()) {
            return new int[] {0, text.length()};
        }
        try (com.fasterxml.jackson.core.JsonParser p = POINTER_JSON.createParser(text)) {
            com.fasterxml.jackson.core.JsonToken t;
            while ((t = p.nextToken()) != null) {
                if (t.isStructEnd()) {
                    continue;
                }
                com.fasterxml.jackson.core.JsonStreamContext ctx;
                if (t == com.fasterxml.jackson.core.JsonToken.FIELD_NAME) {
                    ctx = p.getParsingContext();
                } else {
                    ctx = t.isStructStart() ? p.getParsingContext().getParent() : p.getParsingContext();
                    if (ctx == null || !ctx.inArray()) {
                        continue;
                    }
                }
                if (ctx.pathAsPointer().toString().equals(pointer)) {
                    int start = (int) p.currentTokenLocation().getCharOffset();
                    com.fasterxml.jackson.core.JsonToken value = t == com.fasterxml.jackson.core.JsonToken.FIELD_NAME ? p.nextToken() : t;
                    if (value != null && value.isStructStart()) {
                        p.skipChildren();
                    } else if (value != null) {
                        p.finishToken();   // strings are read lazily: read to the end of the value
                    }
                    int end = (int) p.currentLocation().getCharOffset();
                    return start >= 0 && end > start && end <= text.length() ? new int[] {start, end} : null;
                }
            }
        } catch (java.io.IOException | RuntimeException e) {
            return null;
        }
        int slash = pointer.lastIndexOf('/');
        return slash < 0 ? null : rangeOf(text, pointer.substring(0, slash));
    }

    /** Shows an event already in memory with its anomalies, as observed once. */
    public void show(CapturedEvent event, List<Anomaly> eventAnomalies) {
        if (event == null) {
            clear();
            return;
        }
        apply(event, formatter.format(event.payload()), eventAnomalies, List.of(event));
    }

    /** Shows a timeline entry: its first observation, its anomalies and, when there are several, its observations. */
    public void show(TimelineEntry entry) {
        if (entry == null) {
            clear();
            return;
        }
        apply(entry.event(), formatter.format(entry.event().payload()), entry.anomalies(), entry.observations());
    }

    /** Loads the event with this store sequence in the background and shows it (a table selection). */
    public void showSeq(long seq) {
        CaptureStore s = store.get();
        if (s == null || seq == shownSeq) {
            return;
        }
        executor.submit("Loading event " + seq,
                ctx -> {
                    CapturedEvent e = s.event(seq);
                    return e == null ? null : new Loaded(e, formatter.format(e.payload()));
                },
                loaded -> {
                    if (loaded != null) {
                        apply(loaded.event(), loaded.payload(), knownAnomalies.apply(seq), List.of(loaded.event()));
                    }
                },
                errorSink);
    }

    private record Loaded(CapturedEvent event, FormattedPayload payload) {
    }

    private void apply(CapturedEvent stored, FormattedPayload payload, List<Anomaly> eventAnomalies,
                       List<CapturedEvent> seenAs) {
        CapturedEvent e = EventExtractor.withBrokerTimestampFallback(stored);
        shownSeq = e.seq();
        DerivedFields d = e.derived();
        String type = d.eventTypeValue();
        title.set((type == null ? "Event" : type) + "  ·  seq " + e.seq());
        List<Field> fields = new ArrayList<>();
        fields.add(field("Correlation ID", d.correlationId()));
        Derived<String> id = d.eventId();
        if (id != null && d.eventIdSynthetic()) {
            fields.add(new Field("Event ID", id.value(), "synthetic: " + DerivedFields.SYNTHETIC_EVENT_ID_RULE));
        } else {
            fields.add(field("Event ID", id));
        }
        fields.add(field("Event type", d.eventType()));
        fields.add(d.eventTime() == null ? new Field("Event time", "—", "no rule matched")
                : new Field("Event time", TIME.format(d.eventTime().value()), d.eventTime().rule()));
        fields.add(field("Sequence", d.sequence()));
        fields.add(field("Causation ID", d.causationId()));
        derived.setAll(fields);

        List<Field> src = new ArrayList<>();
        src.add(new Field("Channel", e.channel().name(), e.channel().kind().name()));
        src.add(new Field("Source", e.source().sourceKind(), ""));
        e.source().attributes().forEach((name, value) -> {
            if (value != null && !"timestampType".equals(name)) {
                src.add(new Field(label(name), String.valueOf(value), ""));
            }
        });
        src.add(new Field("Observed", TIME.format(e.observedAt()), e.source().observedTimeMeaning()));
        src.add(new Field("Captured", TIME.format(e.capturedAt()), "EventLens capture time"));
        src.add(new Field("Store seq", String.valueOf(e.seq()), ""));
        List<Field> seen = new ArrayList<>();
        if (seenAs.size() > 1) {
            for (int i = 0; i < seenAs.size(); i++) {
                CapturedEvent o = seenAs.get(i);
                seen.add(new Field("Observation " + (i + 1),
                        o.source().sourceKind() + " · " + o.channel().name() + " " + o.source().describe() + " · "
                                + TIME.format(o.observedAt()) + " · seq " + o.seq(),
                        o.source().observedTimeMeaning()));
            }
            src.add(new Field("Observed by", seenAs.size() + " observations, one event", "not duplicates: "
                    + "the same event seen by several sources, or the same message read again"));
            src.addAll(seen);
        }
        source.setAll(src);
        observations.setAll(seen);

        keyText.set(e.key() == null ? "(no key)" : PayloadFormatter.shortText(e.key(), 200));
        List<Field> hs = new ArrayList<>();
        headerTexts.clear();
        for (Header h : e.headers()) {
            // the filter variable's value (docs/reference/filters.md): UTF-8 text, "" for a null value
            headerTexts.add(h.value() == null ? "" : new String(h.value(), java.nio.charset.StandardCharsets.UTF_8));
            hs.add(new Field(h.name(), h.value() == null ? "(null)" : PayloadFormatter.shortText(h.value(), 300), ""));
        }
        headers.setAll(hs);
        payloadText.set(payload.text());
        payloadSummary.set(summary(payload));
        anomalies.setAll(eventAnomalies == null ? List.of() : eventAnomalies);
        deadLetter.set(deadLetterOf(e, eventAnomalies));
        contract.set(knownContracts.apply(e.seq()));
        consumption.set(knownConsumption.apply(e.seq()));
        hasEvent.set(true);
    }

    /** E.g. {@code "JSON · 1,204 bytes"} or {@code "HEX · 10,485,760 bytes · first 65,536 shown"}. */
    static String summary(FormattedPayload p) {
        String s = String.format(Locale.ROOT, "%s · %,d bytes", p.kind(), p.totalBytes());
        if (p.truncated()) {
            s += String.format(Locale.ROOT, " · truncated, %,d bytes not shown", p.omittedBytes());
        }
        return s;
    }

    private static Field field(String name, Derived<?> value) {
        return value == null ? new Field(name, "—", "no rule matched")
                : new Field(name, String.valueOf(value.value()), value.rule());
    }

    /** A position attribute's name for people: {@code routingKey} → "Routing key", {@code partition} → "Partition". */
    static String label(String attribute) {
        String words = attribute.replaceAll("([a-z0-9])([A-Z])", "$1 $2").toLowerCase(java.util.Locale.ROOT);
        return Character.toUpperCase(words.charAt(0)) + words.substring(1);
    }

    /** Shows nothing. */
    public void clear() {
        shownSeq = -1;
        title.set("No event selected");
        derived.clear();
        source.clear();
        headers.clear();
        headerTexts.clear();
        observations.clear();
        anomalies.clear();
        contract.set(null);
        deadLetter.set(null);
        keyText.set("");
        payloadText.set("");
        payloadSummary.set("");
        hasEvent.set(false);
    }

    /** Title: event type and store sequence. */
    public ReadOnlyStringProperty titleProperty() {
        return title.getReadOnlyProperty();
    }

    /** The rendered payload. */
    public ReadOnlyStringProperty payloadTextProperty() {
        return payloadText.getReadOnlyProperty();
    }

    /** How the payload was rendered and its size. */
    public ReadOnlyStringProperty payloadSummaryProperty() {
        return payloadSummary.getReadOnlyProperty();
    }

    /** The key as text (or hex), or "(no key)". */
    public ReadOnlyStringProperty keyTextProperty() {
        return keyText.getReadOnlyProperty();
    }

    /** True while an event is shown. */
    public ReadOnlyBooleanProperty hasEventProperty() {
        return hasEvent.getReadOnlyProperty();
    }

    /** Derived fields with their rules. */
    public ObservableList<Field> derived() {
        return derivedView;
    }

    /** Source coordinates. */
    public ObservableList<Field> source() {
        return sourceView;
    }

    /** Headers in delivered order. */
    public ObservableList<Field> headers() {
        return headersView;
    }

    /**
     * The whole value of header {@code index} as the filter's {@code headers} variable holds it
     * (UTF-8 text, "" for a null value), for "Filter on this"; {@code null} when out of range.
     */
    public String headerText(int index) {
        return index >= 0 && index < headerTexts.size() ? headerTexts.get(index) : null;
    }

    /**
     * The event's observations, one field per observation (source kind, channel, position, observed
     * time; the rule says what the time means); empty when it was observed once.
     */
    public ObservableList<Field> observations() {
        return observationsView;
    }

    /** The event's anomalies. */
    public ObservableList<Anomaly> anomalies() {
        return anomaliesView;
    }
}
