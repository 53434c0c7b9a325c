//! The simulated cluster's fixed settings: broker configs, and the client configs every producer
//! and consumer of the simulation shares.
//!
//! Each field keeps its Kafka name and default, so a scene that changes one (a short
//! `log.retention.check.interval.ms` to see retention within a lecture, for instance) says in
//! Kafka's own words what it changed. Per-topic settings are in [`crate::TopicConfig`], per-group
//! consumer settings in [`crate::GroupConfig`].
//!
//! The names and defaults are those of Kafka's config definitions: `ServerLogConfigs` and
//! `ReplicationConfigs` for the brokers, `ProducerConfig` and `ConsumerConfig` for the clients.

use serde::{Deserialize, Serialize};

use crate::clock::DEFAULT_START_MS;
use crate::error::EngineError;

/// Settings fixed for the life of a simulation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
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

/// Longest tick: one simulated second. A stream sends `rate × tick_ms / 1000` records per tick,
/// so longer ticks would let one tick append millions of records.
pub const MAX_TICK_MS: u64 = 1_000;
/// Latest start: 9999-12-31T23:59:59.999Z. Kafka timestamps are milliseconds since 1970 in a
/// signed 64-bit number; keeping the start below the year 10000 leaves the simulated clock
/// (`start + tick × tick_ms`) room for longer than any history can run.
pub const MAX_START_TIME_MS: u64 = 253_402_300_799_999;
/// Most brokers a simulated cluster may have (each is drawn, and placement visits them all).
pub const MAX_BROKERS: u32 = 64;
/// librdkafka's upper bound for `sticky.partitioning.linger.ms`.
pub const MAX_STICKY_LINGER_MS: u64 = 900_000;
/// Kafka's `INT` configs stop at `Integer.MAX_VALUE`.
const INT_MAX: u64 = i32::MAX as u64;
/// Kafka's `LONG` configs stop at `Long.MAX_VALUE`.
const LONG_MAX: u64 = i64::MAX as u64;

impl SimConfig {
    /// Refuses settings Kafka would refuse, and settings that would make the simulation allocate
    /// absurdly (four billion brokers) or overflow its clock (a start near `u64::MAX`), each with
    /// a sentence naming the setting, its value and the range it must lie in. A scenario's config
    /// is checked with this before anything is built from it.
    pub fn validate(&self) -> Result<(), EngineError> {
        let bounds: [(&str, u64, u64, u64, &str); 18] = [
            ("tick_ms", self.tick_ms, 1, MAX_TICK_MS, "simulated milliseconds per tick"),
            ("start_time_ms", self.start_time_ms, 0, MAX_START_TIME_MS, "milliseconds since 1970 (up to the year 9999)"),
            ("log.retention.check.interval.ms", self.retention_check_interval_ms, 1, LONG_MAX, "ms"),
            ("batch.size", self.batch_size, 0, INT_MAX, "bytes"),
            ("sticky.partitioning.linger.ms", self.sticky_linger_ms, 0, MAX_STICKY_LINGER_MS, "ms"),
            ("brokers", u64::from(self.brokers), 1, u64::from(MAX_BROKERS), "brokers"),
            ("max.request.size", self.max_request_size, 0, INT_MAX, "bytes"),
            ("group.max.session.timeout.ms", self.group_max_session_timeout_ms, 0, INT_MAX, "ms"),
            ("group.initial.rebalance.delay.ms", self.group_initial_rebalance_delay_ms, 0, INT_MAX, "ms"),
            ("metadata.max.age.ms", self.metadata_max_age_ms, 0, LONG_MAX, "ms"),
            ("default.replication.factor", u64::from(self.default_replication_factor), 1, u64::from(MAX_BROKERS), "replicas"),
            ("replica.lag.time.max.ms", self.replica_lag_time_max_ms, 0, LONG_MAX, "ms"),
            ("replica.fetch.max.bytes", self.replica_fetch_max_bytes, 0, INT_MAX, "bytes"),
            ("leader.imbalance.check.interval.seconds", self.leader_imbalance_check_interval_ms, 1, LONG_MAX, "ms (this simulation keeps it in milliseconds)"),
            ("request.timeout.ms", self.request_timeout_ms, 0, INT_MAX, "ms"),
            ("delivery.timeout.ms", self.delivery_timeout_ms, 0, INT_MAX, "ms"),
            ("retry.backoff.ms", self.retry_backoff_ms, 0, LONG_MAX, "ms"),
            ("retry.backoff.max.ms", self.retry_backoff_max_ms, 0, LONG_MAX, "ms"),
        ];
        for (name, value, min, max, unit) in bounds {
            if !(min..=max).contains(&value) {
                return Err(invalid(name, format!("it must be between {min} and {max} {unit}, and it is {value}")));
            }
        }
        if self.group_min_session_timeout_ms > self.group_max_session_timeout_ms {
            let (min, max) = (self.group_min_session_timeout_ms, self.group_max_session_timeout_ms);
            return Err(invalid(
                "group.min.session.timeout.ms",
                format!("it is {min} ms, above group.max.session.timeout.ms = {max} ms, so no consumer could ever join"),
            ));
        }
        // `KafkaProducer` refuses a delivery timeout shorter than one request's wait (plus
        // `linger.ms`, 0 here): a record could expire before its first answer was due.
        if self.delivery_timeout_ms < self.request_timeout_ms {
            let (delivery, request) = (self.delivery_timeout_ms, self.request_timeout_ms);
            return Err(invalid(
                "delivery.timeout.ms",
                format!("it is {delivery} ms, below request.timeout.ms = {request} ms: it must be at least linger.ms + request.timeout.ms, so a send can wait for its answer"),
            ));
        }
        Ok(())
    }
}

