//! Producing: partition choice, offsets, and the refusals a user can run into.

mod common;

use common::*;
use kafkascope_engine::partitioner::java_partition;
use kafkascope_engine::{CleanupPolicy, Command, EngineError, Event, ProduceRequest, SimConfig, Simulation, TopicConfig};

#[test]
fn same_key_always_lands_in_same_partition() {
    let mut sim = sim_with_topic(3, TopicConfig::default());
    let key = "16b77e26-6aac-4da5-bd17-ca1caeb91461";
    let placements: Vec<(u32, u64)> = ["Sergei", "Serjei", "Sergey"].iter().map(|v| produce(&mut sim, Some(key), v)).collect();
    assert_eq!(placements, vec![(0, 0), (0, 1), (0, 2)]);
    let values: Vec<Vec<u8>> = sim.topic(TOPIC).unwrap().partitions[0].records().map(|r| r.value.clone().unwrap().to_vec()).collect();
    assert_eq!(values, vec![b"Sergei".to_vec(), b"Serjei".to_vec(), b"Sergey".to_vec()]);
}

#[test]
fn appends_get_consecutive_offsets_per_partition() {
    let mut sim = sim_with_topic(3, TopicConfig::default());
    let mut next = [0u64; 3];
    for i in 0..60 {
        let (p, offset) = produce(&mut sim, Some(&format!("key-{i}")), "v");
        assert_eq!(offset, next[p as usize]);
        next[p as usize] += 1;
    }
    for (p, log) in sim.topic(TOPIC).unwrap().partitions.iter().enumerate() {
        assert_eq!(log.log_end_offset(), next[p]);
        assert!(log.records().map(|r| r.offset).eq(0..next[p]));
    }
}

#[test]
fn adding_partitions_moves_a_key() {
    let mut sim = sim_with_topic(6, TopicConfig::default());
    assert_eq!(produce(&mut sim, Some("Sergei"), "before").0, 2);
    sim.apply(Command::AddPartitions { topic: TOPIC.into(), total: 12 }).unwrap();
    assert_eq!(produce(&mut sim, Some("Sergei"), "after").0, 8);
    // The old record stays where it was: adding partitions moves no data.
    assert_eq!(sim.topic(TOPIC).unwrap().partitions[2].len(), 1);
}

#[test]
fn partitions_can_only_grow_and_a_refusal_changes_nothing() {
    let mut sim = sim_with_topic(3, TopicConfig::default());
    produce(&mut sim, Some("a"), "v");
    let before = sim.fingerprint();
    let err = sim.apply(Command::AddPartitions { topic: TOPIC.into(), total: 2 }).unwrap_err();
    assert!(matches!(err, EngineError::CannotShrinkPartitions { current: 3, requested: 2, .. }));
    assert!(err.to_string().contains("only add partitions"));
    let same = sim.apply(Command::AddPartitions { topic: TOPIC.into(), total: 3 }).unwrap_err();
    assert!(same.to_string().contains("already has 3 partitions") && !same.to_string().contains("remove"), "nothing was asked to shrink: {same}");
    assert_eq!(sim.fingerprint(), before);
}

#[test]
fn keyless_record_is_rejected_by_a_compacted_topic() {
    let config = TopicConfig { cleanup_policy: CleanupPolicy::Compact, ..TopicConfig::default() };
    let mut sim = sim_with_topic(3, config);
    let before = sim.fingerprint();
    let err = sim.apply(Command::Produce(ProduceRequest::new("p", TOPIC, None, "v"))).unwrap_err();
    assert_eq!(err, EngineError::KeylessRecordOnCompactedTopic(TOPIC.into()));
    assert!(err.to_string().contains("Compacted topic cannot accept message without key"));
    assert_eq!(sim.fingerprint(), before);
}

#[test]
fn explicit_partition_wins_and_out_of_range_is_refused() {
    let mut sim = sim_with_topic(3, TopicConfig::default());
    let mut request = ProduceRequest::new("p", TOPIC, Some("16b77e26-6aac-4da5-bd17-ca1caeb91461"), "v");
    request.partition = Some(2);
    assert_eq!(appended(&sim.apply(Command::Produce(request.clone())).unwrap()), vec![(2, 0)]);
    request.partition = Some(3);
    let err = sim.apply(Command::Produce(request)).unwrap_err();
    assert!(err.to_string().contains("partitions 0 to 2"), "{err}");
}

#[test]
fn invalid_and_colliding_topic_names_are_refused() {
    let mut sim = sim_with_topic(1, TopicConfig::default());
    for name in ["..", "with space", "<b>x</b>"] {
        let err = sim.apply(Command::CreateTopic { name: name.into(), partitions: 1, config: TopicConfig::default() }).unwrap_err();
        assert!(matches!(err, EngineError::InvalidTopicName { .. }), "{name}");
    }
    sim.apply(Command::CreateTopic { name: "user.events".into(), partitions: 1, config: TopicConfig::default() }).unwrap();
    let err = sim.apply(Command::CreateTopic { name: "user_events".into(), partitions: 1, config: TopicConfig::default() }).unwrap_err();
    assert!(matches!(err, EngineError::TopicNameCollision { .. }));
    let err = sim.apply(Command::CreateTopic { name: "zero".into(), partitions: 0, config: TopicConfig::default() }).unwrap_err();
    assert_eq!(err, EngineError::ZeroPartitions);
}

