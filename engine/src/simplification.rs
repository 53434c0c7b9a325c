//! Simplifications: where the simulation knowingly differs from Kafka, in one list.
//!
//! A lecturer promises "this is what Kafka would do". Where the engine takes a shortcut, the
//! screen says so beside the thing it simplifies, and the README lists the same sentences, item
//! for item (a test compares them). Each variant names one shortcut; [`Simplification::sentence`]
//! is the wording both use. The view model says which ones apply where (a compacted topic, a
//! cooperative group, a sticky send), so the stage shows only what is relevant.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Simplification {
    /// Shown with the data centers, where brokers are stopped and started.
    BrokerOutages,
    /// Shown where replicas are drawn (a topic with more than one replica).
    ReplicaTiming,
    /// Shown where replicas are drawn.
    NoEligibleLeaderReplicas,
    /// Shown where replicas are drawn.
    LeaderOnlyCleaning,
    /// Shown where replicas are drawn (consumers read the leader's log, drawn in the lane).
    ConsumersReadLeaders,
    /// Shown with the producers.
    ProducerBatches,
    /// Shown under the `kafka-topics.sh --describe` lines.
    DescribeWithoutTopicId,
    /// Shown in the hash stage beside a keyless record placed by a Java sticky partitioner.
    StickyBatchesFull,
    /// Shown beside a record's size in the inspector.
    RecordSizeWithoutFraming,
    /// Shown on a compacted topic.
    CleanedSegmentsNotMerged,
    /// Shown on a compacted topic.
    CleanerSchedule,
    /// Shown on a group using the cooperative assignor.
    CooperativeFollowUpNextTick,
    /// Shown on a group using the cooperative assignor.
    CooperativeStickyTieBreaking,
    /// Shown on a group that has not noticed new partitions yet, when consumers refresh metadata
    /// sooner than Kafka's default.
    MetadataRefreshSooner,
    /// Shown with the consumer groups when the broker accepts sessions below Kafka's minimum.
    SessionTimeoutBelowMinimum,
    /// Shown where a rebalance waits for a stopped member.
    RebalanceTimeoutFixed,
    /// Shown on a topic whose `segment.bytes` is below Kafka's minimum.
    TinySegments,
    /// Shown in every group's settings, beside its assignor.
    ClassicGroupProtocol,
    /// Shown in the settings of a group with a processing rate.
    SlowConsumerKeepsItsPlace,
    /// Shown in the settings of a group with `auto.offset.reset=none`.
    NoOffsetSkipsOnePartition,
}

