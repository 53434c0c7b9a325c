//! Retention and compaction, driven through commands and the simulated clock.

mod common;

use common::*;
use kafkascope_engine::retention::RetentionRule;
use kafkascope_engine::{CleanupPolicy, Command, Event, ProduceRequest, SimConfig, Simulation, TopicConfig};

fn deletions(events: &[Event]) -> Vec<(RetentionRule, u64, u64)> {
    events
        .iter()
        .filter_map(|e| match e {
            Event::SegmentsDeleted { deletion, .. } => Some((deletion.rule, deletion.from, deletion.to)),
            _ => None,
        })
        .collect()
}

#[test]
fn retention_deletes_whole_segments_below_high_watermark() {
    // 4-byte records ("k" + "abc") and 8-byte segments: two records per segment.
    let config = TopicConfig { segment_bytes: 8, retention_ms: 1_000, ..TopicConfig::default() };
    let mut sim = sim_with_topic(1, config);
    produce(&mut sim, Some("k"), "abc");
    produce(&mut sim, Some("k"), "abc");
    ticks(&mut sim, 11);
    produce(&mut sim, Some("k"), "abc");
    let events = sim.apply(Command::CleanLogs).unwrap();
    assert_eq!(deletions(&events), vec![(RetentionRule::Time, 0, 2)]);
    let log = &sim.topic(TOPIC).unwrap().partitions[0];
    assert_eq!((log.log_start_offset(), log.high_watermark(), log.log_end_offset()), (2, 3, 3));
    assert!(log.get(0).is_none() && log.get(2).is_some());
    // Offsets are never reused.
    assert_eq!(produce(&mut sim, Some("k"), "abc"), (0, 3));
}

#[test]
fn the_view_says_where_segments_begin_inside_its_window_and_which_is_active() {
    // Two 4-byte records per 8-byte segment: segments begin at offsets 0, 2, 4.
    let config = TopicConfig { segment_bytes: 8, retention_ms: 1_000, ..TopicConfig::default() };
    let mut sim = sim_with_topic(1, config);
    for _ in 0..5 {
        produce(&mut sim, Some("k"), "abc");
    }
    let starts = |sim: &Simulation, window: usize| sim.view(window).topics[0].partitions[0].segment_starts.clone();
    // The log start is no boundary to draw; the last start is the active segment's.
    assert_eq!(starts(&sim, 10), vec![2, 4]);
    assert_eq!(sim.topic(TOPIC).unwrap().partitions[0].active_segment().base_offset, 4);
    // A window of the newest two records (offsets 3 and 4) shows only the boundary at 4.
    assert_eq!(starts(&sim, 2), vec![4]);
    // Retention deletes every expired segment, the active one too (rolling an empty one at the
    // log end first): the log starts at 5 in that new segment, with no boundary left to draw.
    ticks(&mut sim, 11);
    assert_eq!(deletions(&sim.apply(Command::CleanLogs).unwrap()), vec![(RetentionRule::Time, 0, 5)]);
    assert_eq!(starts(&sim, 10), Vec::<u64>::new());
    for _ in 0..3 {
        produce(&mut sim, Some("k"), "abc");
    }
    assert_eq!(starts(&sim, 10), vec![7]);
}

#[test]
fn retention_waits_for_the_whole_segment_to_expire() {
    let config = TopicConfig { segment_bytes: 8, retention_ms: 1_000, ..TopicConfig::default() };
    let mut sim = sim_with_topic(1, config);
    produce(&mut sim, Some("k"), "abc");
    ticks(&mut sim, 8);
    produce(&mut sim, Some("k"), "abc"); // same segment, newer timestamp
    ticks(&mut sim, 3); // the first record is 1100 ms old, the segment's newest only 300 ms
    assert!(deletions(&sim.apply(Command::CleanLogs).unwrap()).is_empty());
}

#[test]
fn retention_by_size_deletes_oldest_segments_until_under_retention_bytes() {
    let config = TopicConfig { segment_bytes: 8, retention_bytes: 8, ..TopicConfig::default() };
    let mut sim = sim_with_topic(1, config);
    for _ in 0..6 {
        produce(&mut sim, Some("k"), "abc");
    }
    let events = sim.apply(Command::CleanLogs).unwrap();
    assert_eq!(deletions(&events), vec![(RetentionRule::Size, 0, 4)]);
    assert_eq!(sim.topic(TOPIC).unwrap().partitions[0].size_bytes(), 8);
}