#[test]
fn record_larger_than_max_message_bytes_is_refused() {
    let config = TopicConfig { max_message_bytes: 10, ..TopicConfig::default() };
    let mut sim = sim_with_topic(1, config);
    let err = sim.apply(Command::Produce(ProduceRequest::new("p", TOPIC, Some("k"), "0123456789"))).unwrap_err();
    assert!(matches!(err, EngineError::RecordTooLarge { size: 11, max: 10, .. }));
}

#[test]
fn keyless_records_stick_to_one_partition_per_batch() {
    let mut sim = Simulation::new(SimConfig { batch_size: 30, ..SimConfig::default() });
    sim.apply(Command::CreateTopic { name: TOPIC.into(), partitions: 3, config: TopicConfig::default() }).unwrap();
    // 10-byte values: three records fill a 30-byte batch, then the producer picks again.
    let parts: Vec<u32> = (0..9).map(|_| produce(&mut sim, None, "0123456789").0).collect();
    assert!(parts[0..3].iter().all(|&p| p == parts[0]), "{parts:?}");
    assert!(parts[3..6].iter().all(|&p| p == parts[3]), "{parts:?}");
}

#[test]
fn the_same_seed_gives_the_same_keyless_placement_and_another_seed_differs() {
    let run = |seed| {
        let mut sim = Simulation::new(SimConfig { seed, batch_size: 1, ..SimConfig::default() });
        sim.apply(Command::CreateTopic { name: TOPIC.into(), partitions: 12, config: TopicConfig::default() }).unwrap();
        (0..40).map(|_| produce(&mut sim, None, "v").0).collect::<Vec<_>>()
    };
    assert_eq!(run(7), run(7));
    assert_ne!(run(7), run(8));
}

#[test]
fn empty_key_is_hashed_not_null() {
    let mut sim = sim_with_topic(12, TopicConfig::default());
    let (p, _) = produce(&mut sim, Some(""), "v");
    assert_eq!(p, java_partition(b"", 12));
}

#[test]
fn log_append_time_overrides_the_producer_timestamp() {
    let config = TopicConfig { message_timestamp_type: kafkascope_engine::TimestampType::LogAppendTime, ..TopicConfig::default() };
    let mut sim = sim_with_topic(1, config);
    let mut request = ProduceRequest::new("p", TOPIC, Some("k"), "v");
    request.timestamp_ms = Some(5);
    sim.apply(Command::Produce(request)).unwrap();
    let record = sim.topic(TOPIC).unwrap().partitions[0].get(0).unwrap().clone();
    assert_eq!(record.timestamp_ms, sim.now_ms());
}

#[test]
fn log_append_time_stamps_a_retry_written_again_with_the_time_of_its_own_append() {
    let config = TopicConfig { message_timestamp_type: kafkascope_engine::TimestampType::LogAppendTime, ..TopicConfig::default() };
    let mut sim = sim_with_topic(1, config);
    let request = ProduceRequest { enable_idempotence: false, ..ProduceRequest::new("p", TOPIC, Some("k"), "v") };
    ticks(&mut sim, 10);
    sim.apply(Command::Produce(request.clone())).unwrap(); // offset 0, answered
    sim.apply(Command::LoseAcknowledgement { producer: "p".into() }).unwrap();
    sim.apply(Command::Produce(request)).unwrap(); // offset 1, its answer lost
    let first = sim.now_ms();
    // request.timeout.ms (30 s) passes without the lost answer: the record is sent and written again.
    let events = ticks(&mut sim, 400);
    assert!(events.iter().any(|e| matches!(e, Event::DuplicateWritten { .. })));
    let log = &sim.topic(TOPIC).unwrap().partitions[0];
    let (a, b) = (log.get(1).unwrap().timestamp_ms, log.get(2).unwrap().timestamp_ms);
    assert_eq!(a, first);
    assert!(b >= first + 30_000, "the second copy carries the broker's time of its own append, {b}");
}

#[test]
fn leaders_spread_over_the_brokers_and_added_partitions_spread_too() {
    let mut sim = sim_with_topic(3, TopicConfig::default());
    let leaders = sim.topic(TOPIC).unwrap().leaders.clone();
    let distinct: std::collections::BTreeSet<u32> = leaders.iter().copied().collect();
    assert_eq!(distinct.len(), 3, "3 partitions on 3 brokers: one each, {leaders:?}");
    sim.apply(Command::AddPartitions { topic: TOPIC.into(), total: 6 }).unwrap();
    let all = sim.topic(TOPIC).unwrap().leaders.clone();
    assert_eq!(&all[..3], &leaders[..], "existing leaders stay");
    let added: std::collections::BTreeSet<u32> = all[3..].iter().copied().collect();
    assert_eq!(added.len(), 3, "3 added partitions on 3 brokers: one each, {all:?}");
    assert_eq!(sim.brokers().iter().map(|b| b.rack.as_str()).collect::<Vec<_>>(), vec!["dc-1", "dc-2", "dc-3"]);
}

