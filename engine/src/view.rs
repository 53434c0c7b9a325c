//! The view model: a plain snapshot of what the stage draws, computed by the engine.
//!
//! A view never walks engine internals or re-derives a Kafka fact (who leads a partition, what a
//! group's lag is, which instance is idle). It reads a [`ClusterView`]: brokers with the partitions
//! they lead, producers, topics with each partition's offsets (log start offset, high watermark,
//! log end offset) and a window of its newest records, and consumer groups with their members,
//! assignments, committed offsets and lag. The snapshot is serialisable and holds only the
//! newest `window` records per partition, so it costs the same with ten records or a million.
//!
//! Replicas, the ISR, leader epochs, brokers up or down and the producers' sends in flight are in
//! [`crate::replica_view`].
//!
//! The same snapshot is what a live mode would fill from a real cluster (`kafka-topics.sh
//! --describe`, `kafka-consumer-groups.sh --describe`). Fields that only a simulation can know
//! (a consumer's in-memory position, what its application processed, a crash before the
//! coordinator notices) are marked *simulation only* and are `Option`s a live source leaves empty.

use std::collections::BTreeMap;

use bytes::Bytes;
use serde::{Deserialize, Serialize};

use crate::assignor::{AssignorKind, TopicPartition};
use crate::consumer::{Member, MemberState, Read};
use crate::consumer_group::{CommitMode, ConsumerGroup, DeliveryStats};
use crate::log::PartitionLog;
use crate::acknowledgement::ProducerConfig;
use crate::partitioner::{PartitionChoice, Partitioner};
use crate::producer::Stream;
use crate::replica_view::{ProducerSessionView, ReplicationView, TopicDescription};
use crate::simplification::Simplification;
use crate::simulation::Simulation;
use crate::topic::{CleanupPolicy, Topic};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ClusterView {
    pub tick: u64,
    /// Simulated milliseconds since the start.
    pub elapsed_ms: u64,
    pub brokers: Vec<BrokerView>,
    pub producers: Vec<ProducerView>,
    pub topics: Vec<TopicView>,
    pub groups: Vec<GroupView>,
    /// Shortcuts of the whole cluster's settings (shown with the consumer groups).
    pub simplifications: Vec<Simplification>,
    /// The latest record sent and how its partition was chosen (simulation only: a real
    /// cluster does not report the producer's partitioner).
    pub last_send: Option<SendView>,
    /// `kafka-topics.sh --describe`, topic by topic.
    pub describe: Vec<TopicDescription>,
    /// Every producer client's sends in flight, the console producer's included (simulation only).
    pub producer_sessions: Vec<ProducerSessionView>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BrokerView {
    pub id: u32,
    /// `broker.rack`: the data center it stands in.
    pub rack: String,
    /// Partitions whose leader it is.
    pub leads: Vec<TopicPartition>,
    /// Whether it runs; a stopped broker's data center is dark.
    pub online: bool,
    /// Partitions it holds a replica of (leader or follower).
    pub hosts: Vec<TopicPartition>,
}

/// A producer client and its stream (simulation only: a live cluster does not list producers).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProducerView {
    pub client_id: String,
    pub topic: String,
    pub stream: Stream,
    pub sent: u64,
    /// Streamed records its partition's leader refused (see [`crate::producer::Producer::refused`]).
    pub refused: u64,
    /// `acks` and `enable.idempotence` of its sends.
    pub config: ProducerConfig,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TopicView {
    pub name: String,
    pub cleanup_policy: CleanupPolicy,
    pub retention_ms: i64,
    pub partitions: Vec<PartitionView>,
    /// Where this topic's drawing simplifies Kafka (compaction, tiny segments).
    pub simplifications: Vec<Simplification>,
    pub replication_factor: u32,
    pub min_insync_replicas: u32,
    pub unclean_leader_election_enable: bool,
}

/// One partition as a lane: its offsets, its newest records and where each group stands.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PartitionView {
    pub topic: String,
    pub partition: u32,
    /// Leader broker id; `None` when the partition is offline.
    pub leader: Option<u32>,
    pub log_start_offset: u64,
    pub high_watermark: u64,
    pub log_end_offset: u64,
    /// Records still stored (compaction leaves gaps between log start and log end).
    pub stored: u64,
    /// The newest records, oldest first, at most the window asked for.
    pub window: Vec<RecordView>,
    /// Where a new segment begins, for the segments that begin inside the window past the log
    /// start: the log on disk is a row of segment files; retention deletes whole segments (the
    /// active one too, once all of it expired) and compaction rewrites closed ones. When the list
    /// is not empty its last entry is the *active* segment's base offset, the one segment that
    /// takes appends.
    pub segment_starts: Vec<u64>,
    /// Each consumer group's marks on this partition, in group order.
    pub marks: Vec<GroupMark>,
    /// Replicas, ISR, leader epoch; records from `high_watermark` to `log_end_offset` are on
    /// the leader but not yet committed.
    pub replication: ReplicationView,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RecordView {
    pub offset: u64,
    pub key: Option<Bytes>,
    pub timestamp_ms: u64,
    /// The value's bytes (shared with the log, not copied), for a cell to show what it says.
    pub value: Option<Bytes>,
}

impl RecordView {
    /// The view of a stored record (its bytes shared, not copied).
    pub fn of(r: &crate::record::Record) -> RecordView {
        RecordView { offset: r.offset, key: r.key.clone(), timestamp_ms: r.timestamp_ms, value: r.value.clone() }
    }

    /// A null value: on a compacted topic, a tombstone.
    pub fn is_tombstone(&self) -> bool {
        self.value.is_none()
    }
}

/// Where one group stands on one partition.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct GroupMark {
    pub group: String,
    /// One or two letters naming the group on lane markers (`S`), unique in the cluster.
    pub badge: String,
    /// The committed offset: where a new owner would resume.
    pub committed: Option<u64>,
    /// The owning instance's position, the next offset it reads (simulation only).
    pub position: Option<u64>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct GroupView {
    pub name: String,
    /// Short name (`sms`) for labels.
    pub tag: String,
    /// The letter(s) its markers carry on the lanes (see [`GroupMark::badge`]).
    pub badge: String,
    pub assignor: AssignorKind,
    pub commit_mode: CommitMode,
    /// Records per second each instance processes (`None` = as fast as it polls).
    pub processing_rate: Option<u32>,
    pub generation: u32,
    pub members: Vec<MemberView>,
    /// One row per subscribed partition, as `kafka-consumer-groups.sh --describe` prints.
    pub partitions: Vec<GroupPartitionView>,
    /// Sum of the partition lags; `None` before the first commit (the tool prints `-`).
    pub total_lag: Option<u64>,
    /// A rebalance's join phase is waiting for these stopped members (`client.id`s).
    pub rebalance_waiting_for: Vec<String>,
    /// Subscribed topics that now have more partitions than the group's metadata knows: the
    /// group reads the new ones only after its next metadata refresh (simulation only).
    pub stale_metadata: Vec<String>,
    /// While `stale_metadata` is not empty: how long until the refresh that finds them (its
    /// `metadata.max.age.ms` after the last one).
    pub metadata_refresh_in_ms: Option<u64>,
    /// The `client.id` an added consumer gets.
    pub next_client_id: String,
    /// What the application saw (simulation only).
    pub delivery: Option<DeliveryStats>,
    /// Where this group's drawing simplifies Kafka (the cooperative assignor).
    pub simplifications: Vec<Simplification>,
}

impl GroupView {
    /// How a command names one of this group's consumers: by its `client.id` where no other
    /// member of the group has it, as the built-in scenes are written (a saved file a lecturer
    /// can read and edit by hand, and that still opens when a step is added before it: member
    /// ids are drawn in order from the seeded RNG), else by its member id.
    pub fn member_name(&self, member_id: &str) -> String {
        let Some(member) = self.members.iter().find(|m| m.member_id == member_id) else { return member_id.to_string() };
        match self.members.iter().filter(|m| m.client_id == member.client_id).count() {
            1 => member.client_id.clone(),
            _ => member_id.to_string(),
        }
    }
}

/// What a consumer instance is doing, as the stage labels it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum InstanceState {
    /// It owns partitions and polls them.
    Reading,
    /// It owns no partition: more instances than partitions.
    Idle,
    /// Its group is rebalancing and the join phase still waits for a stopped member. An eager
    /// group's members read nothing meanwhile (the classic protocol's stop-the-world pause); a
    /// cooperative group's members keep reading what they own, so only one that owns nothing
    /// waits.
    Waiting,
    /// Its process died; the coordinator has not noticed yet (simulation only).
    Crashed,
    /// A static member shut down without leaving; the group keeps its partitions for its
    /// restart until its session times out (simulation only: a live cluster sees no heartbeats).
    Closed,
}

