-- EventLens capture store, schema version 4 (docs/decisions/0009-flow-summaries.md).
-- One summary per flow (correlation ID), kept up to date by the capture pipeline, so the app lists
-- every flow that went wrong without analysing the capture again. Derived data: the summaries and
-- summarized_through_seq commit together, and a reader computes the flows of the events past it.

-- The summary of one flow as the analysis of all its events gave it. category and category_rank
-- are the flow's category (the verdict kind, or HEALTHY_WITH_NOTES / HEALTHY) and its place in the
-- worst-first order; the store orders by the rank and never interprets the names.
-- channels: the first channel names in first-appearance order, each as <length>:<name>;
-- channel_count counts all of them. anomaly_counts: <KIND>:<count> pairs joined by ',', non-zero only.
CREATE TABLE flow_summary (
    correlation_id    VARCHAR NOT NULL PRIMARY KEY,
    category          VARCHAR NOT NULL,
    category_rank     INT     NOT NULL,
    verdict_message   VARCHAR NOT NULL,
    event_count       BIGINT  NOT NULL,
    first_observed_ms BIGINT  NOT NULL,
    last_observed_ms  BIGINT  NOT NULL,
    channel_count     INT     NOT NULL,
    channels          VARCHAR NOT NULL,
    anomaly_counts    VARCHAR NOT NULL
);
-- Worst first: by rank, then the most recently observed first, then by correlation ID.
CREATE INDEX flow_summary_worst_first ON flow_summary (category_rank, last_observed_ms DESC, correlation_id);

-- How far the summaries reach: every event with seq <= summarized_through_seq is reflected in
-- flow_summary. Updated in the same transaction as the rows it covers.
CREATE TABLE flow_summary_state (
    id                     INT    NOT NULL PRIMARY KEY,
    summarized_through_seq BIGINT NOT NULL
);
INSERT INTO flow_summary_state (id, summarized_through_seq) VALUES (1, 0);
