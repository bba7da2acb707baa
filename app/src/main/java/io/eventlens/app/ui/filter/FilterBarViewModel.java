package io.eventlens.app.ui.filter;

import io.eventlens.core.filter.EventFilter;
import io.eventlens.core.filter.FilterException;
import io.eventlens.core.filter.FilterExpressions;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import javafx.beans.property.IntegerProperty;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.ReadOnlyIntegerProperty;
import javafx.beans.property.ReadOnlyIntegerWrapper;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.beans.property.SimpleIntegerProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;

/**
 * View model of the one filter box over the event table, the Flows panel and the timeline
 * (docs/decisions/0022-cel-filters.md): the expression being typed, the filter applied (a compiled
 * {@link EventFilter}; {@link EventFilter#ALL} when blank), the error of an expression that does not
 * compile with its character offset, the history (most recent first, remembered by the caller), the
 * completions of field names and of values seen in the capture, and the right-click "Filter on this"
 * / "Exclude this" commands. FX thread only, except {@link #completions} and {@link #learn}, which
 * may run on any thread.
 */
public final class FilterBarViewModel {

    /** At most this many values per field are remembered for completion. */
    static final int MAX_VALUES = 500;

    private final StringProperty text = new SimpleStringProperty(this, "text", "");
    private final ReadOnlyObjectWrapper<EventFilter> applied = new ReadOnlyObjectWrapper<>(this, "applied", EventFilter.ALL);
    private final ReadOnlyStringWrapper error = new ReadOnlyStringWrapper(this, "error", "");
    private final ReadOnlyIntegerWrapper errorOffset = new ReadOnlyIntegerWrapper(this, "errorOffset", -1);
    private final ReadOnlyStringWrapper pointer = new ReadOnlyStringWrapper(this, "pointer", "");
    private final ObservableList<String> history = FXCollections.observableArrayList();
    private final ObjectProperty<String> progressText = new SimpleObjectProperty<>(this, "progressText", "");
    private final IntegerProperty focusRequests = new SimpleIntegerProperty(this, "focusRequests");
    private final Map<String, TreeSet<String>> values = new ConcurrentHashMap<>();
    private final Consumer<String> remember;

    /**
     * @param history  the remembered expressions, most recent first
     * @param remember told each expression applied (to put first in the remembered history)
     */
    public FilterBarViewModel(List<String> history, Consumer<String> remember) {
        this.history.setAll(history == null ? List.of() : history);
        this.remember = remember == null ? e -> { } : remember;
        text.addListener((obs, was, now) -> {
            if (!error.get().isEmpty()) {
                error.set("");
                errorOffset.set(-1);
                pointer.set("");
            }
        });
    }

    /** The expression in the box. */
    public StringProperty textProperty() {
        return text;
    }

    /** The filter applied (changes only on {@link #apply} or {@link #clear}). */
    public ReadOnlyObjectProperty<EventFilter> appliedProperty() {
        return applied.getReadOnlyProperty();
    }

    /** What is wrong with the expression last applied, or "" (cleared when the text changes). */
    public ReadOnlyStringProperty errorProperty() {
        return error.getReadOnlyProperty();
    }

    /** The character offset of the error in the text, or -1. */
    public ReadOnlyIntegerProperty errorOffsetProperty() {
        return errorOffset.getReadOnlyProperty();
    }

    /** The error line of the expression with a caret under the error (two lines), or "". */
    public ReadOnlyStringProperty pointerProperty() {
        return pointer.getReadOnlyProperty();
    }

    /** The expressions applied before, most recent first. */
    public ObservableList<String> history() {
        return history;
    }

    /** A line about the filter's progress ("Filtering… 42%", "1,204 of 1,000,000 events"), set by the views it filters. */
    public ObjectProperty<String> progressTextProperty() {
        return progressText;
    }

    /** Incremented to ask the view to focus the box (the keyboard shortcut). */
    public IntegerProperty focusRequestsProperty() {
        return focusRequests;
    }

    /** Asks the view to focus the box. */
    public void requestFocus() {
        focusRequests.set(focusRequests.get() + 1);
    }

