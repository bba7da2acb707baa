package io.eventlens.app.ui.controls;

import javafx.scene.layout.ColumnConstraints;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;

/** Layout helpers the app's dialogs share, so their forms line up the same way (a leaf package: views of any package may use it). */
public final class Forms {

    private Forms() {
    }

    /**
     * A two-column form: labels at their preferred width on the left, fields taking the rest of the
     * width; 12 px between the columns and {@code vgap} px between the rows.
     */
    public static GridPane labelledGrid(double vgap) {
        GridPane form = new GridPane();
        form.setHgap(12);
        form.setVgap(vgap);
        ColumnConstraints labels = new ColumnConstraints();
        labels.setMinWidth(Region.USE_PREF_SIZE);
        ColumnConstraints fields = new ColumnConstraints();
        fields.setHgrow(Priority.ALWAYS);
        form.getColumnConstraints().addAll(labels, fields);
        return form;
    }
}
