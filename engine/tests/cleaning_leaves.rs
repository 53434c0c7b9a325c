//! What retention and compaction must leave alone, or hand on: an idempotent producer's state, a
//! follower's log start offset, the segment that holds the high watermark, and a consumer's
//! knowledge that it skipped what retention deleted.

mod common;

use common::*;
use kafkascope_engine::{Acks, CleanupPolicy, Command, Event, OffsetReset, ProduceRequest, SimConfig, Simulation, TopicConfig};

fn send(sim: &mut Simulation, producer: &str, key: &str, value: &str, timestamp_ms: Option<u64>) -> Vec<Event> {
    let request = ProduceRequest { timestamp_ms, ..ProduceRequest::new(producer, TOPIC, Some(key), value) };
    sim.apply(Command::Produce(request)).unwrap()
}

fn value_of(sim: &Simulation, key: &str) -> Vec<String> {
    let log = &sim.topic(TOPIC).unwrap().partitions[0];
    let same = |k: &Option<bytes::Bytes>| k.as_deref() == Some(key.as_bytes());
    log.records().filter(|r| same(&r.key)).map(|r| String::from_utf8(r.value.as_ref().unwrap().to_vec()).unwrap()).collect()
}

fn duplicates_dropped(events: &[Event]) -> Vec<u64> {
    events.iter().filter_map(|e| if let Event::DuplicateDropped { offset, .. } = e { Some(*offset) } else { None }).collect()
}

#[test]
fn a_retry_after_compaction_removed_its_first_copy_is_still_dropped_as_a_duplicate() {
    // 4-byte records, one per segment, so every record but the newest is cleanable.
    let config = TopicConfig { cleanup_policy: CleanupPolicy::Compact, segment_bytes: 4, ..TopicConfig::default() };
    let mut sim = sim_with_topic(1, config);
    send(&mut sim, "A", "w", "w0.", None);
    sim.apply(Command::LoseAcknowledgement { producer: "A".into() }).unwrap();
    send(&mut sim, "A", "k", "v1.", None); // written at offset 1; A never hears so
    send(&mut sim, "B", "k", "v2.", None); // the key's newer value, acknowledged
    send(&mut sim, "B", "z", "zz.", None);
    sim.apply(Command::CleanLogs).unwrap();
    assert_eq!(value_of(&sim, "k"), vec!["v2."], "the cleaner removed A's first copy");
    let leo = sim.topic(TOPIC).unwrap().partitions[0].log_end_offset();
    // request.timeout.ms passes and A sends again: the leader remembers the batch.
    let events = ticks(&mut sim, 400);
    assert_eq!(duplicates_dropped(&events), vec![1]);
    assert_eq!(sim.topic(TOPIC).unwrap().partitions[0].log_end_offset(), leo, "nothing appended twice");
    send(&mut sim, "B", "y", "yy.", None);
    sim.apply(Command::CleanLogs).unwrap();
    assert_eq!(value_of(&sim, "k"), vec!["v2."], "the acknowledged newer value stays the key's value");
}

#[test]
fn a_retry_after_retention_deleted_its_first_copy_is_still_dropped_as_a_duplicate() {
    let config = TopicConfig { segment_bytes: 4, retention_ms: 1_000, ..TopicConfig::default() };
    let mut sim = sim_with_topic(1, config);
    let old = Some(sim.clock().now_ms() - 10_000);
    send(&mut sim, "A", "w", "w0.", old);
    sim.apply(Command::LoseAcknowledgement { producer: "A".into() }).unwrap();
    send(&mut sim, "A", "k", "v1.", old);
    send(&mut sim, "B", "z", "zz.", None);
    sim.apply(Command::CleanLogs).unwrap();
    assert_eq!(sim.topic(TOPIC).unwrap().partitions[0].log_start_offset(), 2, "retention deleted offsets 0 and 1");
    let events = ticks(&mut sim, 400);
    assert_eq!(duplicates_dropped(&events), vec![1]);
    assert_eq!(sim.topic(TOPIC).unwrap().partitions[0].log_end_offset(), 3);
}

