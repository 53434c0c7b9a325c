//! Replication invariants over random command sequences with broker stops and starts among them
//! (10,000 sequences per property and run; set PROPTEST_CASES to change that).
//!
//! Two replicated topics: `safe` (RF 3, min ISR 2, clean elections only) and `risky` (RF 3,
//! min ISR 1, `unclean.leader.election.enable=true`). Producers send with every `acks`, with and
//! without idempotence, lose acknowledgements, and the brokers stop and start in any order, with a
//! small `replica.fetch.max.bytes` and short lag and request timeouts so that followers fall
//! behind, ISRs shrink and grow, elections and truncations happen and retries run.

use std::collections::BTreeMap;

use kafkascope_engine::{
    Acks, CommitMode, Command, Event, GroupConfig, History, OffsetReset, ProduceRequest, ProducerConfig, Scenario, SimConfig, Simulation,
    TopicConfig,
};
use proptest::prelude::*;

mod common;

const SAFE: &str = "safe";
const RISKY: &str = "risky";
const PRODUCERS: [&str; 2] = ["products", "profiles"];

#[derive(Debug, Clone)]
enum Op {
    Produce { topic: usize, producer: usize, key: Option<u8>, acks: u8, idempotent: bool },
    Tick(u8),
    Stop(u32),
    Start(u32),
    LoseAcknowledgement(usize),
    ElectPreferredLeaders,
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        6 => (0..2usize, 0..2usize, proptest::option::weighted(0.7, 0..8u8), 0..3u8, proptest::bool::weighted(0.7))
            .prop_map(|(topic, producer, key, acks, idempotent)| Op::Produce { topic, producer, key, acks, idempotent }),
        5 => (1..5u8).prop_map(Op::Tick),
        2 => (1..4u32).prop_map(Op::Stop),
        2 => (1..4u32).prop_map(Op::Start),
        1 => (0..2usize).prop_map(Op::LoseAcknowledgement),
        1 => Just(Op::ElectPreferredLeaders),
    ]
}

fn ops() -> impl Strategy<Value = Vec<Op>> {
    proptest::collection::vec(op(), 1..60)
}

fn sim_config() -> SimConfig {
    SimConfig {
        group_initial_rebalance_delay_ms: 0,
        metadata_max_age_ms: 500,
        replica_fetch_max_bytes: 30,
        replica_lag_time_max_ms: 600,
        request_timeout_ms: 500,
        delivery_timeout_ms: 3_000,
        leader_imbalance_check_interval_ms: 1_500,
        ..SimConfig::default()
    }
}

fn setup_commands() -> Vec<Command> {
    let topic = |name: &str, partitions, min_insync_replicas, unclean| Command::CreateTopic {
        name: name.into(),
        partitions,
        config: TopicConfig {
            replication_factor: Some(3),
            min_insync_replicas,
            unclean_leader_election_enable: unclean,
            retention_ms: -1,
            ..TopicConfig::default()
        },
    };
    let group = GroupConfig { auto_offset_reset: OffsetReset::Earliest, commit_mode: CommitMode::AutoCommit, session_timeout_ms: 6_000, max_poll_records: 3, ..GroupConfig::default() };
    vec![
        topic(SAFE, 3, 2, false),
        topic(RISKY, 2, 1, true),
        Command::StartProducer { client_id: PRODUCERS[0].into(), topic: SAFE.into() },
        Command::CreateGroup { group: "sms".into(), config: group },
        Command::AddConsumer { group: "sms".into(), client_id: "sms-1".into(), group_instance_id: None, topics: vec![SAFE.into(), RISKY.into()] },
    ]
}

fn setup() -> Simulation {
    let mut sim = Simulation::new(sim_config());
    for command in setup_commands() {
        sim.apply(command).unwrap();
    }
    sim
}

fn resolve(op: &Op, seq: usize) -> Command {
    match op {
        Op::Produce { topic, producer, key, acks, idempotent } => {
            let acks = [Acks::Zero, Acks::One, Acks::All][*acks as usize];
            let topic = [SAFE, RISKY][*topic];
            let key = key.map(|k| format!("k{k}"));
            let request = ProduceRequest::new(PRODUCERS[*producer], topic, key.as_deref(), &format!("seq-{seq:04}"));
            Command::Produce(request.with_config(ProducerConfig { acks, enable_idempotence: *idempotent }))
        }
        Op::Tick(_) => Command::Tick,
        Op::Stop(broker) => Command::StopBroker { broker: *broker },
        Op::Start(broker) => Command::StartBroker { broker: *broker },
        Op::LoseAcknowledgement(p) => Command::LoseAcknowledgement { producer: PRODUCERS[*p].into() },
        Op::ElectPreferredLeaders => Command::ElectPreferredLeaders,
    }
}