impl InstanceState {
    pub fn name(self) -> &'static str {
        match self {
            InstanceState::Reading => "reading",
            InstanceState::Idle => "idle",
            InstanceState::Waiting => "waiting for rebalance",
            InstanceState::Crashed => "crashed",
            InstanceState::Closed => "shut down",
        }
    }
    /// Whether the process runs (it can be crashed or removed).
    pub fn is_running(self) -> bool {
        !matches!(self, InstanceState::Crashed | InstanceState::Closed)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MemberView {
    pub member_id: String,
    pub client_id: String,
    pub group_instance_id: Option<String>,
    pub state: InstanceState,
    pub assigned: Vec<TopicPartition>,
    /// Records below the high watermark it has not read yet, over its partitions (simulation
    /// only: it needs the consumer's position).
    pub lag: Option<u64>,
    /// The last records polls returned, oldest first, each marked processed or not (simulation
    /// only; see [`Member::recent_reads`]).
    pub recent_reads: Vec<Read>,
}

/// One row of a group's lag table.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct GroupPartitionView {
    pub partition: TopicPartition,
    /// `client.id` of the owner.
    pub owner: Option<String>,
    /// The owner's position (simulation only).
    pub position: Option<u64>,
    pub committed: Option<u64>,
    /// The high watermark (what the tools call LOG-END-OFFSET).
    pub end_offset: u64,
    pub lag: Option<u64>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SendView {
    pub topic: String,
    pub partition: u32,
    pub offset: u64,
    pub choice: PartitionChoice,
    pub partitioner: Partitioner,
    pub key: Option<Bytes>,
    pub value: Option<Bytes>,
    /// Where the partitioner's drawing simplifies Kafka (sticky batches).
    pub simplifications: Vec<Simplification>,
}

impl Simulation {
    /// The snapshot the stage draws, with the newest `window` records of each partition.
    pub fn view(&self, window: usize) -> ClusterView {
        let badges = badges(self.groups().values().map(|g| (g.name.as_str(), g.tag())));
        ClusterView {
            tick: self.clock().tick(),
            elapsed_ms: self.now_ms() - self.config().start_time_ms,
            brokers: self.broker_views(),
            producers: self.producers().values().map(producer_view).collect(),
            topics: self.topics().values().map(|t| self.topic_view(t, window, &badges)).collect(),
            groups: self.groups().values().map(|g| self.group_view(g, &badges)).collect(),
            simplifications: self.config().simplifications(),
            last_send: self.send_view(),
            describe: self.describe_topics(),
            producer_sessions: self.session_views(),
        }
    }

    fn broker_views(&self) -> Vec<BrokerView> {
        self.brokers()
            .iter()
            .map(|b| BrokerView {
                id: b.id,
                rack: b.rack.clone(),
                leads: self
                    .topics()
                    .values()
                    .flat_map(|t| {
                        let topic = t.name.as_str();
                        t.leaders.iter().enumerate().filter(|(_, l)| **l == b.id).map(move |(p, _)| TopicPartition::new(topic, p as u32))
                    })
                    .collect(),
                online: b.online,
                hosts: self
                    .topics()
                    .values()
                    .flat_map(|t| {
                        let topic = t.name.as_str();
                        t.replicas.iter().enumerate().filter(|(_, r)| r.contains(&b.id)).map(move |(p, _)| TopicPartition::new(topic, p as u32))
                    })
                    .collect(),
            })
            .collect()
    }

    fn topic_view(&self, topic: &Topic, window: usize, badges: &BTreeMap<String, String>) -> TopicView {
        TopicView {
            name: topic.name.clone(),
            cleanup_policy: topic.config.cleanup_policy,
            retention_ms: topic.config.retention_ms,
            partitions: topic.partitions.iter().map(|log| self.partition_view(topic, log, window, badges)).collect(),
            simplifications: {
                let mut s = topic.config.simplifications();
                if topic.replication_factor() > 1 {
                    s.extend([
                        Simplification::ReplicaTiming,
                        Simplification::NoEligibleLeaderReplicas,
                        Simplification::LeaderOnlyCleaning,
                        Simplification::ConsumersReadLeaders,
                    ]);
                }
                s
            },
            replication_factor: topic.replication_factor(),
            min_insync_replicas: topic.config.min_insync_replicas,
            unclean_leader_election_enable: topic.config.unclean_leader_election_enable,
        }
    }

    fn partition_view(&self, topic: &Topic, log: &PartitionLog, window: usize, badges: &BTreeMap<String, String>) -> PartitionView {
        let tp = TopicPartition::new(topic.name.as_str(), log.partition());
        let from = log.log_end_offset().saturating_sub(window as u64);
        PartitionView {
            topic: topic.name.clone(),
            partition: log.partition(),
            leader: topic.leader(log.partition()),
            log_start_offset: log.log_start_offset(),
            high_watermark: log.high_watermark(),
            log_end_offset: log.log_end_offset(),
            stored: log.len() as u64,
            window: log
                .range(from, log.log_end_offset())
                .map(RecordView::of)
                .collect(),
            segment_starts: log.segment_starts_from(from.max(log.log_start_offset() + 1)),
            marks: self
                .groups()
                .values()
                .filter(|g| g.known_partitions.contains_key(&topic.name))
                .map(|g| GroupMark {
                    group: g.name.clone(),
                    badge: badges[&g.name].clone(),
                    committed: g.committed.get(&tp).copied(),
                    position: g.owner_of(&tp).and_then(|m| m.positions.get(&tp).copied()),
                })
                .collect(),
            replication: self.replication_view(topic, log.partition()),
        }
    }

    fn group_view(&self, g: &ConsumerGroup, badges: &BTreeMap<String, String>) -> GroupView {
        let (stale_metadata, metadata_refresh_in_ms) = self.unnoticed_partitions(g).map_or((Vec::new(), None), |(t, ms)| (t, Some(ms)));
        let partitions: Vec<GroupPartitionView> = g
            .known_partitions
            .iter()
            .flat_map(|(topic, &n)| (0..n).map(move |p| TopicPartition::new(topic.as_str(), p)))
            .map(|tp| {
                let owner = g.owner_of(&tp);
                GroupPartitionView {
                    owner: owner.map(|m| m.client_id.clone()),
                    position: owner.and_then(|m| m.positions.get(&tp).copied()),
                    committed: g.committed.get(&tp).copied(),
                    end_offset: self.log(&tp.topic, tp.partition).map_or(0, PartitionLog::high_watermark),
                    lag: g.lag(self.topics(), &tp),
                    partition: tp,
                }
            })
            .collect();
        GroupView {
            name: g.name.clone(),
            tag: g.tag().to_string(),
            badge: badges[&g.name].clone(),
            assignor: g.config.assignor,
            commit_mode: g.config.commit_mode,
            processing_rate: g.config.processing_rate,
            generation: g.generation,
            members: g.members.values().map(|m| self.member_view(m, g.join_phase.is_some(), g.config.assignor.is_cooperative())).collect(),
            partitions,
            total_lag: (!g.committed.is_empty()).then(|| g.total_lag(self.topics())),
            stale_metadata,
            metadata_refresh_in_ms,
            rebalance_waiting_for: g
                .join_phase
                .iter()
                .flat_map(|p| p.waiting_for.iter())
                .map(|id| g.members.get(id).map_or(id.clone(), |m| m.client_id.clone()))
                .collect(),
            next_client_id: g.next_client_id(),
            delivery: Some(g.stats),
            simplifications: {
                let mut s = vec![Simplification::ClassicGroupProtocol];
                if g.config.assignor.is_cooperative() {
                    s.extend([Simplification::CooperativeFollowUpNextTick, Simplification::CooperativeStickyTieBreaking]);
                }
                if g.config.processing_rate.is_some() {
                    s.push(Simplification::SlowConsumerKeepsItsPlace);
                }
                if g.config.auto_offset_reset == crate::consumer_group::OffsetReset::None {
                    s.push(Simplification::NoOffsetSkipsOnePartition);
                }
                s
            },
        }
    }

    fn member_view(&self, m: &Member, joining: bool, cooperative: bool) -> MemberView {
        let state = match m.state {
            MemberState::Crashed { .. } => InstanceState::Crashed,
            MemberState::Closed { .. } => InstanceState::Closed,
            // A cooperative member keeps reading what it owns while the join waits.
            MemberState::Running if joining && (!cooperative || m.assigned.is_empty()) => InstanceState::Waiting,
            MemberState::Running if m.assigned.is_empty() => InstanceState::Idle,
            MemberState::Running => InstanceState::Reading,
        };
        let lag = (state == InstanceState::Reading).then(|| m.assigned.iter().filter_map(|tp| m.lag(self.topics(), tp)).sum());
        MemberView {
            member_id: m.member_id.clone(),
            client_id: m.client_id.clone(),
            group_instance_id: m.group_instance_id.clone(),
            state,
            assigned: m.assigned.clone(),
            lag,
            recent_reads: m.recent_reads.clone(),
        }
    }

    fn send_view(&self) -> Option<SendView> {
        let send = self.last_send()?;
        let record = self.log(&send.topic, send.partition)?.get(send.offset)?;
        Some(SendView {
            topic: send.topic.clone(),
            partition: send.partition,
            offset: send.offset,
            choice: send.choice.clone(),
            partitioner: send.partitioner,
            key: record.key.clone(),
            value: record.value.clone(),
            simplifications: match (&send.choice, send.partitioner) {
                (PartitionChoice::Sticky { .. }, Partitioner::JavaDefault { .. } | Partitioner::JavaSticky) => {
                    vec![Simplification::StickyBatchesFull]
                }
                _ => Vec::new(),
            },
        })
    }
}

/// A unique badge per group (by name) from its tag: the tag's first letter in capitals, then two
/// letters, then a number, as far as needed to tell the groups apart (`sms`, `push`, `pay` ->
/// `S`, `PU`, `PA`; `email` and `Email` -> `E1`, `E2`, counted among those two alone).
fn badges<'a>(groups: impl Iterator<Item = (&'a str, &'a str)>) -> BTreeMap<String, String> {
    let groups: Vec<(&str, &str)> = groups.collect();
    let tags: Vec<&str> = groups.iter().map(|(_, t)| *t).collect();
    let initial = |t: &str, n: usize| t.chars().take(n).collect::<String>().to_uppercase();
    let mut out = BTreeMap::new();
    for (i, (name, tag)) in groups.iter().enumerate() {
        let clashes = |n: usize| tags.iter().filter(|o| initial(o, n) == initial(tag, n)).count() > 1;
        let badge = if !clashes(1) {
            initial(tag, 1)
        } else if !clashes(2) {
            initial(tag, 2)
        } else {
            let nth = tags[..i].iter().filter(|o| initial(o, 2) == initial(tag, 2)).count();
            format!("{}{}", initial(tag, 1), nth + 1)
        };
        out.insert(name.to_string(), badge);
    }
    out
}