/// Leader brokers of a fresh topic, per seed.
fn leaders_with_seed(seed: u64, partitions: u32, grow_to: Option<u32>) -> Vec<u32> {
    let mut sim = Simulation::new(SimConfig { seed, ..SimConfig::default() });
    sim.apply(Command::CreateTopic { name: TOPIC.into(), partitions, config: TopicConfig::default() }).unwrap();
    if let Some(total) = grow_to {
        sim.apply(Command::AddPartitions { topic: TOPIC.into(), total }).unwrap();
    }
    sim.topic(TOPIC).unwrap().leaders.clone()
}

/// `StripedReplicaPlacer`: the first round of partitions takes every broker (rack) once; then the
/// rack order is reshuffled, so round two need not repeat round one.
#[test]
fn the_first_round_of_partitions_uses_each_broker_once_and_later_rounds_are_reshuffled() {
    let runs: Vec<Vec<u32>> = (0..30).map(|seed| leaders_with_seed(seed, 9, None)).collect();
    for leaders in &runs {
        let first_round: std::collections::BTreeSet<u32> = leaders[..3].iter().copied().collect();
        assert_eq!(first_round.len(), 3, "{leaders:?}");
        assert!(leaders.iter().all(|l| (1..=3).contains(l)), "{leaders:?}");
    }
    assert!(runs.iter().any(|l| l[3..6] != l[0..3]), "the second round never differed from the first: {runs:?}");
}

/// Each CreatePartitions places the new partitions with a fresh placer (fresh random start), not
/// by continuing the first partitions' rotation.
#[test]
fn added_partitions_start_from_a_fresh_random_broker() {
    let runs: Vec<Vec<u32>> = (0..30).map(|seed| leaders_with_seed(seed, 3, Some(4))).collect();
    assert!(runs.iter().any(|l| l[3] != l[0]), "partition 3 always went where partition 0 went: {runs:?}");
}

/// `LogSegment.shouldRoll`: a segment rolls by time only once the time waited is strictly more
/// than `segment.ms`; with 100 ms ticks the equal case happens.
#[test]
fn a_segment_rolls_only_after_more_than_segment_ms() {
    let mut sim = sim_with_topic(1, TopicConfig { segment_ms: 1_000, ..TopicConfig::default() });
    let rolled = |events: &[kafkascope_engine::Event]| events.iter().any(|e| matches!(e, kafkascope_engine::Event::SegmentRolled { .. }));
    produce(&mut sim, Some("k"), "first");
    ticks(&mut sim, 10); // exactly segment.ms later
    let at_equal = sim.apply(Command::Produce(ProduceRequest::new("p", TOPIC, Some("k"), "v"))).unwrap();
    assert!(!rolled(&at_equal), "1000 ms waited is not more than segment.ms = 1000");
    ticks(&mut sim, 1);
    let after = sim.apply(Command::Produce(ProduceRequest::new("p", TOPIC, Some("k"), "v"))).unwrap();
    assert!(rolled(&after), "1100 ms waited is");
}

/// `Partitioner::key_hash` answers "which partition will this key land in" before a send: for
/// every partitioner and a null, an empty and a plain key, it names a hash exactly when the send
/// is decided by that hash, and the hash's partition is where the record lands.
#[test]
fn the_key_hash_a_partitioner_names_is_the_one_its_sends_use() {
    use kafkascope_engine::partitioner::{HashTrace, PartitionChoice, Partitioner};
    use kafkascope_engine::{Bytes, Event, Setting};
    let mut hashed = 0;
    for &partitioner in Partitioner::ALL {
        for key in [None, Some(""), Some("user-42")] {
            let mut sim = sim_with_topic(3, TopicConfig::default());
            let mut request = ProduceRequest::new("p", TOPIC, key, "v");
            request.partitioner = partitioner;
            let events = sim.apply(Command::Produce(request)).unwrap();
            let choice = events.iter().find_map(|e| if let Event::Produced { choice, .. } = e { Some(choice.clone()) } else { None }).unwrap();
            let bytes = key.map(|k| Bytes::from(k.as_bytes().to_vec()));
            match (partitioner.key_hash(bytes.as_ref()), choice) {
                (Some(algorithm), PartitionChoice::KeyHash(trace)) => {
                    let expected = HashTrace::compute(algorithm, key.unwrap_or_default().as_bytes(), 3);
                    assert_eq!((trace.algorithm, trace.partition), (algorithm, expected.partition), "{partitioner:?} {key:?}");
                    hashed += 1;
                }
                (None, PartitionChoice::KeyHash(_)) => panic!("{partitioner:?} hashed {key:?} but key_hash said it would not"),
                (Some(_), choice) => panic!("{partitioner:?} {key:?}: key_hash named a hash, the send went {choice:?}"),
                (None, _) => {}
            }
        }
    }
    assert!(hashed >= 10, "most partitioners hash a plain key: {hashed}");
}
