//! Property tests: invariants over random command sequences (10,000 sequences per property and
//! run; set PROPTEST_CASES to change that).
//!
//! Sequences mix keyed, keyless and tombstone produces through every partitioner, ticks, consumers
//! joining, leaving and crashing, assignor and commit-mode changes, partition growth and log
//! cleaning, on a delete-policy topic and a compacted topic with tiny segments so that retention
//! and compaction really happen.

use std::collections::{BTreeMap, BTreeSet};

use kafkascope_engine::partitioner::LibrdkafkaPartitioner;
use kafkascope_engine::{
    AssignorKind, Bytes, CleanupPolicy, Command, CommitMode, Event, GroupConfig, History, OffsetReset, Partitioner,
    ProduceRequest, Scenario, SimConfig, Simulation, TopicConfig,
};
use proptest::prelude::*;

const TOPICS: [&str; 2] = ["events", "changelog"];
const GROUPS: [&str; 2] = ["g0", "g1"];

#[derive(Debug, Clone)]
enum Op {
    Produce { topic: usize, key: Option<u8>, tombstone: bool, partitioner: u8, explicit: Option<u8> },
    Tick(u8),
    AddConsumer(usize),
    RemoveConsumer(usize, usize),
    Crash(usize, usize),
    AddPartitions(usize),
    SetAssignor(usize, u8),
    SetCommitMode(usize, u8),
    CleanLogs,
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        6 => (0..2usize, proptest::option::weighted(0.8, 0..6u8), proptest::bool::weighted(0.1), 0..6u8, proptest::option::weighted(0.1, 0..5u8))
            .prop_map(|(topic, key, tombstone, partitioner, explicit)| Op::Produce { topic, key, tombstone, partitioner, explicit }),
        4 => (1..4u8).prop_map(Op::Tick),
        2 => (0..2usize).prop_map(Op::AddConsumer),
        1 => (0..2usize, 0..4usize).prop_map(|(g, i)| Op::RemoveConsumer(g, i)),
        1 => (0..2usize, 0..4usize).prop_map(|(g, i)| Op::Crash(g, i)),
        1 => (0..2usize).prop_map(Op::AddPartitions),
        1 => (0..2usize, 0..3u8).prop_map(|(g, k)| Op::SetAssignor(g, k)),
        1 => (0..2usize, 0..3u8).prop_map(|(g, m)| Op::SetCommitMode(g, m)),
        1 => Just(Op::CleanLogs),
    ]
}

fn config() -> ProptestConfig {
    let cases = std::env::var("PROPTEST_CASES").ok().and_then(|c| c.parse().ok()).unwrap_or(10_000);
    ProptestConfig { cases, failure_persistence: None, ..ProptestConfig::default() }
}

fn sim_config() -> SimConfig {
    // A broker that accepts short sessions (group.min.session.timeout.ms) and delays first
    // rebalances briefly, and consumers that refresh metadata often, so that sequences of a few
    // dozen ticks reach session timeouts, delayed first rebalances and partition-count changes.
    SimConfig {
        retention_check_interval_ms: 500,
        batch_size: 40,
        group_min_session_timeout_ms: 600,
        group_initial_rebalance_delay_ms: 300,
        metadata_max_age_ms: 500,
        ..SimConfig::default()
    }
}

/// The cluster every sequence starts from, as commands (a scenario file replays them too).
fn setup_commands() -> Vec<Command> {
    let delete = TopicConfig { segment_bytes: 24, retention_ms: 1_500, retention_bytes: 60, ..TopicConfig::default() };
    let compact = TopicConfig { cleanup_policy: CleanupPolicy::Compact, segment_bytes: 24, delete_retention_ms: 300, ..TopicConfig::default() };
    let mut commands: Vec<Command> = TOPICS
        .iter()
        .zip([delete, compact])
        .map(|(name, config)| Command::CreateTopic { name: name.to_string(), partitions: 3, config })
        .collect();
    for (i, group) in GROUPS.iter().enumerate() {
        let config = GroupConfig {
            assignor: [AssignorKind::Range, AssignorKind::CooperativeSticky][i],
            commit_mode: [CommitMode::AutoCommit, CommitMode::ProcessThenCommit][i],
            auto_offset_reset: OffsetReset::Earliest,
            session_timeout_ms: 600,
            auto_commit_interval_ms: 300,
            max_poll_records: 2,
            processing_rate: None,
        };
        commands.push(Command::CreateGroup { group: group.to_string(), config });
    }
    commands
}