/// The accepted commands of a run with their events, and every state after one.
struct Run {
    start: Simulation,
    accepted: Vec<(Command, Vec<Event>)>,
    states: Vec<Simulation>,
}

/// Applies the ops; at the end every broker is started and the cluster given time to recover.
/// A refused command must leave the state untouched.
fn run(ops: &[Op]) -> Run {
    let start = setup();
    let mut sim = start.clone();
    let (mut accepted, mut states) = (Vec::new(), Vec::new());
    let mut apply = |sim: &mut Simulation, command: Command| {
        let before = sim.clone();
        match sim.apply(command.clone()) {
            Ok(events) => {
                accepted.push((command, events));
                states.push(sim.clone());
            }
            Err(_) => assert_eq!(sim.fingerprint(), before.fingerprint(), "a refused command changed the state"),
        }
    };
    for (seq, op) in ops.iter().enumerate() {
        let repeats = if let Op::Tick(n) = op { *n as usize } else { 1 };
        for _ in 0..repeats {
            apply(&mut sim, resolve(op, seq));
        }
    }
    for broker in 1..=3 {
        apply(&mut sim, Command::StartBroker { broker });
    }
    for _ in 0..30 {
        apply(&mut sim, Command::Tick);
    }
    Run { start, accepted, states }
}

fn value_at(sim: &Simulation, topic: &str, partition: u32, offset: u64) -> Option<String> {
    let record = sim.log(topic, partition)?.get(offset)?;
    Some(String::from_utf8_lossy(record.value.as_deref()?).into_owned())
}

