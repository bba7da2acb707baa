-- EventLens capture store, schema version 6 (docs/decisions/0018-replay.md).
-- The replay log: every replay of captured events into a target, written before anything is sent,
-- and each send's outcome, written as it becomes known. A partial replay resumes from it without
-- sending anything twice (IN_FLIGHT sends are reconciled by reading the replay marker back).

-- One replay run. options is the JSON of the plan's options; state RUNNING, COMPLETED, FAILED or
-- CANCELLED. Times are epoch milliseconds.
CREATE TABLE replay_run (
    replay_id               VARCHAR NOT NULL PRIMARY KEY,
    created_at_ms           BIGINT  NOT NULL,
    original_correlation_id VARCHAR,
    replay_correlation_id   VARCHAR,
    target_kind             VARCHAR NOT NULL,
    target_endpoint         VARCHAR NOT NULL,
    target_env              VARCHAR NOT NULL,
    target_cluster_id       VARCHAR,
    options                 VARCHAR NOT NULL,
    state                   VARCHAR NOT NULL,
    finished_at_ms          BIGINT
);

-- One send of a run, the message exactly as sent (after rewrites): headers as a JSON array of
-- [name, base64 value or null]. outcome PLANNED, IN_FLIGHT (written before the send), SENT or FAILED;
-- result_* the position the target gave (Kafka partition and offset; AMQP: the confirm).
CREATE TABLE replay_send (
    replay_id          VARCHAR NOT NULL,
    send_index         INT     NOT NULL,
    repeat_round       INT     NOT NULL,
    source_seq         BIGINT  NOT NULL,
    source_channel     VARCHAR NOT NULL,
    target_channel     VARCHAR NOT NULL,
    routing_key        VARCHAR,
    asked_partition    INT,
    asked_offset_nanos BIGINT  NOT NULL,
    event_id           VARCHAR,
    message_key        VARBINARY,
    headers            VARBINARY NOT NULL,
    payload            VARBINARY,
    outcome            VARCHAR NOT NULL,
    attempts           INT     NOT NULL,
    sent_at_ms         BIGINT,
    result_partition   INT,
    result_offset      BIGINT,
    result_position    VARCHAR,
    error              VARCHAR,
    PRIMARY KEY (replay_id, send_index)
);
