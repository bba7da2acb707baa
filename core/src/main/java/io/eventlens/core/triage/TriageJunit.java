package io.eventlens.core.triage;

import io.eventlens.core.analysis.Timeline;
import java.io.StringWriter;
import java.util.Locale;
import java.util.Set;
import javax.xml.stream.XMLOutputFactory;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamWriter;

/**
 * The triage report as JUnit XML ({@code report --format junit}), so a CI server shows the
 * verdicts as test results: one {@code testcase} per failed test (its class and name), a
 * {@code failure} when its verdict or one of its timelines' verdicts is in the fail-on kinds, else
 * passed with the verdicts in {@code system-out}.
 */
public final class TriageJunit {

    private TriageJunit() {
    }

    /**
     * @param failOn verdict kinds (and {@code NO_CORRELATION_ID}) that make a test case fail
     */
    public static String render(TriageReport r, Set<String> failOn) {
        StringWriter out = new StringWriter();
        try {
            XMLStreamWriter w = XMLOutputFactory.newFactory().createXMLStreamWriter(out);
            w.writeStartDocument("UTF-8", "1.0");
            w.writeCharacters("\n");
            int failures = 0;
            for (TestTriage t : r.failed()) {
                failures += failing(t, failOn) ? 1 : 0;
            }
            w.writeStartElement("testsuite");
            w.writeAttribute("name", "EventLens triage");
            w.writeAttribute("tests", Integer.toString(r.failed().size()));
            w.writeAttribute("failures", Integer.toString(failures));
            w.writeAttribute("errors", "0");
            w.writeAttribute("skipped", "0");
            w.writeCharacters("\n");
            for (TestTriage t : r.failed()) {
                w.writeCharacters("  ");
                w.writeStartElement("testcase");
                w.writeAttribute("classname", t.test().className().isEmpty() ? t.test().suite() : t.test().className());
                w.writeAttribute("name", t.test().name());
                w.writeAttribute("time", "0");
                String text = verdicts(t);
                if (failing(t, failOn)) {
                    w.writeStartElement("failure");
                    w.writeAttribute("type", t.headline());
                    w.writeAttribute("message", t.headline() + ": " + t.hint());
                    w.writeCharacters(text);
                    w.writeEndElement();
                } else {
                    w.writeStartElement("system-out");
                    w.writeCharacters(text);
                    w.writeEndElement();
                }
                w.writeEndElement();
                w.writeCharacters("\n");
            }
            w.writeEndElement();
            w.writeCharacters("\n");
            w.writeEndDocument();
            w.close();
        } catch (XMLStreamException e) {
            throw new IllegalStateException("could not write JUnit XML: " + e.getMessage(), e);
        }
        return out.toString();
    }

    /** True when the test's headline or any of its timelines' verdicts is in {@code failOn}. */
    public static boolean failing(TestTriage t, Set<String> failOn) {
        if (failOn.contains(t.headline())) {
            return true;
        }
        for (Timeline tl : t.timelines()) {
            if (failOn.contains(tl.verdict().kind().name())) {
                return true;
            }
            // a contract violation behind another verdict (a dead letter whose payload broke it) counts too
            if (failOn.contains(io.eventlens.core.analysis.AnomalyKind.CONTRACT_VIOLATION.name())
                    && tl.has(io.eventlens.core.analysis.AnomalyKind.CONTRACT_VIOLATION)) {
                return true;
            }
        }
        return false;
    }

    private static String verdicts(TestTriage t) {
        StringBuilder sb = new StringBuilder();
        sb.append(t.headline()).append(": ").append(t.hint()).append('\n');
        sb.append("correlation IDs: ").append(t.match().description()).append('\n');
        for (Timeline tl : t.timelines()) {
            sb.append(String.format(Locale.ROOT, "%s %s: %s (%d events)%n", tl.correlationId(),
                    tl.verdict().kind().name(), tl.verdict().message(), tl.entries().size()));
        }
        return sb.toString();
    }
}
