//! Consumer groups: fan-out, parallel reading, rebalances, commits, lag and delivery guarantees.

mod common;

use std::collections::BTreeMap;

use common::*;
use kafkascope_engine::consumer::READ_TRAIL;
use kafkascope_engine::{AssignorKind, Command, CommitMode, EngineError, Event, GroupConfig, OffsetReset, TopicConfig};

/// Produces `n` records with distinct keys spread over the partitions.
fn fill(sim: &mut kafkascope_engine::Simulation, n: usize) {
    for i in 0..n {
        produce(sim, Some(&format!("user-{i}")), "v");
    }
}

fn owners(sim: &kafkascope_engine::Simulation, group: &str) -> BTreeMap<u32, Vec<String>> {
    let g = sim.group(group).unwrap();
    (0..sim.topic(TOPIC).unwrap().partition_count())
        .map(|p| (p, g.members.values().filter(|m| m.assigned.contains(&tp(p))).map(|m| m.client_id.clone()).collect()))
        .collect()
}

#[test]
fn every_group_reads_every_record() {
    let mut sim = sim_with_topic(3, TopicConfig::default());
    fill(&mut sim, 30);
    for group in ["sms", "email"] {
        create_group(&mut sim, group, group_config(CommitMode::AutoCommit));
        add_consumer(&mut sim, group, &format!("{group}-1"));
    }
    let events = ticks(&mut sim, 20);
    for group in ["sms", "email"] {
        let total: usize = (0..3).map(|p| processed(&events, group, p).len()).sum();
        assert_eq!(total, 30, "{group} reads all 30 records");
    }
}

#[test]
fn members_split_partitions_and_extra_members_sit_idle() {
    let mut sim = sim_with_topic(3, TopicConfig::default());
    create_group(&mut sim, "sms", group_config(CommitMode::AutoCommit));
    for i in 1..=4 {
        add_consumer(&mut sim, "sms", &format!("sms-{i}"));
    }
    let owners = owners(&sim, "sms");
    assert!(owners.values().all(|o| o.len() == 1), "{owners:?}");
    let idle = sim.group("sms").unwrap().members.values().filter(|m| m.assigned.is_empty()).count();
    assert_eq!(idle, 1);
}

#[test]
fn records_are_read_in_offset_order_within_a_partition() {
    let mut sim = sim_with_topic(3, TopicConfig::default());
    create_group(&mut sim, "sms", group_config(CommitMode::AutoCommit));
    add_consumer(&mut sim, "sms", "sms-1");
    for v in ["Sergei", "Serjei", "Sergey"] {
        produce(&mut sim, Some("16b77e26-6aac-4da5-bd17-ca1caeb91461"), v);
    }
    let events = ticks(&mut sim, 5);
    assert_eq!(processed(&events, "sms", 0), vec![0, 1, 2]);
}

#[test]
fn a_members_read_trail_keeps_its_last_reads_in_the_order_it_read_them() {
    let mut sim = sim_with_topic(3, TopicConfig::default());
    create_group(&mut sim, "sms", GroupConfig { max_poll_records: 2, ..group_config(CommitMode::AutoCommit) });
    let member = add_consumer(&mut sim, "sms", "sms-1");
    fill(&mut sim, 12);
    // Every record the member was handed, in the order the events handed them over.
    let mut handed: Vec<(u32, u64)> = Vec::new();
    let mut interleaved = false;
    for _ in 0..12 {
        for e in ticks(&mut sim, 1) {
            if let Event::Fetched { member_id, partition, offsets, .. } = e {
                if member_id == member {
                    handed.extend(offsets.iter().map(|&o| (partition.partition, o)));
                }
            }
        }
        let trail: Vec<(u32, u64)> =
            sim.group("sms").unwrap().members[&member].recent_reads.iter().map(|r| (r.partition.partition, r.offset)).collect();
        assert_eq!(trail, handed[handed.len().saturating_sub(READ_TRAIL)..], "the trail is the last {READ_TRAIL} reads, oldest first");
        interleaved |= trail.iter().any(|(p, _)| *p != trail[0].0);
    }
    assert_eq!(handed.len(), 12, "the member reads all twelve records");
    assert!(interleaved, "polls of two rotate over the partitions, so the trail interleaves them at some point");
}

