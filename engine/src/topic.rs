//! Topics: named, partitioned, append-only logs, and their configuration.
//!
//! A topic is what producers write to and consumers subscribe to (`product-created-events-topic`).
//! It is split into partitions so that it can be stored on many brokers and read in parallel.
//! The partition count must be positive and can only grow: shrinking would have to delete or move
//! data, and Kafka refuses it. Growing keeps old data where it is but changes `hash(key) % n` for
//! new records, so per-key order is broken across the change.
//!
//! Names follow `common/internals/Topic.java`: 1 to 249 characters from `[a-zA-Z0-9._-]`, not `.`
//! or `..`; and because metric names map `.` to `_`, two names equal after that mapping collide.
//!
//! Configuration values are checked against the bounds of Kafka's `LogConfig` (`retention.ms >=
//! -1`, `segment.ms >= 1`, `min.cleanable.dirty.ratio` in 0..1, `max.message.bytes >= 0`), except
//! that `segment.bytes` may go below Kafka's 1 MiB to make segments visible: such values are
//! listed by [`TopicConfig::teaching_allowances`] so the UI can label them. The broker's checks on
//! each record's timestamp (`LogValidator`) are [`TopicConfig::check_timestamp`].

use serde::{Deserialize, Serialize};

use std::collections::BTreeMap;

use crate::assignor::TopicPartition;
use crate::broker::{is_running, Broker};
use crate::error::EngineError;
use crate::log::PartitionLog;
use crate::partition::PartitionReplicas;
use crate::record::TimestampType;
use crate::simplification::Simplification;

/// A topic and its partitions' logs.
#[derive(Debug, Clone, PartialEq)]
pub struct Topic {
    pub name: String,
    pub config: TopicConfig,
    /// Each partition's log as clients see it: the leader's log (the last leader's while the
    /// partition is offline). Followers' logs are in [`Topic::replication`].
    pub partitions: Vec<PartitionLog>,
    /// Replica broker ids per partition, as the placer ordered them: the first is the
    /// preferred leader (see [`crate::placement`]).
    pub replicas: Vec<Vec<u32>>,
    /// Leader broker id per partition, [`NO_LEADER`] while it is offline; [`Topic::leader`] says
    /// the same with an `Option`.
    pub leaders: Vec<u32>,
    /// Per partition: replicas with their logs, leader, leader epoch and ISR.
    pub replication: Vec<PartitionReplicas>,
}

/// The entry of [`Topic::leaders`] for a partition without a leader (no broker has id 0).
pub const NO_LEADER: u32 = 0;

impl Topic {
    /// A topic with one placed replica list per partition; each is led by its first replica on a
    /// running broker. `None` when some partition has no replica on a running broker.
    pub fn new(name: &str, config: TopicConfig, replicas: Vec<Vec<u32>>, brokers: &[Broker], now_ms: u64) -> Option<Topic> {
        let mut topic = Topic {
            name: name.to_string(),
            config,
            partitions: Vec::new(),
            replicas: Vec::new(),
            leaders: Vec::new(),
            replication: Vec::new(),
        };
        topic.add_partitions(replicas, brokers, now_ms)?;
        Some(topic)
    }

    /// Appends new partitions with their placed replicas (`CreatePartitions`). `None`, and no
    /// change, when some new partition has no replica on a running broker.
    pub fn add_partitions(&mut self, replicas: Vec<Vec<u32>>, brokers: &[Broker], now_ms: u64) -> Option<()> {
        if replicas.iter().any(|placed| !placed.iter().any(|&b| is_running(brokers, b))) {
            return None;
        }
        for placed in replicas {
            let mut log = PartitionLog::new(self.partition_count());
            let state = PartitionReplicas::new(log.partition(), &placed, brokers, &mut log, now_ms)?;
            self.leaders.push(state.leader.unwrap_or(NO_LEADER));
            self.partitions.push(log);
            self.replication.push(state);
            self.replicas.push(placed);
        }
        Some(())
    }

    pub fn partition_count(&self) -> u32 {
        self.partitions.len() as u32
    }

    /// Replicas per partition (every partition of a topic has the same count).
    pub fn replication_factor(&self) -> u32 {
        self.replicas.first().map_or(1, |r| r.len() as u32)
    }