fn setup() -> Simulation {
    let mut sim = Simulation::new(sim_config());
    for command in setup_commands() {
        sim.apply(command).unwrap();
    }
    sim
}

fn partitioner(n: u8) -> Partitioner {
    match n {
        0 => Partitioner::default(),
        1 => Partitioner::JavaSticky,
        2 => Partitioner::JavaLegacy,
        3 => Partitioner::RoundRobin,
        4 => Partitioner::Librdkafka(LibrdkafkaPartitioner::ConsistentRandom),
        _ => Partitioner::JavaDefault { ignore_keys: true },
    }
}

/// Turns an abstract op into a command against the current state (member ids are looked up).
fn resolve(sim: &Simulation, op: &Op, seq: usize) -> Option<Command> {
    let member = |g: usize, i: usize| {
        let ids: Vec<&String> = sim.group(GROUPS[g])?.members.keys().collect();
        (!ids.is_empty()).then(|| ids[i % ids.len()].clone())
    };
    Some(match op {
        Op::Produce { topic, key, tombstone, partitioner: p, explicit } => {
            let mut r = ProduceRequest::new("producer", TOPICS[*topic], None, &format!("seq-{seq:06}"));
            r.key = key.map(|k| Bytes::from(format!("k{k}")));
            if *tombstone {
                r.value = None;
            }
            r.partitioner = partitioner(*p);
            r.partition = explicit.map(u32::from);
            Command::Produce(r)
        }
        Op::Tick(_) => Command::Tick,
        Op::AddConsumer(g) => Command::AddConsumer {
            group: GROUPS[*g].into(),
            client_id: format!("{}-c{seq}", GROUPS[*g]),
            group_instance_id: None,
            topics: if *g == 0 { TOPICS.iter().map(|t| t.to_string()).collect() } else { vec![TOPICS[0].into()] },
        },
        Op::RemoveConsumer(g, i) => Command::RemoveConsumer { group: GROUPS[*g].into(), member_id: member(*g, *i)? },
        Op::Crash(g, i) => Command::CrashConsumer { group: GROUPS[*g].into(), member_id: member(*g, *i)? },
        Op::AddPartitions(t) => {
            let total = sim.topic(TOPICS[*t])?.partition_count() + 1;
            if total > 6 {
                return None;
            }
            Command::AddPartitions { topic: TOPICS[*t].into(), total }
        }
        Op::SetAssignor(g, k) => Command::SetAssignor {
            group: GROUPS[*g].into(),
            assignor: [AssignorKind::Range, AssignorKind::RoundRobin, AssignorKind::CooperativeSticky][*k as usize],
        },
        Op::SetCommitMode(g, m) => Command::SetCommitMode {
            group: GROUPS[*g].into(),
            mode: [CommitMode::AutoCommit, CommitMode::ProcessThenCommit, CommitMode::CommitThenProcess][*m as usize],
        },
        Op::CleanLogs => Command::CleanLogs,
    })
}

/// A run: the commands that were accepted, with their events. Refused commands must leave the
/// state untouched, which is checked here for every refusal.
struct Run {
    start: Simulation,
    sim: Simulation,
    accepted: Vec<(Command, Vec<Event>)>,
    /// Per accepted command: each partition's active segment base offset just before it.
    active_before: Vec<BTreeMap<(String, u32), u64>>,
}

fn active_bases(sim: &Simulation) -> BTreeMap<(String, u32), u64> {
    sim.topics()
        .values()
        .flat_map(|t| t.partitions.iter().map(move |l| ((t.name.clone(), l.partition()), l.active_segment().base_offset)))
        .collect()
}

