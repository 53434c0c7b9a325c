//! Streams: producers that publish on their own, groups that process at a rate, and the view
//! model the stage draws. Driven only through `Command`s.

mod common;

use common::*;
use kafkascope_engine::{
    AssignorKind, Command, CommitMode, Event, GroupConfig, History, KeyPattern, InstanceState, OffsetReset, SimConfig,
    Simulation, Stream, TopicConfig,
};

const PRODUCER: &str = "products-microservice";

fn streaming_sim(seed: u64, rate: u32, keys: KeyPattern) -> Simulation {
    let mut sim = Simulation::new(SimConfig { seed, ..SimConfig::default() });
    sim.apply(Command::CreateTopic { name: TOPIC.into(), partitions: 3, config: TopicConfig::default() }).unwrap();
    sim.apply(Command::StartProducer { client_id: PRODUCER.into(), topic: TOPIC.into() }).unwrap();
    let stream = Stream { rate_per_sec: rate, keys, ..Stream::default() };
    sim.apply(Command::SetStream { producer: PRODUCER.into(), stream }).unwrap();
    sim
}

fn total_records(sim: &Simulation) -> u64 {
    sim.topic(TOPIC).unwrap().partitions.iter().map(|l| l.log_end_offset()).sum()
}

fn keys_in_order(sim: &Simulation) -> Vec<String> {
    let mut records: Vec<_> = sim.topic(TOPIC).unwrap().partitions.iter().flat_map(|l| l.records().cloned()).collect();
    records.sort_by_key(|r| r.timestamp_ms);
    records.iter().map(|r| r.key.as_ref().map_or("null".into(), |k| String::from_utf8_lossy(k).into_owned())).collect()
}

#[test]
fn a_stream_of_two_records_per_second_sends_ten_in_fifty_ticks() {
    let mut sim = streaming_sim(42, 2, KeyPattern::RandomUuids);
    let produced: usize = (0..50).map(|_| sim.step().iter().filter(|e| matches!(e, Event::Appended { .. })).count()).sum();
    assert_eq!(produced, 10);
    assert_eq!(total_records(&sim), 10);
    assert_eq!(sim.producer(PRODUCER).unwrap().sent, 10);
}

#[test]
fn the_same_seed_streams_the_same_keys_and_another_seed_other_keys() {
    let run = |seed| {
        let mut sim = streaming_sim(seed, 20, KeyPattern::RandomUuids);
        (0..30).for_each(|_| {
            sim.step();
        });
        keys_in_order(&sim)
    };
    assert_eq!(run(7), run(7));
    assert_ne!(run(7), run(8));
    assert_eq!(run(7).len(), 60);
}

#[test]
fn a_hot_key_sends_every_record_to_one_partition() {
    let mut sim = streaming_sim(1, 10, KeyPattern::HotKey);
    (0..20).for_each(|_| {
        sim.step();
    });
    let counts: Vec<u64> = sim.topic(TOPIC).unwrap().partitions.iter().map(|l| l.log_end_offset()).collect();
    assert_eq!(counts.iter().sum::<u64>(), 20);
    assert_eq!(counts.iter().filter(|&&c| c > 0).count(), 1, "{counts:?}");
}

#[test]
fn user_id_keys_repeat_from_a_fixed_set() {
    let mut sim = streaming_sim(3, 10, KeyPattern::UserIds);
    (0..30).for_each(|_| {
        sim.step();
    });
    let keys = keys_in_order(&sim);
    let distinct: std::collections::BTreeSet<&String> = keys.iter().collect();
    assert_eq!(keys.len(), 30);
    assert!(distinct.len() <= 5 && distinct.iter().all(|k| k.starts_with("user-")), "{distinct:?}");
}

#[test]
fn a_null_key_stream_is_refused_on_a_compacted_topic() {
    let mut sim = Simulation::new(SimConfig::default());
    let config = TopicConfig { cleanup_policy: kafkascope_engine::CleanupPolicy::Compact, ..TopicConfig::default() };
    sim.apply(Command::CreateTopic { name: TOPIC.into(), partitions: 1, config }).unwrap();
    sim.apply(Command::StartProducer { client_id: PRODUCER.into(), topic: TOPIC.into() }).unwrap();
    let stream = Stream { rate_per_sec: 5, keys: KeyPattern::NullKeys, ..Stream::default() };
    let err = sim.apply(Command::SetStream { producer: PRODUCER.into(), stream }).unwrap_err();
    assert!(err.to_string().contains("Compacted topic cannot accept message without key"), "{err}");
}

