//! Helpers for the replication scenario tests: they drive only the public `Command` API and read
//! the state through public accessors.
#![allow(dead_code)]

use kafkascope_engine::{Acks, Command, EngineError, Event, ProduceRequest, ProducerConfig, SimConfig, Simulation, TopicConfig};

pub const T: &str = "orders";
pub const PRODUCER: &str = "products";

/// The course's cluster (three brokers in dc-1..dc-3) with groups that react at once.
pub fn sim_config() -> SimConfig {
    SimConfig { group_initial_rebalance_delay_ms: 0, metadata_max_age_ms: 0, ..SimConfig::default() }
}

pub fn topic_config(replication_factor: u32, min_insync_replicas: u32, unclean: bool) -> TopicConfig {
    TopicConfig { replication_factor: Some(replication_factor), min_insync_replicas, unclean_leader_election_enable: unclean, ..TopicConfig::default() }
}

/// A cluster with topic `orders`: `partitions` partitions of `config`.
pub fn cluster_with(sim_config: SimConfig, partitions: u32, config: TopicConfig) -> Simulation {
    let mut sim = Simulation::new(sim_config);
    sim.apply(Command::CreateTopic { name: T.into(), partitions, config }).unwrap();
    sim
}

/// One partition with three replicas.
pub fn rf3(min_insync_replicas: u32, unclean: bool) -> Simulation {
    cluster_with(sim_config(), 1, topic_config(3, min_insync_replicas, unclean))
}

pub fn replicas(sim: &Simulation, p: u32) -> Vec<u32> {
    sim.topic(T).unwrap().replicas[p as usize].clone()
}
pub fn leader(sim: &Simulation, p: u32) -> Option<u32> {
    sim.topic(T).unwrap().leader(p)
}
pub fn isr(sim: &Simulation, p: u32) -> Vec<u32> {
    sim.topic(T).unwrap().replication[p as usize].isr.clone()
}
pub fn epoch(sim: &Simulation, p: u32) -> u32 {
    sim.topic(T).unwrap().replication[p as usize].leader_epoch
}
/// The partition's (leader's) high watermark and log end offset.
pub fn hw_leo(sim: &Simulation, p: u32) -> (u64, u64) {
    let log = sim.log(T, p).unwrap();
    (log.high_watermark(), log.log_end_offset())
}
/// A replica's own log end offset and high watermark.
pub fn replica_leo_hw(sim: &Simulation, p: u32, broker: u32) -> (u64, u64) {
    let log = sim.topic(T).unwrap().replica_log(p, broker).unwrap();
    (log.log_end_offset(), log.high_watermark())
}
/// Values of a replica's log, in offset order.
pub fn replica_values(sim: &Simulation, p: u32, broker: u32) -> Vec<String> {
    let log = sim.topic(T).unwrap().replica_log(p, broker).unwrap();
    log.records().map(|r| String::from_utf8_lossy(r.value.as_deref().unwrap_or_default()).into_owned()).collect()
}

pub fn request(value: &str, acks: Acks, enable_idempotence: bool) -> ProduceRequest {
    let mut r = ProduceRequest::new(PRODUCER, T, None, value).with_config(ProducerConfig { acks, enable_idempotence });
    r.partition = Some(0);
    r
}

/// Sends `value` to partition 0 with `acks`.
pub fn send(sim: &mut Simulation, value: &str, acks: Acks, enable_idempotence: bool) -> Result<Vec<Event>, EngineError> {
    sim.apply(Command::Produce(request(value, acks, enable_idempotence)))
}

pub fn ticks(sim: &mut Simulation, n: usize) -> Vec<Event> {
    (0..n).flat_map(|_| sim.step()).collect()
}

pub fn stop(sim: &mut Simulation, broker: u32) -> Vec<Event> {
    sim.apply(Command::StopBroker { broker }).unwrap()
}
pub fn start(sim: &mut Simulation, broker: u32) -> Vec<Event> {
    sim.apply(Command::StartBroker { broker }).unwrap()
}

/// Offsets acknowledged to the producer, in order.
pub fn acknowledged(events: &[Event]) -> Vec<u64> {
    events.iter().filter_map(|e| if let Event::Acknowledged { offset, .. } = e { Some(*offset) } else { None }).collect()
}
pub fn appended_offsets(events: &[Event]) -> Vec<u64> {
    events.iter().filter_map(|e| if let Event::Appended { offset, .. } = e { Some(*offset) } else { None }).collect()
}