fn run(ops: &[Op]) -> Run {
    let start = setup();
    let mut sim = start.clone();
    let mut accepted = Vec::new();
    let mut active_before = Vec::new();
    for (seq, op) in ops.iter().enumerate() {
        let repeats = if let Op::Tick(n) = op { *n as usize } else { 1 };
        for _ in 0..repeats {
            let Some(command) = resolve(&sim, op, seq) else { continue };
            let before = sim.clone();
            match sim.apply(command.clone()) {
                Ok(events) => {
                    accepted.push((command, events));
                    active_before.push(active_bases(&before));
                }
                Err(_) => assert_eq!(sim.fingerprint(), before.fingerprint(), "a refused command changed the state"),
            }
        }
    }
    Run { start, sim, accepted, active_before }
}

fn seq_of(value: &Option<Bytes>) -> Option<u32> {
    std::str::from_utf8(value.as_ref()?).ok()?.strip_prefix("seq-")?.parse().ok()
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn offsets_are_consecutive_and_never_reused(ops in proptest::collection::vec(op(), 1..40)) {
        let run = run(&ops);
        let mut next: BTreeMap<(String, u32), u64> = BTreeMap::new();
        for (_, events) in &run.accepted {
            for e in events {
                if let Event::Appended { topic, partition, offset, .. } = e {
                    let expected = next.entry((topic.clone(), *partition)).or_insert(0);
                    prop_assert_eq!(*offset, *expected);
                    *expected += 1;
                }
            }
        }
        for topic in run.sim.topics().values() {
            for log in &topic.partitions {
                let offsets: Vec<u64> = log.records().map(|r| r.offset).collect();
                prop_assert!(offsets.windows(2).all(|w| w[0] < w[1]));
                prop_assert!(log.log_start_offset() <= log.high_watermark() && log.high_watermark() <= log.log_end_offset());
                prop_assert!(offsets.iter().all(|&o| o >= log.log_start_offset() && o < log.log_end_offset()));
                if topic.config.cleanup_policy == CleanupPolicy::Delete {
                    // Retention removes whole segments from the front: no gaps on a delete topic.
                    prop_assert!(offsets.iter().copied().eq(log.log_start_offset()..log.log_end_offset()));
                }
            }
        }
    }

    #[test]
    fn per_key_order_is_preserved_within_a_partition(ops in proptest::collection::vec(op(), 1..40)) {
        let run = run(&ops);
        for topic in run.sim.topics().values() {
            for log in &topic.partitions {
                let mut last: BTreeMap<Vec<u8>, u32> = BTreeMap::new();
                for record in log.records() {
                    let (Some(key), Some(seq)) = (record.key.as_ref(), seq_of(&record.value)) else { continue };
                    if let Some(previous) = last.insert(key.to_vec(), seq) {
                        prop_assert!(previous < seq, "key {:?}: seq {} after {}", key, seq, previous);
                    }
                }
            }
        }
    }

    #[test]
    fn every_partition_has_exactly_one_owner_per_group_after_a_rebalance(ops in proptest::collection::vec(op(), 1..40)) {
        let start = setup();
        let mut sim = start;
        for (seq, op) in ops.iter().enumerate() {
            let Some(command) = resolve(&sim, op, seq) else { continue };
            let Ok(events) = sim.apply(command) else { continue };
            for group in sim.groups().values() {
                let mut owners: BTreeMap<(String, u32), usize> = BTreeMap::new();
                for member in group.members.values() {
                    for tp in &member.assigned {
                        *owners.entry((tp.topic.clone(), tp.partition)).or_insert(0) += 1;
                    }
                }
                prop_assert!(owners.values().all(|&n| n == 1), "a partition owned twice in {}", group.name);
                let rebalanced = events.iter().any(|e| matches!(e, Event::RebalanceCompleted { group: g, .. } if *g == group.name));
                if rebalanced && !group.follow_up && !group.members.is_empty() {
                    for (topic, &count) in &group.known_partitions {
                        for p in 0..count {
                            prop_assert_eq!(owners.get(&(topic.clone(), p)).copied(), Some(1), "{}-{} unowned in {}", topic, p, group.name);
                        }
                    }
                }
            }
        }
    }

    #[test]
    fn records_disappear_only_by_retention_or_compaction(ops in proptest::collection::vec(op(), 1..40)) {
        let run = run(&ops);
        let mut appended = BTreeSet::new();
        let mut removed = BTreeSet::new();
        for ((_, events), active) in run.accepted.iter().zip(&run.active_before) {
            for e in events {
                match e {
                    Event::Appended { topic, partition, offset, .. } => { appended.insert((topic.clone(), *partition, *offset)); }
                    Event::SegmentsDeleted { topic, partition, deletion } => {
                        for o in deletion.from..deletion.to { removed.insert((topic.clone(), *partition, o)); }
                    }
                    Event::Compacted { topic, partition, compaction } => {
                        let active_base = active[&(topic.clone(), *partition)];
                        for &o in compaction.superseded.iter().chain(&compaction.tombstones_removed) {
                            prop_assert!(o < active_base, "compaction removed {} from the active segment at {}", o, active_base);
                            removed.insert((topic.clone(), *partition, o));
                        }
                    }
                    _ => {}
                }
            }
        }
        for (topic, partition, offset) in &appended {
            let log = &run.sim.topic(topic).unwrap().partitions[*partition as usize];
            let present = log.get(*offset).is_some();
            let gone = removed.contains(&(topic.clone(), *partition, *offset));
            prop_assert!(present != gone, "{}-{}@{}: present={} removed={}", topic, partition, offset, present, gone);
        }
    }

    #[test]
    fn replaying_a_scenario_gives_the_identical_state(ops in proptest::collection::vec(op(), 1..40)) {
        let run = run(&ops);
        let mut replayed = run.start.clone();
        for (command, events) in &run.accepted {
            prop_assert_eq!(&replayed.apply(command.clone()).unwrap(), events);
        }
        prop_assert_eq!(replayed.fingerprint(), run.sim.fingerprint());
        let mut commands = setup_commands();
        commands.extend(run.accepted.iter().map(|(c, _)| c.clone()));
        let json = Scenario::new("property", sim_config(), commands).to_json();
        let from_file = Scenario::from_json(&json).unwrap().replay().unwrap();
        prop_assert_eq!(from_file.current().fingerprint(), run.sim.fingerprint());
    }

    #[test]
    fn stepping_back_then_forward_returns_the_identical_state(ops in proptest::collection::vec(op(), 1..80), back in 0usize..80, seek in 0usize..80) {
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
        let target = seek.min(n);
        history.seek(target);
        prop_assert_eq!(&history.current().fingerprint(), &prints[target]);
    }
}

