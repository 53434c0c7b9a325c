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
    /// Broker `default.replication.factor` (1): replicas per partition of a topic created without
    /// one. The course's scenes ask for 3.
    pub default_replication_factor: u32,
    /// Broker `replica.lag.time.max.ms` (30000): a follower that has not caught up with the
    /// leader's log end for this long leaves the ISR.
    pub replica_lag_time_max_ms: u64,
    /// Broker `replica.fetch.max.bytes` (1048576): most bytes a follower fetch returns per
    /// partition (at least one record). Lower it to watch a follower fall behind.
    pub replica_fetch_max_bytes: u64,
    /// Broker `auto.leader.rebalance.enable` (true): move leadership back to preferred leaders
    /// that are in sync, `leader.imbalance.check.interval.seconds` after an imbalance appears.
    pub auto_leader_rebalance_enable: bool,
    /// Broker `leader.imbalance.check.interval.seconds` (300), in milliseconds.
    pub leader_imbalance_check_interval_ms: u64,
    /// Producer `request.timeout.ms` (30000): how long a producer waits for an acknowledgement
    /// before it gives the request up and retries.
    pub request_timeout_ms: u64,
    /// Producer `delivery.timeout.ms` (120000): after this long since the first send, a record
    /// still not acknowledged fails for good.
    pub delivery_timeout_ms: u64,
    /// Producer `retry.backoff.ms` (100): the wait before the first retry; it doubles per
    /// attempt up to `retry.backoff.max.ms` (1000).
    pub retry_backoff_ms: u64,
    /// Producer `retry.backoff.max.ms` (1000).
    pub retry_backoff_max_ms: u64,
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
            default_replication_factor: 1,
            replica_lag_time_max_ms: 30_000,
            replica_fetch_max_bytes: 1_048_576,
            auto_leader_rebalance_enable: true,
            leader_imbalance_check_interval_ms: 300_000,
            request_timeout_ms: 30_000,
            delivery_timeout_ms: 120_000,
            retry_backoff_ms: 100,
            retry_backoff_max_ms: 1_000,
        }
    }
}
