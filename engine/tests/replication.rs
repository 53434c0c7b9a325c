//! Replication scenarios driven through commands: placement, the high watermark against the log
//! end offset while followers fetch, the ISR shrinking and growing, what consumers see, and
//! `kafka-topics.sh --describe`.

mod replicated;

use kafkascope_engine::{
    Acks, Command, CommitMode, EngineError, Event, GroupConfig, IsrShrinkReason, KeyPattern, OffsetReset, SimConfig, Stream, TopicConfig,
};
use replicated::*;

/// Produce two records at tick 0, then watch each tick: followers fetch at their LEO (the answer
/// arrives a tick later), the leader's HW is the smallest LEO over the ISR, and each follower
/// learns the HW from its next answer, so its own HW trails the leader's.
#[test]
fn the_high_watermark_trails_the_log_end_offset_until_every_in_sync_follower_has_fetched() {
    let mut sim = rf3(1, false);
    let [_, a, b] = replicas(&sim, 0)[..] else { panic!("three replicas") };
    for value in ["first", "second"] {
        send(&mut sim, value, Acks::One, true).unwrap();
    }
    // tick, leader (HW, LEO), follower a (LEO, HW), follower b (LEO, HW). In tick 2 follower a
    // copies both records and fetches again, but the HW waits for b's fetch in the same tick;
    // both learn HW 2 with the answer that arrives in tick 3.
    let table = [
        (0, (0, 2), (0, 0), (0, 0)),
        (1, (0, 2), (0, 0), (0, 0)),
        (2, (2, 2), (2, 0), (2, 0)),
        (3, (2, 2), (2, 2), (2, 2)),
    ];
    for (tick, leader_offsets, a_offsets, b_offsets) in table {
        if tick > 0 {
            sim.step();
        }
        assert_eq!(hw_leo(&sim, 0), leader_offsets, "leader at tick {tick}");
        assert_eq!(replica_leo_hw(&sim, 0, a), a_offsets, "follower {a} at tick {tick}");
        assert_eq!(replica_leo_hw(&sim, 0, b), b_offsets, "follower {b} at tick {tick}");
    }
}

#[test]
fn follower_fetches_are_events_from_their_log_end_offset_to_the_leaders() {
    let mut sim = rf3(1, false);
    let [l, a, b] = replicas(&sim, 0)[..] else { panic!("three replicas") };
    send(&mut sim, "x", Acks::One, true).unwrap();
    let fetched: Vec<(u32, u32, u64, u64)> = ticks(&mut sim, 3)
        .into_iter()
        .filter_map(|e| match e {
            Event::ReplicaFetched { broker, leader, from, to, .. } => Some((broker, leader, from, to)),
            _ => None,
        })
        .collect();
    assert_eq!(fetched, vec![(a, l, 0, 1), (b, l, 0, 1)]);
}

/// `replica.fetch.max.bytes` small enough for one record per fetch: the followers, and with them
/// the HW, advance one record per tick.
#[test]
fn a_small_replica_fetch_max_bytes_makes_followers_and_the_high_watermark_crawl() {
    let config = SimConfig { replica_fetch_max_bytes: 5, ..sim_config() };
    let mut sim = cluster_with(config, 1, topic_config(3, 1, false));
    let follower = replicas(&sim, 0)[1];
    for value in ["aaaaa", "bbbbb", "ccccc", "ddddd"] {
        send(&mut sim, value, Acks::One, true).unwrap();
    }
    // after tick: follower LEO, leader HW
    let table = [(1, 0, 0), (2, 1, 1), (3, 2, 2), (4, 3, 3), (5, 4, 4), (6, 4, 4)];
    for (tick, follower_leo, leader_hw) in table {
        sim.step();
        assert_eq!(replica_leo_hw(&sim, 0, follower).0, follower_leo, "follower LEO after tick {tick}");
        assert_eq!(hw_leo(&sim, 0).0, leader_hw, "leader HW after tick {tick}");
    }
}