fn producer_view(p: &crate::producer::Producer) -> ProducerView {
    ProducerView {
        client_id: p.client_id.clone(),
        topic: p.topic.clone(),
        stream: p.stream.clone(),
        sent: p.sent,
        refused: p.refused,
        config: p.config,
    }
}

#[cfg(test)]
mod tests {
    use super::badges;

    #[test]
    fn badges_are_initials_made_unique() {
        let b = badges([("sms-x", "sms"), ("push-x", "push"), ("pay-x", "pay"), ("email-x", "email")].into_iter());
        assert_eq!((b["sms-x"].as_str(), b["push-x"].as_str(), b["pay-x"].as_str(), b["email-x"].as_str()), ("S", "PU", "PA", "E"));
        let same = badges([("ab-1", "ab"), ("ab-2", "ab")].into_iter());
        assert_eq!((same["ab-1"].as_str(), same["ab-2"].as_str()), ("A1", "A2"));
        // Numbered among the groups that clash, not among all: no "E3" beside an "E1" alone.
        let mixed = badges([("Email-Archive", "Email"), ("elastic", "elastic"), ("email-x", "email")].into_iter());
        assert_eq!((mixed["Email-Archive"].as_str(), mixed["elastic"].as_str(), mixed["email-x"].as_str()), ("E1", "EL", "E2"));
    }
}
