package io.eventlens.core.replay;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * The safety checks every replay passes before anything is sent (docs/reference/replay.md,
 * "Safety"): the target must carry an environment label, must not be labelled production, and
 * neither its bootstrap servers, its host nor its Kafka cluster ID (read from the cluster's
 * metadata) may match a production pattern. A refusal is a {@link ReplayRefusedException} saying
 * which check failed and on what value; nothing has been sent then.
 *
 * <p>Patterns are Java regular expressions found anywhere in the value, case-insensitively. The
 * defaults ({@link #DEFAULT_PATTERNS}) catch names that say prod or production as a word; users add
 * their own (the CLI's {@code --production-pattern}, {@code EVENTLENS_PRODUCTION_PATTERNS}).
 *
 * @param patterns the production patterns in force
 */
public record ReplaySafety(List<Pattern> patterns) {

    /** Names that say {@code prod} or {@code production} as a word (so {@code product-svc} does not match). */
    public static final List<String> DEFAULT_PATTERNS = List.of("(^|[^a-z0-9])prod(uction)?([^a-z0-9]|$)");

    public ReplaySafety {
        patterns = List.copyOf(patterns);
    }

    /**
     * The default patterns plus the user's.
     *
     * @param userPatterns regexes; blank ones are ignored
     * @throws IllegalArgumentException naming a pattern that is not a valid regex
     */
    public static ReplaySafety withPatterns(List<String> userPatterns) {
        List<Pattern> out = new ArrayList<>();
        for (String p : DEFAULT_PATTERNS) {
            out.add(Pattern.compile(p, Pattern.CASE_INSENSITIVE));
        }
        for (String p : userPatterns) {
            if (p == null || p.isBlank()) {
                continue;
            }
            try {
                out.add(Pattern.compile(p.strip(), Pattern.CASE_INSENSITIVE));
            } catch (PatternSyntaxException e) {
                throw new IllegalArgumentException("production pattern '" + p + "' is not a valid regex: "
                        + e.getDescription(), e);
            }
        }
        return new ReplaySafety(out);
    }

    /**
     * The checks that need no connection: the label, and the bootstrap servers or host.
     *
     * @throws ReplayRefusedException saying why
     */
    public void checkStatic(ReplayTarget target) {
        EnvironmentLabel label = target.label();
        if (label == null) {
            throw new ReplayRefusedException("refused: " + target.endpoint() + " has no environment label; label it"
                    + " (--target-env local, test or staging) before replaying into it");
        }
        if (label == EnvironmentLabel.PRODUCTION) {
            throw new ReplayRefusedException("refused: " + target.endpoint() + " is labelled production;"
                    + " EventLens never replays into production");
        }
        switch (target) {
            case ReplayTarget.Kafka k -> match("bootstrap servers", k.bootstrapServers(), target);
            case ReplayTarget.Amqp a -> {
                match("host", a.connection().host(), target);
                match("virtual host", a.connection().virtualHost(), target);
            }
        }
    }

    /**
     * The check of what the target says about itself: its Kafka cluster ID.
     *
     * @param clusterId the cluster ID from the target's metadata, or null
     * @throws ReplayRefusedException saying why
     */
    public void checkClusterId(ReplayTarget target, String clusterId) {
        if (clusterId != null) {
            match("cluster ID", clusterId, target);
        }
    }

    private void match(String what, String value, ReplayTarget target) {
        if (value == null) {
            return;
        }
        for (Pattern p : patterns) {
            if (p.matcher(value).find()) {
                throw new ReplayRefusedException("refused: the " + what + " of " + target.endpoint() + " ('"
                        + value + "') matches the production pattern '" + p.pattern() + "' (labelled "
                        + target.label().label() + "); EventLens never replays into production");
            }
        }
    }

    /** The patterns as text (for the JSON summary). */
    public List<String> patternTexts() {
        return patterns.stream().map(Pattern::pattern).toList();
    }
}
