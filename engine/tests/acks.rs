//! Producer acknowledgements: `acks` 0/1/all against `min.insync.replicas`, what a lost
//! acknowledgement or a change of leader does to a send in flight, and idempotence.

mod replicated;

use kafkascope_engine::{Acks, Command, EngineError, Event, KeyPattern, ProducerConfig, SendError, SimConfig, Simulation, Stream};
use replicated::*;

/// Who to stop, by role in the partition's replica list.
#[derive(Debug, Clone, Copy)]
enum Role {
    Leader,
    FollowerA,
    FollowerB,
}

fn broker(sim: &Simulation, role: Role) -> u32 {
    let r = replicas(sim, 0);
    match role {
        Role::Leader => r[0],
        Role::FollowerA => r[1],
        Role::FollowerB => r[2],
    }
}

/// RF 3 and min ISR 2: with one broker down (leader or follower) `acks=all` is still
/// acknowledged; with two down the leader refuses it (nothing written), while `acks=1` is
/// written and acknowledged but stays above the frozen high watermark.
#[test]
fn acks_all_with_min_isr_2_survives_one_broker_down_but_not_two() {
    // stopped, acks, outcome: Some(ticks until acknowledged) or None for NotEnoughReplicas
    let table: [(&[Role], Acks, Option<usize>); 6] = [
        (&[], Acks::All, Some(2)),
        (&[Role::FollowerA], Acks::All, Some(2)),
        (&[Role::Leader], Acks::All, Some(2)),
        (&[Role::FollowerA, Role::FollowerB], Acks::All, None),
        (&[Role::Leader, Role::FollowerA], Acks::All, None),
        (&[Role::FollowerA, Role::FollowerB], Acks::One, Some(0)),
    ];
    for (row, (stopped, acks, outcome)) in table.into_iter().enumerate() {
        let mut sim = rf3(2, false);
        let targets: Vec<u32> = stopped.iter().map(|&r| broker(&sim, r)).collect();
        for b in targets {
            stop(&mut sim, b);
        }
        let leo_before = hw_leo(&sim, 0).1;
        let result = send(&mut sim, "order-1", acks, true);
        match outcome {
            None => {
                let err = result.unwrap_err();
                assert!(matches!(err, EngineError::NotEnoughReplicas { min_insync_replicas: 2, .. }), "row {row}: {err}");
                assert!(err.to_string().starts_with("NotEnoughReplicasException:"), "row {row}: {err}");
                assert_eq!(hw_leo(&sim, 0).1, leo_before, "row {row}: nothing written");
            }
            Some(n) => {
                let mut events = result.unwrap();
                assert_eq!(acknowledged(&events), if n == 0 { vec![0] } else { vec![] }, "row {row}: at once?");
                events.extend(ticks(&mut sim, n));
                assert_eq!(acknowledged(&events), vec![0], "row {row}: acknowledged within {n} ticks");
            }
        }
    }
    // The acks=1 record of the last row is on the leader, but under min ISR the HW stays put.
    let mut sim = rf3(2, false);
    for role in [Role::FollowerA, Role::FollowerB] {
        let b = broker(&sim, role);
        stop(&mut sim, b);
    }
    send(&mut sim, "order-1", Acks::One, true).unwrap();
    ticks(&mut sim, 5);
    assert_eq!(hw_leo(&sim, 0), (0, 1), "not committed while the ISR is under min.insync.replicas");
}

#[test]
fn acks_0_is_never_answered_and_acks_1_is_answered_on_the_leaders_append() {
    // acks, acknowledged by the send itself, after three ticks
    let table = [(Acks::Zero, vec![], vec![]), (Acks::One, vec![0], vec![]), (Acks::All, vec![], vec![0])];
    for (acks, at_once, later) in table {
        let mut sim = rf3(1, false);
        let events = send(&mut sim, "x", acks, true).unwrap();
        assert_eq!(acknowledged(&events), at_once, "{acks:?} at once");
        assert_eq!(acknowledged(&ticks(&mut sim, 3)), later, "{acks:?} later");
        assert!(sim.view(0).producer_sessions.iter().all(|s| s.in_flight.is_empty()), "{acks:?}: nothing left in flight");
    }
}