fn slow_group(sim: &mut Simulation, instances: u32) {
    let config = GroupConfig {
        assignor: AssignorKind::Range,
        commit_mode: CommitMode::AutoCommit,
        auto_offset_reset: OffsetReset::Earliest,
        auto_commit_interval_ms: 1_000,
        max_poll_records: 1,
        processing_rate: Some(1),
        ..GroupConfig::default()
    };
    create_group(sim, "email", config);
    for i in 1..=instances {
        add_consumer(sim, "email", &format!("email-{i}"));
    }
}

fn group_lag(sim: &Simulation) -> u64 {
    sim.group("email").unwrap().total_lag(sim.topics())
}

#[test]
fn a_slow_group_builds_lag_and_added_consumers_drain_it_until_the_fourth_sits_idle() {
    let mut sim = streaming_sim(42, 2, KeyPattern::RandomUuids);
    slow_group(&mut sim, 1);
    (0..300).for_each(|_| {
        sim.step();
    });
    let lag_with_one = group_lag(&sim);
    assert!(lag_with_one >= 20, "one instance at 1 record/s behind a 2 records/s stream: lag {lag_with_one}");
    add_consumer(&mut sim, "email", "email-2");
    add_consumer(&mut sim, "email", "email-3");
    (0..600).for_each(|_| {
        sim.step();
    });
    let drained = group_lag(&sim);
    assert!(drained < 5, "three instances at 1 record/s each drain it: lag {drained} (was {lag_with_one})");
    add_consumer(&mut sim, "email", "email-4");
    let view = sim.view(8);
    let email = view.groups.iter().find(|g| g.name == "email").unwrap();
    let states: Vec<InstanceState> = email.members.iter().map(|m| m.state).collect();
    assert_eq!(states.iter().filter(|s| **s == InstanceState::Idle).count(), 1, "{states:?}");
    assert_eq!(states.iter().filter(|s| **s == InstanceState::Reading).count(), 3, "{states:?}");
}

#[test]
fn a_processing_rate_limits_how_fast_an_instance_reads() {
    let mut sim = sim_with_topic(1, TopicConfig::default());
    for i in 0..50 {
        produce(&mut sim, Some(&format!("k{i}")), "v");
    }
    slow_group(&mut sim, 1);
    let fetched: usize = (0..100)
        .map(|_| sim.step().iter().filter(|e| matches!(e, Event::Fetched { .. })).count())
        .sum();
    // 10 s of simulated time at 1 record per second; each poll returns one record.
    assert_eq!(fetched, 10);
}

#[test]
fn streams_replay_exactly_through_the_history() {
    let mut history = History::starting_from(streaming_sim(9, 7, KeyPattern::UserIds));
    for _ in 0..40 {
        history.apply(Command::Tick).unwrap();
    }
    let end = history.current().fingerprint();
    history.seek(13);
    let middle = history.current().fingerprint();
    history.seek(40);
    assert_eq!(history.current().fingerprint(), end);
    history.seek(13);
    assert_eq!(history.current().fingerprint(), middle);
}

#[test]
fn the_view_shows_a_window_of_the_newest_records_and_who_leads_what() {
    let mut sim = sim_with_topic(3, TopicConfig::default());
    for i in 0..30 {
        produce(&mut sim, Some(&format!("key-{i}")), "v");
    }
    let view = sim.view(4);
    let topic = &view.topics[0];
    for p in &topic.partitions {
        assert!(p.window.len() <= 4);
        let offsets: Vec<u64> = p.window.iter().map(|r| r.offset).collect();
        let expected: Vec<u64> = (p.log_end_offset.saturating_sub(4)..p.log_end_offset).collect();
        assert_eq!(offsets, expected);
    }
    let led: usize = view.brokers.iter().map(|b| b.leads.len()).sum();
    assert_eq!(led, 3);
    for b in &view.brokers {
        for tp in &b.leads {
            assert_eq!(topic.partitions[tp.partition as usize].leader, Some(b.id));
        }
    }
}

#[test]
fn the_view_names_members_by_client_id_and_numbers_the_next_one() {
    let mut sim = sim_with_topic(2, TopicConfig::default());
    create_group(&mut sim, "sms-notification-service", group_config(CommitMode::AutoCommit));
    let first = add_consumer(&mut sim, "sms-notification-service", "sms-1");
    add_consumer(&mut sim, "sms-notification-service", "sms-2");
    let view = sim.view(8);
    let group = &view.groups[0];
    assert_eq!(group.tag, "sms");
    assert_eq!(group.next_client_id, "sms-3");
    assert_eq!(group.members.iter().map(|m| m.client_id.as_str()).collect::<Vec<_>>(), vec!["sms-1", "sms-2"]);
    sim.apply(Command::RemoveConsumer { group: "sms-notification-service".into(), member_id: first.clone() }).unwrap();
    assert_eq!(sim.client_id_of(&first), Some("sms-1"), "a removed member is still named");
    assert_eq!(sim.view(8).groups[0].next_client_id, "sms-3", "numbers are not reused");
}
