//! Nothing a user can type, paste or put in a URL panics the engine: arbitrary names, keys,
//! values, headers, numbers, streams and member references give `Ok` or an `EngineError` with a
//! sentence, and a refused command changes nothing.
//!
//! Member and group references mostly resolve to ones that exist at that moment (an index into
//! the current groups and members), so crashes, leaves and subscription changes really succeed;
//! the rest are typed garbage, so the refusals are fuzzed too.

use std::collections::BTreeMap;

use kafkascope_engine::partitioner::LibrdkafkaPartitioner;
use kafkascope_engine::{
    Acks, AssignorKind, Bytes, Command, CommitMode, EngineError, Event, GroupConfig, Header, KeyPattern, OffsetReset,
    Partitioner, ProduceRequest, ProducerConfig, RebalanceReason, SimConfig, Simulation, Stream, TopicConfig,
};
use proptest::prelude::*;

mod common;

/// A reference to a topic, producer or group, as a user picks it: usually one that exists now,
/// sometimes whatever was typed.
#[derive(Debug, Clone)]
enum Pick {
    /// Index into the current topics, producers or groups, wrapping.
    Existing(usize),
    Typed(String),
}

/// A reference to a member: usually one of the members of any group now, sometimes a typed
/// group and member id.
#[derive(Debug, Clone)]
enum MemberPick {
    /// Index into all current members, group by group, wrapping.
    Existing(usize),
    Typed { group: Pick, member_id: String },
}

#[derive(Debug, Clone)]
enum Typed {
    CreateTopic(String, u32),
    AddPartitions(Pick, u32),
    Produce { topic: Pick, key: Option<Vec<u8>>, value: Option<Vec<u8>>, header: Option<(String, Vec<u8>)>, partition: Option<u32> },
    StartProducer(String, Pick),
    SetStream(Pick, Stream),
    CreateGroup(String, GroupConfig),
    DeleteGroup(Pick),
    AddConsumer { group: Pick, client_id: String, instance: Option<String>, topics: Vec<Pick> },
    RemoveConsumer(MemberPick),
    Crash(MemberPick),
    Subscribe(MemberPick, Vec<Pick>),
    SetAssignor(Pick, AssignorKind),
    SetCommitMode(Pick, CommitMode),
    SetProcessingRate(Pick, Option<u32>),
    CleanLogs,
    CreateReplicatedTopic { name: String, partitions: u32, replication_factor: u32, min_insync_replicas: u32, unclean: bool },
    StopBroker(u32),
    /// `None`: a broker that is stopped now, if any.
    StartBroker(Option<u32>),
    ElectPreferredLeaders,
    LoseAcknowledgement(Pick),
    ConfigureProducer(Pick, Acks, bool),
    ProduceWith { topic: Pick, key: Option<Vec<u8>>, acks: Acks, idempotent: bool },
}

fn pick(typed: impl Strategy<Value = String>) -> impl Strategy<Value = Pick> {
    prop_oneof![4 => any::<usize>().prop_map(Pick::Existing), 1 => typed.prop_map(Pick::Typed)]
}

fn member_pick() -> impl Strategy<Value = MemberPick> {
    prop_oneof![
        4 => any::<usize>().prop_map(MemberPick::Existing),
        1 => (pick(".{0,20}"), ".{0,60}").prop_map(|(group, member_id)| MemberPick::Typed { group, member_id }),
    ]
}

fn group_config() -> impl Strategy<Value = GroupConfig> {
    let assignor = prop_oneof![Just(AssignorKind::Range), Just(AssignorKind::RoundRobin), Just(AssignorKind::CooperativeSticky)];
    let reset = prop_oneof![Just(OffsetReset::Earliest), Just(OffsetReset::Latest), Just(OffsetReset::None)];
    let rate = proptest::option::of(prop_oneof![0..20u32, any::<u32>()]);
    (assignor, commit_mode(), reset, any::<u64>(), any::<u64>(), any::<u32>(), rate).prop_map(
        |(assignor, commit_mode, auto_offset_reset, session, interval, max_poll, processing_rate)| GroupConfig {
            assignor,
            commit_mode,
            auto_offset_reset,
            // Mostly within the broker's 6 s..30 min bounds, sometimes outside them.
            session_timeout_ms: session % 60_000,
            auto_commit_interval_ms: interval % 5_000,
            max_poll_records: max_poll % 1_000,
            processing_rate,
        },
    )
}

