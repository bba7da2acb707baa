package io.eventlens.core.artifact;

import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;

/**
 * Reads the failed and errored tests of a JUnit XML report with StAX, safely: DTDs and external
 * entities are off (a report from a stranger's CI run must not read local files or expand entity
 * bombs; Java's XML parsers resolve both by default), so a document with a {@code DOCTYPE} that
 * declares entities fails with an error naming the line (docs/decisions/0014-artifact-import-and-triage.md,
 * "Hostile input"). Surefire/Failsafe, Gradle, Playwright and jest-junit write the same elements:
 * {@code testsuites}/{@code testsuite}/{@code testcase} with {@code failure}, {@code error},
 * {@code system-out}, {@code system-err}.
 *
 * <p>A test's time window is its suite's {@code timestamp} (ISO-8601; without a zone it is read as
 * UTC, which is what Gradle, Surefire and jest-junit write) plus the durations of the tests before
 * it in the suite; without a timestamp it has none.
 */
public final class JUnitReportReader {

    /** Longest text kept of a message, details or output, in characters. */
    public static final int MAX_TEXT_CHARS = 64 * 1024;
    /** Most failed tests kept per report. */
    public static final int MAX_FAILED_TESTS = 10_000;
    private static final int MAX_DEPTH = 64;

    private static final XMLInputFactory FACTORY = secureFactory();

    private JUnitReportReader() {
    }

    private static XMLInputFactory secureFactory() {
        XMLInputFactory f = XMLInputFactory.newFactory();
        f.setProperty(XMLInputFactory.SUPPORT_DTD, false);
        f.setProperty(XMLInputFactory.IS_SUPPORTING_EXTERNAL_ENTITIES, false);
        f.setProperty(XMLInputFactory.IS_REPLACING_ENTITY_REFERENCES, false);
        f.setXMLReporter((message, type, info, location) -> {
            // errors surface as exceptions; nothing is printed (only the CLI writes to stderr)
        });
        f.setXMLResolver((publicId, systemId, base, ns) -> {
            throw new XMLStreamException("external entity " + systemId + " refused");
        });
        return f;
    }

    /** The result of reading one XML file. */
    public record Result(boolean isJUnit, int tests, List<FailedTest> failed) {
    }

