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
    /// Shown in the cluster area.
    OneReplica,
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
}

impl Simplification {
    pub const ALL: [Simplification; 11] = [
        Simplification::OneReplica,
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
    ];

    /// What differs from Kafka, in one sentence a class can read.
    pub fn sentence(self) -> &'static str {
        match self {
            Simplification::OneReplica => "One replica per partition, so the high watermark equals the log end offset.",
            Simplification::StickyBatchesFull => {
                "Sticky partitioning treats a batch as full once batch.size bytes were sent, and leaves out KIP-794's adaptive weighting."
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
                "Consumers refresh metadata far sooner than Kafka's 5-minute metadata.max.age.ms, so added partitions are noticed during a lecture."
            }
            Simplification::SessionTimeoutBelowMinimum => {
                "The broker accepts session timeouts shorter than Kafka's 6-second group.min.session.timeout.ms."
            }
            Simplification::RebalanceTimeoutFixed => {
                "A rebalance waiting for a stopped member gives up after 5 minutes (max.poll.interval.ms), and running members rejoin at once."
            }
            Simplification::TinySegments => {
                "segment.bytes is below Kafka's minimum of 14 bytes, so segments roll after a few small records."
            }
        }
    }
}