/// Streams as the editing panel could set them, and some it could not (too fast, too many or no
/// user ids, huge templates). Accepted rates stay small so a run holds few records.
fn stream() -> impl Strategy<Value = Stream> {
    let keys = prop_oneof![Just(KeyPattern::UserIds), Just(KeyPattern::HotKey), Just(KeyPattern::NullKeys), Just(KeyPattern::RandomUuids)];
    let partitioner = prop_oneof![
        Just(Partitioner::default()),
        Just(Partitioner::JavaDefault { ignore_keys: true }),
        Just(Partitioner::JavaSticky),
        Just(Partitioner::RoundRobin),
        Just(Partitioner::Librdkafka(LibrdkafkaPartitioner::ConsistentRandom)),
    ];
    let template = prop_oneof![4 => ".{0,30}", 1 => Just("{key}{seq}{key}".to_string()), 1 => Just("x".repeat(5_000))];
    (prop_oneof![4 => 0..40u32, 1 => any::<u32>()], keys, prop_oneof![0..5u32, any::<u32>()], partitioner, template).prop_map(
        |(rate_per_sec, keys, user_ids, partitioner, value_template)| Stream { rate_per_sec, keys, user_ids, partitioner, value_template },
    )
}

fn commit_mode() -> impl Strategy<Value = CommitMode> {
    prop_oneof![Just(CommitMode::AutoCommit), Just(CommitMode::ProcessThenCommit), Just(CommitMode::CommitThenProcess)]
}

fn typed() -> impl Strategy<Value = Typed> {
    let name = prop_oneof![Just("orders".to_string()), Just("orders.v2".to_string()), ".{0,260}", "[a-z._-]{0,5}"];
    let group_name = prop_oneof![Just("sms".to_string()), Just("billing".to_string()), ".{0,20}"];
    let topics = prop_oneof![1 => Just(Vec::new()), 6 => proptest::collection::vec(pick(name.clone()), 1..3)];
    let assignor = prop_oneof![Just(AssignorKind::Range), Just(AssignorKind::RoundRobin), Just(AssignorKind::CooperativeSticky)];
    prop_oneof![
        1 => (name.clone(), any::<u32>()).prop_map(|(n, p)| Typed::CreateTopic(n, p % 2000)),
        1 => (pick(name.clone()), any::<u32>()).prop_map(|(n, p)| Typed::AddPartitions(n, p % 2000)),
        1 => (pick(name.clone()), proptest::option::of(proptest::collection::vec(any::<u8>(), 0..40)), proptest::option::of(proptest::collection::vec(any::<u8>(), 0..40)),
            proptest::option::of((".{0,10}", proptest::collection::vec(any::<u8>(), 0..8))), proptest::option::of(any::<u32>()))
            .prop_map(|(topic, key, value, header, partition)| Typed::Produce { topic, key, value, header, partition }),
        1 => (prop_oneof![Just("profile".to_string()), ".{0,12}"], pick(name.clone())).prop_map(|(c, t)| Typed::StartProducer(c, t)),
        2 => (pick(".{0,12}"), stream()).prop_map(|(p, s)| Typed::SetStream(p, s)),
        1 => (group_name.clone(), group_config()).prop_map(|(g, c)| Typed::CreateGroup(g, c)),
        2 => pick(group_name.clone()).prop_map(Typed::DeleteGroup),
        2 => (pick(group_name.clone()), ".{0,20}", proptest::option::weighted(0.2, "i[12]|.{0,10}"), topics.clone())
            .prop_map(|(group, client_id, instance, topics)| Typed::AddConsumer { group, client_id, instance, topics }),
        1 => member_pick().prop_map(Typed::RemoveConsumer),
        2 => member_pick().prop_map(Typed::Crash),
        1 => (member_pick(), topics).prop_map(|(m, t)| Typed::Subscribe(m, t)),
        1 => (pick(".{0,20}"), assignor).prop_map(|(g, a)| Typed::SetAssignor(g, a)),
        1 => (pick(".{0,20}"), commit_mode()).prop_map(|(g, m)| Typed::SetCommitMode(g, m)),
        1 => (pick(".{0,20}"), proptest::option::of(prop_oneof![0..20u32, any::<u32>()])).prop_map(|(g, r)| Typed::SetProcessingRate(g, r)),
        1 => Just(Typed::CleanLogs),
        1 => (name.clone(), 0..5u32, 0..5u32, 0..4u32, any::<bool>()).prop_map(|(name, partitions, replication_factor, min_insync_replicas, unclean)| {
            Typed::CreateReplicatedTopic { name, partitions, replication_factor, min_insync_replicas, unclean }
        }),
        3 => prop_oneof![6 => 1..4u32, 1 => any::<u32>()].prop_map(Typed::StopBroker),
        3 => prop_oneof![3 => Just(None), 2 => (1..4u32).prop_map(Some), 1 => any::<u32>().prop_map(Some)].prop_map(Typed::StartBroker),
        1 => Just(Typed::ElectPreferredLeaders),
        1 => pick(".{0,12}").prop_map(Typed::LoseAcknowledgement),
        1 => (pick(".{0,12}"), acks(), any::<bool>()).prop_map(|(p, a, i)| Typed::ConfigureProducer(p, a, i)),
        2 => (pick(name.clone()), proptest::option::of(proptest::collection::vec(any::<u8>(), 0..8)), acks(), any::<bool>())
            .prop_map(|(topic, key, acks, idempotent)| Typed::ProduceWith { topic, key, acks, idempotent }),
    ]
}

