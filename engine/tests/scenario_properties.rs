//! Property tests for scenarios and links (10,000 cases each by default; PROPTEST_CASES changes
//! that):
//! - any history (random commands, with random steps back and seeks in between, so futures are
//!   cut off) exported as a scenario, written as JSON or as a link and read back, rebuilds the
//!   identical state and caption at every step;
//! - random bytes, and random mutations of the shipped scenarios (byte flips, truncations, values
//!   swapped between fields, huge and negative numbers, deleted fields), never panic the decoder,
//!   the replay, the goals or the real-command writer: each gives a result or a sentence.

use std::collections::BTreeMap;

use kafkascope_engine::partitioner::LibrdkafkaPartitioner;
use kafkascope_engine::{
    cli, AssignorKind, Bytes, CleanupPolicy, Command, CommitMode, History, KeyPattern,
    Partitioner, ProduceRequest, Scenario, Stream, TopicConfig,
};
use proptest::prelude::*;

mod common;
use serde_json::Value;

const TOPICS: [&str; 2] = ["events", "changelog"];
const GROUPS: [&str; 3] = ["g0", "g1", "g2"];

/// The scenario every history starts from: two topics (one compacted, small segments), three
/// groups in the three commit modes, and a producer that can stream.
fn base() -> Scenario {
    let config = common::property_sim_config();
    let delete = TopicConfig { segment_bytes: 24, retention_ms: 1_500, ..TopicConfig::default() };
    let compact = TopicConfig { cleanup_policy: CleanupPolicy::Compact, segment_bytes: 24, delete_retention_ms: 300, ..TopicConfig::default() };
    let mut setup: Vec<Command> = TOPICS.iter().zip([delete, compact]).map(|(t, c)| Command::CreateTopic { name: t.to_string(), partitions: 3, config: c }).collect();
    for (i, g) in GROUPS.iter().enumerate() {
        setup.push(Command::CreateGroup { group: g.to_string(), config: common::property_group_config(i) });
    }
    setup.push(Command::StartProducer { client_id: "streamer".into(), topic: TOPICS[0].into() });
    Scenario { setup, ..Scenario::new("base", config, Vec::new()) }
}

#[derive(Debug, Clone)]
enum Op {
    Produce { topic: usize, key: Option<u8>, tombstone: bool, partitioner: u8, explicit: Option<u8>, caption: bool },
    Ticks(u8),
    AddConsumer(usize),
    /// Remove (or crash) the i-th member, named by client id or by member id.
    Stop { group: usize, index: usize, crash: bool, by_client_id: bool },
    AddPartitions(usize),
    SetAssignor(usize, u8),
    SetCommitMode(usize, u8),
    Stream(u8),
    CleanLogs,
    Back(u8),
    Seek(u8),
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        6 => (0..2usize, proptest::option::weighted(0.8, 0..6u8), proptest::bool::weighted(0.1), 0..4u8, proptest::option::weighted(0.1, 0..4u8), proptest::bool::weighted(0.2))
            .prop_map(|(topic, key, tombstone, partitioner, explicit, caption)| Op::Produce { topic, key, tombstone, partitioner, explicit, caption }),
        4 => (1..8u8).prop_map(Op::Ticks),
        2 => (0..GROUPS.len()).prop_map(Op::AddConsumer),
        2 => (0..GROUPS.len(), 0..4usize, any::<bool>(), any::<bool>()).prop_map(|(group, index, crash, by_client_id)| Op::Stop { group, index, crash, by_client_id }),
        1 => (0..2usize).prop_map(Op::AddPartitions),
        1 => (0..GROUPS.len(), 0..3u8).prop_map(|(g, k)| Op::SetAssignor(g, k)),
        1 => (0..GROUPS.len(), 0..3u8).prop_map(|(g, m)| Op::SetCommitMode(g, m)),
        1 => (0..30u8).prop_map(Op::Stream),
        1 => Just(Op::CleanLogs),
        2 => (1..6u8).prop_map(Op::Back),
        1 => any::<u8>().prop_map(Op::Seek),
    ]
}