/// The leader stops while an `acks=all` record is still on its way to the followers: its broker
/// never answers, so the send fails with NETWORK_EXCEPTION (the connection closed), the producer
/// retries against the new leader, and the record ends up committed exactly once.
#[test]
fn acks_all_is_retried_after_a_change_of_leader_and_not_lost() {
    let mut sim = rf3(1, false);
    let l = broker(&sim, Role::Leader);
    send(&mut sim, "order-1", Acks::All, true).unwrap();
    ticks(&mut sim, 1); // the followers' answers carrying it are in flight
    stop(&mut sim, l);
    let events = ticks(&mut sim, 6);
    let failed = events.iter().any(|e| matches!(e, Event::SendFailed { error: SendError::NetworkException { broker }, retrying: true, .. } if *broker == l));
    assert!(failed, "{events:?}");
    assert!(events.iter().any(|e| matches!(e, Event::Retried { attempt: 1, .. })));
    assert_eq!(acknowledged(&events), vec![0]);
    let new_leader = leader(&sim, 0).unwrap();
    assert_eq!(replica_values(&sim, 0, new_leader), vec!["order-1"]);
    assert_eq!(hw_leo(&sim, 0), (1, 1));
}

/// The first send of a partition fails on a change of leader and waits `retry.backoff.ms`; a
/// second send to the same partition comes meanwhile. The producer holds the second behind the
/// retry, with idempotence or without: its accumulator sends a partition's queue from the front,
/// where the retry went back, and skips the partition while the front backs off. So the
/// partition keeps the order they were sent in.
#[test]
fn a_record_sent_while_an_earlier_one_waits_to_retry_goes_after_it() {
    for idempotent in [true, false] {
        let mut sim = rf3(1, false);
        let l = broker(&sim, Role::Leader);
        send(&mut sim, "first", Acks::All, idempotent).unwrap();
        ticks(&mut sim, 1);
        stop(&mut sim, l);
        let mut waited = 0;
        while !ticks(&mut sim, 1).iter().any(|e| matches!(e, Event::SendFailed { error: SendError::NetworkException { .. }, retrying: true, .. })) {
            waited += 1;
            assert!(waited < 10, "the first send never failed");
        }
        let sent = send(&mut sim, "second", Acks::All, idempotent).unwrap();
        let held = sent.iter().find_map(|e| if let Event::SendHeld { sequence, behind, .. } = e { Some((*sequence, *behind)) } else { None });
        assert!(appended_offsets(&sent).is_empty(), "a held record is not written yet: {sent:?}");
        let expected = if idempotent { (Some(1), Some(0)) } else { (None, None) };
        assert_eq!(held, Some(expected), "held behind the retry (sequence 0 with idempotence): {sent:?}");
        let events = ticks(&mut sim, 10);
        let new_leader = leader(&sim, 0).unwrap();
        assert_eq!(replica_values(&sim, 0, new_leader), vec!["first", "second"], "idempotent {idempotent}: {events:?}");
        assert_eq!(acknowledged(&events).len(), 2, "both acknowledged: {events:?}");
        let producer = sim.view(8).producer_sessions.iter().find(|p| p.client_id == PRODUCER).map(|p| p.in_flight.len());
        assert_eq!(producer, Some(0), "nothing left in flight");
    }
}

/// Two sends are in flight when their leader stops, and both fail. Without idempotence each
/// failed batch goes back to the very front of the partition's queue, so the one that failed
/// last is retried first and the two land the other way round: the reordering that retries
/// allow with `max.in.flight.requests.per.connection` > 1. With idempotence they go back in
/// sequence order and keep theirs. A third record sent while they back off waits behind both.
#[test]
fn two_sends_that_fail_together_are_retried_in_reverse_order_only_without_idempotence() {
    for idempotent in [true, false] {
        let mut sim = rf3(1, false);
        let l = broker(&sim, Role::Leader);
        send(&mut sim, "first", Acks::All, idempotent).unwrap();
        send(&mut sim, "second", Acks::All, idempotent).unwrap();
        stop(&mut sim, l);
        let mut failed = Vec::new();
        for waited in 0.. {
            if failed.len() == 2 {
                break;
            }
            assert!(waited < 10, "the sends never failed: {failed:?}");
            failed.extend(ticks(&mut sim, 1).into_iter().filter(|e| matches!(e, Event::SendFailed { retrying: true, .. })));
        }
        let third = send(&mut sim, "third", Acks::All, idempotent).unwrap();
        assert!(appended_offsets(&third).is_empty(), "the third waits behind the retries: {third:?}");
        let events = ticks(&mut sim, 20);
        let new_leader = leader(&sim, 0).unwrap();
        let expected = if idempotent { ["first", "second", "third"] } else { ["second", "first", "third"] };
        assert_eq!(replica_values(&sim, 0, new_leader), expected, "idempotent {idempotent}: {events:?}");
        assert_eq!(acknowledged(&events).len(), 3, "all acknowledged: {events:?}");
    }
}