fn acks() -> impl Strategy<Value = Acks> {
    prop_oneof![Just(Acks::Zero), Just(Acks::One), Just(Acks::All)]
}

/// The topic a pick names now (there is always at least `orders`).
fn topic_of(sim: &Simulation, pick: &Pick) -> String {
    match pick {
        Pick::Typed(name) => name.clone(),
        Pick::Existing(i) => sim.topics().keys().nth(i % sim.topics().len()).expect("a topic").clone(),
    }
}

fn topics_of(sim: &Simulation, picks: &[Pick]) -> Vec<String> {
    picks.iter().map(|pick| topic_of(sim, pick)).collect()
}

/// The producer a pick names now (there is always at least `products`).
fn producer_of(sim: &Simulation, pick: &Pick) -> String {
    match pick {
        Pick::Typed(name) => name.clone(),
        Pick::Existing(i) => sim.producers().keys().nth(i % sim.producers().len()).expect("a producer").clone(),
    }
}

/// The group a pick names now.
fn group_of(sim: &Simulation, pick: &Pick) -> String {
    match pick {
        Pick::Typed(name) => name.clone(),
        Pick::Existing(i) => sim.groups().keys().nth(i % sim.groups().len()).expect("group sms is never deleted").clone(),
    }
}

/// The group and member id a pick names now; with no members, an existing-pick names nobody.
fn member_of(sim: &Simulation, pick: &MemberPick) -> (String, String) {
    match pick {
        MemberPick::Typed { group, member_id } => (group_of(sim, group), member_id.clone()),
        MemberPick::Existing(i) => {
            let all: Vec<(&String, &String)> =
                sim.groups().iter().flat_map(|(name, g)| g.members.keys().map(move |id| (name, id))).collect();
            all.get(i % all.len().max(1)).map_or(("sms".into(), String::new()), |(g, m)| (g.to_string(), m.to_string()))
        }
    }
}

