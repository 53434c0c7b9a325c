//! `kafka-topics.sh` lines for a topic: its partitions, replication factor, and every config that
//! differs from Kafka's default, by Kafka's name.

use super::BOOTSTRAP_SERVER;
use crate::topic::{Topic, TopicConfig};

/// `kafka-topics.sh --create` for a topic as it is now, and notes on configs a real broker
/// would refuse (the simulation's teaching allowances).
pub fn create_topic_command(topic: &Topic) -> (String, Vec<String>) {
    let mut command = format!(
        "kafka-topics.sh --bootstrap-server {BOOTSTRAP_SERVER} --create --topic {} --partitions {} --replication-factor {}",
        topic.name,
        topic.partition_count(),
        topic.replication_factor()
    );
    for (name, value) in changed_configs(&topic.config) {
        command.push_str(&format!(" --config {name}={value}"));
    }
    let mut notes: Vec<String> = topic.config.teaching_allowances().into_iter().map(str::to_string).collect();
    let replicas = topic.replication_factor();
    if replicas > 1 {
        notes.push(format!("--replication-factor {replicas} needs a cluster of at least {replicas} brokers; a single broker on {BOOTSTRAP_SERVER} holds 1."));
    }
    (command, notes)
}

/// `kafka-topics.sh --alter` growing a topic to `total` partitions.
pub fn add_partitions_command(topic: &str, total: u32) -> String {
    format!("kafka-topics.sh --bootstrap-server {BOOTSTRAP_SERVER} --alter --topic {topic} --partitions {total}")
}

/// The topic configs that differ from Kafka's defaults, as `name=value` pairs: what `--create`
/// must pass for a real cluster to behave as the stage does, and what `--describe` lists.
pub(crate) fn changed_configs(config: &TopicConfig) -> Vec<(&'static str, String)> {
    let d = TopicConfig::default();
    let mut out = Vec::new();
    let mut add = |changed: bool, name: &'static str, value: String| {
        if changed {
            out.push((name, value));
        }
    };
    // The replication configs first: without them a real cluster takes every acks=all send that
    // the stage refuses with NotEnoughReplicas.
    add(config.min_insync_replicas != d.min_insync_replicas, "min.insync.replicas", config.min_insync_replicas.to_string());
    add(config.unclean_leader_election_enable, "unclean.leader.election.enable", "true".to_string());
    add(config.cleanup_policy != d.cleanup_policy, "cleanup.policy", config.cleanup_policy.config_value().to_string());
    add(config.retention_ms != d.retention_ms, "retention.ms", config.retention_ms.to_string());
    add(config.retention_bytes != d.retention_bytes, "retention.bytes", config.retention_bytes.to_string());
    add(config.segment_bytes != d.segment_bytes, "segment.bytes", config.segment_bytes.to_string());
    add(config.segment_ms != d.segment_ms, "segment.ms", config.segment_ms.to_string());
    add(config.delete_retention_ms != d.delete_retention_ms, "delete.retention.ms", config.delete_retention_ms.to_string());
    add(config.min_cleanable_dirty_ratio != d.min_cleanable_dirty_ratio, "min.cleanable.dirty.ratio", config.min_cleanable_dirty_ratio.to_string());
    add(config.message_timestamp_type != d.message_timestamp_type, "message.timestamp.type", config.message_timestamp_type.config_name().to_string());
    add(config.max_message_bytes != d.max_message_bytes, "max.message.bytes", config.max_message_bytes.to_string());
    add(
        config.message_timestamp_before_max_ms != d.message_timestamp_before_max_ms,
        "message.timestamp.before.max.ms",
        config.message_timestamp_before_max_ms.to_string(),
    );
    add(
        config.message_timestamp_after_max_ms != d.message_timestamp_after_max_ms,
        "message.timestamp.after.max.ms",
        config.message_timestamp_after_max_ms.to_string(),
    );
    out
}
