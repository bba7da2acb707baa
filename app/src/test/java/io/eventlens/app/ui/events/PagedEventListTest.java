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
        PagedEventList rows = new PagedEventList((from, limit) -> {
            List<EventRow> page = new ArrayList<>();
            for (long seq = from; seq < from + limit && seq <= 1000; seq++) {
                if (seq < 101 || seq > 150) {
                    page.add(row(seq));
                }
            }
            return page;
        });
        rows.setSize(1000);

        assertThat(rows.get(99).seq()).isEqualTo(100);
        assertThat(rows.get(100).eventId()).as("a row of the damaged block is empty").isEmpty();
        assertThat(rows.get(100).seq()).isEqualTo(101);
        assertThat(rows.get(150)).isEqualTo(row(151));
        assertThat(rows.get(199)).isEqualTo(row(200));
        assertThat(rows.get(200)).isEqualTo(row(201));
    }
}