fn command(sim: &Simulation, t: Typed) -> Command {
    match t {
        Typed::CreateTopic(name, partitions) => Command::CreateTopic { name, partitions, config: TopicConfig::default() },
        Typed::AddPartitions(topic, total) => Command::AddPartitions { topic: topic_of(sim, &topic), total },
        Typed::Produce { topic, key, value, header, partition } => Command::Produce(ProduceRequest {
            producer: "p".into(),
            topic: topic_of(sim, &topic),
            key: key.map(Bytes::from),
            value: value.map(Bytes::from),
            headers: header.into_iter().map(|(k, v)| Header { key: k, value: Some(Bytes::from(v)) }).collect(),
            partition,
            partitioner: Default::default(),
            timestamp_ms: None,
            acks: Acks::All,
            enable_idempotence: true,
        }),
        Typed::StartProducer(client_id, topic) => Command::StartProducer { client_id, topic: topic_of(sim, &topic) },
        Typed::SetStream(producer, stream) => Command::SetStream { producer: producer_of(sim, &producer), stream },
        Typed::CreateGroup(group, config) => Command::CreateGroup { group, config },
        // Group sms stays (picks of an existing group need one): an existing pick names one of
        // the others, and a typed "sms" names no group.
        Typed::DeleteGroup(g) => {
            let others: Vec<&String> = sim.groups().keys().filter(|name| *name != "sms").collect();
            let group = match g {
                Pick::Existing(i) => others.get(i % others.len().max(1)).map_or("billing".to_string(), |name| name.to_string()),
                Pick::Typed(name) if name == "sms" => "sms ".to_string(),
                Pick::Typed(name) => name,
            };
            Command::DeleteGroup { group }
        }
        Typed::AddConsumer { group, client_id, instance, topics } => {
            Command::AddConsumer { group: group_of(sim, &group), client_id, group_instance_id: instance, topics: topics_of(sim, &topics) }
        }
        Typed::RemoveConsumer(m) => {
            let (group, member_id) = member_of(sim, &m);
            Command::RemoveConsumer { group, member_id }
        }
        Typed::Crash(m) => {
            let (group, member_id) = member_of(sim, &m);
            Command::CrashConsumer { group, member_id }
        }
        Typed::Subscribe(m, topics) => {
            let (group, member_id) = member_of(sim, &m);
            Command::Subscribe { group, member_id, topics: topics_of(sim, &topics) }
        }
        Typed::SetAssignor(g, assignor) => Command::SetAssignor { group: group_of(sim, &g), assignor },
        Typed::SetCommitMode(g, mode) => Command::SetCommitMode { group: group_of(sim, &g), mode },
        Typed::SetProcessingRate(g, rate) => Command::SetProcessingRate { group: group_of(sim, &g), rate },
        Typed::CleanLogs => Command::CleanLogs,
        Typed::CreateReplicatedTopic { name, partitions, replication_factor, min_insync_replicas, unclean } => {
            let config = TopicConfig {
                replication_factor: Some(replication_factor),
                min_insync_replicas,
                unclean_leader_election_enable: unclean,
                ..TopicConfig::default()
            };
            Command::CreateTopic { name, partitions, config }
        }
        Typed::StopBroker(broker) => Command::StopBroker { broker },
        Typed::StartBroker(broker) => {
            let stopped = sim.brokers().iter().find(|b| !b.online).map_or(1, |b| b.id);
            Command::StartBroker { broker: broker.unwrap_or(stopped) }
        }
        Typed::ElectPreferredLeaders => Command::ElectPreferredLeaders,
        Typed::LoseAcknowledgement(p) => Command::LoseAcknowledgement { producer: producer_of(sim, &p) },
        Typed::ConfigureProducer(p, acks, enable_idempotence) => {
            Command::ConfigureProducer { producer: producer_of(sim, &p), config: ProducerConfig { acks, enable_idempotence } }
        }
        Typed::ProduceWith { topic, key, acks, idempotent } => {
            let mut request = ProduceRequest::new("products", &topic_of(sim, &topic), None, "v");
            request.key = key.map(Bytes::from);
            Command::Produce(request.with_config(ProducerConfig { acks, enable_idempotence: idempotent }))
        }
    }
}

fn kind(command: &Command) -> &'static str {
    match command {
        Command::Tick => "Tick",
        Command::CreateTopic { .. } => "CreateTopic",
        Command::AddPartitions { .. } => "AddPartitions",
        Command::Produce(_) => "Produce",
        Command::StartProducer { .. } => "StartProducer",
        Command::SetStream { .. } => "SetStream",
        Command::CreateGroup { .. } => "CreateGroup",
        Command::DeleteGroup { .. } => "DeleteGroup",
        Command::AddConsumer { .. } => "AddConsumer",
        Command::RemoveConsumer { .. } => "RemoveConsumer",
        Command::CrashConsumer { .. } => "CrashConsumer",
        Command::Subscribe { .. } => "Subscribe",
        Command::SetAssignor { .. } => "SetAssignor",
        Command::SetCommitMode { .. } => "SetCommitMode",
        Command::SetProcessingRate { .. } => "SetProcessingRate",
        Command::CleanLogs => "CleanLogs",
        Command::StopBroker { .. } => "StopBroker",
        Command::StartBroker { .. } => "StartBroker",
        Command::ElectPreferredLeaders => "ElectPreferredLeaders",
        Command::LoseAcknowledgement { .. } => "LoseAcknowledgement",
        Command::ConfigureProducer { .. } => "ConfigureProducer",
    }
}

/// What happened to one input: which command it became, its events or its refusal.
struct Outcome {
    kind: &'static str,
    result: Result<Vec<Event>, EngineError>,
    /// A refused command left the state as it was.
    unchanged: bool,
}