/// One partition holding four records, read by group `g` polling two at a time: the first member
/// owns the partition, the second stands by idle and takes over after a crash.
fn busy_group(mode: CommitMode) -> (kafkascope_engine::Simulation, String) {
    let mut sim = sim_with_topic(1, TopicConfig::default());
    create_group(&mut sim, "g", GroupConfig { max_poll_records: 2, ..group_config(mode) });
    let first = add_consumer(&mut sim, "g", "c-1");
    add_consumer(&mut sim, "g", "c-2");
    fill(&mut sim, 4);
    assert_eq!(sim.group("g").unwrap().owner_of(&tp(0)).unwrap().member_id, first);
    (sim, first)
}

/// `(offset, processed)` for each record in the trail of `client` in group `g`, as the view draws it.
fn trail_of(sim: &kafkascope_engine::Simulation, client: &str) -> Vec<(u64, bool)> {
    let view = sim.view(10);
    let group = view.groups.iter().find(|g| g.name == "g").unwrap();
    let member = group.members.iter().find(|m| m.client_id == client).unwrap();
    member.recent_reads.iter().map(|r| (r.offset, r.processed)).collect()
}

#[test]
fn a_read_is_drawn_processed_only_once_the_application_has_processed_it() {
    // Process, then commit: fetched on tick 1, processed on tick 2.
    let (mut sim, _) = busy_group(CommitMode::ProcessThenCommit);
    ticks(&mut sim, 1);
    assert_eq!(trail_of(&sim, "c-1"), vec![(0, false), (1, false)]);
    ticks(&mut sim, 1);
    assert_eq!(trail_of(&sim, "c-1"), vec![(0, true), (1, true)]);
    // Commit, then process: committed on tick 2, and a crash there leaves them never processed.
    let (mut sim, first) = busy_group(CommitMode::CommitThenProcess);
    ticks(&mut sim, 2);
    sim.apply(Command::CrashConsumer { group: "g".into(), member_id: first }).unwrap();
    assert_eq!(trail_of(&sim, "c-1"), vec![(0, false), (1, false)]);
}

#[test]
fn crash_before_commit_redelivers() {
    let (mut sim, first) = busy_group(CommitMode::ProcessThenCommit);
    // tick 1: poll [0, 1]; tick 2: process them; crash before tick 3 would commit.
    let mut events = ticks(&mut sim, 2);
    events.extend(sim.apply(Command::CrashConsumer { group: "g".into(), member_id: first }).unwrap());
    events.extend(ticks(&mut sim, 70));
    assert_eq!(processed(&events, "g", 0), vec![0, 1, 0, 1, 2, 3], "offsets 0 and 1 are processed twice");
    let redelivered: u64 = events.iter().map(|e| match e { Event::Processed { redelivered, .. } => *redelivered, _ => 0 }).sum();
    assert_eq!(redelivered, 2);
}

#[test]
fn crash_after_commit_before_processing_loses_records() {
    let (mut sim, first) = busy_group(CommitMode::CommitThenProcess);
    let mut events = ticks(&mut sim, 2); // poll [0, 1], commit 2
    events.extend(sim.apply(Command::CrashConsumer { group: "g".into(), member_id: first }).unwrap());
    assert!(events.iter().any(|e| matches!(e, Event::RecordsLost { from: 0, to: 2, .. })));
    events.extend(ticks(&mut sim, 70));
    assert_eq!(processed(&events, "g", 0), vec![2, 3], "0 and 1 are never processed");
}

