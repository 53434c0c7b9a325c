//! Property tests: invariants over random command sequences (10,000 sequences per property and
//! run; set PROPTEST_CASES to change that).
//!
//! Sequences mix keyed, keyless and tombstone produces through every partitioner, ticks, consumers
//! joining, leaving and crashing, assignor and commit-mode changes, partition growth and log
//! cleaning, on a delete-policy topic and a compacted topic with tiny segments so that retention
//! and compaction really happen. Three groups start in the three commit modes, so crashes meet
//! auto-commit, at-least-once and at-most-once consumers alike.

use std::collections::{BTreeMap, BTreeSet};

use kafkascope_engine::partitioner::LibrdkafkaPartitioner;
use kafkascope_engine::{
    AssignorKind, Bytes, CleanupPolicy, Command, CommitMode, Event, History, Partitioner,
    ProduceRequest, Scenario, Simulation, TopicConfig, TopicPartition,
};
use proptest::prelude::*;

mod common;

const TOPICS: [&str; 2] = ["events", "changelog"];
/// One group per commit mode: auto-commit, process-then-commit (at-least-once) and
/// commit-then-process (at-most-once), each with a different assignor.
const GROUPS: [&str; 3] = ["g0", "g1", "g2"];

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
        2 => (0..GROUPS.len()).prop_map(Op::AddConsumer),
        1 => (0..GROUPS.len(), 0..4usize).prop_map(|(g, i)| Op::RemoveConsumer(g, i)),
        1 => (0..GROUPS.len(), 0..4usize).prop_map(|(g, i)| Op::Crash(g, i)),
        1 => (0..2usize).prop_map(Op::AddPartitions),
        1 => (0..GROUPS.len(), 0..3u8).prop_map(|(g, k)| Op::SetAssignor(g, k)),
        1 => (0..GROUPS.len(), 0..3u8).prop_map(|(g, m)| Op::SetCommitMode(g, m)),
        1 => Just(Op::CleanLogs),
    ]
}

/// Sequences aimed at crashes in mid-batch: every group gets two consumers and a backlog first,
/// then short runs of ticks walk batches through fetch, commit and process while consumers crash
/// and join, so at-most-once losses (g2) and redeliveries (g0, g1) happen in many runs.
fn crash_heavy_ops() -> impl Strategy<Value = Vec<Op>> {
    let produce = |key| Op::Produce { topic: 0, key, tombstone: false, partitioner: 3, explicit: None };
    let step = prop_oneof![
        3 => proptest::option::of(0..6u8).prop_map(produce),
        4 => (1..4u8).prop_map(Op::Tick),
        1 => (0..GROUPS.len()).prop_map(Op::AddConsumer),
        3 => (0..GROUPS.len(), 0..4usize).prop_map(|(g, i)| Op::Crash(g, i)),
        2 => op(),
    ];
    proptest::collection::vec(step, 1..60).prop_map(move |steps| {
        let mut ops: Vec<Op> = (0..2 * GROUPS.len()).map(|g| Op::AddConsumer(g % GROUPS.len())).collect();
        ops.extend((0..24).map(|_| produce(None)));
        ops.extend(steps);
        // A second of ticks at the end, past session.timeout.ms, so that a crash late in the
        // run still reaches the rebalance that hands its partitions (and their uncommitted
        // records) to another member: the join phase waits for the crashed member until then.
        ops.extend((0..5).map(|_| Op::Tick(2)));
        ops
    })
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
        commands.push(Command::CreateGroup { group: group.to_string(), config: common::property_group_config(i) });
    }
    commands
}

fn setup() -> Simulation {
    let mut sim = Simulation::new(common::property_sim_config());
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

/// Records an at-most-once crash lost: offsets `from..to` of a partition, `records` of them, read
/// by the fetch at index `fetched_at` of the run's events.
struct Loss<'a> {
    fetched_at: usize,
    group: &'a str,
    partition: &'a TopicPartition,
    from: u64,
    to: u64,
    records: u64,
}

