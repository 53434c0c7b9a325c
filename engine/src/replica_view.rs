//! The replication part of the view model: replicas, ISR, leader epochs, brokers up or down,
//! `kafka-topics.sh --describe`, and the producers' sends in flight.
//!
//! Like the rest of [`crate::view`], these are plain snapshots the stage draws without deriving
//! anything: which replica leads, which are in sync, each replica's log end offset and high
//! watermark, whether a follower's fetch is on its way. What a live cluster would fill from
//! `kafka-topics.sh --describe` (leader, replicas, ISR) is always present; what only a simulation
//! knows (a follower's own HW, fetches in flight, a producer's pending sends) is marked so.
//!
//! The describe lines follow what `kafka-topics.sh --describe` prints (`TopicCommand`, from the
//! admin client's `TopicDescription` and `TopicPartitionInfo`).

use serde::{Deserialize, Serialize};

use crate::acknowledgement::{Acks, ProducerConfig, ProducerSession, SendState};
use crate::partition::{PartitionDescription, PartitionReplicas};
use crate::replica::FetchResponse;
use crate::simulation::Simulation;
use crate::topic::Topic;

/// One replica of a partition, as the stage draws it on its broker.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReplicaView {
    pub broker: u32,
    /// Whether its broker runs.
    pub online: bool,
    pub leader: bool,
    /// The first replica in assignment order.
    pub preferred: bool,
    pub in_sync: bool,
    pub log_start_offset: u64,
    pub log_end_offset: u64,
    /// This replica's own high watermark: a follower learns the leader's with its next fetch
    /// (simulation only).
    pub high_watermark: u64,
    /// Offsets `from..to` the answer to this follower's last fetch brings on the next tick, as
    /// the leader's log stands now (simulation only), for the stage to animate like a consumer
    /// fetch.
    pub fetching: Option<(u64, u64)>,
    /// The newest records of this replica's log that the leader's log does not hold at the same
    /// offset, oldest first (simulation only): appends of an old leader that no follower copied
    /// before it lost the lead. They stay until the replica fetches from the new leader, learns
    /// where the leader's history parts from its own, and truncates them (see
    /// [`crate::leader_epoch`]). Empty on the leader and on a replica that agrees with it.
    pub diverged: Vec<crate::view::RecordView>,
}

/// At most this many diverged records are shown per replica: they sit in the lane's last slots.
const DIVERGED_SHOWN: usize = 8;

/// Records at the end of `replica` that `leader` lacks at their offsets, oldest first. Logs agree
/// up to the point they part (a follower only ever appends what a leader had), so the walk back
/// from the replica's end stops at the first record both hold.
fn diverged(replica: &crate::log::PartitionLog, leader: &crate::log::PartitionLog) -> Vec<crate::view::RecordView> {
    let mut out: Vec<crate::view::RecordView> = replica
        .range(replica.log_start_offset(), replica.log_end_offset())
        .rev()
        .take_while(|r| leader.get(r.offset) != Some(*r))
        .take(DIVERGED_SHOWN)
        .map(crate::view::RecordView::of)
        .collect();
    out.reverse();
    out
}

/// The replication facts of one partition.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReplicationView {
    pub leader_epoch: u32,
    /// No leader: produce and fetch fail until an in-sync replica's broker returns.
    pub offline: bool,
    pub preferred_leader: Option<u32>,
    /// In-sync replicas, in Kafka's order.
    pub isr: Vec<u32>,
    /// `min(min.insync.replicas, replication factor)`.
    pub effective_min_isr: u32,
    /// The leader came from an unclean election and may lack committed records.
    pub unclean_leader: bool,
    /// In assignment order.
    pub replicas: Vec<ReplicaView>,
}

/// `kafka-topics.sh --describe` for one topic.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TopicDescription {
    pub topic: String,
    pub partition_count: u32,
    pub replication_factor: u32,
    /// Topic configs that differ from the broker defaults, as `name=value`.
    pub configs: Vec<String>,
    pub partitions: Vec<PartitionDescription>,
}

impl TopicDescription {
    /// The tool's first line for the topic (without the `TopicId` a simulation does not have).
    pub fn header_line(&self) -> String {
        format!(
            "Topic: {}\tPartitionCount: {}\tReplicationFactor: {}\tConfigs: {}",
            self.topic,
            self.partition_count,
            self.replication_factor,
            self.configs.join(",")
        )
    }

    /// Every line the tool prints for the topic.
    pub fn lines(&self) -> Vec<String> {
        std::iter::once(self.header_line()).chain(self.partitions.iter().map(PartitionDescription::line)).collect()
    }
}

