//! `max.in.flight.requests.per.connection`: an idempotent producer has at most five batches
//! unanswered per partition (a batch: the records it sends there in one tick), so a retry's first
//! copy is always among the leader's last five batches of that producer, and a retry is never
//! written twice; and a fast stream is not slowed to five records a round trip.

mod replicated;

use std::collections::HashSet;

use kafkascope_engine::{Acks, Command, Event, HeldFor, KeyPattern, SimConfig, Simulation, Stream};
use replicated::*;

fn written_twice(sim: &Simulation) -> usize {
    let values = replica_values(sim, 0, leader(sim, 0).unwrap());
    let mut seen = HashSet::new();
    values.iter().filter(|v| !seen.insert((*v).clone())).count()
}

#[test]
fn a_sixth_batch_waits_for_an_answer_and_retries_after_time_outs_are_each_written_once() {
    // Followers that fetch a record a tick fall behind four records a tick, so acks=all sends
    // wait longer and longer for their answers; the four records of a tick are a batch. With
    // request.timeout.ms at 300 ms every send is also sent again.
    for request_timeout_ms in [30_000, 300] {
        let config = SimConfig { replica_fetch_max_bytes: 1, replica_lag_time_max_ms: 600_000, request_timeout_ms, ..sim_config() };
        let mut sim = cluster_with(config, 1, topic_config(3, 2, false));
        let mut events = Vec::new();
        for i in 0..40 {
            events.extend(send(&mut sim, &format!("m{i}"), Acks::All, true).unwrap());
            if i % 4 == 3 {
                events.extend(sim.step());
            }
        }
        if request_timeout_ms == 30_000 {
            // Five batches out, none answered yet: the sixth waits in the producer.
            assert!(events.iter().any(|e| matches!(e, Event::SendHeld { why: HeldFor::InFlightLimit, .. })));
        } else {
            assert!(events.iter().any(|e| matches!(e, Event::Retried { .. })), "time-outs made the producer send again");
        }
        events.extend(ticks(&mut sim, 600));
        assert!(!events.iter().any(|e| matches!(e, Event::DuplicateWritten { .. })), "{request_timeout_ms} ms");
        assert_eq!(written_twice(&sim), 0);
        assert_eq!(replica_values(&sim, 0, leader(&sim, 0).unwrap()).len(), 40, "every record written, once");
        assert_eq!(events.iter().filter(|e| matches!(e, Event::Acknowledged { .. })).count(), 40, "and acknowledged");
    }
}

#[test]
fn records_sent_in_one_tick_are_one_batch_and_do_not_wait_for_each_other() {
    let config = SimConfig { replica_fetch_max_bytes: 1, replica_lag_time_max_ms: 600_000, ..sim_config() };
    let mut sim = cluster_with(config, 1, topic_config(3, 2, false));
    let events: Vec<Event> = (0..20).flat_map(|i| send(&mut sim, &format!("m{i}"), Acks::All, true).unwrap()).collect();
    assert!(!events.iter().any(|e| matches!(e, Event::SendHeld { .. })), "twenty records of one tick are one batch in flight");
}

#[test]
fn an_idempotent_stream_behind_a_slow_follower_writes_no_record_twice() {
    let config = SimConfig { replica_fetch_max_bytes: 1, replica_lag_time_max_ms: 1_000, ..sim_config() };
    let mut sim = cluster_with(config, 1, topic_config(3, 3, false));
    sim.apply(Command::StartProducer { client_id: PRODUCER.into(), topic: T.into() }).unwrap();
    let stream = Stream { rate_per_sec: 50, keys: KeyPattern::NullKeys, value_template: "{seq}".into(), ..Stream::default() };
    sim.apply(Command::SetStream { producer: PRODUCER.into(), stream }).unwrap();
    let mut events = Vec::new();
    for _ in 0..400 {
        events.extend(sim.step());
    }
    assert!(!events.iter().any(|e| matches!(e, Event::DuplicateWritten { .. })));
    assert_eq!(written_twice(&sim), 0);
}