#[test]
fn session_timeout_triggers_a_rebalance_and_the_survivor_takes_over() {
    let mut sim = sim_with_topic(2, TopicConfig::default());
    create_group(&mut sim, "sms", group_config(CommitMode::AutoCommit));
    let a = add_consumer(&mut sim, "sms", "sms-1");
    add_consumer(&mut sim, "sms", "sms-2");
    sim.apply(Command::CrashConsumer { group: "sms".into(), member_id: a.clone() }).unwrap();
    let before = ticks(&mut sim, 59); // session.timeout.ms = 6000 = 60 ticks
    assert!(!before.iter().any(|e| matches!(e, Event::RebalanceStarted { .. })));
    let after = ticks(&mut sim, 1);
    assert!(after.iter().any(|e| matches!(e, Event::MemberRemoved { member_id, .. } if *member_id == a)));
    assert_eq!(owners(&sim, "sms").values().filter(|o| o == &&vec!["sms-2".to_string()]).count(), 2);
}

#[test]
fn eager_rebalance_revokes_everything_cooperative_only_what_moves() {
    for (assignor, revoked_from_first) in [(AssignorKind::Range, 4), (AssignorKind::CooperativeSticky, 2)] {
        let mut sim = sim_with_topic(4, TopicConfig::default());
        create_group(&mut sim, "g", GroupConfig { assignor, ..group_config(CommitMode::AutoCommit) });
        let a = add_consumer(&mut sim, "g", "c-1");
        let events = sim
            .apply(Command::AddConsumer { group: "g".into(), client_id: "c-2".into(), group_instance_id: None, topics: vec![TOPIC.into()] })
            .unwrap();
        let revoked: usize = events
            .iter()
            .map(|e| match e { Event::PartitionsRevoked { member_id, partitions, .. } if *member_id == a => partitions.len(), _ => 0 })
            .sum();
        assert_eq!(revoked, revoked_from_first, "{assignor:?}");
        if assignor.is_cooperative() {
            // Moving partitions are assigned only in the follow-up rebalance.
            assert_eq!(owners(&sim, "g").values().filter(|o| o.is_empty()).count(), 2);
            ticks(&mut sim, 1);
        }
        assert!(owners(&sim, "g").values().all(|o| o.len() == 1), "{assignor:?}");
    }
}

#[test]
fn lag_is_high_watermark_minus_committed_offset() {
    let mut sim = sim_with_topic(1, TopicConfig::default());
    create_group(&mut sim, "sms", GroupConfig { max_poll_records: 3, ..group_config(CommitMode::ProcessThenCommit) });
    add_consumer(&mut sim, "sms", "sms-1");
    fill(&mut sim, 10);
    assert_eq!(sim.group("sms").unwrap().lag(sim.topics(), &tp(0)), None, "no commit yet");
    ticks(&mut sim, 3); // poll, process, commit 3
    let group = sim.group("sms").unwrap();
    assert_eq!(group.committed.get(&tp(0)), Some(&3));
    assert_eq!(group.lag(sim.topics(), &tp(0)), Some(7));
    assert_eq!(group.total_lag(sim.topics()), 7, "the group's lag sums its partitions' lags");
}

#[test]
fn auto_offset_reset_decides_where_a_new_group_starts() {
    for (reset, expected) in [(OffsetReset::Earliest, Some(0)), (OffsetReset::Latest, Some(5)), (OffsetReset::None, None)] {
        let mut sim = sim_with_topic(1, TopicConfig::default());
        fill(&mut sim, 5);
        create_group(&mut sim, "g", GroupConfig { auto_offset_reset: reset, ..group_config(CommitMode::AutoCommit) });
        let id = add_consumer(&mut sim, "g", "c");
        let member = &sim.group("g").unwrap().members[&id];
        assert_eq!(member.positions.get(&tp(0)).copied(), expected, "{reset:?}");
        // Where none leaves a partition unread, the group's settings say how Kafka differs.
        let view = sim.view(10);
        let said = view.groups[0].simplifications.contains(&kafkascope_engine::Simplification::NoOffsetSkipsOnePartition);
        assert_eq!(said, reset == OffsetReset::None, "{reset:?}");
    }
}

