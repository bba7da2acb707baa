-- EventLens capture store, schema version 8 (docs/decisions/0021-consumer-groups.md).
-- The consumer groups a Kafka capture followed, written beside the capture by the follower, one
-- small transaction per poll, never by the event pipeline. Times are epoch milliseconds.

-- The commit history: one row each time a group's committed offset of a partition changed (and one
-- for the offset it had at the first poll). time_precision: exact (the commit record's timestamp in
-- __consumer_offsets), between-polls (committed_after_ms to committed_at_ms) or before-capture.
CREATE TABLE consumer_commit (
    group_id           VARCHAR     NOT NULL,
    topic              VARCHAR     NOT NULL,
    partition_no       INT         NOT NULL,
    committed_offset   BIGINT      NOT NULL,
    committed_at_ms    BIGINT      NOT NULL,
    committed_after_ms BIGINT      NOT NULL,
    time_precision     VARCHAR(16) NOT NULL
);
CREATE INDEX consumer_commit_by_partition ON consumer_commit (group_id, topic, partition_no, committed_at_ms);

-- What a poll saw of a group: state, members and lag on the captured topics; written when it changed,
-- and at least every 10 s. No key of its own: rows are read in the order of polled_at_ms.
CREATE TABLE consumer_group_poll (
    group_id     VARCHAR       NOT NULL,
    polled_at_ms BIGINT        NOT NULL,
    state        VARCHAR(32)   NOT NULL,
    members      INT           NOT NULL,
    member_info  VARCHAR(2000) NOT NULL,
    lag_records  BIGINT        NOT NULL,
    error        VARCHAR(2000)
);
CREATE INDEX consumer_group_poll_by_time ON consumer_group_poll (group_id, polled_at_ms);

-- Where each group stood on each partition at the latest poll (replaced at each poll): the lag at the end.
CREATE TABLE consumer_partition_end (
    group_id         VARCHAR NOT NULL,
    topic            VARCHAR NOT NULL,
    partition_no     INT     NOT NULL,
    committed_offset BIGINT  NOT NULL,
    log_end_offset   BIGINT  NOT NULL,
    polled_at_ms     BIGINT  NOT NULL,
    PRIMARY KEY (group_id, topic, partition_no)
);