/// A live broker that hands the leadership on (a preferred-leader election) answers the send it
/// holds with NOT_LEADER_OR_FOLLOWER; the producer retries against the new leader.
#[test]
fn a_leader_that_hands_over_answers_not_leader_or_follower() {
    let mut sim = rf3(1, false);
    let l = broker(&sim, Role::Leader);
    stop(&mut sim, l);
    start(&mut sim, l);
    ticks(&mut sim, 5);
    assert_eq!(isr(&sim, 0).len(), 3, "the preferred leader is back in sync");
    let interim = leader(&sim, 0).unwrap();
    assert_ne!(interim, l);
    send(&mut sim, "order-1", Acks::All, true).unwrap();
    sim.apply(Command::ElectPreferredLeaders).unwrap();
    assert_eq!(leader(&sim, 0), Some(l));
    let events = ticks(&mut sim, 6);
    let failed: Vec<&SendError> = events.iter().filter_map(|e| if let Event::SendFailed { error, .. } = e { Some(error) } else { None }).collect();
    assert_eq!(failed, vec![&SendError::NotLeaderOrFollower], "{events:?}");
    assert_eq!(acknowledged(&events).len(), 1, "{events:?}");
    assert_eq!(replica_values(&sim, 0, l), vec!["order-1"]);
}

/// A lost acknowledgement makes the producer resend after `request.timeout.ms`. With
/// `enable.idempotence` the leader recognises the sequence number and does not write it again,
/// even when a new leader (which copied it) answers the retry; without, the record is in the log
/// twice. With `acks=1` the producer is not idempotent at all (Kafka turns it off).
#[test]
fn a_retry_after_a_lost_acknowledgement_is_deduplicated_only_with_idempotence() {
    // enable.idempotence, acks, fail the leader over before the retry, copies in the log, acknowledged offset
    let table = [
        (true, Acks::All, false, 1, 0),
        (false, Acks::All, false, 2, 1),
        (true, Acks::All, true, 1, 0),
        (false, Acks::All, true, 2, 1),
        (true, Acks::One, false, 2, 1),
        (false, Acks::One, false, 2, 1),
    ];
    for (row, (idempotent, acks, failover, copies, acked)) in table.into_iter().enumerate() {
        let idempotent_in_effect = idempotent && acks == Acks::All;
        let config = SimConfig { request_timeout_ms: 1_000, ..sim_config() };
        let mut sim = cluster_with(config, 1, topic_config(3, 1, false));
        sim.apply(Command::LoseAcknowledgement { producer: PRODUCER.into() }).unwrap_err();
        send(&mut sim, "warm-up", Acks::Zero, idempotent).unwrap();
        sim.apply(Command::LoseAcknowledgement { producer: PRODUCER.into() }).unwrap();
        let mut events = send(&mut sim, "order-1", acks, idempotent).unwrap();
        events.extend(ticks(&mut sim, 3));
        assert!(events.iter().any(|e| matches!(e, Event::AcknowledgementLost { offset: Some(1), .. })), "row {row}: {events:?}");
        assert!(acknowledged(&events).is_empty(), "row {row}");
        if failover {
            let l = broker(&sim, Role::Leader);
            stop(&mut sim, l);
        }
        let events = ticks(&mut sim, 15);
        let leader = leader(&sim, 0).unwrap();
        let copies_in_log = replica_values(&sim, 0, leader).iter().filter(|v| *v == "order-1").count();
        assert_eq!(copies_in_log, copies, "row {row}");
        assert_eq!(acknowledged(&events), vec![acked + 1], "row {row}");
        let dropped = events.iter().any(|e| matches!(e, Event::DuplicateDropped { offset: 1, .. }));
        let written = events.iter().any(|e| matches!(e, Event::DuplicateWritten { first: 1, second: 2, .. }));
        assert_eq!((dropped, written), (idempotent_in_effect, !idempotent_in_effect), "row {row}: {events:?}");
    }
}