/// A broker that stops leaves every ISR at once; started again, its replica catches up and
/// rejoins once its LEO reaches the HW.
#[test]
fn the_isr_shrinks_when_a_broker_stops_and_grows_when_it_has_caught_up() {
    let mut sim = rf3(1, false);
    let [l, a, b] = replicas(&sim, 0)[..] else { panic!("three replicas") };
    // action, ticks after it, ISR then
    enum Step {
        Stop(u32),
        Start(u32),
        Send,
    }
    let table = [
        (Step::Send, 2, vec![l, a, b]),
        (Step::Stop(a), 0, vec![l, b]),
        (Step::Send, 2, vec![l, b]),
        (Step::Stop(b), 0, vec![l]),
        (Step::Send, 2, vec![l]),
        (Step::Start(a), 1, vec![l]),
        (Step::Start(b), 2, vec![l, a, b]),
    ];
    for (i, (step, n, expected)) in table.into_iter().enumerate() {
        match step {
            Step::Stop(broker) => {
                let events = stop(&mut sim, broker);
                let reason = events.iter().find_map(|e| if let Event::IsrShrunk { broker: x, reason, .. } = e { (*x == broker).then_some(*reason) } else { None });
                assert_eq!(reason, Some(IsrShrinkReason::BrokerStopped), "row {i}");
            }
            Step::Start(broker) => {
                start(&mut sim, broker);
            }
            Step::Send => {
                send(&mut sim, "r", Acks::One, true).unwrap();
            }
        }
        ticks(&mut sim, n);
        assert_eq!(isr(&sim, 0), expected, "row {i}");
    }
    assert_eq!(replica_leo_hw(&sim, 0, a).0, 3, "the returning follower copied what it missed");
}

/// Followers copy one record per fetch while a stream writes five per tick: they never reach the
/// leader's LEO, leave the ISR after `replica.lag.time.max.ms` (checked every half of it), the HW
/// jumps to the leader's LEO, and once the stream stops they catch up and rejoin.
#[test]
fn lagging_followers_leave_the_isr_after_replica_lag_time_max_ms_and_rejoin_when_caught_up() {
    let config = SimConfig { replica_fetch_max_bytes: 1, replica_lag_time_max_ms: 1_000, ..sim_config() };
    let mut sim = cluster_with(config, 1, topic_config(3, 1, false));
    let [l, a, b] = replicas(&sim, 0)[..] else { panic!("three replicas") };
    sim.apply(Command::StartProducer { client_id: PRODUCER.into(), topic: T.into() }).unwrap();
    let stream = |rate_per_sec| Stream { rate_per_sec, keys: KeyPattern::NullKeys, value_template: "v".into(), ..Stream::default() };
    sim.apply(Command::SetStream { producer: PRODUCER.into(), stream: stream(50) }).unwrap();
    // ticks, ISR after them
    let streaming = [(10, vec![l, a, b]), (10, vec![l])];
    let mut shrunk = Vec::new();
    for (n, expected) in streaming {
        for e in ticks(&mut sim, n) {
            if let Event::IsrShrunk { broker, reason, .. } = e {
                shrunk.push((broker, reason));
            }
        }
        assert_eq!(isr(&sim, 0), expected);
    }
    assert_eq!(shrunk, vec![(a, IsrShrinkReason::Lagging), (b, IsrShrinkReason::Lagging)]);
    let (hw, leo) = hw_leo(&sim, 0);
    assert_eq!(hw, leo, "with the leader alone in the ISR the HW is its LEO");
    assert!(replica_leo_hw(&sim, 0, a).0 < leo / 2, "the followers are far behind");
    sim.apply(Command::SetStream { producer: PRODUCER.into(), stream: stream(0) }).unwrap();
    let rejoined: Vec<u32> = ticks(&mut sim, 120).into_iter().filter_map(|e| if let Event::IsrExpanded { broker, .. } = e { Some(broker) } else { None }).collect();
    assert_eq!(rejoined, vec![a, b]);
    assert_eq!(isr(&sim, 0), vec![l, a, b]);
}