/// Applies each input, then one tick, as a user clicking through, to a small cluster: producer
/// `products` writing to topic `orders` (3 partitions), read by group `sms` with three consumers,
/// so the next one to join sits idle and idle members get crashed and removed too.
fn drive(inputs: Vec<Typed>) -> Vec<Outcome> {
    // The scenes' broker: no initial rebalance delay, so the group is stable from the start and
    // a dozen inputs reach rebalances rather than the first delayed join.
    let mut sim = Simulation::new(SimConfig { group_initial_rebalance_delay_ms: 0, ..SimConfig::default() });
    sim.apply(Command::CreateTopic { name: "orders".into(), partitions: 3, config: TopicConfig::default() }).unwrap();
    sim.apply(Command::StartProducer { client_id: "products".into(), topic: "orders".into() }).unwrap();
    for client_id in ["sms-1", "sms-2", "sms-3"] {
        let topics = vec!["orders".to_string()];
        sim.apply(Command::AddConsumer { group: "sms".into(), client_id: client_id.into(), group_instance_id: None, topics }).unwrap();
    }
    let mut outcomes = Vec::new();
    for input in inputs {
        let command = command(&sim, input);
        let kind = kind(&command);
        let before = sim.fingerprint();
        let result = sim.apply(command);
        let unchanged = result.is_ok() || sim.fingerprint() == before;
        outcomes.push(Outcome { kind, result, unchanged });
        sim.step();
    }
    outcomes
}

proptest! {
    #![proptest_config(common::proptest_config())]

    #[test]
    fn typed_input_never_panics_and_every_refusal_is_a_sentence(inputs in proptest::collection::vec(typed(), 1..12)) {
        for outcome in drive(inputs) {
            if let Err(error) = outcome.result {
                let sentence: String = error.to_string();
                prop_assert!(sentence.len() > 10 && sentence.ends_with('.'), "{:?} renders as {:?}", error, sentence);
                prop_assert!(outcome.unchanged, "refused {} ({:?}) changed the state", outcome.kind, error);
            }
        }
    }
}

/// The fuzzing must reach the successful paths, not only refusals: over 500 generated runs every
/// command kind is accepted many times, and crashes, leaves and subscription changes take effect
/// (their event follows), as well as being refused many times.
#[test]
fn generated_inputs_reach_successful_crashes_removes_and_subscribes() {
    use proptest::strategy::ValueTree;
    use proptest::test_runner::TestRunner;
    let took_effect = |kind: &str, events: &[Event]| match kind {
        "CrashConsumer" => events.iter().any(|e| matches!(e, Event::MemberCrashed { .. })),
        "RemoveConsumer" => events.iter().any(|e| matches!(e, Event::MemberLeft { .. })),
        "Subscribe" => events.iter().any(|e| matches!(e, Event::RebalanceStarted { reason: RebalanceReason::SubscriptionChanged, .. })),
        _ => true,
    };
    let mut runner = TestRunner::deterministic();
    let mut accepted: BTreeMap<&str, usize> = BTreeMap::new();
    let mut refused: BTreeMap<&str, usize> = BTreeMap::new();
    for _ in 0..1000 {
        let inputs = proptest::collection::vec(typed(), 1..12).new_tree(&mut runner).unwrap().current();
        for outcome in drive(inputs) {
            match &outcome.result {
                Ok(events) if took_effect(outcome.kind, events) => *accepted.entry(outcome.kind).or_insert(0) += 1,
                Ok(_) => {}
                Err(_) => *refused.entry(outcome.kind).or_insert(0) += 1,
            }
        }
    }
    let kinds = [
        "CrashConsumer", "RemoveConsumer", "Subscribe", "AddConsumer", "CreateGroup", "SetAssignor", "SetCommitMode", "CleanLogs",
        "StartProducer", "SetStream",
    ];
    for kind in kinds {
        assert!(accepted.get(kind).copied().unwrap_or(0) >= 40, "{kind} took effect too rarely: {accepted:?}");
    }
    for kind in ["StopBroker", "StartBroker", "LoseAcknowledgement", "ConfigureProducer", "ElectPreferredLeaders"] {
        assert!(accepted.get(kind).copied().unwrap_or(0) >= 40, "{kind} took effect too rarely: {accepted:?}");
    }
    for kind in ["StopBroker", "StartBroker", "Produce"] {
        assert!(refused.get(kind).copied().unwrap_or(0) >= 25, "{kind} refused too rarely: {refused:?}");
    }
    for kind in ["CrashConsumer", "RemoveConsumer", "Subscribe", "DeleteGroup"] {
        assert!(refused.get(kind).copied().unwrap_or(0) >= 25, "{kind} refused too rarely: {refused:?}");
    }
    // A group is deleted only once it is empty: created and never joined, or emptied.
    assert!(accepted.get("DeleteGroup").copied().unwrap_or(0) >= 10, "DeleteGroup took effect too rarely: {accepted:?}");
}

#[test]
fn refusals_name_the_problem() {
    let mut sim = Simulation::new(SimConfig::default());
    let err = sim.apply(Command::AddPartitions { topic: "nope".into(), total: 3 }).unwrap_err();
    assert_eq!(err, EngineError::UnknownTopic("nope".into()));
    assert!(err.to_string().contains("'nope'"));
}
