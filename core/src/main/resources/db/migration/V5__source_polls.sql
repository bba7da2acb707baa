-- EventLens capture store, schema version 5 (docs/decisions/0019-probe-source.md).
-- Every poll of a polled source (an HTTP test-probe endpoint): when, what it answered, how long it
-- took, how many records the answer held and how many of them were new, and what was wrong with it.
-- Written by the source beside the capture (one row per poll), never by the event pipeline.
CREATE TABLE source_poll (
    source       VARCHAR       NOT NULL,
    stream       VARCHAR       NOT NULL,
    polled_at_ms BIGINT        NOT NULL,
    status       INT           NOT NULL,
    latency_ms   BIGINT        NOT NULL,
    records      INT           NOT NULL,
    new_records  INT           NOT NULL,
    error        VARCHAR(2000)
);
-- No key of its own (an identity column would name a generated sequence, which differs per file):
-- rows are read in the order of polled_at_ms, then of insertion.
CREATE INDEX source_poll_by_time ON source_poll (source, polled_at_ms);
