//! Nothing a user can type, paste or put in a URL panics the engine: arbitrary names, keys,
//! values, headers and numbers give `Ok` or an `EngineError` with a sentence.

use kafkascope_engine::{Bytes, Command, EngineError, Header, ProduceRequest, SimConfig, Simulation, TopicConfig};
use proptest::prelude::*;

fn config() -> ProptestConfig {
    let cases = std::env::var("PROPTEST_CASES").ok().and_then(|c| c.parse().ok()).unwrap_or(10_000);
    ProptestConfig { cases, failure_persistence: None, ..ProptestConfig::default() }
}

#[derive(Debug, Clone)]
enum Typed {
    CreateTopic(String, u32),
    AddPartitions(String, u32),
    Produce { topic: String, key: Option<Vec<u8>>, value: Option<Vec<u8>>, header: Option<(String, Vec<u8>)>, partition: Option<u32> },
    AddConsumer(String, String, Vec<String>),
    Crash(String, String),
}

fn typed() -> impl Strategy<Value = Typed> {
    let name = prop_oneof![Just("orders".to_string()), Just("orders.v2".to_string()), ".{0,260}", "[a-z._-]{0,5}"];
    prop_oneof![
        (name.clone(), any::<u32>()).prop_map(|(n, p)| Typed::CreateTopic(n, p % 2000)),
        (name.clone(), any::<u32>()).prop_map(|(n, p)| Typed::AddPartitions(n, p % 2000)),
        (name.clone(), proptest::option::of(proptest::collection::vec(any::<u8>(), 0..40)), proptest::option::of(proptest::collection::vec(any::<u8>(), 0..40)),
            proptest::option::of((".{0,10}", proptest::collection::vec(any::<u8>(), 0..8))), proptest::option::of(any::<u32>()))
            .prop_map(|(topic, key, value, header, partition)| Typed::Produce { topic, key, value, header, partition }),
        (".{0,20}", ".{0,20}", proptest::collection::vec(name.clone(), 0..3)).prop_map(|(g, c, t)| Typed::AddConsumer(g, c, t)),
        (".{0,20}", ".{0,60}").prop_map(|(g, m)| Typed::Crash(g, m)),
    ]
}

fn command(t: Typed) -> Command {
    match t {
        Typed::CreateTopic(name, partitions) => Command::CreateTopic { name, partitions, config: TopicConfig::default() },
        Typed::AddPartitions(topic, total) => Command::AddPartitions { topic, total },
        Typed::Produce { topic, key, value, header, partition } => Command::Produce(ProduceRequest {
            producer: "p".into(),
            topic,
            key: key.map(Bytes::from),
            value: value.map(Bytes::from),
            headers: header.into_iter().map(|(k, v)| Header { key: k, value: Some(Bytes::from(v)) }).collect(),
            partition,
            partitioner: Default::default(),
            timestamp_ms: None,
        }),
        Typed::AddConsumer(group, client_id, topics) => Command::AddConsumer { group, client_id, group_instance_id: None, topics },
        Typed::Crash(group, member_id) => Command::CrashConsumer { group, member_id },
    }
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn typed_input_never_panics_and_every_refusal_is_a_sentence(inputs in proptest::collection::vec(typed(), 1..12)) {
        let mut sim = Simulation::new(SimConfig::default());
        sim.apply(Command::CreateTopic { name: "orders".into(), partitions: 3, config: TopicConfig::default() }).unwrap();
        for input in inputs {
            if let Err(error) = sim.apply(command(input)) {
                let sentence: String = error.to_string();
                prop_assert!(sentence.len() > 10 && sentence.ends_with('.'), "{:?} renders as {:?}", error, sentence);
            }
            sim.step();
        }
    }
}

#[test]
fn refusals_name_the_problem() {
    let mut sim = Simulation::new(SimConfig::default());
    let err = sim.apply(Command::AddPartitions { topic: "nope".into(), total: 3 }).unwrap_err();
    assert_eq!(err, EngineError::UnknownTopic("nope".into()));
    assert!(err.to_string().contains("'nope'"));
}