    /**
     * Reads one XML document.
     *
     * @param name the file's name in the CI run, for the tests and for errors
     * @param in   the document; not closed
     * @return whether it is a JUnit report (its root is {@code testsuites} or {@code testsuite}), how
     *         many test cases it has and its failed ones
     * @throws ArtifactFormatException naming the line when the XML is malformed or declares a DTD's entities
     */
    public static Result read(String name, InputStream in) throws IOException {
        XMLStreamReader r;
        try {
            r = FACTORY.createXMLStreamReader(utf8(in));
        } catch (XMLStreamException | RuntimeException e) {
            throw new ArtifactFormatException(0, "not well-formed XML: " + e.getMessage());
        }
        List<FailedTest> failed = new ArrayList<>();
        int tests = 0;
        try {
            int depth = 0;
            boolean root = true;
            // suite state
            String suite = "";
            Instant suiteStart = null;
            long suiteElapsedMs = 0;
            String suiteOut = "";
            String suiteErr = "";
            List<int[]> pendingSuiteOutput = new ArrayList<>(); // indices into failed needing suite output
            // case state
            String caseName = null;
            String caseClass = "";
            long caseMs = 0;
            Instant caseStart = null;
            boolean caseFailed = false;
            boolean caseErrored = false;
            String message = "";
            String details = "";
            String out = "";
            String err = "";
            while (r.hasNext()) {
                int ev = r.next();
                if (ev == XMLStreamConstants.DTD) {
                    String dtd = r.getText();
                    if (dtd != null && (dtd.contains("<!ENTITY") || dtd.contains("SYSTEM") || dtd.contains("PUBLIC"))) {
                        throw new ArtifactFormatException(r.getLocation().getLineNumber(),
                                "refused: the document declares a DTD with entities (DTDs and external entities are off)");
                    }
                    continue;
                }
                if (ev == XMLStreamConstants.ENTITY_REFERENCE) {
                    throw new ArtifactFormatException(r.getLocation().getLineNumber(),
                            "refused: entity reference &" + r.getLocalName() + "; (DTDs and external entities are off)");
                }
                if (ev == XMLStreamConstants.END_ELEMENT) {
                    depth--;
                    String el = r.getLocalName();
                    if (el.equals("testcase") && caseName != null) {
                        if (caseFailed && failed.size() < MAX_FAILED_TESTS) {
                            failed.add(new FailedTest(name, suite, caseClass, caseName, caseErrored, message, details,
                                    out, err, caseStart, caseMs));
                            if (out.isEmpty() || err.isEmpty()) {
                                pendingSuiteOutput.add(new int[] {failed.size() - 1});
                            }
                        }
                        caseName = null;
                    } else if (el.equals("testsuite")) {
                        for (int[] i : pendingSuiteOutput) {
                            FailedTest t = failed.get(i[0]);
                            failed.set(i[0], new FailedTest(t.report(), t.suite(), t.className(), t.name(), t.errored(),
                                    t.message(), t.details(), t.systemOut().isEmpty() ? suiteOut : t.systemOut(),
                                    t.systemErr().isEmpty() ? suiteErr : t.systemErr(), t.start(), t.durationMs()));
                        }
                        pendingSuiteOutput.clear();
                        suiteOut = "";
                        suiteErr = "";
                    }
                    continue;
                }
                if (ev != XMLStreamConstants.START_ELEMENT) {
                    continue;
                }
                if (++depth > MAX_DEPTH) {
                    throw new ArtifactFormatException(r.getLocation().getLineNumber(), "elements nested deeper than " + MAX_DEPTH);
                }
                String el = r.getLocalName();
                if (root) {
                    root = false;
                    if (!el.equals("testsuites") && !el.equals("testsuite")) {
                        return new Result(false, 0, List.of());
                    }
                }
                switch (el) {
                    case "testsuite" -> {
                        suite = attr(r, "name");
                        suiteStart = time(attr(r, "timestamp"));
                        suiteElapsedMs = 0;
                    }
                    case "testcase" -> {
                        tests++;
                        caseName = attr(r, "name");
                        caseClass = attr(r, "classname");
                        caseMs = millis(attr(r, "time"));
                        caseStart = suiteStart == null ? null : suiteStart.plusMillis(suiteElapsedMs);
                        suiteElapsedMs += caseMs;
                        caseFailed = false;
                        caseErrored = false;
                        message = "";
                        details = "";
                        out = "";
                        err = "";
                    }
                    case "failure", "error" -> {
                        if (caseName != null && !caseFailed) {
                            caseFailed = true;
                            caseErrored = el.equals("error");
                            message = cut(attr(r, "message"));
                            details = text(r);
                            depth--;
                        }
                    }
                    case "system-out" -> {
                        String t = text(r);
                        depth--;
                        if (caseName != null) {
                            out = t;
                        } else {
                            suiteOut = t;
                        }
                    }
                    case "system-err" -> {
                        String t = text(r);
                        depth--;
                        if (caseName != null) {
                            err = t;
                        } else {
                            suiteErr = t;
                        }
                    }
                    default -> {
                        // properties, skipped, flakyFailure, rerunFailure: not failures
                    }
                }
            }
            return new Result(true, tests, failed);
        } catch (XMLStreamException e) {
            throw new ArtifactFormatException(line(e), "not well-formed XML: " + cleanMessage(e));
        } catch (RuntimeException e) {
            // the JDK's parser throws unchecked exceptions on some malformed input (found by fuzzing:
            // MissingResourceException for a bad character in a DTD); the file is damaged all the same
            throw new ArtifactFormatException(lineOf(r), "not well-formed XML: " + e);
        } finally {
            try {
                r.close();
            } catch (XMLStreamException e) {
                // nothing held
            }
        }
    }