fn partitioner(n: u8) -> Partitioner {
    [Partitioner::default(), Partitioner::JavaSticky, Partitioner::RoundRobin, Partitioner::Librdkafka(LibrdkafkaPartitioner::ConsistentRandom)][n as usize % 4]
}

/// The command for an op against the history's current state, if it makes one.
fn command(history: &History, op: &Op, seq: usize) -> Option<Command> {
    let sim = history.current();
    Some(match op {
        Op::Produce { topic, key, tombstone, partitioner: p, explicit, .. } => {
            let mut r = ProduceRequest::new("producer", TOPICS[*topic], None, &format!("seq-{seq}"));
            r.key = key.map(|k| Bytes::from(format!("k{k}")));
            r.value = if *tombstone { None } else { r.value };
            r.partitioner = partitioner(*p);
            r.partition = explicit.map(u32::from);
            Command::Produce(r)
        }
        Op::AddConsumer(g) => Command::AddConsumer { group: GROUPS[*g].into(), client_id: format!("{}-{seq}", GROUPS[*g]), group_instance_id: None, topics: vec![TOPICS[0].into()] },
        Op::Stop { group, index, crash, by_client_id } => {
            let members: Vec<_> = sim.group(GROUPS[*group])?.members.values().collect();
            let m = members.get(index % members.len().max(1))?;
            let member_id = if *by_client_id { m.client_id.clone() } else { m.member_id.clone() };
            let group = GROUPS[*group].to_string();
            if *crash { Command::CrashConsumer { group, member_id } } else { Command::RemoveConsumer { group, member_id } }
        }
        Op::AddPartitions(t) => Command::AddPartitions { topic: TOPICS[*t].into(), total: sim.topic(TOPICS[*t])?.partition_count() + 1 },
        Op::SetAssignor(g, k) => Command::SetAssignor { group: GROUPS[*g].into(), assignor: [AssignorKind::Range, AssignorKind::RoundRobin, AssignorKind::CooperativeSticky][*k as usize] },
        Op::SetCommitMode(g, m) => Command::SetCommitMode { group: GROUPS[*g].into(), mode: [CommitMode::AutoCommit, CommitMode::ProcessThenCommit, CommitMode::CommitThenProcess][*m as usize] },
        Op::Stream(rate) => Command::SetStream { producer: "streamer".into(), stream: Stream { rate_per_sec: u32::from(*rate), keys: KeyPattern::UserIds, ..Stream::default() } },
        Op::CleanLogs => Command::CleanLogs,
        Op::Ticks(_) | Op::Back(_) | Op::Seek(_) => return None,
    })
}

/// Plays the ops into a history built from the base scenario.
fn play(ops: &[Op]) -> History {
    let mut history = History::from_scenario(&base()).unwrap();
    for (seq, op) in ops.iter().enumerate() {
        match op {
            Op::Ticks(n) => (0..*n).for_each(|_| drop(history.apply(Command::Tick))),
            Op::Back(n) => (0..*n).for_each(|_| {
                history.step_back();
            }),
            Op::Seek(at) => history.seek(history.len() * usize::from(*at) / 255),
            _ => {
                let Some(command) = command(&history, op, seq) else { continue };
                let caption = matches!(op, Op::Produce { caption: true, .. }).then(|| format!("caption {seq}"));
                let _ = history.apply_with_caption(command, caption);
            }
        }
    }
    history
}

/// The fingerprint and caption at every step of a history.
fn timeline(history: &History) -> Vec<(String, Option<String>)> {
    let mut h = history.clone();
    (0..=h.len())
        .map(|step| {
            h.seek(step);
            (h.current().fingerprint(), h.caption().map(str::to_string))
        })
        .collect()
}

