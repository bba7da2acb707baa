-- EventLens capture store, schema version 1 (docs/decisions/0001-capture-store.md).

-- Events, stored in blocks of up to 1024 consecutive events (store sequences first_seq ..
-- first_seq + event_count - 1), encoded by io.eventlens.core.store.EventBlockCodec.
-- first_seq is the block's id. The only table written on the capture hot path, together with
-- source_position, in one transaction.
CREATE TABLE event_block (
    first_seq       BIGINT    NOT NULL PRIMARY KEY,
    event_count     INT       NOT NULL,
    min_observed_ms BIGINT    NOT NULL,
    max_observed_ms BIGINT    NOT NULL,
    payload_bytes   BIGINT    NOT NULL,
    data            BLOB      NOT NULL
);

-- Where each source partition resumes: the next offset to read (last stored offset + 1).
CREATE TABLE source_position (
    source       VARCHAR NOT NULL,
    channel      VARCHAR NOT NULL,
    partition_no INT     NOT NULL,
    next_offset  BIGINT  NOT NULL,
    PRIMARY KEY (source, channel, partition_no)
);

-- Secondary index, one row per event, written by the background indexer from committed blocks.
CREATE TABLE event_index (
    seq            BIGINT  NOT NULL PRIMARY KEY,
    block_seq      BIGINT  NOT NULL,
    correlation_id VARCHAR,
    event_id       VARCHAR,
    event_type     VARCHAR,
    channel        VARCHAR NOT NULL,
    observed_ms    BIGINT  NOT NULL
);
CREATE INDEX event_index_correlation_id ON event_index (correlation_id);
CREATE INDEX event_index_event_id ON event_index (event_id);

-- How far event_index reaches: every event with seq <= indexed_through_seq has its row.
-- Updated in the same transaction as the rows it covers.
CREATE TABLE index_state (
    id                  INT    NOT NULL PRIMARY KEY,
    indexed_through_seq BIGINT NOT NULL
);
INSERT INTO index_state (id, indexed_through_seq) VALUES (1, 0);