#[test]
fn a_follower_fetching_in_parts_takes_the_leaders_log_start_offset() {
    // A fetch takes one 4-byte record at a time, so the follower trails the leader's log.
    let mut sim = Simulation::new(SimConfig { brokers: 2, replica_fetch_max_bytes: 5, ..instant_groups() });
    let config = TopicConfig { segment_bytes: 4, retention_ms: 1_000, replication_factor: Some(2), ..TopicConfig::default() };
    sim.apply(Command::CreateTopic { name: TOPIC.into(), partitions: 1, config }).unwrap();
    let old = Some(sim.clock().now_ms() - 10_000);
    for i in 0..10 {
        let request = ProduceRequest { timestamp_ms: old, acks: Acks::One, enable_idempotence: false, ..ProduceRequest::new("p", TOPIC, Some("k"), &format!("v{i}.")) };
        sim.apply(Command::Produce(request)).unwrap();
    }
    ticks(&mut sim, 5);
    sim.apply(Command::CleanLogs).unwrap();
    let leader_start = sim.topic(TOPIC).unwrap().partitions[0].log_start_offset();
    assert!(leader_start > 0, "retention deleted the leader's old segments");
    ticks(&mut sim, 1);
    let topic = sim.topic(TOPIC).unwrap();
    let (state, leader) = (&topic.replication[0], state_leader(&sim));
    let follower = state.brokers().find(|&b| b != leader).unwrap();
    let copy = state.log_on(follower, &topic.partitions[0]).unwrap();
    assert!(copy.log_end_offset() < topic.partitions[0].log_end_offset(), "the follower is still behind");
    assert_eq!(copy.log_start_offset(), leader_start);
    assert!(copy.get(leader_start - 1).is_none(), "what retention deleted is gone from the follower too");
    // The follower leads: the deleted offsets do not come back.
    sim.apply(Command::StopBroker { broker: leader }).unwrap();
    let log = &sim.topic(TOPIC).unwrap().partitions[0];
    assert_eq!(log.log_start_offset(), leader_start);
    assert!(log.range(0, leader_start).next().is_none());
}

fn state_leader(sim: &Simulation) -> u32 {
    sim.topic(TOPIC).unwrap().replication[0].leader.unwrap()
}

#[test]
fn compaction_stops_at_the_base_of_the_segment_holding_the_high_watermark() {
    // Two 4-byte records per segment; a follower fetching one record at a time holds the HW back.
    let mut sim = Simulation::new(SimConfig { brokers: 2, replica_fetch_max_bytes: 5, ..instant_groups() });
    let config = TopicConfig { cleanup_policy: CleanupPolicy::Compact, segment_bytes: 8, replication_factor: Some(2), ..TopicConfig::default() };
    sim.apply(Command::CreateTopic { name: TOPIC.into(), partitions: 1, config }).unwrap();
    for i in 0..10 {
        let request = ProduceRequest { acks: Acks::One, enable_idempotence: false, ..ProduceRequest::new("p", TOPIC, Some("k"), &format!("v{i}.")) };
        sim.apply(Command::Produce(request)).unwrap();
    }
    // Tick until the HW is 3: inside the segment 2..4.
    while sim.topic(TOPIC).unwrap().partitions[0].high_watermark() < 3 {
        sim.step();
    }
    assert_eq!(sim.topic(TOPIC).unwrap().partitions[0].high_watermark(), 3);
    let events = sim.apply(Command::CleanLogs).unwrap();
    let cleaned: Vec<_> = events.iter().filter_map(|e| if let Event::Compacted { compaction, .. } = e { Some(compaction.clone()) } else { None }).collect();
    assert_eq!(cleaned.len(), 1);
    // Kafka cleans whole segments: up to 2, the base of the segment holding the HW. Offset 1 is
    // superseded by 2 and goes; 2 stays though 3 supersedes it, 3 being above the cleaner's reach.
    assert_eq!((cleaned[0].superseded.clone(), cleaned[0].cleaned_up_to), (vec![0], 2));
}

/// A group that committed offset 2, lost its only consumer, and then retention deleted past
/// that commit (two 4-byte records per segment, retention.ms 1 s). Returns the new log start.
fn group_overtaken_by_retention(mode: kafkascope_engine::CommitMode) -> (Simulation, u64) {
    let config = TopicConfig { segment_bytes: 8, retention_ms: 1_000, ..TopicConfig::default() };
    let mut sim = sim_with_topic(1, config);
    create_group(&mut sim, "g", group_config(mode));
    let first = add_consumer(&mut sim, "g", "c1");
    for _ in 0..2 {
        produce(&mut sim, Some("k"), "abc");
    }
    ticks(&mut sim, 30);
    assert_eq!(sim.group("g").unwrap().committed.get(&tp(0)), Some(&2));
    sim.apply(Command::CrashConsumer { group: "g".into(), member_id: first }).unwrap();
    for _ in 0..5 {
        produce(&mut sim, Some("k"), "abc");
    }
    ticks(&mut sim, 80); // the crashed member's session ends, and every record is past retention.ms
    sim.apply(Command::CleanLogs).unwrap();
    let start = sim.topic(TOPIC).unwrap().partitions[0].log_start_offset();
    assert!(start > 2, "retention deleted past the committed offset");
    (sim, start)
}

/// Adds a consumer and returns the events of its join and the next `n` ticks.
fn join_and_tick(sim: &mut Simulation, client: &str, n: usize) -> Vec<Event> {
    let join = Command::AddConsumer { group: "g".into(), client_id: client.into(), group_instance_id: None, topics: vec![TOPIC.into()] };
    let mut events = sim.apply(join).unwrap();
    events.extend(ticks(sim, n));
    events
}

