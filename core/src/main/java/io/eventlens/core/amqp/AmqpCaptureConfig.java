package io.eventlens.core.amqp;

import io.eventlens.core.capture.CaptureLimits;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * What an AMQP (RabbitMQ) capture reads (docs/decisions/0011-amqp-source.md): the connection, the
 * exchanges to tap, the queues to spy on, the queues to browse, and how the tap queue is kept.
 * Immutable; build with {@link #builder()}, validated by {@link Builder#build()} with messages
 * that name the bad field. {@link #toString()} never shows the password.
 *
 * @param host             broker host
 * @param port             broker port (5672, or 5671 with TLS)
 * @param virtualHost      the vhost, {@code /} by default
 * @param username         user name ({@code guest} by default)
 * @param password         password ({@code guest} by default); never stored in a capture, never logged
 * @param tls              AMQPS (TLS with the JVM's trust store)
 * @param exchanges        exchanges to tap, each with its binding keys
 * @param spyQueues        queues whose bindings a tap copies
 * @param browseQueues     queues to browse without consuming them (typically dead-letter queues)
 * @param firehose         also tap {@code amq.rabbitmq.trace} (the user has enabled the firehose)
 * @param keepTap          keep the tap queues when the capture ends (default: deleted)
 * @param tapMaxBytes      the tap stream's size retention in bytes ({@code x-max-length-bytes})
 * @param tapMaxAge        the tap stream's age retention ({@code x-max-age})
 * @param classicMaxLength the length limit of a classic tap queue when streams are unavailable
 * @param classicTap       tap through a length-limited classic queue instead of a stream: keeps header
 *                         values that are tables or arrays, which a RabbitMQ 3.x stream drops (its
 *                         AMQP 1.0 application properties hold simple values only), at the cost of
 *                         crash safety (see docs/decisions/0011-amqp-source.md)
 * @param forceBrowse      browse also where it is refused by default (active consumers, a quorum
 *                         queue's delivery limit, queue type unknown)
 * @param managementUrl    the management HTTP API, e.g. {@code http://localhost:15672}; used when reachable
 * @param maxEvents        stop after this many events (0 = no limit)
 * @param duration         stop after this long (null = until stopped or, with browses only, until read)
 * @param connectTimeout   how long to wait for the broker before failing (default 10 s)
 */
public record AmqpCaptureConfig(
        String host, int port, String virtualHost, String username, String password, boolean tls,
        List<ExchangeTap> exchanges, List<SpyQueue> spyQueues, List<String> browseQueues, boolean firehose,
        boolean keepTap, long tapMaxBytes, Duration tapMaxAge, int classicMaxLength, boolean classicTap, boolean forceBrowse,
        String managementUrl, long maxEvents, Duration duration, Duration connectTimeout) {

    /** Default size retention of a tap stream: 1 GiB. */
    public static final long DEFAULT_TAP_MAX_BYTES = 1L << 30;
    /** Default age retention of a tap stream: 1 hour. */
    public static final Duration DEFAULT_TAP_MAX_AGE = Duration.ofHours(1);
    /** Default length limit of a classic tap queue: 100,000 messages. */
    public static final int DEFAULT_CLASSIC_MAX_LENGTH = 100_000;

    public AmqpCaptureConfig {
        exchanges = List.copyOf(exchanges);
        spyQueues = List.copyOf(spyQueues);
        browseQueues = List.copyOf(browseQueues);
    }

    /**
     * An exchange to tap.
     *
     * @param name        the exchange
     * @param bindingKeys binding keys for the tap queue; empty = {@code #} (every message of a topic,
     *                    fanout or headers exchange; a direct exchange needs its keys named)
     */
    public record ExchangeTap(String name, List<String> bindingKeys) {
        public ExchangeTap {
            Objects.requireNonNull(name, "name");
            bindingKeys = List.copyOf(bindingKeys);
        }

        /** The binding keys to use: the given ones, else {@code #}. */
        public List<String> effectiveKeys() {
            return bindingKeys.isEmpty() ? List.of("#") : bindingKeys;
        }
    }

    /**
     * A queue to spy on.
     *
     * @param name     the queue
     * @param bindings its bindings as the user gives them; used when the management API cannot be read
     */
    public record SpyQueue(String name, List<Binding> bindings) {
        public SpyQueue {
            Objects.requireNonNull(name, "name");
            bindings = List.copyOf(bindings);
        }
    }

    /** One binding of a queue to an exchange with a binding key. */
    public record Binding(String exchange, String bindingKey) {
        public Binding {
            Objects.requireNonNull(exchange, "exchange");
            bindingKey = bindingKey == null ? "" : bindingKey;
        }
    }

    /** When the capture ends by itself. */
    public CaptureLimits limits() {
        return new CaptureLimits(maxEvents, duration);
    }

    /** {@code "RabbitMQ at host:port vhost /"}: used in every message about this broker. */
    public String endpoint() {
        return "RabbitMQ at " + (tls ? "amqps://" : "amqp://") + host + ":" + port + " vhost " + virtualHost;
    }

    /** True when the capture only browses (finite): no exchange, spy queue or firehose to tap. */
    public boolean browseOnly() {
        return exchanges.isEmpty() && spyQueues.isEmpty() && !firehose;
    }

    @Override
    public String toString() {
        return "AmqpCaptureConfig[" + endpoint() + ", user=" + username + ", password=***, exchanges=" + exchanges
                + ", spyQueues=" + spyQueues + ", browseQueues=" + browseQueues + ", firehose=" + firehose
                + ", keepTap=" + keepTap + ", classicTap=" + classicTap + ", tapMaxBytes=" + tapMaxBytes + ", tapMaxAge=" + tapMaxAge
                + ", maxEvents=" + maxEvents + ", duration=" + duration + "]";
    }

    /** A builder with the defaults: localhost:5672, vhost {@code /}, guest/guest. */
    public static Builder builder() {
        return new Builder();
    }

    /** Fluent builder; {@link #build()} validates. */
    public static final class Builder {
        private String uri;
        private String host = "localhost";
        private Integer port;
        private String virtualHost = "/";
        private String username = "guest";
        private String password = "guest";
        private boolean tls;
        private boolean passwordInUri;
        private final List<ExchangeTap> exchanges = new ArrayList<>();
        private final List<SpyQueue> spyQueues = new ArrayList<>();
        private final List<String> browseQueues = new ArrayList<>();
        private boolean firehose;
        private boolean keepTap;
        private long tapMaxBytes = DEFAULT_TAP_MAX_BYTES;
        private Duration tapMaxAge = DEFAULT_TAP_MAX_AGE;
        private int classicMaxLength = DEFAULT_CLASSIC_MAX_LENGTH;
        private boolean forceBrowse;
        private boolean classicTap;
        private String managementUrl;
        private long maxEvents;
        private Duration duration;
        private Duration connectTimeout = Duration.ofSeconds(10);

        private Builder() {
        }

        /**
         * An AMQP URI, {@code amqp://[user[:password]@]host[:port][/vhost]} or {@code amqps://...};
         * its parts replace host, port, vhost, user and password (parsed by {@link #build()}).
         */
        public Builder uri(String u) {
            this.uri = u;
            return this;
        }

        /** The broker host (instead of a URI). */
        public Builder host(String h) {
            this.host = h;
            return this;
        }

        /** The broker port (default 5672, 5671 with TLS). */
        public Builder port(int p) {
            this.port = p;
            return this;
        }

        /** The vhost (default {@code /}). */
        public Builder virtualHost(String v) {
            this.virtualHost = v;
            return this;
        }

        /** The user name. */
        public Builder username(String u) {
            this.username = u;
            return this;
        }

        /** The password (from a config file or the environment; see docs/reference/cli-contract.md). */
        public Builder password(String p) {
            this.password = p;
            return this;
        }

        /** AMQPS. */
        public Builder tls(boolean t) {
            this.tls = t;
            return this;
        }

        /** Taps an exchange with these binding keys (none = {@code #}). */
        public Builder exchange(String name, List<String> bindingKeys) {
            exchanges.add(new ExchangeTap(name == null ? "" : name, bindingKeys == null ? List.of() : bindingKeys));
            return this;
        }

        /** Spies on a queue; {@code bindings} are used when the management API cannot give them. */
        public Builder spyQueue(String name, List<Binding> bindings) {
            spyQueues.add(new SpyQueue(name == null ? "" : name, bindings == null ? List.of() : bindings));
            return this;
        }

        /** Browses a queue. */
        public Builder browseQueue(String name) {
            browseQueues.add(name);
            return this;
        }

        /** Also taps the firehose exchange {@code amq.rabbitmq.trace}. */
        public Builder firehose(boolean f) {
            this.firehose = f;
            return this;
        }

        /** Keeps the tap queues after the capture. */
        public Builder keepTap(boolean k) {
            this.keepTap = k;
            return this;
        }

        /** The tap stream's size retention in bytes. */
        public Builder tapMaxBytes(long b) {
            this.tapMaxBytes = b;
            return this;
        }

        /** The tap stream's age retention. */
        public Builder tapMaxAge(Duration d) {
            this.tapMaxAge = d;
            return this;
        }

        /** The classic fallback tap queue's length limit. */
        public Builder classicMaxLength(int n) {
            this.classicMaxLength = n;
            return this;
        }

        /** Taps through a classic queue rather than a stream. */
        public Builder classicTap(boolean c) {
            this.classicTap = c;
            return this;
        }

        /** Browses also where it is refused by default. */
        public Builder forceBrowse(boolean f) {
            this.forceBrowse = f;
            return this;
        }

        /** The management HTTP API (default {@code http://<host>:15672}, or https with TLS). */
        public Builder managementUrl(String u) {
            this.managementUrl = u;
            return this;
        }

        /** Stop after this many events (0 = no limit). */
        public Builder maxEvents(long m) {
            this.maxEvents = m;
            return this;
        }

        /** Stop after this long. */
        public Builder duration(Duration d) {
            this.duration = d;
            return this;
        }

        /** How long to wait for the broker. */
        public Builder connectTimeout(Duration d) {
            this.connectTimeout = d;
            return this;
        }

        /** True when the last {@link #build()} found a password in the URI (the CLI warns about it). */
        public boolean passwordInUri() {
            return passwordInUri;
        }

        /**
         * Validates and builds.
         *
         * @throws IllegalArgumentException naming the bad field: a URI that is not {@code amqp://} or
         *                                  {@code amqps://}, a blank host, a port out of range, nothing
         *                                  to capture, a blank exchange or queue name, non-positive
         *                                  retention, limits or timeouts
         */
        public AmqpCaptureConfig build() {
            return build(false);
        }

        /**
         * Validates and builds the connection settings alone (host, port, vhost, credentials, TLS,
         * timeout), for a config that captures nothing: the target of a replay
         * (docs/decisions/0018-replay.md). Validation as {@link #build()}, except that nothing to
         * capture is fine.
         */
        public AmqpCaptureConfig buildConnection() {
            return build(true);
        }

        private AmqpCaptureConfig build(boolean connectionOnly) {
            String h = host;
            String v = virtualHost;
            String user = username;
            String pass = password;
            boolean secure = tls;
            Integer p = port;
            if (uri != null) {
                URI u;
                try {
                    u = new URI(uri.trim());
                } catch (URISyntaxException e) {
                    throw new IllegalArgumentException("uri: '" + redact(uri) + "' is not a URI: " + e.getReason());
                }
                String scheme = u.getScheme() == null ? "" : u.getScheme().toLowerCase(java.util.Locale.ROOT);
                if (!scheme.equals("amqp") && !scheme.equals("amqps")) {
                    throw new IllegalArgumentException("uri: must start with amqp:// or amqps://, was '" + redact(uri) + "'");
                }
                secure = scheme.equals("amqps");
                if (u.getHost() == null || u.getHost().isBlank()) {
                    throw new IllegalArgumentException("uri: names no host: '" + redact(uri) + "'");
                }
                h = u.getHost();
                if (u.getPort() != -1) {
                    p = u.getPort();
                }
                String info = u.getRawUserInfo();
                if (info != null) {
                    int colon = info.indexOf(':');
                    user = decode(colon < 0 ? info : info.substring(0, colon));
                    if (colon >= 0) {
                        pass = decode(info.substring(colon + 1));
                        passwordInUri = true;
                    }
                }
                String path = u.getRawPath();
                if (path != null && path.length() > 1) {
                    v = decode(path.substring(1));
                }
            }
            if (h == null || h.isBlank()) {
                throw new IllegalArgumentException("host: must not be blank");
            }
            int resolvedPort = p == null ? (secure ? 5671 : 5672) : p;
            if (resolvedPort < 1 || resolvedPort > 65535) {
                throw new IllegalArgumentException("port: must be 1 to 65535, was " + resolvedPort);
            }
            if (v == null || v.isEmpty()) {
                throw new IllegalArgumentException("virtualHost: must not be empty (the default vhost is /)");
            }
            if (!connectionOnly && exchanges.isEmpty() && spyQueues.isEmpty() && browseQueues.isEmpty() && !firehose) {
                throw new IllegalArgumentException("exchanges: name an exchange to tap, a queue to spy on or a queue to browse");
            }
            for (ExchangeTap e : exchanges) {
                if (e.name().isBlank()) {
                    throw new IllegalArgumentException("exchanges: an exchange name must not be blank (the default exchange cannot be tapped; use the firehose)");
                }
            }
            for (SpyQueue q : spyQueues) {
                if (q.name().isBlank()) {
                    throw new IllegalArgumentException("spyQueues: a queue name must not be blank");
                }
            }
            for (String q : browseQueues) {
                if (q == null || q.isBlank()) {
                    throw new IllegalArgumentException("browseQueues: a queue name must not be blank");
                }
            }
            if (tapMaxBytes <= 0) {
                throw new IllegalArgumentException("tapMaxBytes: must be positive, was " + tapMaxBytes);
            }
            if (tapMaxAge == null || tapMaxAge.toSeconds() < 1) {
                throw new IllegalArgumentException("tapMaxAge: must be 1 s or more, was " + tapMaxAge);
            }
            if (classicMaxLength < 1) {
                throw new IllegalArgumentException("classicMaxLength: must be positive, was " + classicMaxLength);
            }
            if (maxEvents < 0) {
                throw new IllegalArgumentException("maxEvents: must be 0 (no limit) or more, was " + maxEvents);
            }
            if (duration != null && (duration.isNegative() || duration.isZero())) {
                throw new IllegalArgumentException("duration: must be positive, was " + duration);
            }
            if (connectTimeout == null || connectTimeout.isNegative() || connectTimeout.isZero()) {
                throw new IllegalArgumentException("connectTimeout: must be positive, was " + connectTimeout);
            }
            String mgmt = managementUrl != null ? managementUrl : (secure ? "https://" : "http://") + h + ":15672";
            return new AmqpCaptureConfig(h, resolvedPort, v, user, pass, secure, exchanges, spyQueues,
                    List.copyOf(new java.util.LinkedHashSet<>(browseQueues)), firehose, keepTap, tapMaxBytes, tapMaxAge,
                    classicMaxLength, classicTap, forceBrowse, mgmt, maxEvents, duration, connectTimeout);
        }

        private static String decode(String s) {
            return URLDecoder.decode(s.replace("+", "%2B"), StandardCharsets.UTF_8);
        }

        /** The URI with its password replaced by {@code ***}. */
        static String redact(String uri) {
            return uri == null ? null : uri.replaceFirst("(?<=://)([^:/@]*):[^@/]*@", "$1:***@");
        }
    }
}
