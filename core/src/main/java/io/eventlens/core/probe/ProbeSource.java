package io.eventlens.core.probe;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.eventlens.core.artifact.ArtifactFileSummary;
import io.eventlens.core.artifact.ArtifactFormat;
import io.eventlens.core.artifact.ArtifactProblem;
import io.eventlens.core.artifact.ArtifactReader;
import io.eventlens.core.artifact.ArtifactRecord;
import io.eventlens.core.artifact.FailedTest;
import io.eventlens.core.capture.CaptureSource;
import io.eventlens.core.capture.FieldDeriver;
import io.eventlens.core.capture.SourceBatch;
import io.eventlens.core.capture.SourceContext;
import io.eventlens.core.capture.SourceException;
import io.eventlens.core.capture.SourceHealth;
import io.eventlens.core.model.CapturedEvent;
import io.eventlens.core.model.Derived;
import io.eventlens.core.model.DerivedFields;
import io.eventlens.core.model.Header;
import io.eventlens.core.store.SourcePoll;
import io.eventlens.core.store.StreamPosition;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An HTTP test-probe endpoint as a {@link CaptureSource} (docs/decisions/0019-probe-source.md): every
 * poll interval it asks the probe for the events of each followed correlation ID
 * ({@link ProbeConfig#pollUrl}) and delivers the events it has not seen before to the capture pipeline.
 *
 * <ul>
 *   <li><b>Answers</b> are read like artifact files ({@link ArtifactReader}): a JSON array of
 *       {@code {id, type, correlationId, createdAt, payload}}, its variants ({@code eventId},
 *       {@code eventType}, {@code timestamp}), an object with an {@code events} array, CloudEvents;
 *       {@link #mappings()} says which mapping was used. At most {@link ProbeConfig#maxBodyBytes} are read.</li>
 *   <li><b>Every poll is recorded</b> ({@link SourcePoll}: time, HTTP status, latency, records, new
 *       records, error) and handed to the poll log given to the constructor (the CLI writes them to
 *       the capture store). A malformed answer — HTML from a proxy, invalid JSON, not an array, a
 *       4xx/5xx status, a timeout, a body over the limit — is a poll with an error quoting the first
 *       {@value #QUOTE_CHARS} characters; it never stops polling.</li>
 *   <li><b>One observation per event</b>: a probe answers with the whole list on every poll, so a
 *       record seen by an earlier poll (same event ID and the same bytes) is not stored again. Its
 *       observed time is the poll that first returned it. A record with an event ID seen before but
 *       other bytes is a new observation, which the analysis reports as a conflicting duplicate; so
 *       is a second record with the same ID and a different body in one answer.</li>
 *   <li><b>Foreign events</b>: an event whose correlation ID is not the one asked for is kept under
 *       the asked ID (its timeline is the one whose isolation broke) with the header
 *       {@value #FOREIGN_HEADER} naming its own ID; the analysis reports it as {@code FOREIGN_EVENT}.
 *       An event without a correlation ID of its own belongs to the ID asked for.</li>
 *   <li><b>Resume</b>: each followed correlation ID is a stream whose token lists the hashes of the
 *       records stored so far (at most {@value #MAX_REMEMBERED} per ID), so a capture resumed into the
 *       same store does not store them again.</li>
 * </ul>
 * No redirect is followed (a probe answer comes from a stranger: a 3xx is an error). Thread-safety:
 * {@link #run} polls on its caller's thread; the getters may be called from any thread.
 */
public final class ProbeSource implements CaptureSource {

    /** The header that carries a foreign event's own correlation ID. */
    public static final String FOREIGN_HEADER = Header.PROBE_FOREIGN_CORRELATION_ID;
    /** Characters of a malformed answer quoted in its error. */
    public static final int QUOTE_CHARS = 200;
    /** Records remembered per followed correlation ID for the resume token. */
    static final int MAX_REMEMBERED = 10_000;
    private static final int RECENT_POLLS = 200;
    private static final Logger LOG = LoggerFactory.getLogger(ProbeSource.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final ProbeConfig config;
    private final Consumer<SourcePoll> pollLog;
    private final ArtifactReader reader = new ArtifactReader();
    private final Map<String, LinkedHashMap<String, Long>> seen = new ConcurrentHashMap<>();
    private final Map<String, Long> pollNumbers = new ConcurrentHashMap<>();
    private final Deque<SourcePoll> recent = new ArrayDeque<>();
    private final java.util.Set<String> mappings = java.util.Collections.synchronizedSet(new java.util.LinkedHashSet<>());
    private final AtomicLong polls = new AtomicLong();
    private final AtomicLong failedPolls = new AtomicLong();
    private final AtomicLong newRecords = new AtomicLong();
    private final AtomicLong foreignEvents = new AtomicLong();
    private final Map<String, String> lastErrors = new ConcurrentHashMap<>();
    private volatile Instant unreachableSince;
    private volatile HttpClient client;

    /**
     * @param config  the probe and what to ask it
     * @param pollLog told of every poll, on the polling thread (for example, to record it in the
     *                capture store); must not block for long
     */
    public ProbeSource(ProbeConfig config, Consumer<SourcePoll> pollLog) {
        this.config = java.util.Objects.requireNonNull(config, "config");
        this.pollLog = java.util.Objects.requireNonNull(pollLog, "pollLog");
    }

    @Override
    public String kind() {
        return ProbePosition.KIND;
    }

    @Override
    public String endpoint() {
        return "probe at " + config.endpoint();
    }

    /** The probe's base URL: its positions and polls are stored under it. */
    @Override
    public String sourceId() {
        return client == null ? null : config.endpoint();
    }

    /**
     * Creates the HTTP client and reads the resume tokens. Does not poll: a probe that is down at
     * the start is reported by the polls (a test environment may come up after the capture).
     */
    @Override
    public void open(StoredPositions stored) {
        for (StreamPosition p : stored.of(config.endpoint())) {
            if (config.correlationIds().contains(p.stream())) {
                seen.put(p.stream(), readToken(p.token()));
            }
        }
        client = HttpClient.newBuilder()
                .connectTimeout(config.timeout())
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
    }

    @Override
    public void run(SourceContext context) throws InterruptedException {
        if (client == null) {
            throw new SourceException(endpoint() + ": not opened");
        }
        List<String> types = config.types().isEmpty() ? java.util.Collections.singletonList(null) : config.types();
        while (!context.stopping()) {
            boolean anyAnswer = false;
            for (String id : config.correlationIds()) {
                for (String type : types) {
                    if (context.stopping()) {
                        return;
                    }
                    anyAnswer |= pollOnce(context, id, type);
                }
            }
            if (anyAnswer) {
                unreachableSince = null;
            } else if (unreachableSince == null) {
                unreachableSince = Instant.now();
            }
            context.awaitStop(config.pollInterval());
        }
    }

    /** One poll of one correlation ID (and type); true when the probe answered at all. */
    private boolean pollOnce(SourceContext context, String asked, String type) throws InterruptedException {
        URI url = config.pollUrl(asked, type);
        long poll = pollNumbers.merge(asked, 1L, Long::sum);
        Instant polledAt = Instant.now();
        long started = System.nanoTime();
        int status = 0;
        byte[] body;
        String error = null;
        try {
            HttpRequest.Builder req = HttpRequest.newBuilder(url).timeout(config.timeout()).GET()
                    .header("Accept", "application/json");
            config.headers().forEach(req::header);
            HttpResponse<InputStream> response = client.send(req.build(), HttpResponse.BodyHandlers.ofInputStream());
            status = response.statusCode();
            try (InputStream in = response.body()) {
                body = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, config.maxBodyBytes() + 1));
            }
        } catch (HttpTimeoutException e) {
            return recordPoll(asked, polledAt, started, status, 0, 0, "no answer within " + config.timeout().toMillis()
                    + " ms (timeout)", status != 0);
        } catch (ConnectException e) {
            return recordPoll(asked, polledAt, started, 0, 0, 0, "cannot connect: " + message(e), false);
        } catch (IOException e) {
            return recordPoll(asked, polledAt, started, status, 0, 0, "request failed: " + message(e), status != 0);
        } catch (IllegalArgumentException e) {
            return recordPoll(asked, polledAt, started, 0, 0, 0, "invalid request: " + message(e), false);
        }
        if (body.length > config.maxBodyBytes()) {
            return recordPoll(asked, polledAt, started, status, 0, 0, "answer over the size limit of "
                    + config.maxBodyBytes() + " bytes: " + quote(body), true);
        }
        if (status < 200 || status > 299) {
            return recordPoll(asked, polledAt, started, status, 0, 0, "HTTP " + status + ": " + quote(body), true);
        }
        List<ArtifactRecord> records = new ArrayList<>();
        List<ArtifactProblem> problems = new ArrayList<>();
        ArtifactFileSummary summary;
        try {
            summary = reader.read("probe", new ByteArrayInputStream(body), polledAt, new ArtifactReader.Sink() {
                @Override
                public void record(ArtifactRecord record) {
                    records.add(record);
                }

                @Override
                public void problem(ArtifactProblem problem) {
                    problems.add(problem);
                }

                @Override
                public void testReport(String file, int tests, List<FailedTest> failed) {
                    // an XML answer is refused below
                }
            });
        } catch (IOException e) {
            return recordPoll(asked, polledAt, started, status, 0, 0, "cannot read the answer: " + message(e), true);
        }
        int first = firstNonSpace(body);
        if (summary.format() == ArtifactFormat.UNKNOWN || summary.format() == ArtifactFormat.JUNIT_XML) {
            return recordPoll(asked, polledAt, started, status, 0, 0, (body.length == 0 ? "empty answer"
                    : "not JSON (an HTML page from a proxy?)") + ": " + quote(body), true);
        }
        if (first >= 0 && body[first] == '{' && !summary.mappings().contains("an object with an events array")) {
            return recordPoll(asked, polledAt, started, status, 0, 0,
                    "not an array of events (nor an object with an events array): " + quote(body), true);
        }
        mappings.addAll(summary.mappings());
        String problemText = problems.isEmpty() ? null : problems.size() + " damaged record(s), first at line "
                + problems.getFirst().line() + ": " + problems.getFirst().message() + "; answer: " + quote(body);
        List<ArtifactRecord> fresh = new ArrayList<>();
        List<ProbePosition> positions = new ArrayList<>();
        LinkedHashMap<String, Long> known = seen.computeIfAbsent(asked, k -> new LinkedHashMap<>());
        long now = polledAt.toEpochMilli();
        synchronized (known) {
            java.util.Set<String> inThisAnswer = new java.util.HashSet<>();
            for (int i = 0; i < records.size(); i++) {
                ArtifactRecord r = records.get(i);
                String key = recordKey(r.payload());
                if (known.containsKey(key) && !inThisAnswer.contains(key)) {
                    known.put(key, now);   // seen again: the same observation, last seen now
                    continue;
                }
                inThisAnswer.add(key);
                known.put(key, now);
                fresh.add(r);
                positions.add(new ProbePosition(config.endpoint(), asked, poll, i));
            }
            while (known.size() > MAX_REMEMBERED) {
                known.remove(known.keySet().iterator().next());
            }
        }
        if (!fresh.isEmpty()) {
            List<ProbeRecord> batch = new ArrayList<>(fresh.size());
            long bytes = 0;
            for (int i = 0; i < fresh.size(); i++) {
                ArtifactRecord r = fresh.get(i);
                batch.add(new ProbeRecord(r, positions.get(i), asked, polledAt));
                bytes += r.bytes();
            }
            String token = token(known);
            StreamPosition after = new StreamPosition(config.endpoint(), asked, token);
            int taken = context.deliver(new SourceBatch<>(batch, this::event, polledAt, bytes,
                    n -> n == batch.size() ? List.of(after) : List.of(), SourceBatch.Acknowledgement.NONE));
            newRecords.addAndGet(taken);
        }
        recordPoll(asked, polledAt, started, status, records.size(), fresh.size(), problemText, true);
        return true;
    }

    private boolean recordPoll(String asked, Instant polledAt, long startedNanos, int status, int records, int fresh,
                               String error, boolean answered) {
        long latency = Math.max(0, (System.nanoTime() - startedNanos) / 1_000_000);
        SourcePoll p = new SourcePoll(config.endpoint(), asked, polledAt.toEpochMilli(), status, latency, records, fresh, error);
        polls.incrementAndGet();
        if (error != null) {
            failedPolls.incrementAndGet();
            String before = lastErrors.put(asked, error);
            if (!error.equals(before)) {
                LOG.warn("{}: poll for correlation ID {} failed: {}", endpoint(), asked, error);
            }
        } else if (lastErrors.remove(asked) != null) {
            LOG.info("{}: polls for correlation ID {} answer again", endpoint(), asked);
        }
        synchronized (recent) {
            recent.addLast(p);
            while (recent.size() > RECENT_POLLS) {
                recent.removeFirst();
            }
        }
        try {
            pollLog.accept(p);
        } catch (RuntimeException e) {
            LOG.warn("{}: recording a poll failed: {}", endpoint(), message(e));
        }
        return answered;
    }

    /** A record of an answer with where and when the probe returned it. */
    record ProbeRecord(ArtifactRecord record, ProbePosition position, String asked, Instant polledAt) {
    }

    /**
     * The captured event of a probe record: observed at the poll that first returned it; kept under
     * the asked correlation ID, with {@value #FOREIGN_HEADER} when the event names another one.
     */
    private CapturedEvent event(ProbeRecord p, Instant capturedAt, FieldDeriver derive) {
        ArtifactRecord r = p.record();
        DerivedFields d = derive.derive(r.channel(), r.key(), r.headers(), r.payload());
        List<Header> headers = r.headers();
        String own = d.correlationIdValue();
        if (own == null) {
            d = withCorrelationId(d, new Derived<>(p.asked(), "probe: asked for this correlation ID (the event names none)"));
        } else if (!own.equals(p.asked())) {
            foreignEvents.incrementAndGet();
            headers = new ArrayList<>(headers);
            headers.add(Header.ofString(FOREIGN_HEADER, own));
            d = withCorrelationId(d, new Derived<>(p.asked(), "probe: returned for this correlation ID; the event names "
                    + own + " (" + d.correlationId().rule() + ")"));
        }
        return new CapturedEvent(0, r.channel(), p.position(), p.polledAt(), capturedAt, r.key(), List.copyOf(headers),
                r.payload(), d);
    }

    private static DerivedFields withCorrelationId(DerivedFields d, Derived<String> id) {
        return new DerivedFields(id, d.eventId(), d.eventType(), d.eventTime(), d.sequence(), d.causationId());
    }

    /** The event ID the record names (or none) and the hash of its bytes: equal for the same observation. */
    static String recordKey(byte[] payload) {
        String id = "";
        try {
            JsonNode n = JSON.readTree(payload);
            for (String f : new String[] {"id", "eventId", "event_id"}) {
                JsonNode v = n == null ? null : n.get(f);
                if (v != null && v.isValueNode() && !v.isNull()) {
                    id = v.asText();
                    break;
                }
            }
        } catch (IOException | RuntimeException e) {
            // no ID: the bytes alone
        }
        return sha(id) + sha(payload);
    }

    private static String sha(String s) {
        return sha(s.getBytes(StandardCharsets.UTF_8));
    }

    private static String sha(byte[] b) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(b);
            return HexFormat.of().formatHex(d, 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** {@code v1 key:lastSeenMs,...}: the records stored so far for one correlation ID. */
    private static String token(LinkedHashMap<String, Long> known) {
        StringBuilder sb = new StringBuilder("v1 ");
        synchronized (known) {
            boolean firstEntry = true;
            for (Map.Entry<String, Long> e : known.entrySet()) {
                if (!firstEntry) {
                    sb.append(',');
                }
                firstEntry = false;
                sb.append(e.getKey()).append(':').append(e.getValue());
            }
        }
        return sb.toString();
    }

    /** The records of a token; empty (and logged) when it is not one this source wrote. */
    static LinkedHashMap<String, Long> readToken(String token) {
        LinkedHashMap<String, Long> out = new LinkedHashMap<>();
        if (token == null || !token.startsWith("v1 ")) {
            LOG.warn("probe resume token not understood; its records may be stored again: {}", quote(
                    String.valueOf(token).getBytes(StandardCharsets.UTF_8)));
            return out;
        }
        String rest = token.substring(3);
        if (rest.isEmpty()) {
            return out;
        }
        for (String entry : rest.split(",")) {
            int colon = entry.indexOf(':');
            if (colon <= 0 || out.size() >= MAX_REMEMBERED) {
                continue;
            }
            try {
                out.put(entry.substring(0, colon), Long.parseLong(entry.substring(colon + 1)));
            } catch (NumberFormatException e) {
                // a damaged entry: that record may be stored again
            }
        }
        return out;
    }

    @Override
    public SourceHealth health() {
        Instant since = unreachableSince;
        return since == null ? SourceHealth.connected(endpoint()) : SourceHealth.lost(endpoint(), since);
    }

    /** {@code correlation ID ord-1: 12 records stored}. */
    @Override
    public String describe(StreamPosition position) {
        LinkedHashMap<String, Long> known = readToken(position.token());
        return "correlation ID " + position.stream() + ": " + known.size() + " records stored";
    }

    @Override
    public void close() {
        HttpClient c = client;
        if (c != null) {
            c.close();
        }
    }

    /** Polls made so far. */
    public long polls() {
        return polls.get();
    }

    /** Polls that failed or whose answer was malformed. */
    public long failedPolls() {
        return failedPolls.get();
    }

    /** Records delivered as new observations so far. */
    public long newRecords() {
        return newRecords.get();
    }

    /** Events returned for a correlation ID other than their own, so far. */
    public long foreignEvents() {
        return foreignEvents.get();
    }

    /** The answer mappings used so far, for example {@code probe events: eventId, eventType, ...}. */
    public List<String> mappings() {
        synchronized (mappings) {
            return List.copyOf(mappings);
        }
    }

    /** The latest polls (at most 200), oldest first. */
    public List<SourcePoll> recentPolls() {
        synchronized (recent) {
            return List.copyOf(recent);
        }
    }

    private static int firstNonSpace(byte[] b) {
        int i = b.length >= 3 && (b[0] & 0xFF) == 0xEF && (b[1] & 0xFF) == 0xBB && (b[2] & 0xFF) == 0xBF ? 3 : 0;
        while (i < b.length && (b[i] == ' ' || b[i] == '\t' || b[i] == '\r' || b[i] == '\n')) {
            i++;
        }
        return i < b.length ? i : -1;
    }

    /** The first {@value #QUOTE_CHARS} characters of a body, in quotes, with quotes, backslashes and control characters escaped. */
    static String quote(byte[] body) {
        String s = new String(body, 0, Math.min(body.length, QUOTE_CHARS * 4), StandardCharsets.UTF_8);
        boolean cut = s.length() > QUOTE_CHARS || body.length > QUOTE_CHARS * 4;
        if (s.length() > QUOTE_CHARS) {
            s = s.substring(0, QUOTE_CHARS);
        }
        StringBuilder sb = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            if (c == '"' || c == '\\') {
                sb.append('\\').append(c);
            } else if (c == '\n') {
                sb.append("\\n");
            } else if (c == '\r') {
                sb.append("\\r");
            } else if (c < 0x20 || c == 0x7f) {
                sb.append(String.format("\\u%04x", (int) c));
            } else {
                sb.append(c);
            }
        }
        return sb.append(cut ? "...\"" : "\"").toString();
    }

    private static String message(Exception e) {
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }
}
