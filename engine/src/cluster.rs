//! The simulated cluster's fixed settings: broker configs, and the client configs every producer
//! and consumer of the simulation shares.
//!
//! Each field keeps its Kafka name and default, so a scene that changes one (a short
//! `log.retention.check.interval.ms` to see retention within a lecture, for instance) says in
//! Kafka's own words what it changed. Per-topic settings are in [`crate::TopicConfig`], per-group
//! consumer settings in [`crate::GroupConfig`].

use serde::{Deserialize, Serialize};

use crate::clock::DEFAULT_START_MS;

/// Settings fixed for the life of a simulation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct SimConfig {
    pub seed: u64,
    /// Simulated milliseconds per tick.
    pub tick_ms: u64,
    /// Simulated epoch milliseconds at tick 0.
    pub start_time_ms: u64,
    /// Broker `log.retention.check.interval.ms` (5 minutes): how often the retention task runs;
    /// the simulated log cleaner (compaction) runs on the same schedule.
    pub retention_check_interval_ms: u64,
    /// Producer `batch.size` (16384): when sticky partitioning moves on.
    pub batch_size: u64,
    /// librdkafka `sticky.partitioning.linger.ms` (10).
    pub sticky_linger_ms: u64,
    /// Brokers in the cluster, one per data center.
    pub brokers: u32,
    /// Producer `max.request.size` (1048576): the producer refuses a larger record before sending.
    pub max_request_size: u64,
    /// Broker `group.min.session.timeout.ms` (6000): shorter consumer session timeouts are refused.
    pub group_min_session_timeout_ms: u64,
    /// Broker `group.max.session.timeout.ms` (1800000): longer consumer session timeouts are refused.
    pub group_max_session_timeout_ms: u64,
    /// Broker `group.initial.rebalance.delay.ms` (3000): how long an empty group's first
    /// rebalance waits for more members to join.
    pub group_initial_rebalance_delay_ms: u64,
    /// Every consumer's `metadata.max.age.ms` (300000): how often a client refreshes its cluster
    /// metadata, and so how late a group notices new partitions.
    pub metadata_max_age_ms: u64,
}

impl Default for SimConfig {
    fn default() -> Self {
        SimConfig {
            seed: 42,
            tick_ms: 100,
            start_time_ms: DEFAULT_START_MS,
            retention_check_interval_ms: 300_000,
            batch_size: 16_384,
            sticky_linger_ms: 10,
            brokers: 3,
            max_request_size: 1_048_576,
            group_min_session_timeout_ms: 6_000,
            group_max_session_timeout_ms: 1_800_000,
            group_initial_rebalance_delay_ms: 3_000,
            metadata_max_age_ms: 300_000,
        }
    }
}

impl SimConfig {
    /// Settings of the whole cluster that shortcut Kafka's defaults for a lecture.
    pub fn simplifications(&self) -> Vec<crate::simplification::Simplification> {
        use crate::simplification::Simplification;
        let defaults = SimConfig::default();
        let mut out = Vec::new();
        if self.metadata_max_age_ms < defaults.metadata_max_age_ms {
            out.push(Simplification::MetadataRefreshSooner);
        }
        if self.group_min_session_timeout_ms < defaults.group_min_session_timeout_ms {
            out.push(Simplification::SessionTimeoutBelowMinimum);
        }
        out
    }
}