#[test]
fn retention_runs_on_the_broker_check_interval() {
    let mut sim = Simulation::new(SimConfig { retention_check_interval_ms: 1_000, ..SimConfig::default() });
    let config = TopicConfig { segment_bytes: 4, retention_ms: 500, ..TopicConfig::default() };
    sim.apply(Command::CreateTopic { name: TOPIC.into(), partitions: 1, config }).unwrap();
    produce(&mut sim, Some("k"), "abc");
    produce(&mut sim, Some("k"), "abc");
    let events = ticks(&mut sim, 9);
    assert!(deletions(&events).is_empty(), "no check before 1000 ms");
    let events = ticks(&mut sim, 1);
    assert_eq!(deletions(&events).len(), 1);
}

fn compacted(segment_bytes: u64) -> Simulation {
    let config = TopicConfig {
        cleanup_policy: CleanupPolicy::Compact,
        segment_bytes,
        delete_retention_ms: 1_000,
        ..TopicConfig::default()
    };
    sim_with_topic(1, config)
}

fn live(sim: &Simulation) -> Vec<(u64, String, Option<String>)> {
    sim.topic(TOPIC).unwrap().partitions[0]
        .records()
        .map(|r| {
            let text = |b: &Option<bytes::Bytes>| b.as_ref().map(|b| String::from_utf8(b.to_vec()).unwrap());
            (r.offset, text(&r.key).unwrap(), text(&r.value))
        })
        .collect()
}

#[test]
fn compaction_keeps_the_latest_record_per_key_and_preserves_offsets() {
    let mut sim = compacted(4); // 4-byte records: one record per segment
    for (k, v) in [("a", "1.."), ("b", "1.."), ("a", "2.."), ("a", "3.."), ("b", "2.."), ("c", "1..")] {
        produce(&mut sim, Some(k), v);
    }
    sim.apply(Command::CleanLogs).unwrap();
    // Offset 5 sits in the active segment and is never cleaned; the rest keeps the latest per key.
    let offsets: Vec<u64> = live(&sim).iter().map(|r| r.0).collect();
    assert_eq!(offsets, vec![3, 4, 5]);
    let log = &sim.topic(TOPIC).unwrap().partitions[0];
    assert_eq!((log.log_start_offset(), log.log_end_offset()), (0, 6));
}

#[test]
fn active_segment_is_never_compacted() {
    let mut sim = compacted(1_000_000); // everything stays in the active segment
    for v in ["1", "2", "3"] {
        produce(&mut sim, Some("a"), v);
    }
    sim.apply(Command::CleanLogs).unwrap();
    assert_eq!(live(&sim).len(), 3);
}

#[test]
fn tombstones_stay_for_delete_retention_ms_after_the_cleaning_that_saw_them() {
    let mut sim = compacted(4);
    produce(&mut sim, Some("a"), "1..");
    sim.apply(Command::Produce(ProduceRequest { value: None, ..ProduceRequest::new("p", TOPIC, Some("a"), "") })).unwrap();
    produce(&mut sim, Some("z"), "1.."); // pushes the tombstone out of the active segment
    sim.apply(Command::CleanLogs).unwrap();
    assert_eq!(live(&sim)[0], (1, "a".into(), None), "the tombstone is kept first");
    ticks(&mut sim, 5);
    sim.apply(Command::CleanLogs).unwrap();
    assert_eq!(live(&sim)[0].0, 1, "500 ms later it is still there");
    ticks(&mut sim, 6);
    let events = sim.apply(Command::CleanLogs).unwrap();
    assert_eq!(live(&sim).iter().map(|r| r.0).collect::<Vec<_>>(), vec![2]);
    assert!(events.iter().any(|e| matches!(e, Event::Compacted { compaction, .. } if compaction.tombstones_removed == vec![1])));
}

/// `compact,delete`: compaction can empty a closed segment; retention must still delete it once
/// its last-modified time is past `retention.ms` (`UnifiedLog.deletableSegments` skips only an
/// empty *last* segment; `LogCleaner` keeps the source segment's last-modified time).
#[test]
fn an_emptied_segment_still_expires_on_compact_delete_topics() {
    let config = TopicConfig {
        cleanup_policy: CleanupPolicy::CompactDelete,
        segment_bytes: 4, // 4-byte records: one record per segment
        retention_ms: 1_000,
        ..TopicConfig::default()
    };
    let mut sim = sim_with_topic(1, config);
    for v in ["1..", "2..", "3.."] {
        produce(&mut sim, Some("a"), v);
    }
    sim.apply(Command::CleanLogs).unwrap(); // removes offset 0: segment 0 is now empty
    produce(&mut sim, Some("a"), "4..");
    sim.apply(Command::CleanLogs).unwrap(); // removes offset 1: segment 1 is now empty
    let log = &sim.topic(TOPIC).unwrap().partitions[0];
    assert_eq!(log.segments().iter().map(|s| s.record_count).collect::<Vec<_>>(), vec![0, 0, 1, 1]);
    ticks(&mut sim, 11); // every record and every segment write is now 1100 ms old
    let events = sim.apply(Command::CleanLogs).unwrap();
    assert_eq!(deletions(&events), vec![(RetentionRule::Time, 0, 4)]);
    let log = &sim.topic(TOPIC).unwrap().partitions[0];
    assert_eq!((log.log_start_offset(), log.log_end_offset()), (4, 4));
}

