package io.eventlens.app.ui.deadletters;

import static io.eventlens.app.ui.controls.TwoLineCell.line;

import atlantafx.base.theme.Styles;
import io.eventlens.app.ui.controls.TwoLineCell;
import javafx.geometry.Insets;
import javafx.geometry.Orientation;
import javafx.geometry.Pos;
import javafx.scene.control.Label;
import javafx.scene.control.ListView;
import javafx.scene.control.SplitPane;
import javafx.scene.control.Tooltip;
import javafx.scene.input.KeyCode;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;
import javafx.util.Subscription;

import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The Dead letters view: the capture's dead-lettered events grouped by reason, exception class and
 * original channel, most events first (each group two lines: its count, exception class and original
 * channel, then its reason), and below, the latest events of the selected group (correlation ID and
 * attempts, then observed time, channel and exception text). A click or Enter on an event opens its
 * correlation ID's timeline. Says "No dead-lettered events" when the capture has none. Built for the
 * narrow side area beside the event table; colours come from the theme's {@code -color-*} variables.
 */
public final class DeadLettersView extends VBox {

    /** Height of a group or event row (two lines), fixed so the lists stay cheap to scroll. */
    static final double ROW_HEIGHT = 46;

    /**
     * Spring Kafka's listener wrapper, which starts every message of a {@code @KafkaListener}'s
     * failure; left out of the shown reason (the tooltip keeps it) so that reasons differ at their start.
     */
    private static final Pattern SPRING_WRAPPER = Pattern.compile("^Listener method '[^']*' threw exception; ");

    private final DeadLettersViewModel vm;
    private final ListView<DeadLetterGroupRow> groupList = new ListView<>();
    private final ListView<DeadLetterEventRow> eventList = new ListView<>();
    private final Subscription subscriptions;

    /** A dead letters view of {@code vm}. */
    public DeadLettersView(DeadLettersViewModel vm) {
        this.vm = vm;
        getStyleClass().add("dead-letters-view");
        setId("deadLettersView");

        Label title = new Label("Dead letters");
        title.getStyleClass().add("section-title");
        title.setTooltip(new Tooltip("Every dead-lettered event of the capture, grouped by reason, exception class "
                + "and original channel; click or press Enter on an event to open its timeline (Ctrl+D)"));
        title.setMinWidth(Region.USE_PREF_SIZE);
        Label summary = new Label();
        summary.setId("deadLetterSummary");
        summary.getStyleClass().add(Styles.TEXT_MUTED);
        summary.textProperty().bind(vm.summaryProperty());
        summary.setMinWidth(0);
        Region spacer = new Region();
        HBox.setHgrow(spacer, Priority.ALWAYS);
        HBox header = new HBox(8, title, spacer, summary);
        header.setAlignment(Pos.CENTER_LEFT);
        header.setPadding(new Insets(8, 12, 8, 12));

        groupList.setId("deadLetterGroups");
        groupList.getStyleClass().addAll("dead-letter-list", Styles.DENSE);
        groupList.setFixedCellSize(ROW_HEIGHT);
        groupList.setPlaceholder(placeholder());
        groupList.setItems(vm.groups());
        groupList.setCellFactory(lv -> new GroupCell());

        eventList.setId("deadLetterEvents");
        eventList.getStyleClass().addAll("dead-letter-list", Styles.DENSE);
        eventList.setFixedCellSize(ROW_HEIGHT);
        Label pick = new Label("Select a group to see its latest dead-lettered events.");
        pick.getStyleClass().add(Styles.TEXT_MUTED);
        pick.setWrapText(true);
        eventList.setPlaceholder(pick);
        eventList.setItems(vm.events());
        eventList.setCellFactory(lv -> new EventCell());
        eventList.setOnKeyPressed(e -> {
            if (e.getCode() == KeyCode.ENTER && eventList.getSelectionModel().getSelectedItem() != null) {
                vm.open(eventList.getSelectionModel().getSelectedItem());
                e.consume();
            }
        });
        Label eventsTitle = new Label("Latest events of the group — click to open the timeline");
        eventsTitle.getStyleClass().addAll(Styles.TEXT_SMALL, Styles.TEXT_MUTED);
        eventsTitle.setPadding(new Insets(4, 12, 4, 12));
        eventsTitle.setMinWidth(0);
        VBox lower = new VBox(eventsTitle, eventList);
        VBox.setVgrow(eventList, Priority.ALWAYS);

        SplitPane split = new SplitPane(groupList, lower);
        split.setOrientation(Orientation.VERTICAL);
        split.setDividerPositions(0.5);
        VBox.setVgrow(split, Priority.ALWAYS);
        getChildren().addAll(header, split);

        subscriptions = vm.selectedGroupProperty().subscribe(g -> {
                    if (groupList.getSelectionModel().getSelectedItem() != g) {
                        if (g == null) {
                            groupList.getSelectionModel().clearSelection();
                        } else {
                            groupList.getSelectionModel().select(g);
                        }
                    }
                })
                .and(groupList.getSelectionModel().selectedItemProperty().subscribe(g -> {
                    if (g != null) {
                        vm.selectedGroupProperty().set(g);
                    }
                }));
    }