#[test]
fn unknown_group_member_and_double_crash_are_refused() {
    let mut sim = sim_with_topic(1, TopicConfig::default());
    let err = sim.apply(Command::CrashConsumer { group: "nope".into(), member_id: "x".into() }).unwrap_err();
    assert_eq!(err, EngineError::UnknownGroup("nope".into()));
    create_group(&mut sim, "g", group_config(CommitMode::AutoCommit));
    let id = add_consumer(&mut sim, "g", "c");
    sim.apply(Command::CrashConsumer { group: "g".into(), member_id: id.clone() }).unwrap();
    let err = sim.apply(Command::CrashConsumer { group: "g".into(), member_id: id }).unwrap_err();
    assert!(matches!(err, EngineError::MemberAlreadyCrashed { .. }));
}

#[test]
fn adding_partitions_triggers_a_rebalance_that_assigns_them() {
    let mut sim = sim_with_topic(2, TopicConfig::default());
    create_group(&mut sim, "g", group_config(CommitMode::AutoCommit));
    add_consumer(&mut sim, "g", "c-1");
    sim.apply(Command::AddPartitions { topic: TOPIC.into(), total: 3 }).unwrap();
    let events = ticks(&mut sim, 1);
    assert!(events.iter().any(|e| matches!(e, Event::RebalanceStarted { reason: kafkascope_engine::RebalanceReason::PartitionsChanged, .. })));
    assert_eq!(owners(&sim, "g")[&2], vec!["c-1".to_string()]);
}

#[test]
fn switching_commit_mode_mid_batch_processes_nothing_twice() {
    let mut sim = sim_with_topic(1, TopicConfig::default());
    create_group(&mut sim, "g", GroupConfig { max_poll_records: 2, ..group_config(CommitMode::ProcessThenCommit) });
    add_consumer(&mut sim, "g", "c");
    fill(&mut sim, 4);
    let mut events = ticks(&mut sim, 2); // polled and processed, not committed
    events.extend(sim.apply(Command::SetCommitMode { group: "g".into(), mode: CommitMode::CommitThenProcess }).unwrap());
    events.extend(ticks(&mut sim, 10));
    assert_eq!(processed(&events, "g", 0), vec![0, 1, 2, 3]);
}

#[test]
fn delivery_stats_count_duplicates_and_losses() {
    for (mode, redelivered, lost) in [(CommitMode::ProcessThenCommit, 2, 0), (CommitMode::CommitThenProcess, 0, 2)] {
        let (mut sim, first) = busy_group(mode);
        ticks(&mut sim, 2);
        sim.apply(Command::CrashConsumer { group: "g".into(), member_id: first }).unwrap();
        ticks(&mut sim, 70);
        let stats = sim.group("g").unwrap().stats;
        assert_eq!((stats.redelivered, stats.lost), (redelivered, lost), "{mode:?}");
        assert_eq!(stats.processed, 4 + redelivered - lost);
    }
}

#[test]
fn lag_in_time_is_the_age_of_the_oldest_uncommitted_record() {
    let mut sim = sim_with_topic(1, TopicConfig::default());
    create_group(&mut sim, "g", GroupConfig { auto_offset_reset: OffsetReset::Latest, ..group_config(CommitMode::AutoCommit) });
    let id = add_consumer(&mut sim, "g", "c");
    sim.apply(Command::CrashConsumer { group: "g".into(), member_id: id }).unwrap();
    produce(&mut sim, Some("k"), "v"); // at t = 0, never read
    ticks(&mut sim, 7);
    let group = sim.group("g").unwrap();
    assert_eq!(group.time_lag_ms(sim.topics(), &tp(0), sim.now_ms()), 700);
}