/// The generated sequences must really exercise what the properties speak of; otherwise a
/// property could pass by never meeting the case it guards.
#[test]
fn generated_sequences_reach_retention_compaction_rebalances_and_redelivery() {
    use proptest::strategy::ValueTree;
    use proptest::test_runner::TestRunner;
    let mut runner = TestRunner::deterministic();
    let mut seen: BTreeMap<&str, usize> = BTreeMap::new();
    for _ in 0..500 {
        let ops = proptest::collection::vec(op(), 1..40).new_tree(&mut runner).unwrap().current();
        for (_, events) in run(&ops).accepted {
            for e in events {
                let kind = match e {
                    Event::SegmentsDeleted { .. } => "retention",
                    Event::Compacted { .. } => "compaction",
                    Event::RebalanceCompleted { .. } => "rebalance",
                    Event::MemberRemoved { .. } => "member removed",
                    Event::Processed { redelivered, .. } if redelivered > 0 => "redelivery",
                    Event::RecordsLost { .. } => "loss",
                    Event::PartitionsAdded { .. } => "partitions added",
                    _ => continue,
                };
                *seen.entry(kind).or_insert(0) += 1;
            }
        }
    }
    for kind in ["retention", "compaction", "rebalance", "member removed", "redelivery", "partitions added"] {
        assert!(seen.get(kind).copied().unwrap_or(0) > 0, "no {kind} in 500 sequences: {seen:?}");
    }
}
