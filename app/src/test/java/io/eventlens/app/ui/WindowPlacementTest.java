package io.eventlens.app.ui;

import io.eventlens.app.ui.services.WindowBounds;
import java.util.List;
import java.util.Optional;
import javafx.geometry.Rectangle2D;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The main window fits the screen it opens on. */
class WindowPlacementTest {

    private static final Rectangle2D LAPTOP = new Rectangle2D(0, 0, 1366, 768 - 32); // a panel takes 32 px
    private static final Rectangle2D BIG = new Rectangle2D(0, 0, 2560, 1440);
    private static final Rectangle2D SMALL = new Rectangle2D(0, 0, 1280, 720);

    private static void assertInside(WindowBounds b, Rectangle2D s) {
        assertThat(b.x()).isGreaterThanOrEqualTo(s.getMinX());
        assertThat(b.y()).isGreaterThanOrEqualTo(s.getMinY());
        assertThat(b.x() + b.width()).isLessThanOrEqualTo(s.getMaxX());
        assertThat(b.y() + b.height()).isLessThanOrEqualTo(s.getMaxY());
    }

    @Test
    void theFirstWindowFitsASmallLaptopScreen() {
        WindowBounds b = WindowPlacement.place(Optional.empty(), LAPTOP, List.of(LAPTOP));
        assertInside(b, LAPTOP);
        assertThat(b.width()).isLessThan(1366).isGreaterThan(1200);
        assertThat(b.height()).isLessThan(736).isGreaterThan(640);
    }

    @Test
    void theFirstWindowOnABigScreenIsTheDefaultSizeCentred() {
        WindowBounds b = WindowPlacement.place(Optional.empty(), BIG, List.of(BIG));
        assertThat(b.width()).isEqualTo(WindowPlacement.DEFAULT_WIDTH);
        assertThat(b.height()).isEqualTo(WindowPlacement.DEFAULT_HEIGHT);
        assertThat(b.x()).isEqualTo((2560 - 1400) / 2.0);
        assertThat(b.y()).isEqualTo((1440 - 900) / 2.0);
    }

    @Test
    void rememberedBoundsOnAMonitorThatIsGoneComeBackToTheLaptop() {
        // last closed on an external monitor to the right of the laptop; now undocked
        WindowBounds remembered = new WindowBounds(1500, 100, 1800, 1100, false);
        WindowBounds b = WindowPlacement.place(Optional.of(remembered), LAPTOP, List.of(LAPTOP));
        assertInside(b, LAPTOP);
    }

    @Test
    void rememberedBoundsLargerThanTheScreenAreShrunkAndMovedInside() {
        WindowBounds remembered = new WindowBounds(-20, 300, 1600, 1000, false);
        WindowBounds b = WindowPlacement.place(Optional.of(remembered), SMALL, List.of(SMALL));
        assertInside(b, SMALL);
        assertThat(b.width()).isEqualTo(1280);
        assertThat(b.height()).isEqualTo(720);
    }

    @Test
    void rememberedBoundsOnASecondScreenStayThere() {
        Rectangle2D right = new Rectangle2D(1366, 0, 1920, 1080);
        WindowBounds remembered = new WindowBounds(1500, 100, 1200, 800, true);
        WindowBounds b = WindowPlacement.place(Optional.of(remembered), LAPTOP, List.of(LAPTOP, right));
        assertThat(b).isEqualTo(remembered);
    }

    @Test
    void theMinimumSizeNeverExceedsTheScreen() {
        assertThat(WindowPlacement.minimumSize(SMALL)).containsExactly(960, 600);
        assertThat(WindowPlacement.minimumSize(new Rectangle2D(0, 0, 800, 580))).containsExactly(800, 580);
    }
}
