//! Leader elections: clean and unclean, offline partitions, truncation of a returning replica,
//! preferred leaders, and what producers and consumers see of a partition without a leader.

mod replicated;

use kafkascope_engine::partitioner::java_partition;
use kafkascope_engine::{
    Acks, Command, CommitMode, Election, Event, GroupConfig, HeldFor, OffsetRange, OffsetReset, ProduceRequest, SendError, SimConfig, TopicConfig,
};
use replicated::*;

fn elections(events: &[Event]) -> Vec<(u32, Election, Option<OffsetRange>)> {
    events
        .iter()
        .filter_map(|e| match e {
            Event::LeaderElected { leader, election, lost, .. } => Some((*leader, *election, *lost)),
            _ => None,
        })
        .collect()
}

/// Follower `a` stops first and misses three committed records; then `b` and the leader stop.
/// Without unclean election the partition waits offline for its last in-sync replica (the old
/// leader) and nothing is lost, not even a record sent meanwhile, which the producer keeps until
/// the partition has a leader again; with it, `a` leads at once and the three records are gone,
/// also from the old leader when it returns.
#[test]
fn clean_election_waits_for_the_last_in_sync_replica_and_unclean_election_loses_records() {
    // unclean, election when `a` starts, leader after `l` starts too, records on the leader then
    let table = [(false, vec![], "l", vec!["r0", "r1", "r2", "r3"]), (true, vec!["a"], "a", vec![])];
    for (unclean, elected_on_start_a, final_leader, final_values) in table {
        let mut sim = rf3(1, unclean);
        let [l, a, b] = replicas(&sim, 0)[..] else { panic!("three replicas") };
        stop(&mut sim, a);
        for value in ["r0", "r1"] {
            send(&mut sim, value, Acks::All, true).unwrap();
        }
        ticks(&mut sim, 3);
        stop(&mut sim, b);
        send(&mut sim, "r2", Acks::All, true).unwrap();
        assert_eq!(hw_leo(&sim, 0), (3, 3), "unclean={unclean}: all three committed");
        let events = stop(&mut sim, l);
        assert!(events.iter().any(|e| matches!(e, Event::PartitionOffline { isr, .. } if *isr == vec![l])), "unclean={unclean}: {events:?}");
        assert_eq!(leader(&sim, 0), None);
        let events = start(&mut sim, a);
        let elected: Vec<&str> = elections(&events).iter().map(|(b, _, _)| if *b == a { "a" } else { "?" }).collect();
        assert_eq!(elected, elected_on_start_a, "unclean={unclean}");
        if unclean {
            assert_eq!(elections(&events), vec![(a, Election::Unclean, Some(OffsetRange { from: 0, to: 3 }))]);
            assert!(events.iter().any(|e| matches!(e, Event::LeaderElected { committed_lost: 3, .. })), "all three were committed: {events:?}");
            assert_eq!(isr(&sim, 0), vec![a], "an unclean leader is the whole ISR");
        } else {
            let held = send(&mut sim, "r3", Acks::One, true).unwrap();
            assert!(held.iter().any(|e| matches!(e, Event::SendHeld { why: HeldFor::Leader, .. })), "{held:?}");
        }
        let events = start(&mut sim, l);
        ticks(&mut sim, 3);
        let expected_leader = if final_leader == "l" { l } else { a };
        assert_eq!(leader(&sim, 0), Some(expected_leader), "unclean={unclean}");
        assert_eq!(replica_values(&sim, 0, l), final_values, "unclean={unclean}: the old leader's log");
        assert_eq!(replica_values(&sim, 0, a), final_values, "unclean={unclean}: the new leader's log");
        if !unclean {
            assert_eq!(elections(&events), vec![(l, Election::Clean, None)]);
        }
    }
}