    /// The leader of a partition; `None` while it is offline or does not exist.
    pub fn leader(&self, partition: u32) -> Option<u32> {
        self.replication.get(partition as usize)?.leader
    }

    /// Whether a partition has a leader, so that it can be produced to and read.
    pub fn is_online(&self, partition: u32) -> bool {
        self.leader(partition).is_some()
    }

    /// Refreshes [`Topic::leaders`] after elections.
    pub(crate) fn sync_leaders(&mut self) {
        for (entry, state) in self.leaders.iter_mut().zip(&self.replication) {
            *entry = state.leader.unwrap_or(NO_LEADER);
        }
    }

    /// The log of the replica of `partition` on `broker`, if it has one.
    pub fn replica_log(&self, partition: u32, broker: u32) -> Option<&PartitionLog> {
        let state = self.replication.get(partition as usize)?;
        state.log_on(broker, &self.partitions[partition as usize])
    }
}

/// All topics by name; sorted so iteration (and thus the simulation) is deterministic.
pub type Topics = BTreeMap<String, Topic>;

/// The log of a topic partition, if both exist.
pub fn log_of<'a>(topics: &'a Topics, tp: &TopicPartition) -> Option<&'a PartitionLog> {
    topics.get(&tp.topic)?.partitions.get(tp.partition as usize)
}

/// The log of a topic partition a consumer can read now: `None` while it is offline.
pub fn readable_log_of<'a>(topics: &'a Topics, tp: &TopicPartition) -> Option<&'a PartitionLog> {
    let topic = topics.get(&tp.topic)?;
    topic.is_online(tp.partition).then(|| topic.partitions.get(tp.partition as usize))?
}

/// Longest topic name Kafka accepts.
pub const MAX_TOPIC_NAME_LEN: usize = 249;

/// Checks a topic name against Kafka's rules, with a reason a user can act on.
pub fn validate_topic_name(name: &str) -> Result<(), EngineError> {
    let invalid = |reason: &str| EngineError::InvalidTopicName {
        name: name.to_string(),
        reason: reason.to_string(),
    };
    if name.is_empty() {
        return Err(invalid("a topic name cannot be empty"));
    }
    if name == "." || name == ".." {
        return Err(invalid("'.' and '..' are reserved"));
    }
    let length = name.chars().count();
    if length > MAX_TOPIC_NAME_LEN {
        // The sentence quotes the name's start only: a pasted page of text would fill the form.
        let start: String = name.chars().take(40).collect();
        return Err(EngineError::InvalidTopicName { name: format!("{start}…"), reason: format!("it has {length} characters, more than the 249 allowed") });
    }
    if let Some(bad) = name.chars().find(|c| !(c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-'))) {
        return Err(invalid(&format!(
            "{bad:?} is not allowed; use only letters a-z and A-Z, digits, '.', '_' and '-'"
        )));
    }
    Ok(())
}

/// Two names collide when they are equal after mapping `.` to `_` (`Topic.hasCollision`).
pub fn names_collide(a: &str, b: &str) -> bool {
    a != b && a.replace('.', "_") == b.replace('.', "_")
}

/// `cleanup.policy`: what happens to old records.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub enum CleanupPolicy {
    /// Delete whole old segments by time (`retention.ms`) and size (`retention.bytes`).
    #[default]
    Delete,
    /// Keep the latest record per key.
    Compact,
    /// Both: compact, and delete segments past retention.
    CompactDelete,
}

impl CleanupPolicy {
    pub fn compacts(self) -> bool {
        matches!(self, CleanupPolicy::Compact | CleanupPolicy::CompactDelete)
    }
    pub fn deletes(self) -> bool {
        matches!(self, CleanupPolicy::Delete | CleanupPolicy::CompactDelete)
    }
    /// Kafka's config value.
    pub fn config_value(self) -> &'static str {
        match self {
            CleanupPolicy::Delete => "delete",
            CleanupPolicy::Compact => "compact",
            CleanupPolicy::CompactDelete => "compact,delete",
        }
    }
}

impl crate::setting::Setting for CleanupPolicy {
    const ALL: &'static [CleanupPolicy] = &[CleanupPolicy::Delete, CleanupPolicy::Compact, CleanupPolicy::CompactDelete];
    fn name(self) -> &'static str {
        self.config_value()
    }
}