/// Every `RecordsLost` of a run, checked as it happens: the lost offsets are exactly what the
/// crashed member last fetched from that partition, and the group has committed past them. The
/// range starts at the fetch's position, which is the first fetched offset unless the log cleaner
/// removed the offsets in between (a compacted topic's superseded records).
fn losses<'a>(events: &[&'a Event]) -> Result<Vec<Loss<'a>>, TestCaseError> {
    let mut last_fetch: BTreeMap<(&str, &str, &TopicPartition), (usize, &[u64])> = BTreeMap::new();
    let mut committed: BTreeMap<(&str, &TopicPartition), u64> = BTreeMap::new();
    let mut cleaned: BTreeSet<(&str, u32, u64)> = BTreeSet::new();
    let mut crashed: Option<&str> = None;
    let mut losses = Vec::new();
    for (i, event) in events.iter().enumerate() {
        match event {
            Event::Fetched { group, member_id, partition, offsets } => {
                last_fetch.insert((group, member_id, partition), (i, offsets));
            }
            Event::Committed { group, partition, offset, .. } => {
                committed.insert((group, partition), *offset);
            }
            Event::MemberCrashed { member_id, .. } => crashed = Some(member_id),
            Event::Compacted { topic, partition, compaction } => {
                for &offset in compaction.superseded.iter().chain(&compaction.tombstones_removed) {
                    cleaned.insert((topic.as_str(), *partition, offset));
                }
            }
            Event::RecordsLost { group, partition, from, to } => {
                let Some(member) = crashed else { return Err(TestCaseError::fail("RecordsLost with no crash before it")) };
                let Some(&(fetched_at, offsets)) = last_fetch.get(&(group.as_str(), member, partition)) else {
                    return Err(TestCaseError::fail(format!("{group} lost {from}..{to} of {partition}, which {member} never fetched")));
                };
                let first = *offsets.first().expect("a fetch returns records");
                prop_assert!(*from <= first, "the loss of {}..{} starts after the fetch did ({})", from, to, first);
                for gap in *from..first {
                    prop_assert!(
                        cleaned.contains(&(partition.topic.as_str(), partition.partition, gap)),
                        "the loss of {}..{} starts at {}, before the fetched {}, over offset {} the cleaner never removed",
                        from, to, from, first, gap
                    );
                }
                prop_assert_eq!(offsets.last().map(|o| o + 1), Some(*to), "the loss does not end where the fetch did");
                prop_assert_eq!(committed.get(&(group.as_str(), partition)), Some(to), "lost records were not committed");
                let records = offsets.len() as u64;
                losses.push(Loss { fetched_at, group, partition, from: *from, to: *to, records });
            }
            _ => {}
        }
    }
    Ok(losses)
}

/// Checks the at-most-once accounting of a run: every loss is what [`losses`] says, no member of
/// the group processes lost offsets from their fetch on, and each group's `stats.lost` is the
/// number of records in its `RecordsLost` ranges (records, not `to - from`: a range on a compacted
/// topic can span offsets the cleaner removed). `stats.redelivered` must likewise sum `Processed`.
fn check_delivery_accounting(run: &Run) -> Result<(), TestCaseError> {
    let events: Vec<&Event> = run.accepted.iter().flat_map(|(_, events)| events).collect();
    let losses = losses(&events)?;
    let mut redelivered: BTreeMap<&str, u64> = BTreeMap::new();
    for (i, event) in events.iter().enumerate() {
        let Event::Processed { group, partition, from, to, redelivered: again, .. } = event else { continue };
        *redelivered.entry(group).or_insert(0) += again;
        for loss in losses.iter().filter(|l| l.fetched_at < i && l.group == group && l.partition == partition) {
            let overlaps = *from < loss.to && loss.from < *to;
            prop_assert!(!overlaps, "{} lost {}..{} of {} yet processed {}..{}", group, loss.from, loss.to, partition, from, to);
        }
    }
    for group in run.sim.groups().values() {
        let name = group.name.as_str();
        let lost: u64 = losses.iter().filter(|l| l.group == name).map(|l| l.records).sum();
        prop_assert_eq!(group.stats.lost, lost, "stats.lost of {}", name);
        prop_assert_eq!(group.stats.redelivered, redelivered.get(name).copied().unwrap_or(0), "stats.redelivered of {}", name);
    }
    Ok(())
}

