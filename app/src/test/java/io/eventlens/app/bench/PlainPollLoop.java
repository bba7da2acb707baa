package io.eventlens.app.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * The yardstick of {@link WholeProcessBench}: a plain Kafka consumer that assigns every partition
 * of one topic, seeks to the beginning and polls until it has read N records, touching each
 * record's value and doing nothing else. Default consumer settings; no group, no commits.
 *
 * <p>Arguments: {@code BOOTSTRAP_SERVERS TOPIC N}. Prints the count read to stdout.
 */
public final class PlainPollLoop {

    private PlainPollLoop() {
    }

    public static void main(String[] args) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, args[0]);
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        long target = Long.parseLong(args[2]);
        long read = 0;
        long bytes = 0;
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(p)) {
            List<TopicPartition> tps = new ArrayList<>();
            for (PartitionInfo info : consumer.partitionsFor(args[1])) {
                tps.add(new TopicPartition(args[1], info.partition()));
            }
            consumer.assign(tps);
            consumer.seekToBeginning(tps);
            while (read < target) {
                for (var r : consumer.poll(Duration.ofMillis(500))) {
                    bytes += r.value() == null ? 0 : r.value().length;
                    read++;
                }
            }
        }
        System.out.println(read + " records, " + bytes + " bytes");
    }
}
