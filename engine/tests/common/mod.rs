//! Helpers for scenario tests: they only drive the public `Command` API.
#![allow(dead_code)]

use kafkascope_engine::{
    AssignorKind, Command, CommitMode, Event, GroupConfig, OffsetReset, ProduceRequest, SimConfig, Simulation, TopicConfig,
    TopicPartition,
};

pub const TOPIC: &str = "orders";

/// A cluster whose groups react at once: no `group.initial.rebalance.delay.ms`, and consumers
/// refresh their metadata (`metadata.max.age.ms`) on every tick.
pub fn instant_groups() -> SimConfig {
    SimConfig { group_initial_rebalance_delay_ms: 0, metadata_max_age_ms: 0, ..SimConfig::default() }
}

pub fn sim_with_topic(partitions: u32, config: TopicConfig) -> Simulation {
    let mut sim = Simulation::new(instant_groups());
    sim.apply(Command::CreateTopic { name: TOPIC.into(), partitions, config }).unwrap();
    sim
}

pub fn produce(sim: &mut Simulation, key: Option<&str>, value: &str) -> (u32, u64) {
    let events = sim.apply(Command::Produce(ProduceRequest::new("producer", TOPIC, key, value))).unwrap();
    appended(&events)[0]
}

pub fn appended(events: &[Event]) -> Vec<(u32, u64)> {
    events
        .iter()
        .filter_map(|e| match e {
            Event::Appended { partition, offset, .. } => Some((*partition, *offset)),
            _ => None,
        })
        .collect()
}

pub fn group_config(mode: CommitMode) -> GroupConfig {
    GroupConfig {
        commit_mode: mode,
        auto_offset_reset: OffsetReset::Earliest,
        session_timeout_ms: 6_000, // group.min.session.timeout.ms
        auto_commit_interval_ms: 1_000,
        max_poll_records: 10,
        ..GroupConfig::default()
    }
}

pub fn create_group(sim: &mut Simulation, group: &str, config: GroupConfig) {
    sim.apply(Command::CreateGroup { group: group.into(), config }).unwrap();
}

/// Adds a consumer and returns its member id.
pub fn add_consumer(sim: &mut Simulation, group: &str, client: &str) -> String {
    let events = sim
        .apply(Command::AddConsumer {
            group: group.into(),
            client_id: client.into(),
            group_instance_id: None,
            topics: vec![TOPIC.into()],
        })
        .unwrap();
    events
        .iter()
        .find_map(|e| match e {
            Event::MemberJoined { member_id, .. } => Some(member_id.clone()),
            _ => None,
        })
        .expect("a join event")
}

pub fn ticks(sim: &mut Simulation, n: usize) -> Vec<Event> {
    (0..n).flat_map(|_| sim.step()).collect()
}

pub fn tp(p: u32) -> TopicPartition {
    TopicPartition::new(TOPIC, p)
}

/// Offsets of `partition` processed by `group`, in order, duplicates included.
pub fn processed(events: &[Event], group_name: &str, partition: u32) -> Vec<u64> {
    events
        .iter()
        .filter_map(|e| match e {
            Event::Processed { group, partition: p, from, to, .. } if group == group_name && p.partition == partition => {
                Some(*from..*to)
            }
            _ => None,
        })
        .flatten()
        .collect()
}

/// How many cases each property runs: 10,000 unless `PROPTEST_CASES` says otherwise. Failures
/// are reported with their minimal input rather than saved to regression files.
pub fn proptest_config() -> proptest::prelude::ProptestConfig {
    let cases = std::env::var("PROPTEST_CASES").ok().and_then(|c| c.parse().ok()).unwrap_or(10_000);
    proptest::prelude::ProptestConfig { cases, failure_persistence: None, ..proptest::prelude::ProptestConfig::default() }
}

/// The cluster the consumer-side properties start from: a broker that accepts short sessions
/// (group.min.session.timeout.ms) and delays first rebalances briefly, and consumers that refresh
/// metadata often, so that sequences of a few dozen ticks reach session timeouts, delayed first
/// rebalances and partition-count changes.
pub fn property_sim_config() -> SimConfig {
    SimConfig {
        retention_check_interval_ms: 500,
        batch_size: 40,
        group_min_session_timeout_ms: 600,
        group_initial_rebalance_delay_ms: 300,
        metadata_max_age_ms: 500,
        ..SimConfig::default()
    }
}

/// The properties' `i`-th group (0 to 2): one per commit mode (auto-commit, process-then-commit
/// for at-least-once, commit-then-process for at-most-once), each with a different assignor.
pub fn property_group_config(i: usize) -> GroupConfig {
    GroupConfig {
        assignor: [AssignorKind::Range, AssignorKind::CooperativeSticky, AssignorKind::RoundRobin][i],
        commit_mode: [CommitMode::AutoCommit, CommitMode::ProcessThenCommit, CommitMode::CommitThenProcess][i],
        auto_offset_reset: OffsetReset::Earliest,
        session_timeout_ms: 600,
        auto_commit_interval_ms: 300,
        max_poll_records: 2,
        processing_rate: None,
    }
}
