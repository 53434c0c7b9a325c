//! Errors a user can cause, as one enum.
//!
//! Bad input is normal in a teaching tool: students paste odd keys, type `..` as a topic name or
//! try to shrink a topic. Every variant renders as a sentence that says what went wrong and what to
//! do instead, and a command that fails changes nothing.

use thiserror::Error;

/// Everything [`crate::Simulation::apply`] can refuse.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum EngineError {
    #[error("There is no topic named '{0}'. Create it first, or pick one of the existing topics.")]
    UnknownTopic(String),
    #[error("'{name}' is not a valid topic name: {reason}.")]
    InvalidTopicName { name: String, reason: String },
    #[error("A topic named '{0}' already exists.")]
    TopicExists(String),
    #[error("'{name}' collides with the existing topic '{existing}': Kafka treats '.' and '_' alike in topic names. Pick a different name.")]
    TopicNameCollision { name: String, existing: String },
    #[error("A topic needs at least 1 partition.")]
    ZeroPartitions,
    #[error("At most {max} partitions per topic are allowed here.")]
    TooManyPartitions { max: u32 },
    #[error("{}", cannot_shrink(topic, *current, *requested))]
    CannotShrinkPartitions { topic: String, current: u32, requested: u32 },
    #[error("Partition {partition} does not exist: topic '{topic}' has partitions 0 to {last}.", last = .partitions - 1)]
    PartitionOutOfRange { topic: String, partition: u32, partitions: u32 },
    #[error("Topic '{0}' is compacted (it keeps the latest record per key), so every record sent to it needs a key (Kafka: \"Compacted topic cannot accept message without key\"). Give the record a key.")]
    KeylessRecordOnCompactedTopic(String),
    #[error("The record is {size} bytes, larger than max.message.bytes = {max} of topic '{topic}'. Send a smaller record, or raise max.message.bytes.")]
    RecordTooLarge { topic: String, size: u64, max: u64 },
    #[error("The record is {size} bytes, larger than the producer's max.request.size = {max}, so the producer refuses to send it. Send a smaller record.")]
    RecordExceedsMaxRequestSize { size: u64, max: u64 },
    #[error("Timestamp {timestamp_ms} is out of range for topic '{topic}': with message.timestamp.type=CreateTime the broker accepts timestamps from {earliest_ms} to {latest_ms} (message.timestamp.before.max.ms and message.timestamp.after.max.ms around its clock). Send a timestamp closer to now, or none to use the producer's clock.")]
    InvalidTimestamp { topic: String, timestamp_ms: u64, earliest_ms: u64, latest_ms: u64 },
    #[error("A replication factor of {requested} cannot be placed on {brokers} brokers: each replica needs its own broker. Choose between 1 and {brokers}.")]
    InvalidReplicationFactor { requested: u32, brokers: u32 },
    #[error("session.timeout.ms = {session_timeout_ms} is outside the broker's bounds of {min_ms} to {max_ms} ms (group.min.session.timeout.ms and group.max.session.timeout.ms), so the coordinator refuses the join (INVALID_SESSION_TIMEOUT). Choose a session timeout between {min_ms} and {max_ms} ms.")]
    InvalidSessionTimeout { session_timeout_ms: u64, min_ms: u64, max_ms: u64 },
    #[error("Invalid value for {name}: {reason}.")]
    InvalidConfig { name: String, reason: String },
    #[error("A producer named '{0}' already exists.")]
    ProducerExists(String),
    #[error("There is no producer named '{0}'. Start it first.")]
    UnknownProducer(String),
    #[error("There is no consumer group named '{0}'.")]
    UnknownGroup(String),
    #[error("Consumer group '{0}' already exists.")]
    GroupExists(String),
    #[error("{}", group_not_empty(group, *members, *stopped))]
    GroupNotEmpty { group: String, members: usize, stopped: usize },
    #[error("There is no consumer '{member}' in group '{group}'.")]
    UnknownMember { group: String, member: String },
    #[error("Consumer '{member}' in group '{group}' has already crashed; it leaves the group when its session times out.")]
    MemberAlreadyCrashed { group: String, member: String },
    #[error("Consumer '{member}' of group '{group}' has already shut down; it keeps its partitions until its session times out, or until a consumer with its group.instance.id starts.")]
    MemberAlreadyClosed { group: String, member: String },
    #[error("group.instance.id '{instance}' is already used by a running consumer of group '{group}'. Stop that consumer first: a consumer started with the same group.instance.id then takes over its partitions.")]
    DuplicateInstanceId { group: String, instance: String },
    #[error("A consumer must subscribe to at least one topic.")]
    EmptySubscription,
    #[error("Group '{0}' has no consumers left to remove.")]
    NoConsumers(String),
    #[error("{count} running consumers of group '{group}' have client.id '{client_id}'. Name the one you mean by its member id.")]
    AmbiguousClientId { group: String, client_id: String, count: usize },
    #[error("Every broker is stopped, so no replica can be placed (Kafka: \"All brokers are currently fenced\"). Start a broker first.")]
    NoBrokerRunning,
    #[error("There is no broker {broker}: the cluster has brokers 1 to {brokers}.")]
    UnknownBroker { broker: u32, brokers: u32 },
    #[error("Broker {0} is already stopped. Start it to bring its data center back.")]
    BrokerAlreadyStopped(u32),
    #[error("Broker {0} is already running.")]
    BrokerAlreadyRunning(u32),
    #[error("LeaderNotAvailableException: partition {topic}-{partition} is offline: its last in-sync replica (Isr: {isr}) is on a stopped broker and no other replica may lead it. Start that broker to bring the partition back.", isr = list(.isr))]
    PartitionOffline { topic: String, partition: u32, isr: Vec<u32> },
    #[error("NotEnoughReplicasException: {topic}-{partition} has {in_sync} (Isr: {isr}), fewer than min.insync.replicas={min_insync_replicas}, so the leader refuses acks=all sends. Start a stopped broker so its replica rejoins the ISR.", in_sync = count(.isr.len() as u64, "in-sync replica"), isr = list(.isr))]
    NotEnoughReplicas { topic: String, partition: u32, isr: Vec<u32>, min_insync_replicas: u32 },
}