proptest! {
    #![proptest_config(common::proptest_config())]

    #[test]
    fn any_history_round_trips_through_a_scenario_file_and_a_link(ops in proptest::collection::vec(op(), 1..40)) {
        let history = play(&ops);
        let scenario = history.to_scenario("round trip");
        let from_file = Scenario::from_json(&scenario.to_json()).unwrap();
        prop_assert_eq!(&from_file, &scenario);
        let (from_link, cursor) = Scenario::from_link_payload(&scenario.to_link_payload(history.cursor())).unwrap();
        prop_assert_eq!(&from_link, &scenario);
        prop_assert_eq!(cursor, history.cursor());
        let rebuilt = History::from_scenario(&from_link).unwrap();
        prop_assert_eq!(rebuilt.len(), history.len());
        let (expected, actual) = (timeline(&history), timeline(&rebuilt));
        for (step, (e, a)) in expected.iter().zip(&actual).enumerate() {
            prop_assert!(e == a, "step {} of {} differs", step, history.len());
        }
    }

    #[test]
    fn random_bytes_never_panic_the_decoder(bytes in proptest::collection::vec(any::<u8>(), 0..600)) {
        let text = String::from_utf8_lossy(&bytes);
        if let Err(e) = Scenario::from_json(&text) {
            prop_assert!(e.to_string().len() > 20);
        }
        let link: String = bytes.iter().map(|b| b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"[usize::from(*b) % 64] as char).collect();
        prop_assert!(Scenario::from_link_payload(&link).is_err());
        prop_assert!(Scenario::from_link_payload(&text).is_err());
    }

    #[test]
    fn mutated_scenarios_never_panic_and_refusals_are_sentences(pick in 0..ASSETS.len(), mutations in proptest::collection::vec(mutation(), 1..4)) {
        let mut text = ASSETS[pick].to_string();
        for m in &mutations {
            text = m.apply(&text);
        }
        exercise(&text)?;
        let mut link = Scenario::from_json(ASSETS[pick]).unwrap().to_link_payload(1);
        for m in &mutations {
            link = m.apply_to_link(&link);
        }
        if let Err(e) = Scenario::from_link_payload(&link) {
            prop_assert!(e.to_string().len() > 20, "{}", e);
        }
    }
}

const ASSETS: [&str; 14] = [
    include_str!("../../assets/lessons/events-and-messages.json"),
    include_str!("../../assets/lessons/topics-and-offsets.json"),
    include_str!("../../assets/lessons/partitions-and-keys.json"),
    include_str!("../../assets/lessons/key-ordering.json"),
    include_str!("../../assets/lessons/fan-out.json"),
    include_str!("../../assets/lessons/scaling-a-group.json"),
    include_str!("../../assets/lessons/offsets-and-commits.json"),
    include_str!("../../assets/lessons/retention-and-compaction.json"),
    include_str!("../../assets/lessons/replicas-and-data-centers.json"),
    include_str!("../../assets/scenes/key-ordering.json"),
    include_str!("../../assets/scenes/fan-out.json"),
    include_str!("../../assets/scenes/consumer-crash.json"),
    include_str!("../../assets/scenes/data-center-outage.json"),
    include_str!("../../assets/scenes/acks-1-loses-data.json"),
];

/// Found by the property above: lesson 9 with its leader-imbalance interval set to
/// 18446744073709551615 overflowed the clock when the imbalance check was scheduled. Such a
/// config is now refused by name, and the schedule saturates.
#[test]
fn a_huge_leader_imbalance_interval_is_refused_not_a_panic() {
    let text = Mutation::Number(17874, 200).apply(ASSETS[8]);
    assert!(text.contains("18446744073709551615"), "the mutation should plant u64::MAX");
    exercise(&text).unwrap();
}

/// Most steps a mutated scenario is replayed with here; longer ones (a mutated `repeat`) are
/// checked by decoding only, since the replay budget tests cover long replays.
const REPLAY_STEPS: usize = 3_000;

/// Decodes, and if that succeeds replays, checks every goal and writes the real commands.
fn exercise(text: &str) -> Result<(), TestCaseError> {
    let scenario = match Scenario::from_json(text) {
        Ok(s) => s,
        Err(e) => {
            prop_assert!(e.to_string().len() > 20, "{}", e);
            return Ok(());
        }
    };
    if scenario.len() > REPLAY_STEPS {
        return Ok(());
    }
    let mut history = match History::from_scenario(&scenario) {
        Ok(h) => h,
        Err(e) => {
            prop_assert!(e.to_string().len() > 20, "{}", e);
            return Ok(());
        }
    };
    let start = history.current().clone();
    history.seek(history.len());
    for task in scenario.chapters.iter().filter_map(|c| c.try_it.as_ref()) {
        prop_assert!(!task.goal.check(&start, history.current()).feedback.is_empty());
    }
    let _ = cli::describe_groups(history.current());
    if let Ok(script) = cli::script(&scenario, scenario.len()) {
        let _ = script.to_text();
    }
    Ok(())
}

#[derive(Debug, Clone)]
enum Mutation {
    /// Set the byte at a fraction of the text to a value.
    Flip(u16, u8),
    /// Keep only a fraction of the text.
    Truncate(u16),
    /// Swap the values at two positions of the JSON tree.
    Swap(u16, u16),
    /// Replace a number in the JSON tree by one of the troublesome values.
    Number(u16, u8),
    /// Delete a field of an object.
    Delete(u16),
}

fn mutation() -> impl Strategy<Value = Mutation> {
    prop_oneof![
        any::<(u16, u8)>().prop_map(|(at, b)| Mutation::Flip(at, b)),
        any::<u16>().prop_map(Mutation::Truncate),
        any::<(u16, u16)>().prop_map(|(a, b)| Mutation::Swap(a, b)),
        any::<(u16, u8)>().prop_map(|(at, n)| Mutation::Number(at, n)),
        any::<u16>().prop_map(Mutation::Delete),
    ]
}

fn at(fraction: u16, len: usize) -> usize {
    len * usize::from(fraction) / 65_536
}

/// Every value of a JSON tree, by a path of object keys and array indexes.
fn paths(value: &Value, path: &mut Vec<Value>, out: &mut Vec<Vec<Value>>) {
    out.push(path.clone());
    match value {
        Value::Object(map) => map.iter().for_each(|(k, v)| {
            path.push(Value::String(k.clone()));
            paths(v, path, out);
            path.pop();
        }),
        Value::Array(items) => items.iter().enumerate().for_each(|(i, v)| {
            path.push(Value::from(i));
            paths(v, path, out);
            path.pop();
        }),
        _ => {}
    }
}

fn get_mut<'a>(value: &'a mut Value, path: &[Value]) -> Option<&'a mut Value> {
    path.iter().try_fold(value, |v, step| match step {
        Value::String(k) => v.get_mut(k.as_str()),
        Value::Number(i) => v.get_mut(i.as_u64()? as usize),
        _ => None,
    })
}