    /**
     * The report as UTF-8 text (what every JUnit reporter writes), decoded strictly so malformed
     * bytes are an error here rather than a message the JDK's parser prints to stderr; a BOM is skipped.
     */
    private static java.io.Reader utf8(InputStream in) throws IOException {
        if (in.markSupported()) {
            in.mark(3);
            byte[] bom = in.readNBytes(3);
            if (!(bom.length == 3 && (bom[0] & 0xFF) == 0xEF && (bom[1] & 0xFF) == 0xBB && (bom[2] & 0xFF) == 0xBF)) {
                in.reset();
            }
        }
        return new java.io.InputStreamReader(in, java.nio.charset.StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(java.nio.charset.CodingErrorAction.REPORT)
                .onUnmappableCharacter(java.nio.charset.CodingErrorAction.REPORT));
    }

    /** Reads an element's text content (character data and CDATA) up to its end tag, cut at the bound. */
    private static String text(XMLStreamReader r) throws XMLStreamException {
        StringBuilder sb = new StringBuilder();
        int level = 1;
        while (r.hasNext() && level > 0) {
            int ev = r.next();
            switch (ev) {
                case XMLStreamConstants.CHARACTERS, XMLStreamConstants.CDATA, XMLStreamConstants.SPACE -> {
                    if (sb.length() < MAX_TEXT_CHARS) {
                        sb.append(r.getText(), 0, Math.min(r.getTextLength(), MAX_TEXT_CHARS - sb.length()));
                    }
                }
                case XMLStreamConstants.ENTITY_REFERENCE -> throw new XMLStreamException(
                        "entity reference &" + r.getLocalName() + "; refused (DTDs and external entities are off)", r.getLocation());
                case XMLStreamConstants.START_ELEMENT -> level++;
                case XMLStreamConstants.END_ELEMENT -> level--;
                default -> {
                }
            }
        }
        return sb.toString().strip();
    }

    private static String attr(XMLStreamReader r, String name) {
        String v = r.getAttributeValue(null, name);
        return v == null ? "" : v;
    }

    private static String cut(String s) {
        return s.length() > MAX_TEXT_CHARS ? s.substring(0, MAX_TEXT_CHARS) : s;
    }

    /** Seconds as written in {@code time} ("1.234", "1,234.5" from some reporters) to milliseconds; 0 when unreadable. */
    static long millis(String seconds) {
        if (seconds.isBlank() || seconds.length() > 30) {
            return 0;
        }
        try {
            BigDecimal s = new BigDecimal(seconds.replace(",", "").strip());
            return s.signum() < 0 ? 0 : s.movePointRight(3).longValue();
        } catch (NumberFormatException | ArithmeticException e) {
            return 0;
        }
    }

    /** A suite's timestamp: ISO-8601 with or without zone (without: UTC); null when absent or unreadable. */
    static Instant time(String text) {
        if (text.isBlank()) {
            return null;
        }
        try {
            return OffsetDateTime.parse(text).toInstant();
        } catch (DateTimeException e) {
            try {
                return LocalDateTime.parse(text).toInstant(ZoneOffset.UTC);
            } catch (DateTimeException e2) {
                return null;
            }
        }
    }

    private static long lineOf(XMLStreamReader r) {
        try {
            return Math.max(0, r.getLocation().getLineNumber());
        } catch (RuntimeException e) {
            return 0;
        }
    }

    private static long line(XMLStreamException e) {
        return e.getLocation() == null ? 0 : Math.max(0, e.getLocation().getLineNumber());
    }

    private static String cleanMessage(XMLStreamException e) {
        String m = e.getMessage() == null ? e.toString() : e.getMessage();
        int i = m.indexOf("Message: ");
        return i >= 0 ? m.substring(i + 9) : m;
    }
}