/// A compacted topic whose broker runs the cleaner every second.
fn scheduled_compaction() -> Simulation {
    let mut sim = Simulation::new(SimConfig { retention_check_interval_ms: 1_000, ..SimConfig::default() });
    let config = TopicConfig {
        cleanup_policy: CleanupPolicy::Compact,
        segment_bytes: 4, // 4-byte records: one record per segment
        delete_retention_ms: 1_000,
        ..TopicConfig::default()
    };
    sim.apply(Command::CreateTopic { name: TOPIC.into(), partitions: 1, config }).unwrap();
    sim
}

fn compactions(events: &[Event]) -> Vec<&kafkascope_engine::compaction::Compaction> {
    events
        .iter()
        .filter_map(|e| match e {
            Event::Compacted { compaction, .. } => Some(compaction),
            _ => None,
        })
        .collect()
}

#[test]
fn compaction_waits_for_a_dirty_ratio_strictly_above_min_cleanable_dirty_ratio() {
    let mut sim = scheduled_compaction();
    for k in ["a", "b", "c"] {
        produce(&mut sim, Some(k), "1..");
    }
    assert_eq!(compactions(&ticks(&mut sim, 10)).len(), 1, "all dirty: the first check cleans 0..2");
    produce(&mut sim, Some("a"), "2..");
    produce(&mut sim, Some("d"), "1..");
    // Clean 0..2 (8 bytes), dirty 2..4 (8 bytes): the ratio is exactly 0.5, not above it.
    assert!(compactions(&ticks(&mut sim, 10)).is_empty());
    assert_eq!(live(&sim)[0].0, 0, "the old value of a is still there");
    produce(&mut sim, Some("e"), "1..");
    // Dirty 2..5 (12 bytes) of 20: 0.6 > 0.5.
    let events = ticks(&mut sim, 10);
    assert_eq!(compactions(&events).iter().map(|c| c.superseded.clone()).collect::<Vec<_>>(), vec![vec![0]]);
}

#[test]
fn an_expired_tombstone_alone_does_not_trigger_a_cleaning() {
    let mut sim = scheduled_compaction();
    produce(&mut sim, Some("a"), "1..");
    sim.apply(Command::Produce(ProduceRequest { value: None, ..ProduceRequest::new("p", TOPIC, Some("a"), "") })).unwrap();
    produce(&mut sim, Some("z"), "1..");
    ticks(&mut sim, 10); // the cleaning at 1 s removes offset 0 and keeps the tombstone until 2 s
    assert_eq!(live(&sim)[0], (1, "a".into(), None));
    // Nothing new is written: the log stays clean, so no cleaning runs and the tombstone lingers.
    assert!(compactions(&ticks(&mut sim, 30)).is_empty());
    assert_eq!(live(&sim)[0], (1, "a".into(), None));
    produce(&mut sim, Some("y"), "1..");
    produce(&mut sim, Some("x"), "1..");
    // Dirty 2..4 (8 bytes) of 9: the ratio picks the log, and that cleaning drops the tombstone.
    let events = ticks(&mut sim, 10);
    assert_eq!(compactions(&events).iter().map(|c| c.tombstones_removed.clone()).collect::<Vec<_>>(), vec![vec![1]]);
}

/// `UnifiedLog.deleteOldSegments` applies `retention.bytes` before `retention.ms`.
#[test]
fn retention_applies_the_size_rule_before_the_time_rule() {
    let config = TopicConfig { segment_bytes: 8, retention_bytes: 8, retention_ms: 1_000, ..TopicConfig::default() };
    let mut sim = sim_with_topic(1, config);
    for _ in 0..6 {
        produce(&mut sim, Some("k"), "abc"); // segments 0..2, 2..4 and the active 4..6
    }
    ticks(&mut sim, 11); // every segment is past retention.ms and the log is 16 bytes over
    let events = sim.apply(Command::CleanLogs).unwrap();
    assert_eq!(deletions(&events), vec![(RetentionRule::Size, 0, 4), (RetentionRule::Time, 4, 6)]);
}
