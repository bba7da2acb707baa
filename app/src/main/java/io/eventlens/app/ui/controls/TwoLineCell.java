package io.eventlens.app.ui.controls;

import java.util.function.Consumer;
import javafx.scene.Node;
import javafx.scene.control.Label;
import javafx.scene.control.ListCell;
import javafx.scene.control.OverrunStyle;
import javafx.scene.control.Tooltip;
import javafx.scene.input.MouseButton;
import javafx.scene.layout.VBox;

/**
 * A list row of two lines with a wrapping tooltip, as the side views (Flows, Dead letters,
 * Contracts, CI run) show them: a subclass builds its two lines once ({@link #lines}) and fills
 * them for each item ({@link #show}); an empty row shows nothing. With an {@code open} action a
 * primary click on a row opens its item. The row takes no width of its own, so long texts ellipsize
 * instead of widening the list.
 *
 * @param <T> the row type
 */
public abstract class TwoLineCell<T> extends ListCell<T> {

    /** One line of a cell: a label with {@code styles} that shrinks with an ellipsis instead of widening the list. */
    public static Label line(String... styles) {
        Label l = new Label();
        l.getStyleClass().addAll(styles);
        l.setTextOverrun(OverrunStyle.ELLIPSIS);
        l.setMinWidth(0);
        l.setMaxWidth(Double.MAX_VALUE);
        return l;
    }


    private final Tooltip tip = new Tooltip();
    private Node graphic;

    /**
     * @param tooltipWidth the tooltip's maximum width in px
     * @param open         what a primary click on a row does with its item, or null for nothing
     */
    protected TwoLineCell(double tooltipWidth, Consumer<? super T> open) {
        tip.setWrapText(true);
        tip.setMaxWidth(tooltipWidth);
        if (open != null) {
            setOnMouseClicked(e -> {
                if (!isEmpty() && getItem() != null && e.getButton() == MouseButton.PRIMARY) {
                    open.accept(getItem());
                }
            });
        }
        setPrefWidth(0);
    }

    /** Sets the row's two lines, one above the other, 3 px apart; called once by the subclass's constructor. */
    protected final void lines(Node first, Node second) {
        VBox box = new VBox(3, first, second);
        box.setMinWidth(0);
        graphic = box;
    }

    /** Fills the lines for {@code item} (never null) and returns the tooltip's text. */
    protected abstract String show(T item);

    @Override
    protected final void updateItem(T item, boolean empty) {
        super.updateItem(item, empty);
        if (empty || item == null) {
            setGraphic(null);
            setTooltip(null);
            return;
        }
        tip.setText(show(item));
        setTooltip(tip);
        setGraphic(graphic);
    }
}