/// An idempotent producer whose acknowledgement was lost sends nothing more to that partition
/// until the retry is answered: answers come back in order on a connection, and at most five
/// requests go out unanswered, so the retry always finds its copy among the leader's last five
/// batches. Records sent on behind it (ten here) pushed the copy out of those five, and the retry
/// was written a second time although idempotence was on.
#[test]
fn an_idempotent_retry_after_a_lost_acknowledgement_is_never_written_twice() {
    let config = SimConfig { request_timeout_ms: 1_000, ..sim_config() };
    let mut sim = cluster_with(config, 1, topic_config(3, 1, false));
    sim.apply(Command::LoseAcknowledgement { producer: PRODUCER.into() }).unwrap_err();
    send(&mut sim, "warm-up", Acks::Zero, true).unwrap();
    sim.apply(Command::LoseAcknowledgement { producer: PRODUCER.into() }).unwrap();
    let mut events = send(&mut sim, "order-1", Acks::All, true).unwrap();
    events.extend(ticks(&mut sim, 2));
    for i in 2..12 {
        events.extend(send(&mut sim, &format!("order-{i}"), Acks::All, true).unwrap());
    }
    events.extend(ticks(&mut sim, 40));
    assert!(events.iter().any(|e| matches!(e, Event::AcknowledgementLost { .. })), "{events:?}");
    assert!(!events.iter().any(|e| matches!(e, Event::DuplicateWritten { .. })), "{events:?}");
    let held = events.iter().filter(|e| matches!(e, Event::SendHeld { .. })).count();
    assert_eq!(held, 10, "the ten later sends wait behind the unanswered one");
    let expected: Vec<String> = std::iter::once("warm-up".to_string()).chain((1..12).map(|i| format!("order-{i}"))).collect();
    assert_eq!(replica_values(&sim, 0, leader(&sim, 0).unwrap()), expected, "each once, in the order sent");
    assert_eq!(acknowledged(&events).len(), 11, "every acks=all send is acknowledged");
}

/// The leader commits records in the tick its followers fall out of the ISR (they fetch one
/// byte at a time, so they lag). It answers each waiting `acks=all` send the moment its high
/// watermark passes the record, before the periodic shrink, as Kafka completes a delayed produce
/// when the high watermark moves (`Partition.tryCompleteDelayedRequests`): every committed record
/// is acknowledged and none is reported as `NOT_ENOUGH_REPLICAS_AFTER_APPEND`.
#[test]
fn a_record_committed_as_the_isr_shrinks_is_acknowledged() {
    let config = SimConfig { replica_fetch_max_bytes: 1, replica_lag_time_max_ms: 1_000, ..sim_config() };
    let mut sim = cluster_with(config, 1, topic_config(3, 3, false));
    sim.apply(Command::StartProducer { client_id: PRODUCER.into(), topic: T.into() }).unwrap();
    let stream = Stream { rate_per_sec: 50, keys: KeyPattern::NullKeys, value_template: "{seq}".into(), ..Stream::default() };
    sim.apply(Command::SetStream { producer: PRODUCER.into(), stream }).unwrap();
    let events = ticks(&mut sim, 20);
    assert!(events.iter().any(|e| matches!(e, Event::IsrShrunk { .. })), "the followers fell out of the ISR");
    let after_append = events.iter().filter(|e| matches!(e, Event::SendFailed { error: SendError::NotEnoughReplicasAfterAppend { .. }, .. })).count();
    assert_eq!(after_append, 0, "a committed record is a success");
    let hw = sim.log(T, 0).unwrap().high_watermark();
    assert!(hw > 0, "some records were committed");
    let mut acked = acknowledged(&events);
    acked.sort_unstable();
    assert_eq!(acked, (0..hw).collect::<Vec<_>>(), "each committed record acknowledged once");
}

/// A send that can never be committed fails for good after `delivery.timeout.ms`.
#[test]
fn a_send_that_cannot_commit_gives_up_after_delivery_timeout_ms() {
    let config = SimConfig { request_timeout_ms: 500, delivery_timeout_ms: 2_000, ..sim_config() };
    let mut sim = cluster_with(config, 1, topic_config(3, 2, false));
    sim.apply(Command::ConfigureProducer { producer: PRODUCER.into(), config: ProducerConfig::default() }).unwrap_err();
    sim.apply(Command::StartProducer { client_id: PRODUCER.into(), topic: T.into() }).unwrap();
    let contradictory = ProducerConfig { acks: Acks::One, enable_idempotence: true };
    let err = sim.apply(Command::ConfigureProducer { producer: PRODUCER.into(), config: contradictory }).unwrap_err();
    assert!(err.to_string().contains("needs acks=all"), "{err}");
    send(&mut sim, "order-1", Acks::All, true).unwrap();
    for role in [Role::FollowerA, Role::FollowerB] {
        let b = broker(&sim, role);
        stop(&mut sim, b);
    }
    let events = ticks(&mut sim, 25);
    let errors: Vec<(&str, bool)> = events.iter().filter_map(|e| if let Event::SendFailed { error, retrying, .. } = e { Some((error.name(), *retrying)) } else { None }).collect();
    assert_eq!(errors.first(), Some(&("REQUEST_TIMED_OUT", true)), "{errors:?}");
    assert!(errors.contains(&("NOT_ENOUGH_REPLICAS", true)), "{errors:?}");
    assert_eq!(errors.last(), Some(&("TimeoutException (delivery.timeout.ms)", false)), "{errors:?}");
    assert!(acknowledged(&events).is_empty());
    assert!(sim.view(0).producer_sessions.iter().all(|s| s.in_flight.is_empty()));
}

