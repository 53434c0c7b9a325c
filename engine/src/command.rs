//! Commands: everything a user or a scenario can do, as values.
//!
//! The UI never changes engine state directly; it builds a [`Command`] and hands it to
//! [`crate::Simulation::apply`]. Because commands are plain serialisable data, a list of them plus
//! a seed *is* a replayable scenario, and the history can re-run them to step back and forth.

use bytes::Bytes;
use serde::{Deserialize, Serialize};

use crate::acknowledgement::{Acks, ProducerConfig};
use crate::assignor::AssignorKind;
use crate::consumer_group::{CommitMode, GroupConfig};
use crate::partitioner::Partitioner;
use crate::producer::Stream;
use crate::record::Header;
use crate::topic::TopicConfig;

/// A record a producer sends, before the broker gives it a partition and an offset.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ProduceRequest {
    /// Which producer sends it; each producer keeps its own sticky-partition state per topic.
    pub producer: String,
    pub topic: String,
    /// `None` is a null key; `Some` of zero bytes is an empty key, which is hashed. `Bytes` so
    /// the history can keep and replay commands without copying payloads. In JSON, text is a
    /// string and other bytes an array ([`crate::record::text_bytes`]).
    #[serde(with = "crate::record::text_bytes")]
    pub key: Option<Bytes>,
    #[serde(with = "crate::record::text_bytes")]
    pub value: Option<Bytes>,
    #[serde(default)]
    pub headers: Vec<Header>,
    /// An explicit partition wins over every partitioner.
    #[serde(default)]
    pub partition: Option<u32>,
    #[serde(default)]
    pub partitioner: Partitioner,
    /// The producer's timestamp (`CreateTime`); `None` = the simulated clock's now.
    #[serde(default)]
    pub timestamp_ms: Option<u64>,
    /// The producer's `acks` (all).
    #[serde(default)]
    pub acks: Acks,
    /// The producer's `enable.idempotence` (true): the record carries a producer id and
    /// sequence number, so a retry of it is not written twice.
    #[serde(default = "idempotent")]
    pub enable_idempotence: bool,
}

fn idempotent() -> bool {
    true
}

impl ProduceRequest {
    /// A record with string key and value through the Java default partitioner.
    pub fn new(producer: &str, topic: &str, key: Option<&str>, value: &str) -> ProduceRequest {
        ProduceRequest {
            producer: producer.to_string(),
            topic: topic.to_string(),
            key: key.map(|k| Bytes::copy_from_slice(k.as_bytes())),
            value: Some(Bytes::copy_from_slice(value.as_bytes())),
            headers: Vec::new(),
            partition: None,
            partitioner: Partitioner::default(),
            timestamp_ms: None,
            acks: Acks::All,
            enable_idempotence: true,
        }
    }

    /// Whether the record carries a producer id and sequence number: `enable.idempotence` with
    /// `acks=all`. With `acks` 0 or 1 Kafka turns the default idempotence off (and refuses an
    /// explicit `enable.idempotence=true`, see [`ProducerConfig::validate`]).
    pub fn is_idempotent(&self) -> bool {
        self.enable_idempotence && self.acks == Acks::All
    }

    /// The same record sent with a producer's `acks` and `enable.idempotence`.
    pub fn with_config(mut self, config: ProducerConfig) -> ProduceRequest {
        self.acks = config.acks;
        self.enable_idempotence = config.enable_idempotence;
        self
    }
}

/// Commands that name a consumer (`member_id`) accept its member id or its `client.id` (see
/// [`crate::membership`]), so a script can say `"sms-1"` without knowing the coordinator's ids.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub enum Command {
    /// Advance the simulated clock by one tick: consumers poll, process and commit; sessions time
    /// out; retention and the log cleaner run when the broker's check interval falls due.
    Tick,
    CreateTopic { name: String, partitions: u32, config: TopicConfig },
    /// Grow a topic to `total` partitions (Kafka cannot shrink).
    AddPartitions { topic: String, total: u32 },
    Produce(ProduceRequest),
    /// Start a producer client that publishes to `topic` (drawn on the stage; it can stream).
    StartProducer { client_id: String, topic: String },
    /// Change what a producer streams on each tick; a rate of 0 stops the stream.
    SetStream { producer: String, stream: Stream },
    CreateGroup { group: String, config: GroupConfig },
    /// `kafka-consumer-groups.sh --delete --group G`: the group goes, and its committed offsets
    /// with it. Kafka refuses while the group has members (`GroupNotEmptyException`): its
    /// consumers are removed first.
    DeleteGroup { group: String },
    /// Start a consumer in `group` (creating the group with defaults if needed); triggers a
    /// rebalance. With the `group_instance_id` of a stopped static member it restarts that
    /// member instead, which in a stable group takes over its partitions without a rebalance.
    AddConsumer {
        group: String,
        client_id: String,
        group_instance_id: Option<String>,
        topics: Vec<String>,
    },
    /// A graceful shutdown: in-flight work finishes and is committed. A dynamic member then
    /// leaves and the group rebalances; a static member (KIP-345) sends no LeaveGroup, so there
    /// is no rebalance until its session times out.
    RemoveConsumer { group: String, member_id: String },
    /// The consumer process dies: in-flight work is lost and the group notices only after
    /// `session.timeout.ms`.
    CrashConsumer { group: String, member_id: String },
    /// Change what a consumer subscribes to; triggers a rebalance.
    Subscribe { group: String, member_id: String, topics: Vec<String> },
    SetAssignor { group: String, assignor: AssignorKind },
    SetCommitMode { group: String, mode: CommitMode },
    /// How many records per second each instance of the group processes (`None` = as fast as it
    /// polls).
    SetProcessingRate { group: String, rate: Option<u32> },
    /// "Clean now": run retention, and a cleaning of every compacted partition that has dirty
    /// records or an expired tombstone whatever its dirty ratio, instead of waiting for the
    /// broker's schedule. Kafka has no such command; it is the lecturer's shortcut.
    CleanLogs,
    /// Stop a broker, as when its data center goes dark: the controller fences it, takes it out
    /// of every ISR and elects new leaders for the partitions it led.
    StopBroker { broker: u32 },
    /// Start a stopped broker again: its replicas truncate where they diverged, catch up and
    /// rejoin the ISR; partitions that waited for it get a leader.
    StartBroker { broker: u32 },
    /// `kafka-leader-election.sh --election-type preferred --all-topic-partitions`: leadership
    /// goes back to each partition's first replica where that one runs and is in sync.
    ElectPreferredLeaders,
    /// The network drops the next acknowledgement to this producer: it times out after
    /// `request.timeout.ms` and sends the record again. With `enable.idempotence` the leader
    /// recognises the retry; without, the record is written twice. Kafka has no such command; it
    /// is the lecturer's way to cause what a flaky network does.
    LoseAcknowledgement { producer: String },
    /// Set a started producer's `acks` and `enable.idempotence` (used by its stream).
    ConfigureProducer { producer: String, config: ProducerConfig },
}