/// Per-topic configuration, with Kafka's names (as fields in snake case) and defaults.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct TopicConfig {
    /// `cleanup.policy`
    pub cleanup_policy: CleanupPolicy,
    /// `retention.ms`: 7 days. -1 means keep forever; Kafka refuses anything below -1.
    pub retention_ms: i64,
    /// `retention.bytes`: -1 = no size limit (per partition).
    pub retention_bytes: i64,
    /// `segment.bytes`: 1 GiB. Kafka's minimum is [`KAFKA_MIN_SEGMENT_BYTES`]; smaller values are
    /// a teaching allowance (see [`TopicConfig::teaching_allowances`]).
    pub segment_bytes: u64,
    /// `segment.ms`: 7 days.
    pub segment_ms: u64,
    /// `delete.retention.ms`: how long tombstones survive after a cleaning saw them (1 day).
    pub delete_retention_ms: u64,
    /// `min.cleanable.dirty.ratio`: compaction starts when this share of the log is dirty.
    pub min_cleanable_dirty_ratio: f64,
    /// `message.timestamp.type`
    pub message_timestamp_type: TimestampType,
    /// `max.message.bytes`: the largest record the broker appends (0 is allowed, and refuses all).
    pub max_message_bytes: u64,
    /// `message.timestamp.before.max.ms`: how far a `CreateTime` timestamp may lag the broker's
    /// clock (unbounded, `Long.MAX_VALUE`, by default).
    pub message_timestamp_before_max_ms: u64,
    /// `message.timestamp.after.max.ms`: how far a `CreateTime` timestamp may run ahead of the
    /// broker's clock (1 hour since Kafka 4.0).
    pub message_timestamp_after_max_ms: u64,
    /// Replicas per partition. Not a topic config in Kafka but the `--replication-factor` of
    /// `CreateTopics`, kept here so creating a topic stays one command; `None` takes the
    /// broker's `default.replication.factor` ([`crate::SimConfig::default_replication_factor`]).
    pub replication_factor: Option<u32>,
    /// `min.insync.replicas` (1): how many in-sync replicas an `acks=all` send needs, and below
    /// how many the high watermark stops (capped at the replication factor).
    pub min_insync_replicas: u32,
    /// `unclean.leader.election.enable` (false): when no in-sync replica is left, let any running
    /// replica lead, losing the records it lacks, instead of keeping the partition offline.
    pub unclean_leader_election_enable: bool,
}

/// Kafka's smallest `segment.bytes` for a topic: 1 MiB since Kafka 4.0 (KIP-1030; `LogConfig`
/// allowed 14 bytes, one legacy record's overhead, before).
pub const KAFKA_MIN_SEGMENT_BYTES: u64 = 1024 * 1024;

impl Default for TopicConfig {
    fn default() -> Self {
        TopicConfig {
            cleanup_policy: CleanupPolicy::Delete,
            retention_ms: 604_800_000,
            retention_bytes: -1,
            segment_bytes: 1_073_741_824,
            segment_ms: 604_800_000,
            delete_retention_ms: 86_400_000,
            min_cleanable_dirty_ratio: 0.5,
            message_timestamp_type: TimestampType::CreateTime,
            max_message_bytes: 1_048_588,
            message_timestamp_before_max_ms: i64::MAX as u64,
            message_timestamp_after_max_ms: 3_600_000,
            replication_factor: None,
            min_insync_replicas: 1,
            unclean_leader_election_enable: false,
        }
    }
}

impl TopicConfig {
    /// Rejects values Kafka would reject (`LogConfig`'s validators), so a bad config never
    /// reaches the log. The one exception is `segment.bytes`, see [`Self::teaching_allowances`].
    pub fn validate(&self) -> Result<(), EngineError> {
        let invalid = |name: &str, reason: &str| EngineError::InvalidConfig {
            name: name.to_string(),
            reason: reason.to_string(),
        };
        if self.retention_ms < -1 {
            return Err(invalid("retention.ms", "use -1 to keep records forever, or a time of at least 0 ms"));
        }
        if self.segment_bytes == 0 {
            return Err(invalid("segment.bytes", "must be at least 1 byte"));
        }
        if self.segment_ms == 0 {
            return Err(invalid("segment.ms", "must be at least 1 ms"));
        }
        if !(0.0..=1.0).contains(&self.min_cleanable_dirty_ratio) {
            return Err(invalid("min.cleanable.dirty.ratio", "must be between 0 and 1"));
        }
        if self.min_insync_replicas == 0 {
            return Err(invalid("min.insync.replicas", "must be at least 1"));
        }
        Ok(())
    }