/// A producer client's sends in flight (simulation only).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProducerSessionView {
    pub client_id: String,
    /// Given on its first idempotent send.
    pub producer_id: Option<u64>,
    /// [`crate::Command::LoseAcknowledgement`] is armed.
    pub lose_next_acknowledgement: bool,
    pub in_flight: Vec<InFlightView>,
}

/// One send not yet acknowledged.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct InFlightView {
    pub topic: String,
    pub partition: u32,
    pub acks: Acks,
    /// Where the leader wrote the latest attempt, if it did.
    pub offset: Option<u64>,
    pub sequence: Option<u32>,
    pub attempts: u32,
    pub state: SendState,
}

impl Simulation {
    /// What `kafka-topics.sh --describe` prints, topic by topic.
    pub fn describe_topics(&self) -> Vec<TopicDescription> {
        self.topics().values().map(describe).collect()
    }

    pub(crate) fn replication_view(&self, topic: &Topic, partition: u32) -> ReplicationView {
        let state = &topic.replication[partition as usize];
        let log = &topic.partitions[partition as usize];
        let replicas = state
            .replicas
            .iter()
            .filter_map(|r| {
                let replica_log = state.log_on(r.broker, log)?;
                let fetching = r.fetch.and_then(|f| match f.response {
                    FetchResponse::Records { from } => Some((from, log.fetch_end(from, self.config().replica_fetch_max_bytes))),
                    FetchResponse::Diverging { .. } => None,
                });
                let fetching = fetching.filter(|(from, to)| to > from);
                Some(ReplicaView {
                    broker: r.broker,
                    online: crate::broker::is_running(self.brokers(), r.broker),
                    leader: state.leader == Some(r.broker),
                    preferred: state.preferred_leader() == Some(r.broker),
                    in_sync: state.in_sync(r.broker),
                    log_start_offset: replica_log.log_start_offset(),
                    log_end_offset: replica_log.log_end_offset(),
                    high_watermark: replica_log.high_watermark(),
                    fetching,
                    diverged: if std::ptr::eq(replica_log, log) { Vec::new() } else { diverged(replica_log, log) },
                })
            })
            .collect();
        ReplicationView {
            leader_epoch: state.leader_epoch,
            offline: state.is_offline(),
            preferred_leader: state.preferred_leader(),
            isr: state.isr.clone(),
            effective_min_isr: state.effective_min_isr(topic.config.min_insync_replicas) as u32,
            unclean_leader: state.unclean_leader,
            replicas,
        }
    }

    pub(crate) fn session_views(&self) -> Vec<ProducerSessionView> {
        self.sessions.iter().map(|(client_id, session)| session_view(client_id, session)).collect()
    }

    /// A producer's `acks` and `enable.idempotence`, for a view that sends by hand.
    pub fn producer_config(&self, client_id: &str) -> ProducerConfig {
        self.producer(client_id).map(|p| p.config).unwrap_or_default()
    }
}

fn session_view(client_id: &str, session: &ProducerSession) -> ProducerSessionView {
    ProducerSessionView {
        client_id: client_id.to_string(),
        producer_id: session.identity.producer_id,
        lose_next_acknowledgement: session.lose_next_acknowledgement,
        in_flight: session
            .in_flight
            .iter()
            .map(|s| InFlightView {
                topic: s.topic.clone(),
                partition: s.partition,
                acks: s.acks,
                offset: s.offset,
                sequence: s.record.sequence.map(|q| q.sequence),
                attempts: s.attempts,
                state: s.state,
            })
            .collect(),
    }
}

fn describe(topic: &Topic) -> TopicDescription {
    // Every config that differs from Kafka's default, as the real tool lists them.
    let configs = crate::cli::changed_configs(&topic.config).into_iter().map(|(name, value)| format!("{name}={value}")).collect();
    TopicDescription {
        topic: topic.name.clone(),
        partition_count: topic.partition_count(),
        replication_factor: topic.replication_factor(),
        configs,
        partitions: topic.replication.iter().enumerate().map(|(p, state)| describe_partition(&topic.name, p as u32, state)).collect(),
    }
}

fn describe_partition(topic: &str, partition: u32, state: &PartitionReplicas) -> PartitionDescription {
    PartitionDescription {
        topic: topic.to_string(),
        partition,
        leader: state.leader,
        leader_epoch: state.leader_epoch,
        replicas: state.brokers().collect(),
        isr: state.isr.clone(),
    }
}