/// Each row: what the old leader wrote that its followers never copied, and what the new leader
/// wrote meanwhile. When the old leader returns it cuts its log back to where both histories
/// agree (found by leader epoch), then copies the new leader's records.
#[test]
fn a_returning_replica_truncates_where_its_history_diverged() {
    // uncommitted acks=1 records on the old leader, records the new leader writes, truncation (from, to)
    type Row<'a> = (&'a [&'a str], &'a [&'a str], Option<(u64, u64)>);
    let table: [Row; 4] = [
        (&[], &[], None),
        (&["lost-1"], &[], Some((3, 2))),
        (&["lost-1", "lost-2"], &["new-1"], Some((4, 2))),
        (&[], &["new-1", "new-2"], None),
    ];
    for (row, (uncommitted, written_later, truncation)) in table.into_iter().enumerate() {
        let mut sim = rf3(1, false);
        let [l, _, _] = replicas(&sim, 0)[..] else { panic!("three replicas") };
        for value in ["c0", "c1"] {
            send(&mut sim, value, Acks::All, true).unwrap();
        }
        ticks(&mut sim, 3);
        for value in uncommitted {
            send(&mut sim, value, Acks::One, true).unwrap();
        }
        let events = stop(&mut sim, l);
        let lost = elections(&events)[0].2;
        let expected_lost = (!uncommitted.is_empty()).then(|| OffsetRange { from: 2, to: 2 + uncommitted.len() as u64 });
        assert_eq!(lost, expected_lost, "row {row}");
        for value in written_later {
            send(&mut sim, value, Acks::All, true).unwrap();
        }
        ticks(&mut sim, 3);
        start(&mut sim, l);
        let events = ticks(&mut sim, 3);
        let truncated: Vec<(u64, u64)> = events
            .iter()
            .filter_map(|e| match e {
                Event::ReplicaTruncated { broker, from, to, .. } if *broker == l => Some((*from, *to)),
                _ => None,
            })
            .collect();
        assert_eq!(truncated, truncation.into_iter().collect::<Vec<_>>(), "row {row}");
        let new_leader = leader(&sim, 0).unwrap();
        let expected: Vec<String> = ["c0", "c1"].iter().chain(written_later).map(|v| v.to_string()).collect();
        assert_eq!(replica_values(&sim, 0, new_leader), expected, "row {row}: the leader's log");
        assert_eq!(replica_values(&sim, 0, l), expected, "row {row}: the returned replica's log");
        assert!(isr(&sim, 0).contains(&l), "row {row}: back in the ISR");
    }
}

#[test]
fn every_change_of_leader_increments_the_leader_epoch() {
    let mut sim = rf3(1, false);
    let [l, a, b] = replicas(&sim, 0)[..] else { panic!("three replicas") };
    // action, leader after it, epoch after it
    let table: [(&str, u32, Option<u32>, u32); 5] = [
        ("stop", l, Some(a), 1),
        ("stop", a, Some(b), 2),
        ("stop", b, None, 3),
        ("start", b, Some(b), 4),
        ("start", l, Some(b), 4),
    ];
    for (action, broker, expected_leader, expected_epoch) in table {
        if action == "stop" { stop(&mut sim, broker) } else { start(&mut sim, broker) };
        ticks(&mut sim, 2);
        assert_eq!((leader(&sim, 0), epoch(&sim, 0)), (expected_leader, expected_epoch), "{action} {broker}");
    }
}

/// Leadership stays where elections put it until a preferred election moves it back to the
/// first replica; `auto.leader.rebalance.enable` does that by itself after
/// `leader.imbalance.check.interval.seconds`.
#[test]
fn a_preferred_election_moves_leadership_back_to_the_first_replica() {
    // auto rebalance, ticks waited after the restart, leader then (true = preferred)
    let table = [(false, 30, false), (true, 10, false), (true, 30, true)];
    for (auto, wait, preferred_leads) in table {
        let config = SimConfig { auto_leader_rebalance_enable: auto, leader_imbalance_check_interval_ms: 2_000, ..sim_config() };
        let mut sim = cluster_with(config, 1, topic_config(3, 1, false));
        let l = replicas(&sim, 0)[0];
        stop(&mut sim, l);
        ticks(&mut sim, 2);
        start(&mut sim, l);
        let events = ticks(&mut sim, wait);
        assert_eq!(leader(&sim, 0) == Some(l), preferred_leads, "auto={auto}, after {wait} ticks: {:?}", elections(&events));
        if preferred_leads {
            assert_eq!(elections(&events).last().map(|e| e.1), Some(Election::Preferred));
        }
    }
    let mut sim = rf3(1, false);
    let l = replicas(&sim, 0)[0];
    stop(&mut sim, l);
    start(&mut sim, l);
    assert!(sim.apply(Command::ElectPreferredLeaders).unwrap().is_empty(), "not in sync yet: no election");
    ticks(&mut sim, 2);
    let events = sim.apply(Command::ElectPreferredLeaders).unwrap();
    assert_eq!(elections(&events), vec![(l, Election::Preferred, None)]);
}

/// Three single-replica partitions, one on each broker: stopping a broker takes its partition
/// offline. A keyed record still hashes over all three partitions and waits in the producer for
/// the offline one (Kafka's client sends nothing to a partition without a leader, and fails the
/// record after `delivery.timeout.ms`); keyless records go to the others.
#[test]
fn keys_never_move_to_another_partition_but_keyless_records_avoid_offline_ones() {
    let mut sim = cluster_with(sim_config(), 3, TopicConfig::default());
    let down = leader(&sim, 1).unwrap();
    stop(&mut sim, down);
    let key = (0..).map(|i| format!("user-{i}")).find(|k| java_partition(k.as_bytes(), 3) == 1).unwrap();
    let held = sim.apply(Command::Produce(ProduceRequest::new(PRODUCER, T, Some(&key), "v"))).unwrap();
    assert!(held.iter().any(|e| matches!(e, Event::SendHeld { partition: 1, why: HeldFor::Leader, .. })), "{held:?}");
    assert!(appended_partitions(&held).is_empty(), "{held:?}");
    for i in 0..100 {
        let events = sim.apply(Command::Produce(ProduceRequest::new(PRODUCER, T, None, &format!("value-{i}")))).unwrap();
        assert!(appended_partitions(&events).iter().all(|&p| p != 1), "{events:?}");
    }
    let mut round_robin = ProduceRequest::new(PRODUCER, T, Some("k"), "v");
    round_robin.partitioner = kafkascope_engine::Partitioner::RoundRobin;
    for _ in 0..6 {
        let events = sim.apply(Command::Produce(round_robin.clone())).unwrap();
        assert!(appended_partitions(&events).iter().all(|&p| p != 1));
    }
    // The kept record fails once delivery.timeout.ms has passed since it was sent.
    let timeout_ticks = (sim_config().delivery_timeout_ms / sim_config().tick_ms) as usize;
    let events = ticks(&mut sim, timeout_ticks);
    let failed: Vec<_> = events.iter().filter(|e| matches!(e, Event::SendFailed { partition: 1, .. })).collect();
    assert!(matches!(failed[..], [Event::SendFailed { error: SendError::DeliveryTimedOut, retrying: false, .. }]), "{failed:?}");
    assert!(sim.view(8).producer_sessions.iter().all(|p| p.in_flight.is_empty()), "nothing left in the producer");
}

fn appended_partitions(events: &[Event]) -> Vec<u32> {
    events.iter().filter_map(|e| if let Event::Appended { partition, .. } = e { Some(*partition) } else { None }).collect()
}

#[test]
fn consumers_skip_an_offline_partition_and_resume_when_it_returns() {
    let mut sim = cluster_with(sim_config(), 1, TopicConfig::default());
    let config = GroupConfig { auto_offset_reset: OffsetReset::Earliest, commit_mode: CommitMode::AutoCommit, session_timeout_ms: 6_000, ..GroupConfig::default() };
    sim.apply(Command::CreateGroup { group: "sms".into(), config }).unwrap();
    sim.apply(Command::AddConsumer { group: "sms".into(), client_id: "sms-1".into(), group_instance_id: None, topics: vec![T.into()] }).unwrap();
    let read = |events: &[Event]| events.iter().filter_map(|e| if let Event::Fetched { offsets, .. } = e { Some(offsets.clone()) } else { None }).flatten().collect::<Vec<_>>();
    send(&mut sim, "before", Acks::All, true).unwrap();
    assert_eq!(read(&ticks(&mut sim, 3)), vec![0]);
    for value in ["unread-1", "unread-2"] {
        send(&mut sim, value, Acks::All, true).unwrap();
    }
    let only = leader(&sim, 0).unwrap();
    stop(&mut sim, only);
    // The producer keeps a record for a partition without a leader, and sends it once there is one.
    let held = send(&mut sim, "during", Acks::All, true).unwrap();
    assert!(held.iter().any(|e| matches!(e, Event::SendHeld { why: HeldFor::Leader, .. })), "{held:?}");
    assert!(appended_partitions(&held).is_empty(), "nothing written: {held:?}");
    assert!(read(&ticks(&mut sim, 5)).is_empty(), "nothing is read from an offline partition");
    start(&mut sim, only);
    send(&mut sim, "after", Acks::All, true).unwrap();
    assert_eq!(read(&ticks(&mut sim, 5)), vec![1, 2, 3, 4]);
    assert_eq!(replica_values(&sim, 0, only), vec!["before", "unread-1", "unread-2", "during", "after"]);
}

/// The offsets a clean election loses were never committed. Whether they come back depends on
/// `acks`: a producer waiting for `acks=all` hears `NetworkException` and sends its record
/// again; one already acknowledged with `acks=1` (or never answered, `acks=0`) does not, and the
/// record is lost for good. The election says how many of its lost offsets are resent.
#[test]
fn an_election_says_which_lost_offsets_a_producer_sends_again() {
    for (acks, resent, value_comes_back) in [(Acks::All, 1, true), (Acks::One, 0, false), (Acks::Zero, 0, false)] {
        let mut sim = rf3(1, false);
        let [l, ..] = replicas(&sim, 0)[..] else { panic!("three replicas") };
        send(&mut sim, "r0", Acks::All, false).unwrap();
        ticks(&mut sim, 3);
        assert_eq!(hw_leo(&sim, 0), (1, 1), "{acks:?}: r0 committed");
        // r1 reaches only the leader, which stops before a follower fetches it.
        send(&mut sim, "r1", acks, false).unwrap();
        let events = stop(&mut sim, l);
        let elected = events.iter().find_map(|e| match e {
            Event::LeaderElected { lost, resent, .. } => Some((*lost, *resent)),
            _ => None,
        });
        assert_eq!(elected, Some((Some(OffsetRange { from: 1, to: 2 }), resent)), "{acks:?}: {events:?}");
        ticks(&mut sim, 20);
        let leader = leader(&sim, 0).unwrap();
        let values = replica_values(&sim, 0, leader);
        assert_eq!(values.iter().any(|v| v == "r1"), value_comes_back, "{acks:?}: the new leader's log {values:?}");
    }
}

/// An unclean election that loses only what was never committed says so: the old leader's high
/// watermark was below everything the new leader lacks.
#[test]
fn an_unclean_election_counts_the_committed_records_it_lost() {
    let mut sim = rf3(2, true);
    let [l, a, b] = replicas(&sim, 0)[..] else { panic!("three replicas") };
    send(&mut sim, "r0", Acks::All, true).unwrap();
    ticks(&mut sim, 3);
    assert_eq!(hw_leo(&sim, 0), (1, 1));
    stop(&mut sim, a);
    stop(&mut sim, b);
    for value in ["r1", "r2", "r3"] {
        send(&mut sim, value, Acks::One, false).unwrap();
    }
    assert_eq!(hw_leo(&sim, 0), (1, 4), "acks=1 appends above the frozen high watermark");
    start(&mut sim, a);
    let events = stop(&mut sim, l);
    assert_eq!(elections(&events), vec![(a, Election::Unclean, Some(OffsetRange { from: 1, to: 4 }))]);
    assert!(events.iter().any(|e| matches!(e, Event::LeaderElected { committed_lost: 0, .. })), "{events:?}");
}

/// A send in flight when its partition loses every replica fails once (its leader changed) and
/// then waits in the producer, without a request or an error per backoff, until a leader is back;
/// the record is then written. Kafka's client does not send to a partition without a leader.
#[test]
fn a_retry_waits_quietly_for_a_partition_without_a_leader() {
    let mut sim = rf3(1, false);
    let [l, a, b] = replicas(&sim, 0)[..] else { panic!("three replicas") };
    send(&mut sim, "kept", Acks::All, true).unwrap();
    let mut events = Vec::new();
    for broker in [l, a, b] {
        events.extend(stop(&mut sim, broker));
    }
    assert_eq!(leader(&sim, 0), None);
    events.extend(ticks(&mut sim, 50));
    let failures: Vec<&SendError> = events.iter().filter_map(|e| if let Event::SendFailed { error, .. } = e { Some(error) } else { None }).collect();
    assert_eq!(failures, vec![&SendError::NetworkException { broker: l }], "one failure, then quiet: {events:?}");
    assert!(!events.iter().any(|e| matches!(e, Event::Retried { .. })), "no retry without a leader: {events:?}");
    let back = *isr(&sim, 0).first().expect("the last in-sync replica");
    start(&mut sim, back);
    let events = ticks(&mut sim, 5);
    assert!(events.iter().any(|e| matches!(e, Event::Retried { attempt: 1, .. })), "{events:?}");
    assert_eq!(replica_values(&sim, 0, back), vec!["kept"]);
    assert!(events.iter().any(|e| matches!(e, Event::Acknowledged { .. })), "{events:?}");
}
