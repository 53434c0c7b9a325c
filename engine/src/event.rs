//! Events: what the engine reports after each command, for the view to narrate and animate.
//!
//! Events carry ids (topic, partition, offset, group, member), never pixels or milliseconds of
//! animation: the view decides how a record travels, the engine only says that it did.

use serde::{Deserialize, Serialize};

use crate::assignor::TopicPartition;
use crate::compaction::Compaction;
use crate::partitioner::{PartitionChoice, Partitioner};
use crate::retention::Deletion;

/// Why a consumer group rebalanced.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum RebalanceReason {
    MemberJoined,
    MemberLeft,
    /// A crashed member missed heartbeats for `session.timeout.ms`.
    SessionTimeout,
    SubscriptionChanged,
    PartitionsChanged,
    AssignorChanged,
    /// Cooperative protocol: partitions revoked in the previous round are now assigned.
    FollowUp,
}

impl RebalanceReason {
    /// Why, in words a class follows.
    pub fn describe(self) -> &'static str {
        match self {
            RebalanceReason::MemberJoined => "a consumer joined",
            RebalanceReason::MemberLeft => "a consumer left",
            RebalanceReason::SessionTimeout => "a crashed consumer's session timed out",
            RebalanceReason::SubscriptionChanged => "a subscription changed",
            RebalanceReason::PartitionsChanged => "the partition count changed",
            RebalanceReason::AssignorChanged => "the assignor changed",
            RebalanceReason::FollowUp => "cooperative follow-up: revoked partitions are assigned now",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum Event {
    TimeAdvanced { tick: u64, now_ms: u64 },
    TopicCreated { topic: String, partitions: u32 },
    PartitionsAdded { topic: String, from: u32, to: u32 },
    ProducerStarted { producer: String, topic: String },
    StreamChanged { producer: String, rate_per_sec: u32 },
    /// A stream's record was refused (the stream stops sending for this tick).
    StreamRefused { producer: String, reason: String },
    /// A producer sent a record and its partitioner chose a partition.
    Produced { producer: String, topic: String, choice: PartitionChoice, partitioner: Partitioner, size: u64 },
    /// The partition leader appended the record at `offset` (the old log end offset).
    Appended { topic: String, partition: u32, offset: u64, timestamp_ms: u64 },
    SegmentRolled { topic: String, partition: u32, base_offset: u64 },
    GroupCreated { group: String },
    MemberJoined { group: String, member_id: String },
    MemberLeft { group: String, member_id: String },
    MemberCrashed { group: String, member_id: String },
    /// A static member shut down without leaving (KIP-345): no rebalance; the group keeps its
    /// partitions until its session times out or it restarts.
    MemberClosed { group: String, member_id: String },
    /// A static member restarted: `member_id` replaces `old_member_id` and, in a stable group,
    /// takes over its partitions without a rebalance.
    StaticMemberReplaced { group: String, group_instance_id: String, old_member_id: String, member_id: String },
    /// The coordinator removed a stopped member (session timeout, or it failed to rejoin).
    MemberRemoved { group: String, member_id: String },
    RebalanceStarted { group: String, generation: u32, reason: RebalanceReason },
    PartitionsRevoked { group: String, member_id: String, partitions: Vec<TopicPartition> },
    PartitionsAssigned { group: String, member_id: String, partitions: Vec<TopicPartition> },
    RebalanceCompleted { group: String, generation: u32 },
    /// An empty group's first rebalance waits until `until_ms` for more members to join
    /// (`group.initial.rebalance.delay.ms`, extended while members keep joining).
    RebalanceDelayed { group: String, generation: u32, until_ms: u64 },
    /// The join phase cannot complete yet: it waits for these members to rejoin (they are
    /// stopped, so it waits until their sessions expire or they restart).
    RebalanceWaiting { group: String, generation: u32, waiting_for: Vec<String> },
    /// A position was set by `auto.offset.reset` (no committed offset, or it was out of range).
    OffsetReset { group: String, member_id: String, partition: TopicPartition, offset: u64 },
    /// `auto.offset.reset=none` and no usable committed offset: Kafka throws
    /// `NoOffsetForPartitionException`, and this partition is not consumed.
    OffsetResetFailed { group: String, member_id: String, partition: TopicPartition },
    /// A poll returned these offsets; the position moved past them.
    Fetched { group: String, member_id: String, partition: TopicPartition, offsets: Vec<u64> },
    /// The application processed offsets `from..to`; `redelivered` of them had been processed by
    /// this group before (at-least-once duplicates).
    Processed { group: String, member_id: String, partition: TopicPartition, from: u64, to: u64, redelivered: u64 },
    /// The committed offset (next offset to read) of the group moved.
    Committed { group: String, member_id: String, partition: TopicPartition, offset: u64 },
    /// Records committed but never processed, lost by a crash (at-most-once).
    RecordsLost { group: String, partition: TopicPartition, from: u64, to: u64 },
    SegmentsDeleted { topic: String, partition: u32, deletion: Deletion },
    Compacted { topic: String, partition: u32, compaction: Compaction },
}