    /**
     * Compiles the text and applies it; a blank text applies {@link EventFilter#ALL}. On an error the
     * filter applied stays as it was and {@link #errorProperty()}, {@link #errorOffsetProperty()} and
     * {@link #pointerProperty()} say what and where.
     *
     * @return whether the text was applied
     */
    public boolean apply() {
        String expression = text.get() == null ? "" : text.get();
        try {
            EventFilter f = EventFilter.compile(expression);
            error.set("");
            errorOffset.set(-1);
            pointer.set("");
            applied.set(f);
            if (!f.keepsAll()) {
                String e = expression.strip();
                history.remove(e);
                history.add(0, e);
                while (history.size() > 30) {
                    history.remove(history.size() - 1);
                }
                remember.accept(e);
            }
            return true;
        } catch (FilterException e) {
            errorOffset.set(e.line() > 0 ? e.offset() : -1);
            pointer.set(e.pointer());
            error.set(e.line() > 0 ? "Column " + e.column() + (e.line() > 1 ? " of line " + e.line() : "") + ": "
                    + e.reason() : e.reason());
            return false;
        }
    }

    /** Empties the box and applies no filter. */
    public void clear() {
        text.set("");
        apply();
    }

    /** "Filter on this": the term AND-ed with the box's expression, applied. */
    public void filterOn(String term) {
        text.set(FilterExpressions.and(appliedText(), term));
        apply();
    }

    /** "Exclude this": the negated term AND-ed with the box's expression, applied. */
    public void exclude(String term) {
        text.set(FilterExpressions.and(appliedText(), FilterExpressions.not(term)));
        apply();
    }

    private String appliedText() {
        return applied.get().expression();
    }

    /**
     * Remembers values seen in the capture for completion ({@code channel}, {@code type},
     * {@code correlationId}, {@code key}, header names as {@code headers}); any thread.
     */
    public void learn(String field, Collection<String> seen) {
        TreeSet<String> set = values.computeIfAbsent(field, f -> new TreeSet<>());
        synchronized (set) {
            for (String v : seen) {
                if (v != null && !v.isEmpty() && set.size() < MAX_VALUES) {
                    set.add(v);
                }
            }
        }
    }

    /**
     * Completions for the text before the caret: whole texts to put in the box, at most 20. After
     * {@code field == "} or {@code field == '}: the values seen for that field; after
     * {@code headers["}: the header names seen; else, for the identifier being typed, the variable
     * names that start with it; else the history entries that start with the text. Any thread.
     */
    public List<String> completions(String beforeCaret) {
        String t = beforeCaret == null ? "" : beforeCaret;
        List<String> out = new ArrayList<>();
        java.util.regex.Matcher value = java.util.regex.Pattern
                .compile("(channel|type|correlationId|eventId|key|verdict)\\s*(==|!=)\\s*([\"'])([^\"'\\\\]*)$").matcher(t);
        java.util.regex.Matcher header = java.util.regex.Pattern.compile("headers\\[([\"'])([^\"'\\\\]*)$").matcher(t);
        if (value.find()) {
            String field = value.group(1);
            String quote = value.group(3);
            String prefix = value.group(4);
            String head = t.substring(0, value.start(4) - 1);
            for (String v : seen(field)) {
                if (v.startsWith(prefix) && out.size() < 20 && !v.contains(quote) && !v.contains("\\")) {
                    out.add(head + quote + v + quote);
                }
            }
            return out;
        }
        if (header.find()) {
            String quote = header.group(1);
            String prefix = header.group(2);
            String head = t.substring(0, header.start(2) - 1);
            for (String v : seen("headers")) {
                if (v.startsWith(prefix) && out.size() < 20 && !v.contains(quote) && !v.contains("\\")) {
                    out.add(head + quote + v + quote + "]");
                }
            }
            return out;
        }
        int i = t.length();
        while (i > 0 && (Character.isLetterOrDigit(t.charAt(i - 1)) || t.charAt(i - 1) == '_')) {
            i--;
        }
        String word = t.substring(i);
        boolean member = i > 0 && t.charAt(i - 1) == '.';
        if (!word.isEmpty() && !member) {
            for (String v : EventFilter.VARIABLES) {
                if (v.toLowerCase(Locale.ROOT).startsWith(word.toLowerCase(Locale.ROOT)) && !v.equals(word)) {
                    out.add(t.substring(0, i) + v);
                }
            }
        }
        if (out.isEmpty() && !t.isBlank()) {
            for (String h : history) {
                if (h.startsWith(t) && !h.equals(t) && out.size() < 20) {
                    out.add(h);
                }
            }
        }
        return out;
    }

    private List<String> seen(String field) {
        TreeSet<String> set = values.get(field);
        if (set == null) {
            return List.of();
        }
        synchronized (set) {
            return List.copyOf(set);
        }
    }
}