#[test]
fn static_members_are_ordered_first_by_instance_id() {
    let mut sim = sim_with_topic(2, TopicConfig::default());
    create_group(&mut sim, "g", group_config(CommitMode::AutoCommit));
    add_consumer(&mut sim, "g", "a-dynamic");
    sim.apply(Command::AddConsumer {
        group: "g".into(),
        client_id: "z-static".into(),
        group_instance_id: Some("instance-1".into()),
        topics: vec![TOPIC.into()],
    })
    .unwrap();
    // Range gives the first member in order partition 0: the static member, despite its id.
    assert_eq!(owners(&sim, "g")[&0], vec!["z-static".to_string()]);
    let err = sim
        .apply(Command::AddConsumer { group: "g".into(), client_id: "x".into(), group_instance_id: Some("instance-1".into()), topics: vec![TOPIC.into()] })
        .unwrap_err();
    assert!(matches!(err, EngineError::DuplicateInstanceId { .. }));
}

#[test]
fn auto_commit_crash_redelivers_what_was_read_since_the_last_commit() {
    let (mut sim, first) = busy_group(CommitMode::AutoCommit);
    // auto.commit.interval.ms = 1000: nothing is committed in the first two ticks.
    let mut events = ticks(&mut sim, 2); // poll [0, 1], then process them and poll [2, 3]
    assert!(!events.iter().any(|e| matches!(e, Event::Committed { .. })));
    events.extend(sim.apply(Command::CrashConsumer { group: "g".into(), member_id: first }).unwrap());
    events.extend(ticks(&mut sim, 70));
    assert_eq!(processed(&events, "g", 0), vec![0, 1, 0, 1, 2, 3]);
    assert_eq!(sim.group("g").unwrap().stats.redelivered, 2);
}

#[test]
fn changing_a_subscription_rebalances() {
    let mut sim = sim_with_topic(2, TopicConfig::default());
    sim.apply(Command::CreateTopic { name: "other".into(), partitions: 1, config: TopicConfig::default() }).unwrap();
    create_group(&mut sim, "g", group_config(CommitMode::AutoCommit));
    let id = add_consumer(&mut sim, "g", "c");
    let events = sim.apply(Command::Subscribe { group: "g".into(), member_id: id.clone(), topics: vec!["other".into()] }).unwrap();
    assert!(events.iter().any(|e| matches!(e, Event::RebalanceStarted { reason: kafkascope_engine::RebalanceReason::SubscriptionChanged, .. })));
    let member = &sim.group("g").unwrap().members[&id];
    assert_eq!(member.assigned, vec![kafkascope_engine::TopicPartition::new("other", 0)]);
    let err = sim.apply(Command::Subscribe { group: "g".into(), member_id: id, topics: vec![] }).unwrap_err();
    assert_eq!(err, EngineError::EmptySubscription);
}

/// A consumer group needs a name, and so does a consumer on the stage: an imported file with
/// empty ones drew a card with no title and an instance with no name.
#[test]
fn an_empty_group_id_or_consumer_client_id_is_refused() {
    let mut sim = sim_with_topic(2, TopicConfig::default());
    for group in ["", "  "] {
        let err = sim.apply(Command::CreateGroup { group: group.into(), config: group_config(CommitMode::AutoCommit) }).unwrap_err();
        assert!(matches!(&err, EngineError::InvalidConfig { name, .. } if name == "group.id"), "{err:?}");
        let err = sim
            .apply(Command::AddConsumer { group: group.into(), client_id: "c".into(), group_instance_id: None, topics: vec![TOPIC.into()] })
            .unwrap_err();
        assert!(matches!(&err, EngineError::InvalidConfig { name, .. } if name == "group.id"), "{err:?}");
    }
    let err = sim.apply(Command::AddConsumer { group: "g".into(), client_id: " ".into(), group_instance_id: None, topics: vec![TOPIC.into()] }).unwrap_err();
    assert!(matches!(&err, EngineError::InvalidConfig { name, .. } if name == "client.id"), "{err:?}");
    assert!(sim.group("g").is_none(), "a refused consumer creates no group either");
}