/// A partition count that is not more than the topic has: the same count asks for nothing, a
/// smaller one for what Kafka never does.
fn cannot_shrink(topic: &str, current: u32, requested: u32) -> String {
    match requested == current {
        true => format!("Topic '{topic}' already has {current} partitions. Type more than {current} to add partitions."),
        false => format!("Topic '{topic}' has {current} partitions and Kafka can only add partitions, never remove them (that would lose records). Choose more than {current}."),
    }
}

/// Why a group cannot be deleted yet, with the way on: remove the running consumers, and wait
/// out the sessions of those that crashed or shut down (the coordinator still counts them).
fn group_not_empty(group: &str, members: usize, stopped: usize) -> String {
    let has = format!("GroupNotEmptyException: consumer group '{group}' still has {}", count(members as u64, "consumer"));
    let rule = "Kafka deletes only a group with none";
    match stopped {
        0 => format!("{has}, and {rule}. Remove its consumers (−) first."),
        s if s == members => format!("{has} that crashed or shut down, and {rule}. They leave when their sessions time out: step forward, then delete it."),
        s => format!("{has} ({s} crashed or shut down), and {rule}. Remove the running ones (−); the others leave when their sessions time out."),
    }
}

/// `1 record`, `2 records`: a count in a sentence.
pub(crate) fn count(n: u64, noun: &str) -> String {
    if n == 1 {
        format!("1 {noun}")
    } else {
        format!("{n} {noun}s")
    }
}

/// Broker ids as Kafka's tools print them: `1,2,3`.
fn list(ids: &[u32]) -> String {
    ids.iter().map(u32::to_string).collect::<Vec<_>>().join(",")
}