/// Followers copy one record per fetch, so the HW climbs one record per tick behind the LEO,
/// and the consumer never reads past it.
#[test]
fn consumers_read_only_below_the_high_watermark() {
    let config = SimConfig { replica_fetch_max_bytes: 1, ..sim_config() };
    let mut sim = cluster_with(config, 1, topic_config(3, 1, false));
    let group = GroupConfig { auto_offset_reset: OffsetReset::Earliest, commit_mode: CommitMode::AutoCommit, session_timeout_ms: 6_000, ..GroupConfig::default() };
    sim.apply(Command::CreateGroup { group: "sms".into(), config: group }).unwrap();
    sim.apply(Command::AddConsumer { group: "sms".into(), client_id: "sms-1".into(), group_instance_id: None, topics: vec![T.into()] }).unwrap();
    ticks(&mut sim, 3);
    for value in ["a", "b", "c"] {
        send(&mut sim, value, Acks::One, true).unwrap();
    }
    // tick, leader (HW, LEO), offsets the consumer has read by then
    let table = [(1, (1, 3), 1), (2, (2, 3), 2), (3, (3, 3), 3), (4, (3, 3), 3)];
    let mut read = 0;
    for (tick, offsets, expected) in table {
        read += sim.step().iter().filter_map(|e| if let Event::Fetched { offsets, .. } = e { Some(offsets.len()) } else { None }).sum::<usize>();
        assert_eq!(hw_leo(&sim, 0), offsets, "after tick {tick}");
        assert_eq!(read, expected, "after tick {tick}");
    }
}

#[test]
fn a_replication_factor_above_the_broker_count_is_refused_with_a_sentence() {
    let mut sim = kafkascope_engine::Simulation::new(sim_config());
    let err = sim.apply(Command::CreateTopic { name: T.into(), partitions: 1, config: topic_config(4, 1, false) }).unwrap_err();
    assert_eq!(err, EngineError::InvalidReplicationFactor { requested: 4, brokers: 3 });
    assert!(err.to_string().contains("Choose between 1 and 3"), "{err}");
    let zero_min = TopicConfig { min_insync_replicas: 0, ..topic_config(3, 1, false) };
    assert!(matches!(sim.apply(Command::CreateTopic { name: T.into(), partitions: 1, config: zero_min }), Err(EngineError::InvalidConfig { name, .. }) if name == "min.insync.replicas"));
}

/// As the striped placer does, a stopped (fenced) broker never gets a new leader but may hold
/// followers; the ISR of a new partition is its replicas on running brokers.
#[test]
fn new_partitions_are_led_by_running_brokers_only() {
    let mut sim = kafkascope_engine::Simulation::new(sim_config());
    sim.apply(Command::StopBroker { broker: 2 }).unwrap();
    sim.apply(Command::CreateTopic { name: T.into(), partitions: 6, config: topic_config(3, 1, false) }).unwrap();
    for p in 0..6 {
        assert_ne!(replicas(&sim, p)[0], 2, "partition {p}: the preferred leader is placed on a running broker");
        assert_ne!(leader(&sim, p), Some(2), "partition {p}");
        assert_eq!(replicas(&sim, p).len(), 3);
        assert!(!isr(&sim, p).contains(&2), "partition {p}: {:?}", isr(&sim, p));
    }
    for broker in [1, 3] {
        sim.apply(Command::StopBroker { broker }).unwrap();
    }
    let err = sim.apply(Command::CreateTopic { name: "other".into(), partitions: 1, config: TopicConfig::default() }).unwrap_err();
    assert_eq!(err, EngineError::NoBrokerRunning);
}

#[test]
fn describe_prints_leader_replicas_and_isr_like_kafka_topics() {
    let mut sim = rf3(2, false);
    let [l, a, b] = replicas(&sim, 0)[..] else { panic!("three replicas") };
    let lines = |sim: &kafkascope_engine::Simulation| sim.describe_topics()[0].lines();
    assert_eq!(
        lines(&sim),
        vec![
            format!("Topic: {T}\tPartitionCount: 1\tReplicationFactor: 3\tConfigs: min.insync.replicas=2"),
            format!("Topic: {T}\tPartition: 0\tLeader: {l}\tReplicas: {l},{a},{b}\tIsr: {l},{a},{b}"),
        ]
    );
    for broker in [a, b, l] {
        stop(&mut sim, broker);
    }
    assert_eq!(lines(&sim)[1], format!("Topic: {T}\tPartition: 0\tLeader: none\tReplicas: {l},{a},{b}\tIsr: {l}"));
}
