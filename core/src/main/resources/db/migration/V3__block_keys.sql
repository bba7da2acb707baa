-- EventLens capture store, schema version 3 (docs/decisions/0008-block-keys.md).
-- The lookup index moves from one row per event, written by a background thread behind the
-- capture, to one row per event block, written in the capture's own transaction: the index is
-- complete the moment a block commits.

-- The lookup keys of one event_block row (same first_seq), written with it:
--   correlation_keys: Bloom filter of the block's correlation IDs (io.eventlens.core.store.BlockKeys)
--   event_keys:       Bloom filter of the block's event IDs
--   correlation_ids:  the block's distinct correlation IDs, sorted, front-coded (ID completion)
-- A block without a row here (a store migrated from V1/V2 whose keys were not built yet) is
-- scanned by every lookup; the first writable open builds the missing rows.
CREATE TABLE block_key (
    first_seq        BIGINT    NOT NULL PRIMARY KEY,
    correlation_keys VARBINARY NOT NULL,
    event_keys       BLOB      NOT NULL,
    correlation_ids  BLOB      NOT NULL
);

-- The per-event index of V1/V2 and its watermark: replaced by block_key (built for the existing
-- blocks right after this migration, by the store itself, in Java).
DROP TABLE event_index;
DROP TABLE index_state;