proptest! {
    #![proptest_config(common::proptest_config())]

    /// Every record acknowledged with `acks=all` on the clean topic stays at its offset in the
    /// leader's log whenever the partition has a leader, and after the cluster recovered.
    #[test]
    fn an_acks_all_acknowledged_record_is_never_lost_under_clean_election(ops in ops()) {
        let run = run(&ops);
        let mut acked: BTreeMap<(u32, u64), String> = BTreeMap::new();
        for ((_, events), sim) in run.accepted.iter().zip(&run.states) {
            for e in events {
                if let Event::Acknowledged { topic, partition, offset, acks: Acks::All, .. } = e {
                    if topic == SAFE {
                        let value = value_at(sim, SAFE, *partition, *offset);
                        prop_assert!(value.is_some(), "acknowledged {}-{}@{} is not in the leader's log", topic, partition, offset);
                        acked.insert((*partition, *offset), value.unwrap());
                    }
                }
            }
            for ((partition, offset), value) in &acked {
                if sim.topic(SAFE).unwrap().is_online(*partition) {
                    prop_assert_eq!(value_at(sim, SAFE, *partition, *offset), Some(value.clone()), "{}-{}@{} lost", SAFE, partition, offset);
                }
            }
        }
        let last = run.states.last().unwrap();
        for ((partition, offset), value) in &acked {
            prop_assert!(last.topic(SAFE).unwrap().is_online(*partition));
            prop_assert_eq!(value_at(last, SAFE, *partition, *offset), Some(value.clone()));
        }
    }

    /// While a broker leads a partition in one leader epoch, its high watermark only grows.
    #[test]
    fn the_high_watermark_never_goes_back_on_a_leader(ops in ops()) {
        let run = run(&ops);
        let mut seen: BTreeMap<(String, u32), (u32, u32, u64)> = BTreeMap::new();
        for sim in &run.states {
            for topic in sim.topics().values() {
                for (p, state) in topic.replication.iter().enumerate() {
                    let Some(leader) = state.leader else { continue };
                    let hw = topic.partitions[p].high_watermark();
                    let key = (topic.name.clone(), p as u32);
                    if let Some(&(l, epoch, before)) = seen.get(&key) {
                        if l == leader && epoch == state.leader_epoch {
                            prop_assert!(hw >= before, "{}-{}: HW {} after {} on leader {}", topic.name, p, hw, before, leader);
                        }
                    }
                    seen.insert(key, (leader, state.leader_epoch, hw));
                }
            }
        }
    }

    /// The ISR of a partition with a leader holds only replicas on running brokers, and the
    /// leader; an offline partition keeps exactly its last in-sync replica (no ELR). The leader
    /// is always in the ISR: an unclean election makes it the whole ISR, and only on the topic
    /// that allows it.
    #[test]
    fn the_isr_holds_only_running_replicas_and_the_leader(ops in ops()) {
        let run = run(&ops);
        for sim in &run.states {
            for topic in sim.topics().values() {
                for (p, state) in topic.replication.iter().enumerate() {
                    let replicas = &topic.replicas[p];
                    prop_assert!(!state.isr.is_empty() && state.isr.iter().all(|b| replicas.contains(b)));
                    match state.leader {
                        Some(leader) => {
                            prop_assert!(state.isr.contains(&leader), "{}-{}: leader {} not in ISR {:?}", topic.name, p, leader, state.isr);
                            for b in &state.isr {
                                prop_assert!(sim.brokers().iter().any(|x| x.id == *b && x.online), "{}-{}: ISR {:?} holds stopped broker {}", topic.name, p, state.isr, b);
                            }
                        }
                        None => prop_assert_eq!(state.isr.len(), 1, "{}-{} offline", topic.name, p),
                    }
                    prop_assert!(!state.unclean_leader || topic.config.unclean_leader_election_enable);
                }
            }
        }
    }

    /// Offsets are never reused for committed records: once a leader's HW covered an offset of
    /// the clean topic, no later append gets it, and within a leader epoch appends get
    /// consecutive offsets. In-sync replicas hold the leader's records below the HW.
    #[test]
    fn committed_offsets_are_never_reused(ops in ops()) {
        let run = run(&ops);
        let mut committed: BTreeMap<u32, u64> = BTreeMap::new();
        let mut last_append: BTreeMap<(String, u32), (u32, u64)> = BTreeMap::new();
        for ((_, events), sim) in run.accepted.iter().zip(&run.states) {
            for e in events {
                let Event::Appended { topic, partition, offset, leader_epoch: epoch, .. } = e else { continue };
                if topic == SAFE {
                    prop_assert!(*offset >= committed.get(partition).copied().unwrap_or(0), "{}-{}@{} reused", topic, partition, offset);
                }
                if let Some(&(e0, o0)) = last_append.get(&(topic.clone(), *partition)) {
                    if e0 == *epoch {
                        prop_assert_eq!(*offset, o0 + 1, "{}-{} in epoch {}", topic, partition, epoch);
                    }
                }
                last_append.insert((topic.clone(), *partition), (*epoch, *offset));
            }
            let topic = sim.topic(SAFE).unwrap();
            for (p, state) in topic.replication.iter().enumerate() {
                if state.leader.is_none() {
                    continue;
                }
                let log = &topic.partitions[p];
                let hw = log.high_watermark();
                committed.insert(p as u32, committed.get(&(p as u32)).copied().unwrap_or(0).max(hw));
                for b in &state.isr {
                    let replica = topic.replica_log(p as u32, *b).unwrap();
                    let mine: Vec<_> = replica.range(0, hw).map(|r| (r.offset, r.value.clone())).collect();
                    let leaders: Vec<_> = log.range(0, hw.min(replica.log_end_offset())).map(|r| (r.offset, r.value.clone())).collect();
                    prop_assert_eq!(mine, leaders, "{}-{}: in-sync replica {} differs below the HW", SAFE, p, b);
                }
            }
        }
    }

    /// The same commands from the same start give the same events and state, through a scenario
    /// file too.
    /// An idempotent producer's records stay in the order they were sent in each partition's
    /// leader log, through retries, held sends, elections and truncations: their sequence
    /// numbers only grow with the offset (gaps are allowed: a send that gave up leaves one).
    #[test]
    fn an_idempotent_producers_records_keep_their_order_in_a_partition(ops in ops()) {
        let run = run(&ops);
        for sim in &run.states {
            for (topic, partitions) in [(SAFE, 3), (RISKY, 2)] {
                for partition in 0..partitions {
                    let Some(log) = sim.log(topic, partition) else { continue };
                    let mut last: BTreeMap<u64, (u32, u64)> = BTreeMap::new();
                    for record in log.records() {
                        let Some(stamp) = record.sequence else { continue };
                        if let Some(&(before, at)) = last.get(&stamp.producer_id) {
                            prop_assert!(stamp.sequence > before, "{topic}-{partition}: sequence {} at offset {} after {before} at offset {at}", stamp.sequence, record.offset);
                        }
                        last.insert(stamp.producer_id, (stamp.sequence, record.offset));
                    }
                }
            }
        }
    }

    #[test]
    fn replay_is_deterministic(ops in ops()) {
        let run = run(&ops);
        let mut replayed = run.start.clone();
        for (command, events) in &run.accepted {
            prop_assert_eq!(&replayed.apply(command.clone()).unwrap(), events);
        }
        let last = run.states.last().unwrap();
        prop_assert_eq!(replayed.fingerprint(), last.fingerprint());
        let mut commands = setup_commands();
        commands.extend(run.accepted.iter().map(|(c, _)| c.clone()));
        let json = Scenario::new("replication", sim_config(), commands).to_json();
        prop_assert_eq!(Scenario::from_json(&json).unwrap().replay().unwrap().current().fingerprint(), last.fingerprint());
    }

    /// Once every broker runs and nothing more is sent, replication converges: every replica
    /// of every partition is in the ISR and holds the leader's whole log, and the high watermark
    /// is the log end offset. (A follower that kept a leader epoch no record carried, after a
    /// preferred election moved the leadership off a broker with an uncommitted record, used to
    /// be told its history diverged on every fetch and never copied another record.)
    #[test]
    fn replication_converges_once_every_broker_runs(ops in ops()) {
        let run = run(&ops);
        let mut sim = run.states.last().unwrap().clone();
        // Past the delivery timeout: no retry is left to append anything.
        for _ in 0..80 {
            sim.apply(Command::Tick).unwrap();
        }
        for topic in sim.topics().values() {
            for (p, state) in topic.replication.iter().enumerate() {
                let p = p as u32;
                let end = topic.partitions[p as usize].log_end_offset();
                prop_assert_eq!(topic.partitions[p as usize].high_watermark(), end, "{}-{}: HW below the log end", topic.name, p);
                prop_assert_eq!(state.isr.len(), 3, "{}-{}: ISR {:?}", topic.name, p, state.isr);
                for &broker in &topic.replicas[p as usize] {
                    let leo = topic.replica_log(p, broker).map(|l| l.log_end_offset());
                    prop_assert_eq!(leo, Some(end), "{}-{}: broker {} behind the leader", topic.name, p, broker);
                }
            }
        }
    }

    /// Stepping back and forward through the history gives exactly the recorded states.
    #[test]
    fn stepping_back_and_forward_is_exact(ops in ops(), back in 0usize..120, seek in 0usize..120) {
        let run = run(&ops);
        let mut history = History::starting_from(run.start.clone());
        let mut prints = vec![history.current().fingerprint()];
        for (command, _) in &run.accepted {
            history.apply(command.clone()).unwrap();
            prints.push(history.current().fingerprint());
        }
        let n = history.len();
        let back = back.min(n);
        for _ in 0..back { prop_assert!(history.step_back()); }
        prop_assert_eq!(&history.current().fingerprint(), &prints[n - back]);
        for _ in 0..back { prop_assert!(history.step_forward().is_some()); }
        prop_assert_eq!(&history.current().fingerprint(), &prints[n]);
        history.seek(seek.min(n));
        prop_assert_eq!(&history.current().fingerprint(), &prints[seek.min(n)]);
    }
}

