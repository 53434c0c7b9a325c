//! Events: what the engine reports after each command, for the view to narrate and animate.
//!
//! Events carry ids (topic, partition, offset, group, member), never pixels or milliseconds of
//! animation: the view decides how a record travels, the engine only says that it did.

use serde::{Deserialize, Serialize};

use crate::acknowledgement::{Acks, ProducerConfig, SendError};
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

/// How a leader was chosen.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Election {
    /// The first replica in assignment order that runs and is in the ISR.
    Clean,
    /// `unclean.leader.election.enable`: no in-sync replica was left, so a running replica
    /// outside the ISR leads; records it lacks are lost.
    Unclean,
    /// Leadership moved back to the preferred (first) replica.
    Preferred,
}

impl Election {
    pub fn describe(self) -> &'static str {
        match self {
            Election::Clean => "clean election: the first running in-sync replica",
            Election::Unclean => "unclean election: no in-sync replica was left, so an out-of-sync replica leads",
            Election::Preferred => "preferred leader election: back to the first replica",
        }
    }
}

/// Why a producer keeps a new record in its buffer instead of sending it (see [`Event::SendHeld`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum HeldFor {
    /// An earlier record of the same partition waits to be retried, and this one goes after it.
    Retry,
    /// Five batches of the idempotent producer to the partition are unanswered
    /// (`max.in.flight.requests.per.connection`), the earliest being `behind`.
    InFlightLimit,
    /// The partition has no leader to send it to.
    Leader,
}

/// Why a replica left the ISR.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum IsrShrinkReason {
    /// Its broker stopped; the controller fenced it.
    BrokerStopped,
    /// It had not caught up with the leader's log end for `replica.lag.time.max.ms`.
    Lagging,
}

impl IsrShrinkReason {
    pub fn describe(self) -> &'static str {
        match self {
            IsrShrinkReason::BrokerStopped => "its broker stopped",
            IsrShrinkReason::Lagging => "it did not catch up within replica.lag.time.max.ms",
        }
    }
}

