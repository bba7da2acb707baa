-- EventLens capture store, schema version 2 (docs/decisions/0006-capture-pipeline.md).
-- Resume positions become opaque per-stream tokens owned by the source that wrote them, so any
-- source kind (Kafka, AMQP, probes, artifacts) can resume; V1 held Kafka partition/offset pairs.

-- Where each stream of a source resumes. Kafka: source = cluster ID, stream = 'topic/partition',
-- token = the next offset to read (last stored offset + 1), in decimal.
CREATE TABLE stream_position (
    source VARCHAR NOT NULL,
    stream VARCHAR NOT NULL,
    token  VARCHAR NOT NULL,
    PRIMARY KEY (source, stream)
);

-- V1's rows were all Kafka partitions (channel = topic): carried over in the Kafka token format.
INSERT INTO stream_position (source, stream, token)
    SELECT source, channel || '/' || CAST(partition_no AS VARCHAR), CAST(next_offset AS VARCHAR)
    FROM source_position;

DROP TABLE source_position;
