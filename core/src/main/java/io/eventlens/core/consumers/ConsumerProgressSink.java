package io.eventlens.core.consumers;

import java.util.List;

/**
 * Where a consumer-group follower writes what one poll found; the capture store
 * ({@code CaptureStore.appendConsumerProgress}) in one transaction per poll.
 */
@FunctionalInterface
public interface ConsumerProgressSink {

    /**
     * Records one poll's findings.
     *
     * @param commits new committed offsets, in commit order
     * @param polls   the groups' states
     * @param ends    where each group stands on each partition now (replacing earlier rows of the same partition)
     */
    void record(List<ConsumerCommit> commits, List<GroupPoll> polls, List<PartitionEnd> ends);
}
