package io.eventlens.app.ui.events;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class PagedEventListTest {

    private static EventRow row(long seq) {
        return new EventRow(seq, Instant.ofEpochMilli(seq), "orders", "0 / " + seq, "", "", "e-" + seq, "");
    }

    @Test
    void rowsAfterTheEventsOfASkippedDamagedBlockStayOnTheirOwnSequence() {
        // sequences 101..150 are in a damaged block: the store leaves them out of its pages
        PagedEventList rows = new PagedEventList((from, limit, done) -> {
            List<EventRow> page = new ArrayList<>();
            for (long seq = from; seq < from + limit && seq <= 1000; seq++) {
                if (seq < 101 || seq > 150) {
                    page.add(row(seq));
                }
            }
            done.accept(page);
        });
        rows.setSize(1000);

        assertThat(rows.get(99).seq()).isEqualTo(100);
        assertThat(rows.get(100).eventId()).as("a row of the damaged block is empty").isEmpty();
        assertThat(rows.get(100).seq()).isEqualTo(101);
        assertThat(rows.get(150)).isEqualTo(row(151));
        assertThat(rows.get(199)).isEqualTo(row(200));
        assertThat(rows.get(200)).isEqualTo(row(201));
    }

    @Test
    void aRowWhosePageHasNotArrivedIsEmptyAndThePageIsAskedForOnceUntilItArrives() {
        List<Runnable> answers = new ArrayList<>();
        List<Long> asked = new ArrayList<>();
        PagedEventList rows = new PagedEventList((from, limit, done) -> {
            asked.add(from);
            answers.add(() -> {
                List<EventRow> page = new ArrayList<>();
                for (long seq = from; seq < from + limit; seq++) {
                    page.add(row(seq));
                }
                done.accept(page);
            });
        });
        int[] arrivals = {0};
        rows.onPageArrived(() -> arrivals[0]++);
        rows.setSize(1000);

        EventRow early = rows.get(250);
        rows.get(260);

        assertThat(early.seq()).isEqualTo(251);
        assertThat(early.eventId()).as("a row of a page on its way").isEmpty();
        assertThat(rows.isLoaded(250)).isFalse();
        assertThat(asked).as("pages asked for").containsExactly(201L);

        answers.get(0).run();

        assertThat(arrivals[0]).isEqualTo(1);
        assertThat(rows.get(250)).isEqualTo(row(251));
        assertThat(rows.pageLoads()).isEqualTo(1);
    }

    @Test
    void aPageAskedForBeforeAResetIsDroppedWhenItArrives() {
        List<Runnable> answers = new ArrayList<>();
        PagedEventList rows = new PagedEventList((from, limit, done) -> answers.add(() -> done.accept(List.of(row(from)))));
        rows.setSize(10);
        rows.get(0);

        rows.reset(10);
        answers.get(0).run();

        assertThat(rows.isLoaded(0)).isFalse();
        assertThat(rows.cachedPages()).isZero();
    }
}