/// Changing a producer's configuration builds a new `KafkaProducer`: with idempotence on again,
/// its records carry a new producer id and sequence numbers from 0, and the leader keeps both
/// producers' batches apart.
#[test]
fn a_reconfigured_producer_gets_a_new_producer_id() {
    let mut sim = rf3(1, false);
    sim.apply(Command::StartProducer { client_id: PRODUCER.into(), topic: T.into() }).unwrap();
    let stream = Stream { rate_per_sec: 10, keys: KeyPattern::NullKeys, value_template: "{seq}".into(), ..Stream::default() };
    sim.apply(Command::SetStream { producer: PRODUCER.into(), stream }).unwrap();
    let stamps = |sim: &Simulation| -> Vec<(u64, u32)> {
        let log = sim.log(T, 0).unwrap();
        (0..log.log_end_offset()).filter_map(|o| log.get(o)?.sequence.map(|s| (s.producer_id, s.sequence))).collect()
    };
    ticks(&mut sim, 2);
    let before = stamps(&sim);
    assert_eq!(before.iter().map(|s| s.1).collect::<Vec<_>>(), vec![0, 1], "{before:?}");
    let configure = |sim: &mut Simulation, config| sim.apply(Command::ConfigureProducer { producer: PRODUCER.into(), config }).unwrap();
    configure(&mut sim, ProducerConfig { acks: Acks::One, enable_idempotence: false });
    configure(&mut sim, ProducerConfig::default());
    ticks(&mut sim, 2);
    let after: Vec<(u64, u32)> = stamps(&sim).into_iter().skip(before.len()).collect();
    assert_eq!(after.len(), 2, "{after:?}");
    assert!(after.iter().all(|s| s.0 != before[0].0), "a new producer id: {before:?} then {after:?}");
    assert_eq!(after.iter().map(|s| s.1).collect::<Vec<_>>(), vec![0, 1], "sequences from 0 again");
    // The same configuration again is no new producer.
    configure(&mut sim, ProducerConfig::default());
    ticks(&mut sim, 1);
    let last = *stamps(&sim).last().unwrap();
    assert_eq!(last, (after[0].0, 2), "the same producer goes on");
}

/// Two sends without idempotence fail together, and the new leader refuses their retries for a
/// while (the ISR is under `min.insync.replicas`). Kafka's client drains both every round, the
/// one that failed last first, so both are retried, each as often as the other, until the ISR
/// recovers and both are written.
#[test]
fn two_sends_that_keep_failing_are_both_retried_every_round() {
    let config = SimConfig { retry_backoff_ms: 100, retry_backoff_max_ms: 100, ..sim_config() };
    let mut sim = cluster_with(config, 1, topic_config(3, 2, false));
    let (l, a) = (broker(&sim, Role::Leader), broker(&sim, Role::FollowerA));
    send(&mut sim, "first", Acks::All, false).unwrap();
    send(&mut sim, "second", Acks::All, false).unwrap();
    stop(&mut sim, a);
    stop(&mut sim, l);
    let events = ticks(&mut sim, 10);
    let retried: Vec<u32> = events.iter().filter_map(|e| if let Event::Retried { attempt, .. } = e { Some(*attempt) } else { None }).collect();
    assert!(retried.len() >= 6, "both retried again and again: {retried:?}");
    let ones = retried.iter().filter(|&&n| n == 1).count();
    assert_eq!(ones, 2, "each send made its first retry: {retried:?}");
    let max = *retried.iter().max().unwrap();
    assert_eq!(retried.iter().filter(|&&n| n == max).count(), 2, "each as often as the other: {retried:?}");
    start(&mut sim, a);
    start(&mut sim, l);
    let events = ticks(&mut sim, 30);
    assert_eq!(acknowledged(&events).len(), 2, "{events:?}");
    let mut log = replica_values(&sim, 0, leader(&sim, 0).unwrap());
    log.sort();
    assert_eq!(log, vec!["first", "second"]);
}
