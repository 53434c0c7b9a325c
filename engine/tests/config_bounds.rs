//! Configuration bounds Kafka enforces (`LogConfig`, the producer, `LogValidator`), and the small
//! values the simulation allows for teaching but labels as below Kafka's minimum.

mod common;

use common::*;
use kafkascope_engine::{Bytes, Command, EngineError, ProduceRequest, SimConfig, Simulation, TimestampType, TopicConfig};

fn create(sim: &mut Simulation, name: &str, config: TopicConfig) -> Result<Vec<kafkascope_engine::Event>, EngineError> {
    sim.apply(Command::CreateTopic { name: name.into(), partitions: 1, config })
}

#[test]
fn retention_ms_below_minus_one_is_refused() {
    let mut sim = Simulation::new(SimConfig::default());
    let err = create(&mut sim, "minus-two", TopicConfig { retention_ms: -2, ..TopicConfig::default() }).unwrap_err();
    assert!(matches!(&err, EngineError::InvalidConfig { name, .. } if name == "retention.ms"), "{err:?}");
    assert!(create(&mut sim, "forever", TopicConfig { retention_ms: -1, ..TopicConfig::default() }).is_ok());
}

#[test]
fn max_message_bytes_of_zero_is_accepted() {
    let mut sim = Simulation::new(SimConfig::default());
    assert!(create(&mut sim, "tiny", TopicConfig { max_message_bytes: 0, ..TopicConfig::default() }).is_ok());
    let err = sim.apply(Command::Produce(ProduceRequest::new("p", "tiny", Some("k"), "v"))).unwrap_err();
    assert!(matches!(err, EngineError::RecordTooLarge { size: 2, max: 0, .. }));
}

#[test]
fn segment_bytes_below_kafkas_minimum_is_allowed_but_labelled_as_a_teaching_allowance() {
    let tiny = TopicConfig { segment_bytes: 8, ..TopicConfig::default() };
    let allowances = tiny.teaching_allowances();
    assert_eq!(allowances.len(), 1, "{allowances:?}");
    assert!(allowances[0].contains("segment.bytes") && allowances[0].contains("1 MiB"), "{}", allowances[0]);
    assert!(TopicConfig::default().teaching_allowances().is_empty());
    // Kafka 4.0 refuses anything under 1 MiB (KIP-1030); the lessons' 60 and 200 bytes are allowances.
    assert!(TopicConfig { segment_bytes: 1_048_576, ..TopicConfig::default() }.teaching_allowances().is_empty());
    assert_eq!(TopicConfig { segment_bytes: 1_048_575, ..TopicConfig::default() }.teaching_allowances().len(), 1);
    assert_eq!(TopicConfig { segment_bytes: 200, ..TopicConfig::default() }.teaching_allowances().len(), 1);
    let mut sim = Simulation::new(SimConfig::default());
    assert!(create(&mut sim, "tiny-segments", tiny).is_ok());
}

#[test]
fn the_producer_refuses_a_record_larger_than_max_request_size() {
    let mut sim = sim_with_topic(1, TopicConfig::default());
    let mut request = ProduceRequest::new("p", TOPIC, None, "");
    request.value = Some(Bytes::from(vec![b'x'; 1_048_577]));
    let before = sim.fingerprint();
    let err = sim.apply(Command::Produce(request.clone())).unwrap_err();
    assert_eq!(err, EngineError::RecordExceedsMaxRequestSize { size: 1_048_577, max: 1_048_576 });
    assert!(err.to_string().contains("max.request.size"), "{err}");
    assert_eq!(sim.fingerprint(), before);
    request.value = Some(Bytes::from(vec![b'x'; 1_048_576]));
    assert!(sim.apply(Command::Produce(request)).is_ok());
}

fn produce_at(sim: &mut Simulation, topic: &str, timestamp_ms: u64) -> Result<Vec<kafkascope_engine::Event>, EngineError> {
    let mut request = ProduceRequest::new("p", topic, Some("k"), "v");
    request.timestamp_ms = Some(timestamp_ms);
    sim.apply(Command::Produce(request))
}

#[test]
fn a_create_time_more_than_message_timestamp_after_max_ms_ahead_is_refused() {
    let mut sim = sim_with_topic(1, TopicConfig::default());
    let now = sim.now_ms();
    let err = produce_at(&mut sim, TOPIC, now + 3_600_001).unwrap_err();
    assert!(matches!(err, EngineError::InvalidTimestamp { .. }), "{err:?}");
    assert!(err.to_string().contains("message.timestamp.after.max.ms"), "{err}");
    assert!(produce_at(&mut sim, TOPIC, now + 3_600_000).is_ok(), "exactly one hour ahead is allowed");
    assert!(produce_at(&mut sim, TOPIC, 0).is_ok(), "message.timestamp.before.max.ms is unbounded by default");
}

#[test]
fn message_timestamp_before_max_ms_refuses_old_create_times_but_not_log_append_time() {
    let mut sim = Simulation::new(SimConfig::default());
    let strict = TopicConfig { message_timestamp_before_max_ms: 1_000, ..TopicConfig::default() };
    create(&mut sim, "strict", strict.clone()).unwrap();
    create(&mut sim, "broker-time", TopicConfig { message_timestamp_type: TimestampType::LogAppendTime, ..strict }).unwrap();
    let now = sim.now_ms();
    assert!(matches!(produce_at(&mut sim, "strict", now - 1_001), Err(EngineError::InvalidTimestamp { .. })));
    assert!(produce_at(&mut sim, "strict", now - 1_000).is_ok());
    assert!(produce_at(&mut sim, "broker-time", 0).is_ok(), "LogAppendTime ignores the producer's timestamp");
}