/// Offsets `from..to`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct OffsetRange {
    pub from: u64,
    pub to: u64,
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
    /// The partition leader appended the record at `offset` (the old log end offset), in its
    /// `leader_epoch`.
    Appended { topic: String, partition: u32, offset: u64, timestamp_ms: u64, leader_epoch: u32 },
    SegmentRolled { topic: String, partition: u32, base_offset: u64 },
    GroupCreated { group: String },
    /// The group was deleted, with its committed offsets.
    GroupDeleted { group: String },
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
    /// stopped, so it waits until their sessions expire or they restart). Meanwhile an eager
    /// group reads nothing (every member gave up its partitions), while a `cooperative` one's
    /// live members keep theirs and read on (KIP-429).
    RebalanceWaiting {
        group: String,
        generation: u32,
        waiting_for: Vec<String>,
        #[serde(default)]
        cooperative: bool,
    },
    /// A position was set by `auto.offset.reset` (`policy`): there was no committed offset, or
    /// the position or committed offset `out_of_range` was outside the log. Below the log start
    /// offset it is because retention deleted those records before the group read them, and the
    /// group never reads them (Kafka's client logs "Fetch position ... is out of range"); past
    /// the log end, an unclean election cut the log back.
    OffsetReset {
        group: String,
        member_id: String,
        partition: TopicPartition,
        offset: u64,
        #[serde(default)]
        policy: crate::consumer_group::OffsetReset,
        #[serde(default)]
        out_of_range: Option<u64>,
    },
    /// `auto.offset.reset=none` and no usable offset: Kafka throws
    /// `NoOffsetForPartitionException` when there was no committed offset, or
    /// `OffsetOutOfRangeException` for an offset `out_of_range`, and this partition is not consumed.
    OffsetResetFailed {
        group: String,
        member_id: String,
        partition: TopicPartition,
        #[serde(default)]
        out_of_range: Option<u64>,
    },
    /// A poll returned these offsets; the position moved past them.
    Fetched { group: String, member_id: String, partition: TopicPartition, offsets: Vec<u64> },
    /// The application processed offsets `from..to`; `redelivered` of them had been processed by
    /// this group before (at-least-once duplicates).
    Processed { group: String, member_id: String, partition: TopicPartition, from: u64, to: u64, redelivered: u64 },
    /// The committed offset (next offset to read) of the group moved.
    Committed { group: String, member_id: String, partition: TopicPartition, offset: u64 },
    /// A commit failed because the group is rebalancing: once a member has rejoined, the
    /// coordinator takes no commit from it until the group is stable again
    /// (`RebalanceInProgressException`). Only a cooperative group's members read, and so
    /// commit, while a join waits; what they read then is read again by a new owner.
    CommitRefused { group: String, member_id: String, partition: TopicPartition, offset: u64 },
    /// Records committed but never processed, lost by a crash (at-most-once).
    RecordsLost { group: String, partition: TopicPartition, from: u64, to: u64 },
    SegmentsDeleted { topic: String, partition: u32, deletion: Deletion },
    Compacted { topic: String, partition: u32, compaction: Compaction },
    /// A broker stopped (its data center went dark); the controller fenced it.
    BrokerStopped { broker: u32 },
    BrokerStarted { broker: u32 },
    /// A partition got a new leader in `leader_epoch`. `lost`: offsets the previous leader had
    /// and the new one lacks; they are gone (the old leader truncates them when it returns).
    /// `resent`: how many of them a producer still waits to hear about (`acks=all`, or an answer
    /// lost): it learns that the leader changed and sends them again. The others were already
    /// acknowledged (`acks=1`) or never will be (`acks=0`): lost for good.
    LeaderElected {
        topic: String,
        partition: u32,
        leader: u32,
        previous: Option<u32>,
        leader_epoch: u32,
        election: Election,
        lost: Option<OffsetRange>,
        #[serde(default)]
        resent: u64,
        /// How many of the `lost` offsets were committed (below the old leader's high
        /// watermark): only an unclean election loses any.
        #[serde(default)]
        committed_lost: u64,
    },
    /// No replica may lead: the partition is offline until its in-sync replica's broker returns.
    PartitionOffline { topic: String, partition: u32, leader_epoch: u32, isr: Vec<u32> },
    IsrShrunk { topic: String, partition: u32, broker: u32, isr: Vec<u32>, reason: IsrShrinkReason },
    IsrExpanded { topic: String, partition: u32, broker: u32, isr: Vec<u32> },
    /// The leader's high watermark moved: offsets `from..to` are committed, consumers may read them.
    HighWatermarkAdvanced { topic: String, partition: u32, from: u64, to: u64 },
    /// A follower on `broker` copied offsets `from..to` from the leader (answer to a fetch sent
    /// the tick before).
    ReplicaFetched { topic: String, partition: u32, broker: u32, leader: u32, from: u64, to: u64 },
    /// A replica cut its log back from `from` to `to`: offsets `to..from` differed from the
    /// leader's history (found by leader epoch) and are gone from it.
    ReplicaTruncated { topic: String, partition: u32, broker: u32, from: u64, to: u64 },
    /// `LoseAcknowledgement`: the network will drop the next answer to this producer.
    AcknowledgementWillBeLost { producer: String },
    ProducerConfigured { producer: String, config: ProducerConfig },
    /// The leader acknowledged a send (`acks` 1 or all).
    Acknowledged { producer: String, topic: String, partition: u32, offset: u64, acks: Acks },
    /// The network dropped the answer to a send; `offset` is where the leader wrote it, if it did.
    AcknowledgementLost { producer: String, topic: String, partition: u32, offset: Option<u64> },
    /// A send in flight failed; `offset` is where the leader wrote the failed attempt, if it did
    /// (`NotEnoughReplicasAfterAppend`: the record is in the log); `retrying` says the producer
    /// will send it again.
    SendFailed { producer: String, topic: String, partition: u32, offset: Option<u64>, error: SendError, retrying: bool },
    /// The producer sent a record again (retry number `attempt`); `previous_offset` is where an
    /// earlier attempt was written, if it was.
    Retried { producer: String, topic: String, partition: u32, attempt: u32, sequence: Option<u32>, previous_offset: Option<u64> },
    /// A producer did not send a new record yet, and says `why`; `behind` is the sequence of
    /// the earlier record it waits for, with idempotence, and `sequence` its own.
    SendHeld { producer: String, topic: String, partition: u32, sequence: Option<u32>, behind: Option<u32>, why: HeldFor },
    /// Idempotence: the leader already had this batch (same producer id and sequence) and did
    /// not write it again; the producer gets the offset of the copy.
    DuplicateDropped { producer: String, topic: String, partition: u32, offset: u64, sequence: u32 },
    /// Without idempotence a retry wrote the record a second time (simulation only: the broker
    /// cannot tell).
    DuplicateWritten { producer: String, topic: String, partition: u32, first: u64, second: u64 },
}