impl Simplification {
    /// A few words naming what is simplified, for a disclosure's summary where space is short.
    pub fn label(self) -> &'static str {
        match self {
            Simplification::BrokerOutages => "broker outages",
            Simplification::ReplicaTiming => "replication timing",
            Simplification::NoEligibleLeaderReplicas => "eligible leader replicas",
            Simplification::LeaderOnlyCleaning => "cleaning on the leader",
            Simplification::ConsumersReadLeaders => "reading from leaders",
            Simplification::ProducerBatches => "producer batches and retries",
            Simplification::DescribeWithoutTopicId => "no TopicId",
            Simplification::StickyBatchesFull => "sticky batches",
            Simplification::RecordSizeWithoutFraming => "record sizes",
            Simplification::CleanedSegmentsNotMerged => "segments not merged",
            Simplification::CleanerSchedule => "cleaner schedule",
            Simplification::CooperativeFollowUpNextTick => "follow-up rebalance",
            Simplification::CooperativeStickyTieBreaking => "sticky tie-breaking",
            Simplification::MetadataRefreshSooner => "metadata refresh",
            Simplification::SessionTimeoutBelowMinimum => "short sessions",
            Simplification::RebalanceTimeoutFixed => "rebalance timeout",
            Simplification::TinySegments => "tiny segments",
            Simplification::ClassicGroupProtocol => "classic protocol",
            Simplification::SlowConsumerKeepsItsPlace => "slow consumers",
            Simplification::NoOffsetSkipsOnePartition => "auto.offset.reset=none",
        }
    }

    pub const ALL: [Simplification; 20] = [
        Simplification::BrokerOutages,
        Simplification::ReplicaTiming,
        Simplification::NoEligibleLeaderReplicas,
        Simplification::LeaderOnlyCleaning,
        Simplification::ConsumersReadLeaders,
        Simplification::ProducerBatches,
        Simplification::DescribeWithoutTopicId,
        Simplification::StickyBatchesFull,
        Simplification::RecordSizeWithoutFraming,
        Simplification::CleanedSegmentsNotMerged,
        Simplification::CleanerSchedule,
        Simplification::CooperativeFollowUpNextTick,
        Simplification::CooperativeStickyTieBreaking,
        Simplification::MetadataRefreshSooner,
        Simplification::SessionTimeoutBelowMinimum,
        Simplification::RebalanceTimeoutFixed,
        Simplification::TinySegments,
        Simplification::ClassicGroupProtocol,
        Simplification::SlowConsumerKeepsItsPlace,
        Simplification::NoOffsetSkipsOnePartition,
    ];

    /// What differs from Kafka, in one sentence a class can read.
    pub fn sentence(self) -> &'static str {
        match self {
            Simplification::BrokerOutages => {
                "A stopped broker is noticed at once (Kafka waits broker.session.timeout.ms for a crashed one) and keeps its whole log; its connections close at once, as when its process crashes, so a producer's unanswered sends fail with NETWORK_EXCEPTION on the next tick, where a data center cut off without a word would leave them unanswered for request.timeout.ms; the controller and the group coordinators never fail."
            }
            Simplification::ReplicaTiming => {
                "A follower fetch takes one tick there and back, ISR changes apply at once (no AlterPartition round trip to the controller), and a returning replica finds where it diverged in one round trip."
            }
            Simplification::NoEligibleLeaderReplicas => {
                "Eligible leader replicas (KIP-966) are kept only in part: as in Kafka 3.7 and later (KAFKA-15583, whether or not the ELR feature is on), the high watermark stands still while the ISR is smaller than min.insync.replicas, but there is no ELR list: the last in-sync replica of a partition whose brokers all stopped stays in its ISR."
            }
            Simplification::LeaderOnlyCleaning => "Retention and compaction run on the leader only: a follower takes its log start offset with every fetch, and its cleaned records once it has caught up.",
            Simplification::ConsumersReadLeaders => {
                "Consumers always read from the leader (no fetching from followers, KIP-392), and one past a new leader's log end resets by auto.offset.reset instead of resuming where the logs diverged."
            }
            Simplification::ProducerBatches => {
                "A batch holds one record and is sent at once; a refused new send fails at once (retries=0); retries back off without jitter; an idempotent producer holds a record behind an earlier one of its partition that must be written again or whose acknowledgement was lost, where Kafka would send it and have the leader refuse the sequence gap, or keep it unanswered behind the lost answer; a record that gives up leaves a gap the leader does not refuse; max.in.flight.requests.per.connection (5) holds only an idempotent producer, counted per partition; the producer epoch stays 0."
            }
            Simplification::DescribeWithoutTopicId => "The kafka-topics.sh --describe lines leave out TopicId.",
            Simplification::StickyBatchesFull => {
                "Sticky partitioning treats a batch as full once batch.size bytes were sent, leaves out KIP-794's adaptive weighting, and gives up a sticky partition at once when it loses its leader."
            }
            Simplification::RecordSizeWithoutFraming => {
                "Sizes count key, value and headers only, without Kafka's record and batch framing."
            }
            Simplification::CleanedSegmentsNotMerged => "Compaction does not merge the small segments it leaves behind.",
            Simplification::CleanerSchedule => {
                "The log cleaner runs on the retention check schedule; min.compaction.lag.ms and max.compaction.lag.ms are not modelled."
            }
            Simplification::CooperativeFollowUpNextTick => "The cooperative follow-up rebalance comes one tick after the first.",
            Simplification::CooperativeStickyTieBreaking => {
                "The cooperative-sticky assignor keeps Kafka's guarantees (balance, then stickiness), not its exact tie-breaking."
            }
            Simplification::MetadataRefreshSooner => {
                "Consumers refresh metadata far sooner than Kafka's 5-minute metadata.max.age.ms, so added partitions are noticed during a lecture; producers see them at once (a Java producer keeps hashing over the old count until its own refresh)."
            }
            Simplification::SessionTimeoutBelowMinimum => {
                "The broker accepts session timeouts shorter than Kafka's 6-second group.min.session.timeout.ms."
            }
            Simplification::RebalanceTimeoutFixed => {
                "A rebalance waiting for a stopped member gives up after 5 minutes (max.poll.interval.ms), and running members rejoin at once."
            }
            Simplification::TinySegments => {
                "segment.bytes is below Kafka 4.0's minimum of 1 MiB (3.x allowed 14 bytes), so segments roll after a few small records."
            }
            Simplification::ClassicGroupProtocol => {
                "Groups use the classic rebalance protocol (group.protocol=classic, still the Java client's default in Kafka 4.0); the KIP-848 consumer protocol, where the broker assigns partitions without a stop-the-world join, is not modelled."
            }
            Simplification::SlowConsumerKeepsItsPlace => {
                "A consumer with a processing rate polls only what it can process, so it never exceeds max.poll.interval.ms; in Kafka a poll returns up to max.poll.records, and a consumer that takes longer than 5 minutes to process them is removed from the group, which rebalances."
            }
            Simplification::NoOffsetSkipsOnePartition => {
                "With auto.offset.reset=none, a consumer that has no committed offset for one of its partitions still reads the others; in Kafka every poll throws NoOffsetForPartitionException, so it reads nothing until the application seeks."
            }
        }
    }
}