/// The sequences must really meet what the properties speak of.
#[test]
fn generated_sequences_reach_elections_truncations_isr_changes_and_retries() {
    use proptest::strategy::ValueTree;
    use proptest::test_runner::TestRunner;
    let mut runner = TestRunner::deterministic();
    let mut seen: BTreeMap<&str, usize> = BTreeMap::new();
    for _ in 0..300 {
        let ops = ops().new_tree(&mut runner).unwrap().current();
        for (_, events) in run(&ops).accepted {
            for e in events {
                let kind = match e {
                    Event::LeaderElected { lost: Some(_), .. } => "records lost",
                    Event::LeaderElected { election: kafkascope_engine::Election::Clean, .. } => "clean election",
                    Event::LeaderElected { election: kafkascope_engine::Election::Unclean, .. } => "unclean election",
                    Event::LeaderElected { election: kafkascope_engine::Election::Preferred, .. } => "preferred election",
                    Event::PartitionOffline { .. } => "offline",
                    Event::ReplicaTruncated { .. } => "truncation",
                    Event::IsrShrunk { reason: kafkascope_engine::IsrShrinkReason::Lagging, .. } => "lagging follower",
                    Event::IsrExpanded { .. } => "isr expanded",
                    Event::DuplicateDropped { .. } => "duplicate dropped",
                    Event::DuplicateWritten { .. } => "duplicate written",
                    Event::SendFailed { .. } => "send failed",
                    Event::Acknowledged { acks: Acks::All, .. } => "acks=all acknowledged",
                    _ => continue,
                };
                *seen.entry(kind).or_insert(0) += 1;
            }
        }
    }
    let kinds = [
        "records lost", "clean election", "unclean election", "preferred election", "offline", "truncation", "lagging follower", "isr expanded",
        "duplicate dropped", "duplicate written", "send failed", "acks=all acknowledged",
    ];
    for kind in kinds {
        assert!(seen.get(kind).copied().unwrap_or(0) >= 10, "{kind} too rare in 300 sequences: {seen:?}");
    }
}
