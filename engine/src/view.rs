//! The view model: a plain snapshot of what the stage draws, computed by the engine.
//!
//! A view never walks engine internals or re-derives a Kafka fact (who leads a partition, what a
//! group's lag is, which instance is idle). It reads a [`ClusterView`]: brokers with the partitions
//! they lead, producers, topics with each partition's offsets (log start offset, high watermark,
//! log end offset) and a window of its newest records, and consumer groups with their members,
//! assignments, committed offsets and lag. The snapshot is serialisable and holds only the
//! newest `window` records per partition, so it costs the same with ten records or a million.
//!
//! The same snapshot is what a live mode would fill from a real cluster (`kafka-topics.sh
//! --describe`, `kafka-consumer-groups.sh --describe`). Fields that only a simulation can know
//! (a consumer's in-memory position, what its application processed, a crash before the
//! coordinator notices) are marked *simulation only* and are `Option`s a live source leaves empty.

use bytes::Bytes;
use serde::{Deserialize, Serialize};

use crate::assignor::{AssignorKind, TopicPartition};
use crate::consumer::Member;
use crate::consumer_group::{CommitMode, ConsumerGroup, DeliveryStats};
use crate::log::PartitionLog;
use crate::partitioner::{PartitionChoice, Partitioner};
use crate::producer::KeyPattern;
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
    /// The latest record sent and how its partition was chosen (simulation only: a real
    /// cluster does not report the producer's partitioner).
    pub last_send: Option<SendView>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BrokerView {
    pub id: u32,
    /// `broker.rack`: the data center it stands in.
    pub rack: String,
    /// Partitions whose leader it is.
    pub leads: Vec<TopicPartition>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProducerView {
    pub client_id: String,
    pub topic: String,
    /// Records per second the stream sends (0 = not streaming).
    pub rate_per_sec: u32,
    pub keys: KeyPattern,
    pub user_ids: u32,
    pub partitioner: Partitioner,
    pub sent: u64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TopicView {
    pub name: String,
    pub cleanup_policy: CleanupPolicy,
    pub retention_ms: i64,
    pub partitions: Vec<PartitionView>,
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
    /// Each consumer group's marks on this partition, in group order.
    pub marks: Vec<GroupMark>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RecordView {
    pub offset: u64,
    pub key: Option<Bytes>,
    /// A null value: on a compacted topic, a tombstone.
    pub tombstone: bool,
    pub timestamp_ms: u64,
}

/// Where one group stands on one partition.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct GroupMark {
    pub group: String,
    /// Short name for the marker (`sms`).
    pub tag: String,
    /// The committed offset: where a new owner would resume.
    pub committed: Option<u64>,
    /// The owning instance's position, the next offset it reads (simulation only).
    pub position: Option<u64>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct GroupView {
    pub name: String,
    pub tag: String,
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
    /// The `client.id` an added consumer gets.
    pub next_client_id: String,
    /// What the application saw (simulation only).
    pub delivery: Option<DeliveryStats>,
}

/// What a consumer instance is doing.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum MemberState {
    /// It owns partitions and polls them.
    Reading,
    /// It owns no partition: more instances than partitions.
    Idle,
    /// Its process died; the coordinator has not noticed yet (simulation only).
    Crashed,
}

impl MemberState {
    pub fn name(self) -> &'static str {
        match self {
            MemberState::Reading => "reading",
            MemberState::Idle => "idle",
            MemberState::Crashed => "crashed",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MemberView {
    pub member_id: String,
    pub client_id: String,
    pub group_instance_id: Option<String>,
    pub state: MemberState,
    pub assigned: Vec<TopicPartition>,
    /// Records below the high watermark it has not read yet, over its partitions (simulation
    /// only: it needs the consumer's position).
    pub lag: Option<u64>,
    /// The last record a poll returned (simulation only).
    pub last_read: Option<(TopicPartition, u64)>,
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
    pub key: Option<Bytes>,
    pub value: Option<Bytes>,
}

impl Simulation {
    /// The snapshot the stage draws, with the newest `window` records of each partition.
    pub fn view(&self, window: usize) -> ClusterView {
        ClusterView {
            tick: self.clock().tick(),
            elapsed_ms: self.now_ms() - self.config().start_time_ms,
            brokers: self.broker_views(),
            producers: self.producers().values().map(producer_view).collect(),
            topics: self.topics().values().map(|t| self.topic_view(t, window)).collect(),
            groups: self.groups().values().map(|g| self.group_view(g)).collect(),
            last_send: self.send_view(),
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
            })
            .collect()
    }

    fn topic_view(&self, topic: &Topic, window: usize) -> TopicView {
        TopicView {
            name: topic.name.clone(),
            cleanup_policy: topic.config.cleanup_policy,
            retention_ms: topic.config.retention_ms,
            partitions: topic.partitions.iter().map(|log| self.partition_view(topic, log, window)).collect(),
        }
    }

    fn partition_view(&self, topic: &Topic, log: &PartitionLog, window: usize) -> PartitionView {
        let tp = TopicPartition::new(topic.name.as_str(), log.partition());
        let from = log.log_end_offset().saturating_sub(window as u64);
        PartitionView {
            topic: topic.name.clone(),
            partition: log.partition(),
            leader: topic.leaders.get(log.partition() as usize).copied(),
            log_start_offset: log.log_start_offset(),
            high_watermark: log.high_watermark(),
            log_end_offset: log.log_end_offset(),
            stored: log.len() as u64,
            window: log
                .range(from, log.log_end_offset())
                .map(|r| RecordView { offset: r.offset, key: r.key.clone(), tombstone: r.is_tombstone(), timestamp_ms: r.timestamp_ms })
                .collect(),
            marks: self
                .groups()
                .values()
                .filter(|g| g.known_partitions.contains_key(&topic.name))
                .map(|g| GroupMark {
                    group: g.name.clone(),
                    tag: g.tag().to_string(),
                    committed: g.committed.get(&tp).copied(),
                    position: g.owner_of(&tp).and_then(|m| m.positions.get(&tp).copied()),
                })
                .collect(),
        }
    }

    fn group_view(&self, g: &ConsumerGroup) -> GroupView {
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
            assignor: g.config.assignor,
            commit_mode: g.config.commit_mode,
            processing_rate: g.config.processing_rate,
            generation: g.generation,
            members: g.members.values().map(|m| self.member_view(m)).collect(),
            partitions,
            total_lag: (!g.committed.is_empty()).then(|| g.total_lag(self.topics())),
            next_client_id: g.next_client_id(),
            delivery: Some(g.stats),
        }
    }

    fn member_view(&self, m: &Member) -> MemberView {
        let state = if !m.is_alive() {
            MemberState::Crashed
        } else if m.assigned.is_empty() {
            MemberState::Idle
        } else {
            MemberState::Reading
        };
        let lag = (state == MemberState::Reading).then(|| m.assigned.iter().filter_map(|tp| m.lag(self.topics(), tp)).sum());
        MemberView {
            member_id: m.member_id.clone(),
            client_id: m.client_id.clone(),
            group_instance_id: m.group_instance_id.clone(),
            state,
            assigned: m.assigned.clone(),
            lag,
            last_read: m.last_read.clone(),
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
            key: record.key.clone(),
            value: record.value.clone(),
        })
    }
}

fn producer_view(p: &crate::producer::Producer) -> ProducerView {
    ProducerView {
        client_id: p.client_id.clone(),
        topic: p.topic.clone(),
        rate_per_sec: p.stream.rate_per_sec,
        keys: p.stream.keys,
        user_ids: p.stream.user_ids,
        partitioner: p.stream.partitioner,
        sent: p.sent,
    }
}