#[test]
fn a_consumer_overtaken_by_retention_is_told_what_it_never_read() {
    let (mut sim, start) = group_overtaken_by_retention(kafkascope_engine::CommitMode::AutoCommit);
    let events = join_and_tick(&mut sim, "c2", 20);
    let reset = events.iter().find_map(|e| match e {
        Event::OffsetReset { offset, policy, out_of_range, .. } => Some((*offset, *policy, *out_of_range)),
        _ => None,
    });
    assert_eq!(reset, Some((start, OffsetReset::Earliest, Some(2))));
    assert_eq!(sim.group("g").unwrap().stats.skipped, start - 2);
}

#[test]
fn offsets_skipped_past_are_counted_once_when_a_rebalance_resets_from_the_same_stale_commit() {
    // Commits follow processing only: with nothing left to read after the reset, nobody commits.
    let (mut sim, start) = group_overtaken_by_retention(kafkascope_engine::CommitMode::ProcessThenCommit);
    // c2 resets from the stale commit 2; nobody commits; c3's join makes the eager group hand
    // the partition out again, and whoever gets it resets from 2 once more.
    join_and_tick(&mut sim, "c2", 5);
    let events = join_and_tick(&mut sim, "c3", 20);
    assert!(events.iter().any(|e| matches!(e, Event::OffsetReset { out_of_range: Some(2), .. })), "the second reset from the stale commit happened");
    assert_eq!(sim.group("g").unwrap().stats.skipped, start - 2, "counted once");
}

#[test]
fn a_tombstone_at_the_new_log_start_keeps_its_delete_horizon() {
    // compact,delete with one 4-byte record per segment: "a" at offset 0 (2.5 s old), a
    // tombstone at 1, "b" at 2 in the active segment.
    let config = TopicConfig {
        cleanup_policy: CleanupPolicy::CompactDelete,
        segment_bytes: 4,
        retention_ms: 3_000,
        delete_retention_ms: 1_000,
        ..TopicConfig::default()
    };
    let mut sim = sim_with_topic(1, config);
    let now = sim.clock().now_ms();
    send(&mut sim, "p", "a", "old", Some(now - 2_500));
    let tombstone = ProduceRequest { value: None, ..ProduceRequest::new("p", TOPIC, Some("t"), "") };
    sim.apply(Command::Produce(tombstone)).unwrap();
    send(&mut sim, "p", "b", "new", None);
    // The first cleaning sees the tombstone: it may go delete.retention.ms (1 s) later.
    sim.apply(Command::CleanLogs).unwrap();
    ticks(&mut sim, 11);
    // 1.1 s on, retention deletes offset 0, so the tombstone's segment is the first; the same
    // cleaning must remove the tombstone, its 1 s having passed.
    sim.apply(Command::CleanLogs).unwrap();
    let log = &sim.topic(TOPIC).unwrap().partitions[0];
    assert_eq!(log.log_start_offset(), 1, "retention deleted offset 0");
    assert!(log.get(1).is_none(), "the tombstone went delete.retention.ms after the cleaning that saw it");
}

#[test]
fn a_slow_consumer_whose_position_retention_deleted_resets_and_counts_the_skip() {
    // One record per segment, every record already past retention.ms; the group processes one
    // record a second, so retention overtakes its position.
    let config = TopicConfig { segment_bytes: 4, retention_ms: 1_000, ..TopicConfig::default() };
    let mut sim = sim_with_topic(1, config);
    let slow = kafkascope_engine::GroupConfig { processing_rate: Some(1), max_poll_records: 1, ..group_config(kafkascope_engine::CommitMode::AutoCommit) };
    create_group(&mut sim, "g", slow);
    add_consumer(&mut sim, "g", "c1");
    let old = Some(sim.clock().now_ms() - 10_000);
    for i in 0..10 {
        send(&mut sim, "p", "k", &format!("v{i}"), old);
    }
    ticks(&mut sim, 15);
    let member = sim.group("g").unwrap().members.values().next().unwrap().positions.get(&tp(0)).copied().unwrap();
    assert!(member < 10, "the consumer is behind");
    sim.apply(Command::CleanLogs).unwrap();
    assert_eq!(sim.topic(TOPIC).unwrap().partitions[0].log_start_offset(), 10);
    let events = ticks(&mut sim, 5);
    let reset = events.iter().find_map(|e| match e {
        Event::OffsetReset { offset, out_of_range, .. } => Some((*offset, *out_of_range)),
        _ => None,
    });
    assert_eq!(reset, Some((10, Some(member))));
    assert_eq!(sim.group("g").unwrap().stats.skipped, 10 - member);
}