/// Found by `lost_records_were_committed_and_never_processed` on a clean CI run: a crash loses a
/// batch whose fetch started at a position the log cleaner had emptied (offset 0 of a compacted
/// topic, superseded by a later record with the same key), so the fetch returned offsets 1 and 2.
#[test]
fn a_loss_may_start_at_an_offset_the_cleaner_removed() {
    let produce = |topic, key, partitioner| Op::Produce { topic, key, tombstone: false, partitioner, explicit: None };
    let ops = vec![
        produce(1, Some(0), 3),
        produce(1, Some(1), 3),
        produce(1, Some(1), 5),
        produce(0, None, 2),
        Op::AddConsumer(0),
        Op::RemoveConsumer(0, 0),
        produce(0, None, 0),
        Op::AddConsumer(0),
        Op::Tick(1),
        Op::SetCommitMode(0, 2),
        Op::Tick(2),
        produce(1, Some(0), 5),
        produce(0, None, 0),
        Op::Tick(3),
        Op::Tick(2),
        Op::Tick(1),
        Op::Crash(0, 0),
    ];
    let run = run(&ops);
    let events: Vec<&Event> = run.accepted.iter().flat_map(|(_, events)| events).collect();
    let lost: Vec<&Event> = events.iter().copied().filter(|e| matches!(e, Event::RecordsLost { .. })).collect();
    assert!(
        matches!(lost.as_slice(), [Event::RecordsLost { partition, from: 0, to: 3, .. }] if partition.topic == "changelog" && partition.partition == 1),
        "the crash loses offsets 0..3 of changelog-1 (offset 0 cleaned, 1 and 2 fetched): {lost:?}"
    );
    check_delivery_accounting(&run).unwrap();
}

proptest! {
    #![proptest_config(common::proptest_config())]

    #[test]
    fn lost_records_were_committed_and_never_processed(ops in prop_oneof![proptest::collection::vec(op(), 1..40), crash_heavy_ops()]) {
        check_delivery_accounting(&run(&ops))?;
    }

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
        let json = Scenario::new("property", common::property_sim_config(), commands).to_json();
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
fn generated_sequences_reach_retention_compaction_rebalances_redelivery_and_loss() {
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
    for kind in ["retention", "compaction", "rebalance", "member removed", "redelivery", "loss", "partitions added"] {
        assert!(seen.get(kind).copied().unwrap_or(0) > 0, "no {kind} in 500 sequences: {seen:?}");
    }
}

/// The crash-heavy sequences must meet both delivery failures often, not just once: losses and
/// redeliveries each in at least one run in eight (about a third and a quarter when written).
#[test]
fn crash_heavy_sequences_lose_and_redeliver_in_many_runs() {
    use proptest::strategy::ValueTree;
    use proptest::test_runner::TestRunner;
    let mut runner = TestRunner::deterministic();
    let (runs, mut with_loss, mut with_redelivery) = (200, 0, 0);
    for _ in 0..runs {
        let ops = crash_heavy_ops().new_tree(&mut runner).unwrap().current();
        let events: Vec<Event> = run(&ops).accepted.into_iter().flat_map(|(_, events)| events).collect();
        with_loss += usize::from(events.iter().any(|e| matches!(e, Event::RecordsLost { .. })));
        with_redelivery += usize::from(events.iter().any(|e| matches!(e, Event::Processed { redelivered, .. } if *redelivered > 0)));
    }
    assert!(with_loss * 8 >= runs, "losses in only {with_loss} of {runs} runs");
    assert!(with_redelivery * 8 >= runs, "redeliveries in only {with_redelivery} of {runs} runs");
}

