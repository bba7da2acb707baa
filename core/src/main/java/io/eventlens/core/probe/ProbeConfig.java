package io.eventlens.core.probe;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * An HTTP test-probe connection (docs/decisions/0019-probe-source.md): where the probe is, how to
 * ask it, and which correlation IDs to follow.
 *
 * @param baseUrl        the probe's base URL, {@code http} or {@code https}, without query or fragment
 * @param pathTemplate   the path and query appended to the base URL, with the placeholders
 *                       {@code {correlationId}} and {@code {type}} (URL-encoded when filled); a
 *                       query parameter whose value is a placeholder left empty is dropped.
 *                       Default {@value #DEFAULT_PATH_TEMPLATE}
 * @param headers        extra request headers (an auth token, from the environment: the capture
 *                       store never keeps them), by name
 * @param correlationIds the correlation IDs to follow, one poll each per round; not empty
 * @param types          event types to ask for (one poll per ID and type); empty: the {@code {type}}
 *                       placeholder stays empty
 * @param pollInterval   pause between two rounds of polls, 50 ms to 1 h
 * @param timeout        connect and answer timeout of one poll, 100 ms to 5 min
 * @param maxBodyBytes   the largest answer body read, in bytes, 1 KiB to 256 MiB; a longer one is a finding
 */
public record ProbeConfig(URI baseUrl, String pathTemplate, Map<String, String> headers, List<String> correlationIds,
                          List<String> types, Duration pollInterval, Duration timeout, long maxBodyBytes) {

    /** The path template when none is given. */
    public static final String DEFAULT_PATH_TEMPLATE = "/__test/events?correlationId={correlationId}&type={type}";
    /** The poll interval when none is given: 500 ms. */
    public static final Duration DEFAULT_POLL_INTERVAL = Duration.ofMillis(500);
    /** The timeout when none is given: 5 s. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(5);
    /** The body size limit when none is given: 16 MiB. */
    public static final long DEFAULT_MAX_BODY_BYTES = 16L * 1024 * 1024;

    /**
     * @throws IllegalArgumentException naming the field when a value is out of range: a base URL
     *                                  that is not absolute http(s), or has a query or fragment; a
     *                                  template without {@code {correlationId}}; no correlation ID;
     *                                  a header name that is not an HTTP token
     */
    public ProbeConfig {
        Objects.requireNonNull(baseUrl, "baseUrl");
        pathTemplate = pathTemplate == null || pathTemplate.isBlank() ? DEFAULT_PATH_TEMPLATE : pathTemplate;
        headers = Map.copyOf(new LinkedHashMap<>(headers == null ? Map.of() : headers));
        correlationIds = List.copyOf(correlationIds == null ? List.of() : correlationIds);
        types = List.copyOf(types == null ? List.of() : types);
        pollInterval = pollInterval == null ? DEFAULT_POLL_INTERVAL : pollInterval;
        timeout = timeout == null ? DEFAULT_TIMEOUT : timeout;
        String scheme = baseUrl.getScheme() == null ? "" : baseUrl.getScheme().toLowerCase(Locale.ROOT);
        if (!baseUrl.isAbsolute() || !(scheme.equals("http") || scheme.equals("https")) || baseUrl.getHost() == null) {
            throw new IllegalArgumentException("probe base URL: must be an absolute http:// or https:// URL with a host, was " + baseUrl);
        }
        if (baseUrl.getRawQuery() != null || baseUrl.getRawFragment() != null) {
            throw new IllegalArgumentException("probe base URL: put the query in the path template, not the base URL: " + baseUrl);
        }
        if (baseUrl.getRawUserInfo() != null) {
            throw new IllegalArgumentException("probe base URL: credentials in the URL are not kept safe; give them as a header: " + baseUrl);
        }
        if (!pathTemplate.contains("{correlationId}")) {
            throw new IllegalArgumentException("probe path template: must contain {correlationId}, was " + pathTemplate);
        }
        if (!pathTemplate.startsWith("/")) {
            throw new IllegalArgumentException("probe path template: must start with '/', was " + pathTemplate);
        }
        if (correlationIds.isEmpty()) {
            throw new IllegalArgumentException("correlation IDs: give at least one correlation ID to follow");
        }
        for (String id : correlationIds) {
            if (id == null || id.isBlank()) {
                throw new IllegalArgumentException("correlation IDs: an ID is blank");
            }
        }
        for (String name : headers.keySet()) {
            if (!name.matches("[!#$%&'*+.^_`|~0-9A-Za-z-]+")) {
                throw new IllegalArgumentException("probe header: '" + name + "' is not a valid HTTP header name");
            }
        }
        if (pollInterval.compareTo(Duration.ofMillis(50)) < 0 || pollInterval.compareTo(Duration.ofHours(1)) > 0) {
            throw new IllegalArgumentException("poll interval: must be 50 ms to 1 h, was " + pollInterval.toMillis() + " ms");
        }
        if (timeout.compareTo(Duration.ofMillis(100)) < 0 || timeout.compareTo(Duration.ofMinutes(5)) > 0) {
            throw new IllegalArgumentException("probe timeout: must be 100 ms to 5 min, was " + timeout.toMillis() + " ms");
        }
        if (maxBodyBytes < 1024 || maxBodyBytes > 256L * 1024 * 1024) {
            throw new IllegalArgumentException("probe body limit: must be 1 KiB to 256 MiB, was " + maxBodyBytes + " bytes");
        }
    }

    /** A configuration with the defaults for everything but the base URL and the correlation IDs. */
    public static ProbeConfig of(URI baseUrl, List<String> correlationIds) {
        return new ProbeConfig(baseUrl, null, Map.of(), correlationIds, List.of(), null, null, DEFAULT_MAX_BODY_BYTES);
    }

    /** The base URL without a trailing slash: the probe's source ID and how messages name it. */
    public String endpoint() {
        String s = baseUrl.toString();
        return s.endsWith("/") ? s.substring(0, s.length() - 1) : s;
    }

    /**
     * The URL of one poll: the template with its placeholders filled (URL-encoded); a query
     * parameter whose value was only a placeholder that is empty is left out.
     *
     * @param type the event type asked for, or null for none
     */
    public URI pollUrl(String correlationId, String type) {
        String filled = fill(pathTemplate, correlationId, type == null ? "" : type);
        return URI.create(endpoint() + filled);
    }

    private static String fill(String template, String correlationId, String type) {
        int q = template.indexOf('?');
        String path = q < 0 ? template : template.substring(0, q);
        path = path.replace("{correlationId}", encodeQuery(correlationId)).replace("{type}", encodeQuery(type));
        if (q < 0) {
            return path;
        }
        List<String> params = new ArrayList<>();
        for (String param : template.substring(q + 1).split("&")) {
            int eq = param.indexOf('=');
            String value = eq < 0 ? "" : param.substring(eq + 1);
            boolean onlyPlaceholder = value.equals("{correlationId}") || value.equals("{type}");
            String v = value.replace("{correlationId}", encodeQuery(correlationId)).replace("{type}", encodeQuery(type));
            if (onlyPlaceholder && v.isEmpty()) {
                continue;
            }
            params.add(eq < 0 ? param : param.substring(0, eq + 1) + v);
        }
        return params.isEmpty() ? path : path + "?" + String.join("&", params);
    }

    /** Percent-encodes a value for a path segment or a query parameter (a space as {@code %20}, a slash as {@code %2F}). */
    private static String encodeQuery(String s) {
        return java.net.URLEncoder.encode(s, java.nio.charset.StandardCharsets.UTF_8).replace("+", "%20");
    }
}