    private Label placeholder() {
        Label l = new Label();
        l.setId("deadLetterPlaceholder");
        l.textProperty().bind(vm.summaryProperty());
        l.setWrapText(true);
        l.getStyleClass().add(Styles.TEXT_MUTED);
        l.setPadding(new Insets(12));
        return l;
    }

    /** The reason as shown: Spring's listener wrapper left out. */
    static String shownReason(String reason) {
        return SPRING_WRAPPER.matcher(reason).replaceFirst("");
    }

    /** The group list (for tests and focus). */
    public ListView<DeadLetterGroupRow> groupList() {
        return groupList;
    }

    /** The event list (for tests and focus). */
    public ListView<DeadLetterEventRow> eventList() {
        return eventList;
    }

    /** Stops listening to the view model. */
    public void dispose() {
        subscriptions.unsubscribe();
        groupList.setItems(null);
        eventList.setItems(null);
    }

    private static final class GroupCell extends TwoLineCell<DeadLetterGroupRow> {
        private final Label count = new Label();
        private final Label exception = line("dead-letter-exception");
        private final Label from = line(Styles.TEXT_MUTED, Styles.TEXT_SMALL);
        private final Label reason = line("dead-letter-reason");

        GroupCell() {
            super(560, null);
            count.getStyleClass().add("dead-letter-count");
            count.setMinWidth(Region.USE_PREF_SIZE);
            count.setAlignment(Pos.CENTER);
            from.setMinWidth(Region.USE_PREF_SIZE);
            HBox.setHgrow(exception, Priority.ALWAYS);
            HBox line1 = new HBox(8, count, exception, from);
            line1.setAlignment(Pos.CENTER_LEFT);
            lines(line1, reason);
        }

        @Override
        protected String show(DeadLetterGroupRow row) {
            count.setText(String.format(Locale.ROOT, "%,d", row.count()));
            exception.setText(row.exceptionClass());
            from.setText("from " + row.originalChannel());
            reason.setText(shownReason(row.reason()));
            return String.format(Locale.ROOT, "%,d dead-lettered on %s%n%s%n%s%nfrom %s", row.count(),
                    row.channels(), row.exceptionFqcn().isEmpty() ? "no exception class" : row.exceptionFqcn(),
                    row.reason(), row.originalChannel());
        }
    }

    private final class EventCell extends TwoLineCell<DeadLetterEventRow> {
        private final Label id = line("mono", "dead-letter-id");
        private final Label attempts = line(Styles.TEXT_MUTED, Styles.TEXT_SMALL);
        private final Label detail = line("dead-letter-reason");

        EventCell() {
            super(560, vm::open);
            attempts.setMinWidth(Region.USE_PREF_SIZE);
            HBox.setHgrow(id, Priority.ALWAYS);
            HBox line1 = new HBox(8, id, attempts);
            line1.setAlignment(Pos.CENTER_LEFT);
            lines(line1, detail);
        }

        @Override
        protected String show(DeadLetterEventRow row) {
            id.setText(row.correlationId().isEmpty() ? "(no correlation ID) #" + row.seq() : row.correlationId());
            attempts.setText(row.attempts().equals(DeadLetterGroupRow.NONE) ? "#" + row.seq()
                    : row.attempts() + (row.attempts().equals("1") ? " attempt" : " attempts"));
            detail.setText(row.observed() + " · " + row.channel() + " · " + shownReason(row.exceptionText()));
            return row.correlationId() + "\n" + row.observed() + " on " + row.channel() + " (seq " + row.seq()
                    + ")\nfrom " + row.original() + "\n" + row.exceptionText();
        }
    }
}