fn invalid(name: &str, reason: String) -> EngineError {
    EngineError::InvalidConfig { name: name.to_string(), reason }
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_default_config_is_valid_and_absurd_ones_are_refused_by_name() {
        assert_eq!(SimConfig::default().validate(), Ok(()));
        let cases = [
            (SimConfig { brokers: 4_000_000_000, ..SimConfig::default() }, "brokers"),
            (SimConfig { brokers: 0, ..SimConfig::default() }, "brokers"),
            (SimConfig { start_time_ms: u64::MAX - 5, ..SimConfig::default() }, "start_time_ms"),
            (SimConfig { tick_ms: 0, ..SimConfig::default() }, "tick_ms"),
            (SimConfig { tick_ms: u64::MAX, ..SimConfig::default() }, "tick_ms"),
            (SimConfig { retention_check_interval_ms: 0, ..SimConfig::default() }, "log.retention.check.interval.ms"),
            (SimConfig { sticky_linger_ms: u64::MAX, ..SimConfig::default() }, "sticky.partitioning.linger.ms"),
            (SimConfig { group_initial_rebalance_delay_ms: u64::MAX, ..SimConfig::default() }, "group.initial.rebalance.delay.ms"),
            (SimConfig { leader_imbalance_check_interval_ms: u64::MAX, ..SimConfig::default() }, "leader.imbalance.check.interval.seconds"),
            (SimConfig { retry_backoff_max_ms: u64::MAX, ..SimConfig::default() }, "retry.backoff.max.ms"),
            (SimConfig { request_timeout_ms: u64::MAX, ..SimConfig::default() }, "request.timeout.ms"),
            (SimConfig { default_replication_factor: 0, ..SimConfig::default() }, "default.replication.factor"),
            (SimConfig { group_min_session_timeout_ms: 60_000, group_max_session_timeout_ms: 6_000, ..SimConfig::default() }, "group.min.session.timeout.ms"),
            (SimConfig { delivery_timeout_ms: 10_000, request_timeout_ms: 30_000, ..SimConfig::default() }, "delivery.timeout.ms"),
        ];
        // Equal is allowed: the check is "at least".
        assert_eq!(SimConfig { delivery_timeout_ms: 30_000, request_timeout_ms: 30_000, ..SimConfig::default() }.validate(), Ok(()));
        for (config, name) in cases {
            let err = config.validate().unwrap_err();
            assert!(matches!(&err, EngineError::InvalidConfig { name: n, .. } if n == name), "{name}: {err:?}");
            assert!(err.to_string().contains(name), "{err}");
        }
    }
}
