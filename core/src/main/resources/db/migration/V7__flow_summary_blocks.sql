-- EventLens capture store, schema version 7 (docs/decisions/0020-flow-summary-blocks.md).
-- Flow summaries are written per flush as one block instead of one flow_summary row per flow: a
-- flush of thousands of summaries is one INSERT. A reader reads the blocks in block_no order (a
-- later summary of a flow replaces the earlier one) after the flow_summary rows of a store written
-- before version 7, and keeps the worst-first order and the counts per category itself.
-- flow_summary_state.summarized_through_seq stays the watermark, updated in the same transaction
-- as the block it covers. summaries: the block's bytes (FlowSummaryBlock), untrusted input.
CREATE TABLE flow_summary_block (
    block_no  BIGINT NOT NULL PRIMARY KEY,
    summaries BLOB   NOT NULL
);