    /// Values this simulation accepts although Kafka would refuse them, each as a sentence the
    /// UI can show beside the setting. Today only `segment.bytes` below Kafka's 1 MiB minimum,
    /// allowed so that segments roll after a few small records.
    pub fn teaching_allowances(&self) -> Vec<&'static str> {
        self.simplifications().into_iter().filter(|s| *s == Simplification::TinySegments).map(Simplification::sentence).collect()
    }

    /// The simplifications that apply to a topic with this configuration, for its header.
    pub fn simplifications(&self) -> Vec<Simplification> {
        let mut out = Vec::new();
        if self.cleanup_policy.compacts() {
            out.extend([Simplification::CleanedSegmentsNotMerged, Simplification::CleanerSchedule]);
        }
        if self.segment_bytes < KAFKA_MIN_SEGMENT_BYTES {
            out.push(Simplification::TinySegments);
        }
        out
    }

    /// `LogValidator.validateTimestamp`: with `CreateTime`, a timestamp more than
    /// `message.timestamp.before.max.ms` behind or `message.timestamp.after.max.ms` ahead of the
    /// broker's clock is refused (`INVALID_TIMESTAMP`). `LogAppendTime` topics ignore it.
    pub fn check_timestamp(&self, topic: &str, timestamp_ms: u64, now_ms: u64) -> Result<(), EngineError> {
        if self.message_timestamp_type == TimestampType::LogAppendTime {
            return Ok(());
        }
        let earliest_ms = now_ms.saturating_sub(self.message_timestamp_before_max_ms);
        let latest_ms = now_ms.saturating_add(self.message_timestamp_after_max_ms);
        if (earliest_ms..=latest_ms).contains(&timestamp_ms) {
            return Ok(());
        }
        Err(EngineError::InvalidTimestamp { topic: topic.to_string(), timestamp_ms, earliest_ms, latest_ms })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_kafka_style_names() {
        assert!(validate_topic_name("product-created-events-topic").is_ok());
        assert!(validate_topic_name("a.b_c-9").is_ok());
        assert!(validate_topic_name(&"x".repeat(249)).is_ok());
    }

    #[test]
    fn rejects_bad_names_with_a_reason() {
        let too_long = "x".repeat(250);
        // Each bad name, and what its reason must name: the actual problem, not just any problem.
        let cases: [(&str, &str); 8] = [
            ("", "cannot be empty"),
            (".", "'.' and '..' are reserved"),
            ("..", "'.' and '..' are reserved"),
            (&too_long, "250 characters, more than the 249 allowed"),
            ("has space", "' ' is not allowed"),
            ("<script>", "'<' is not allowed"),
            ("ünïcode", "'ü' is not allowed"),
            ("orders/2024", "'/' is not allowed"),
        ];
        for (bad, expected) in cases {
            let Err(err) = validate_topic_name(bad) else { panic!("{bad:?} ({} chars) was accepted", bad.chars().count()) };
            let EngineError::InvalidTopicName { name, reason } = &err else { panic!("{bad:?} gave {err:?}") };
            if bad.len() > MAX_TOPIC_NAME_LEN {
                // Quoted by its first 40 characters, its length said.
                assert_eq!(name.chars().count(), 41, "{name}");
                assert!(bad.starts_with(name.trim_end_matches('…')) && reason.contains(&bad.chars().count().to_string()), "{err}");
            } else {
                assert_eq!(name, bad);
            }
            assert!(reason.contains(expected), "{bad:?}: reason {reason:?} does not say {expected:?}");
            assert!(err.to_string().contains(reason.as_str()), "the sentence must carry the reason: {err}");
        }
    }

    #[test]
    fn dot_and_underscore_collide() {
        assert!(names_collide("a.b", "a_b"));
        assert!(!names_collide("a.b", "a.b"));
        assert!(!names_collide("a.b", "a-b"));
    }
}