const NUMBERS: [&str; 8] = ["18446744073709551615", "9223372036854775807", "4000000000", "-1", "1e308", "0", "-9223372036854775808", "65536"];

impl Mutation {
    fn apply(&self, text: &str) -> String {
        match self {
            Mutation::Flip(f, b) => {
                let mut bytes = text.as_bytes().to_vec();
                let i = at(*f, bytes.len());
                if let Some(byte) = bytes.get_mut(i) {
                    *byte = *b;
                }
                String::from_utf8_lossy(&bytes).into_owned()
            }
            Mutation::Truncate(f) => String::from_utf8_lossy(&text.as_bytes()[..at(*f, text.len())]).into_owned(),
            _ => self.apply_to_tree(text),
        }
    }

    fn apply_to_tree(&self, text: &str) -> String {
        let Ok(mut tree) = serde_json::from_str::<Value>(text) else { return text.to_string() };
        let mut all = Vec::new();
        paths(&tree, &mut Vec::new(), &mut all);
        match self {
            Mutation::Swap(a, b) => {
                let (pa, pb) = (all[at(*a, all.len())].clone(), all[at(*b, all.len())].clone());
                let is_prefix = |x: &[Value], y: &[Value]| x.len() <= y.len() && x == &y[..x.len()];
                if !is_prefix(&pa, &pb) && !is_prefix(&pb, &pa) {
                    let va = get_mut(&mut tree, &pa).map(Value::take).unwrap_or_default();
                    let vb = get_mut(&mut tree, &pb).map(|v| std::mem::replace(v, va)).unwrap_or_default();
                    if let Some(slot) = get_mut(&mut tree, &pa) {
                        *slot = vb;
                    }
                }
            }
            Mutation::Number(i, n) => {
                let numbers: Vec<&Vec<Value>> = all.iter().filter(|p| get_mut(&mut tree.clone(), p).is_some_and(|v| v.is_number())).collect();
                if let Some(path) = numbers.get(at(*i, numbers.len())).cloned().cloned() {
                    let replacement: Value = serde_json::from_str(NUMBERS[usize::from(*n) % NUMBERS.len()]).unwrap();
                    if let Some(slot) = get_mut(&mut tree, &path) {
                        *slot = replacement;
                    }
                }
            }
            Mutation::Delete(i) => {
                let fields: Vec<&Vec<Value>> = all.iter().filter(|p| matches!(p.last(), Some(Value::String(_)))).collect();
                if let Some(path) = fields.get(at(*i, fields.len())).cloned().cloned() {
                    let (Some(Value::String(key)), parent) = (path.last(), &path[..path.len() - 1]) else { unreachable!() };
                    if let Some(Value::Object(map)) = get_mut(&mut tree, parent) {
                        map.remove(key);
                    }
                }
            }
            Mutation::Flip(..) | Mutation::Truncate(_) => {}
        }
        tree.to_string()
    }

