package io.eventlens.app.ui.filter;

import io.eventlens.core.filter.EventFilter;
import javafx.beans.binding.Bindings;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.MenuButton;
import javafx.scene.control.MenuItem;
import javafx.scene.control.TextField;
import javafx.scene.control.Tooltip;
import javafx.scene.input.KeyCode;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.VBox;
import org.controlsfx.control.textfield.AutoCompletionBinding;
import org.controlsfx.control.textfield.TextFields;

/**
 * The one filter box (docs/decisions/0022-cel-filters.md): a CEL expression field with completion of
 * field names and of values seen in the capture, Enter applies, Escape clears; a history menu; the
 * filtering's progress with a cancel button; and, when the expression does not compile, the field
 * selects the character at fault and a line under it shows the expression with a caret and the
 * message. Shortcut: Ctrl+Shift+F focuses it (MainView).
 */
public final class FilterBarView extends VBox {

    private final FilterBarViewModel vm;
    private final TextField field = new TextField();
    private final AutoCompletionBinding<String> completion;

    /**
     * @param vm       the view model
     * @param cancel   cancels the filtering running
     * @param running  true while a filter is reading the store
     */
    public FilterBarView(FilterBarViewModel vm, Runnable cancel, javafx.beans.value.ObservableBooleanValue running) {
        this.vm = vm;
        getStyleClass().add("filter-bar");
        setId("filterBar");
        field.setId("filterField");
        field.setPromptText("Filter: CEL expression, e.g. type == \"PaymentAuthorized\" && payload.amountCents > 10000"
                + " && \"LAG\" in anomalies   (Ctrl+Shift+F, Enter applies, Esc clears)");
        field.textProperty().bindBidirectional(vm.textProperty());
        field.setStyle("-fx-font-family: 'monospace';");
        HBox.setHgrow(field, Priority.ALWAYS);
        field.setOnAction(e -> apply());
        field.setOnKeyPressed(e -> {
            if (e.getCode() == KeyCode.ESCAPE) {
                vm.clear();
                e.consume();
            }
        });
        completion = TextFields.bindAutoCompletion(field, request -> vm.completions(request.getUserText()));
        completion.setVisibleRowCount(12);

        Label title = new Label("Filter");
        title.getStyleClass().add("section-title");
        MenuButton history = new MenuButton("History");
        history.setId("filterHistory");
        history.setTooltip(new Tooltip("Filters applied before (remembered across runs)"));
        history.setOnShowing(e -> {
            history.getItems().clear();
            for (String h : vm.history()) {
                MenuItem item = new MenuItem(h.length() > 120 ? h.substring(0, 117) + "…" : h);
                item.setMnemonicParsing(false);
                item.setOnAction(a -> {
                    vm.textProperty().set(h);
                    apply();
                });
                history.getItems().add(item);
            }
            if (history.getItems().isEmpty()) {
                MenuItem none = new MenuItem("No filters applied yet");
                none.setDisable(true);
                history.getItems().add(none);
            }
        });
        Button applyButton = new Button("Apply");
        applyButton.setId("filterApply");
        applyButton.setOnAction(e -> apply());
        Button clear = new Button("Clear");
        clear.setId("filterClear");
        clear.setOnAction(e -> vm.clear());
        clear.disableProperty().bind(Bindings.createBooleanBinding(
                () -> vm.appliedProperty().get().keepsAll() && field.getText().isEmpty(),
                vm.appliedProperty(), field.textProperty()));
        Label progress = new Label();
        progress.setId("filterProgress");
        progress.textProperty().bind(vm.progressTextProperty());
        progress.getStyleClass().add("muted");
        Button stop = new Button("Cancel");
        stop.setId("filterCancel");
        stop.setOnAction(e -> cancel.run());
        stop.visibleProperty().bind(Bindings.createBooleanBinding(running::get, running));
        stop.managedProperty().bind(stop.visibleProperty());
        HBox row = new HBox(8, title, field, applyButton, clear, history, progress, stop);
        row.setAlignment(Pos.CENTER_LEFT);

        Label error = new Label();
        error.setId("filterError");
        error.setStyle("-fx-text-fill: #c62828; -fx-font-family: 'monospace';");
        // the caret line of the pointer, under the field's text (same monospace font), then the message
        error.textProperty().bind(Bindings.createStringBinding(() -> {
            String message = vm.errorProperty().get();
            String p = vm.pointerProperty().get();
            if (message.isEmpty() || p.isEmpty() || vm.textProperty().get().contains("\n")) {
                return message;
            }
            String caret = p.substring(p.indexOf('\n') + 1);
            return caret + " " + message;
        }, vm.errorProperty(), vm.pointerProperty()));
        error.translateXProperty().bind(Bindings.createDoubleBinding(() -> vm.pointerProperty().get().isEmpty() ? 0
                : field.getLayoutX() + field.getPadding().getLeft() + 1 - 0,
                field.layoutXProperty(), vm.pointerProperty()));
        error.visibleProperty().bind(vm.errorProperty().isNotEmpty());
        error.managedProperty().bind(error.visibleProperty());
        error.setWrapText(false);
        vm.errorProperty().addListener((obs, was, now) -> {
            if (now.isEmpty()) {
                field.setStyle("-fx-font-family: 'monospace';");
            } else {
                field.setStyle("-fx-font-family: 'monospace'; -fx-border-color: #c62828; -fx-border-width: 1.5;");
            }
        });
        vm.focusRequestsProperty().addListener((obs, was, now) -> focus());
        getChildren().addAll(row, error);
        setSpacing(4);
        setPadding(new Insets(6, 12, 6, 12));
    }

    private void apply() {
        if (!vm.apply() && vm.errorOffsetProperty().get() >= 0) {
            int at = Math.min(vm.errorOffsetProperty().get(), field.getText().length());
            field.requestFocus();
            field.selectRange(at, Math.min(field.getText().length(), at + 1));
        }
    }

    /** Focuses the field and selects its text (Ctrl+Shift+F). */
    public void focus() {
        field.requestFocus();
        field.selectAll();
    }

    /** The expression field. */
    public TextField field() {
        return field;
    }

    /** Unbinds from the view model. */
    public void dispose() {
        field.textProperty().unbindBidirectional(vm.textProperty());
        completion.dispose();
    }

    static boolean applied(EventFilter f) {
        return !f.keepsAll();
    }
}