    /// The same kind of damage to a link's characters.
    fn apply_to_link(&self, link: &str) -> String {
        match self {
            Mutation::Flip(f, b) => {
                let mut chars: Vec<char> = link.chars().collect();
                let i = at(*f, chars.len());
                if let Some(c) = chars.get_mut(i) {
                    *c = char::from(b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"[usize::from(*b) % 64]);
                }
                chars.into_iter().collect()
            }
            Mutation::Truncate(f) => link[..at(*f, link.len())].to_string(),
            _ => link.to_string(),
        }
    }
}

/// The generators must meet what the properties speak of: cut-off futures, member names by
/// client id, captions, repeats, streams, losses; and mutations that decode, replay and fail.
#[test]
fn generated_histories_and_mutations_reach_the_interesting_cases() {
    use proptest::strategy::ValueTree;
    use proptest::test_runner::TestRunner;
    let mut runner = TestRunner::deterministic();
    let mut seen: BTreeMap<&str, usize> = BTreeMap::new();
    for _ in 0..300 {
        let ops = proptest::collection::vec(op(), 1..40).new_tree(&mut runner).unwrap().current();
        let history = play(&ops);
        let scenario = history.to_scenario("x");
        let mut count = |k, yes: bool| *seen.entry(k).or_insert(0) += usize::from(yes);
        count("repeat", scenario.steps.iter().any(|s| s.repeat > 1));
        count("caption", scenario.steps.iter().any(|s| s.caption.is_some()));
        count("client id", history.commands().iter().any(|c| matches!(c, Command::CrashConsumer { member_id, .. } | Command::RemoveConsumer { member_id, .. } if member_id.matches('-').count() == 1)));
        count("cursor inside", history.cursor() < history.len());
        count("loss", history.current().groups().values().any(|g| g.stats.lost > 0));
        count("stream", history.current().producer("streamer").is_some_and(|p| p.sent > 0));
    }
    for _ in 0..300 {
        let pick = (0..ASSETS.len()).new_tree(&mut runner).unwrap().current();
        let m = mutation().new_tree(&mut runner).unwrap().current();
        let text = m.apply(ASSETS[pick]);
        let outcome = match Scenario::from_json(&text) {
            Err(_) => "decode refused",
            Ok(s) => match History::from_scenario(&s) {
                Ok(_) => "replayed",
                Err(_) => "replay refused",
            },
        };
        *seen.entry(outcome).or_insert(0) += 1;
    }
    for kind in ["repeat", "caption", "client id", "cursor inside", "loss", "stream", "decode refused", "replayed", "replay refused"] {
        assert!(seen.get(kind).copied().unwrap_or(0) > 0, "never {kind}: {seen:?}");
    }
}
