//! Delivery: the producer's side of a send after the leader appended it, tick by tick.
//!
//! [`crate::acknowledgement`] explains `acks`, the errors and the retries; [`crate::idempotence`]
//! why a retry may or may not write a record twice. This module runs them: it answers a new send
//! at once when the answer is already known (`acks=1`, or `acks=all` with the record already
//! committed, as a lone in-sync replica commits at once), keeps the others *in flight*, and on
//! every tick answers, times out or retries them.
//!
//! Follows the producer's `Sender` (`handleProduceResponse`, `completeBatch`: retry a retriable
//! error after `retry.backoff.ms`, give up at `delivery.timeout.ms`) and `NetworkClient`'s
//! `request.timeout.ms` for an answer that never comes.

use crate::acknowledgement::{backoff_ms, Acks, InFlightSend, ProducerConfig, ProducerSession, SendError, SendState};
use crate::command::ProduceRequest;
use crate::broker::is_running;
use crate::error::EngineError;
use crate::event::{Event, HeldFor};
use crate::idempotence::ProducerSequence;
use crate::log::PartitionLog;
use crate::partition::LeaderAppend;
use crate::partitioner::PartitionChoice;
use crate::record::Record;
use crate::simulation::Simulation;

/// What the leader answers, or will answer, about an append.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Answer {
    /// `acks=0`: nothing, ever.
    Never,
    Now(Result<(), SendError>),
    /// `acks=all` and the record is not committed yet.
    Later,
}

/// The producer settings a send in flight needs.
#[derive(Debug, Clone, Copy)]
struct Timing {
    now_ms: u64,
    retry_backoff_ms: u64,
    retry_backoff_max_ms: u64,
}

impl ProducerSession {
    /// The lowest sequence number among this producer's records to `topic`-`partition` that
    /// `blocks`, below `before` when given.
    pub(crate) fn earliest_blocking(&self, topic: &str, partition: u32, before: Option<u32>, blocks: impl Fn(&InFlightSend) -> bool) -> Option<u32> {
        self.in_flight
            .iter()
            .filter(|s| s.topic == topic && s.partition == partition && blocks(s))
            .filter_map(|s| s.record.sequence.map(|q| q.sequence))
            .filter(|&q| before.is_none_or(|mine| q < mine))
            .min()
    }

    /// Whether a send of this producer without idempotence to `topic`-`partition` is `waiting`.
    pub(crate) fn plainly_waiting(&self, topic: &str, partition: u32, waiting: impl Fn(&InFlightSend) -> bool) -> bool {
        self.in_flight.iter().any(|s| s.partition == partition && s.topic == topic && s.record.sequence.is_none() && waiting(s))
    }

    /// Delivers `answer` to the producer (or loses it, when the network was told to), and keeps
    /// `send` in flight if it still waits. `sent_ms` is when the answered request was sent.
    fn settle(&mut self, producer: &str, mut send: InFlightSend, answer: Answer, sent_ms: u64, timing: Timing, events: &mut Vec<Event>) {
        let result = match answer {
            Answer::Never => return,
            Answer::Later => {
                send.state = SendState::AwaitingAcknowledgement { sent_ms };
                self.enqueue(send);
                return;
            }
            Answer::Now(result) => result,
        };
        let partition = send.partition;
        // Without a leader there is no request, so no answer to lose.
        let answered = result != Err(SendError::LeaderNotAvailable);
        if answered && std::mem::take(&mut self.lose_next_acknowledgement) {
            events.push(Event::AcknowledgementLost { producer: producer.to_string(), topic: send.topic.clone(), partition, offset: send.offset });
            send.state = SendState::AcknowledgementLost { sent_ms };
            self.enqueue(send);
            return;
        }
        match result {
            Ok(()) => {
                let (offset, acks) = (send.offset.unwrap_or_default(), send.acks);
                events.push(Event::Acknowledged { producer: producer.to_string(), topic: send.topic, partition, offset, acks });
            }
            Err(error) => {
                let offset = send.offset.filter(|_| matches!(error, SendError::NotEnoughReplicasAfterAppend { .. }));
                let topic = send.topic.clone();
                events.push(Event::SendFailed { producer: producer.to_string(), topic, partition, offset, error, retrying: true });
                let retry_at_ms = timing.now_ms.saturating_add(backoff_ms(send.attempts, timing.retry_backoff_ms, timing.retry_backoff_max_ms));
                send.state = SendState::Backoff { retry_at_ms, failed_ms: timing.now_ms };
                self.enqueue(send);
            }
        }
    }
}

impl Simulation {
    fn timing(&self) -> Timing {
        Timing { now_ms: self.clock.now_ms(), retry_backoff_ms: self.config.retry_backoff_ms, retry_backoff_max_ms: self.config.retry_backoff_max_ms }
    }

    /// The sequence stamp a producer's next idempotent batch to `topic`-`partition` carries.
    pub(crate) fn peek_sequence(&self, producer: &str, topic: &str, partition: u32) -> ProducerSequence {
        match self.sessions.get(producer) {
            Some(session) => session.identity.peek(topic, partition, self.next_producer_id),
            None => ProducerSequence { producer_id: self.next_producer_id, producer_epoch: 0, sequence: 0 },
        }
    }

    /// Uses up `stamp`, giving the producer its id on its first idempotent send.
    pub(crate) fn use_sequence(&mut self, producer: &str, topic: &str, partition: u32, stamp: ProducerSequence) {
        let session = match self.sessions.get_mut(producer) {
            Some(session) => session,
            None => self.session_mut(producer),
        };
        if session.identity.commit(topic, partition, stamp) {
            self.next_producer_id += 1;
        }
    }

    fn session_mut(&mut self, producer: &str) -> &mut ProducerSession {
        if !self.sessions.contains_key(producer) {
            self.sessions.insert(producer.to_string(), ProducerSession::default());
        }
        self.sessions.get_mut(producer).expect("inserted above")
    }

    /// Fills in each election's `resent`: of the offsets it lost, those a producer still waits
    /// to hear about (appended, answer pending or lost). Its next answer is
    /// `NetworkException` (or `NotLeaderOrFollower`) and it sends them again; no producer waits
    /// for the others.
    pub(crate) fn count_resends(&self, events: &mut [Event]) {
        for event in events {
            if let Event::LeaderElected { topic, partition, lost: Some(lost), resent, .. } = event {
                let awaited = |s: &&InFlightSend| {
                    s.partition == *partition
                        && s.topic == *topic
                        && matches!(s.state, SendState::AwaitingAcknowledgement { .. } | SendState::AcknowledgementLost { .. })
                        && s.offset.is_some_and(|o| (lost.from..lost.to).contains(&o))
                };
                *resent = self.sessions.values().flat_map(|session| session.in_flight.iter()).filter(awaited).count() as u64;
            }
        }
    }

    /// Remembers a client that sent something, so it can be named in later commands.
    pub(crate) fn note_client(&mut self, producer: &str) {
        if !self.sessions.contains_key(producer) {
            self.sessions.insert(producer.to_string(), ProducerSession::default());
        }
    }

    /// The events of a leader append: a rolled segment, the append, a moved high watermark.
    pub(crate) fn appended_events(&self, topic: &str, partition: u32, appended: &LeaderAppend, timestamp_ms: u64, events: &mut Vec<Event>) {
        if let Some(base_offset) = appended.rolled_segment {
            events.push(Event::SegmentRolled { topic: topic.to_string(), partition, base_offset });
        }
        events.push(Event::Appended { topic: topic.to_string(), partition, offset: appended.offset, timestamp_ms, leader_epoch: appended.leader_epoch });
        if let Some(hw) = appended.high_watermark {
            events.push(Event::HighWatermarkAdvanced { topic: topic.to_string(), partition, from: hw.from, to: hw.to });
        }
    }

    /// What the leader of `topic`-`partition` answers now about a record it appended at `offset`
    /// in `leader_epoch` (`DelayedProduce` / `Partition.checkEnoughReplicasReachOffset`).
    fn answer_for(&self, topic: &str, partition: u32, acks: Acks, offset: u64, leader_epoch: u32) -> Answer {
        let Some(topic) = self.topics.get(topic) else { return Answer::Now(Err(SendError::LeaderNotAvailable)) };
        let state = &topic.replication[partition as usize];
        match acks {
            Acks::Zero => Answer::Never,
            Acks::One => Answer::Now(Ok(())),
            Acks::All if state.leader_epoch != leader_epoch || state.is_offline() => Answer::Now(Err(SendError::NotLeaderOrFollower)),
            Acks::All if topic.partitions[partition as usize].high_watermark() > offset => {
                let min_insync_replicas = topic.config.min_insync_replicas;
                if state.is_under_min_isr(min_insync_replicas) {
                    Answer::Now(Err(SendError::NotEnoughReplicasAfterAppend { isr: state.isr.clone(), min_insync_replicas }))
                } else {
                    Answer::Now(Ok(()))
                }
            }
            Acks::All => Answer::Later,
        }
    }

    /// Answers a send that was just appended; a send that must wait goes in flight.
    pub(crate) fn answer_new_send(&mut self, producer: String, topic: String, partition: u32, acks: Acks, appended: &LeaderAppend, events: &mut Vec<Event>) {
        let answer = self.answer_for(&topic, partition, acks, appended.offset, appended.leader_epoch);
        let lose = self.sessions.get(&producer).is_some_and(|s| s.lose_next_acknowledgement);
        match answer {
            Answer::Never => return,
            Answer::Now(Ok(())) if !lose => {
                events.push(Event::Acknowledged { producer, topic, partition, offset: appended.offset, acks });
                return;
            }
            _ => {}
        }
        let Some(record) = self.topics[&topic].partitions[partition as usize].get(appended.offset).cloned() else { return };
        let timing = self.timing();
        let send = InFlightSend {
            topic,
            partition,
            acks,
            offset: Some(appended.offset),
            leader_epoch: appended.leader_epoch,
            leader: appended.leader,
            record,
            first_sent_ms: timing.now_ms,
            attempts: 0,
            state: SendState::AwaitingAcknowledgement { sent_ms: timing.now_ms },
        };
        self.session_mut(&producer).settle(&producer, send, answer, timing.now_ms, timing, events);
    }

    /// The earlier record of an idempotent producer that a record to `topic`-`partition` (with
    /// sequence `before`, if it has one yet) must wait for, by its sequence number.
    ///
    /// A new or held record waits for one that must be written again: waiting to retry, held
    /// itself, or gone from the leader's log (an election lost it, and the producer has not
    /// heard yet). Kafka would send it and the leader would refuse the gap in the sequence
    /// (`OUT_OF_ORDER_SEQUENCE_NUMBER`) until the earlier one is in; holding it shows the same
    /// order without the refusal.
    ///
    /// It also waits for one whose acknowledgement was lost, which is sent again when
    /// `request.timeout.ms` runs out. Kafka gets there by its connection: answers come back in
    /// order, so none comes after a lost one, and at most five requests
    /// (`max.in.flight.requests.per.connection`, which idempotence requires to be 5 or fewer)
    /// go out unanswered; the retry then finds its copy among the leader's last five batches.
    /// Records sent on behind it would have pushed the copy out of those five, and the retry
    /// would have been written twice.
    ///
    /// A retry waits until every earlier record is answered: the
    /// client re-sends a batch only when it is the first of its partition in flight
    /// (`RecordAccumulator.shouldStopDrainBatchesForPartition`).
    pub(crate) fn must_wait(&self, session: &ProducerSession, topic: &str, partition: u32, before: Option<u32>, retry: bool) -> Option<u32> {
        let log = self.topics.get(topic).and_then(|t| t.partitions.get(partition as usize));
        // Written: the leader still has it, or remembers it in its producer state (compaction
        // or retention may have removed the record since).
        let written = |s: &InFlightSend| {
            let remembered = |l: &PartitionLog| s.record.sequence.is_some_and(|stamp| l.producer_states().find(&stamp) == s.offset);
            s.offset.is_some_and(|o| log.is_some_and(|l| l.get(o).is_some_and(|r| r.sequence == s.record.sequence) || remembered(l)))
        };
        session.earliest_blocking(topic, partition, before, |s| retry || s.state.sent_again() || !written(s))
    }

    fn waits_for_earlier(&self, session: &ProducerSession, send: &InFlightSend) -> bool {
        let retry = send.state.was_sent();
        send.record.sequence.is_some_and(|mine| self.must_wait(session, &send.topic, send.partition, Some(mine.sequence), retry).is_some())
    }

    /// A new record the producer keeps for now, and `why` ([`HeldFor`]): an earlier record of the
    /// same producer and partition waits to be retried (with idempotence, sequence `behind`),
    /// five are unanswered, or the partition has no leader. An idempotent one takes its sequence
    /// number now; it is sent once nothing holds it back (see [`SendState::Held`] and
    /// [`SendState::NoLeader`]), so the partition keeps the producer's order.
    pub(crate) fn hold(&mut self, request: ProduceRequest, record: Record, choice: PartitionChoice, size: u64, stamp: Option<ProducerSequence>, (behind, why): (Option<u32>, HeldFor)) -> Vec<Event> {
        let (producer, topic, partition) = (request.producer, request.topic, record.partition);
        match stamp {
            Some(stamp) => self.use_sequence(&producer, &topic, partition, stamp),
            None => self.note_client(&producer),
        }
        if let Some(client) = self.producers.get_mut(&producer) {
            client.sent += 1;
        }
        let events = vec![
            Event::Produced { producer: producer.clone(), topic: topic.clone(), choice, partitioner: request.partitioner, size },
            Event::SendHeld { producer: producer.clone(), topic: topic.clone(), partition, sequence: stamp.map(|s| s.sequence), behind, why },
        ];
        let first_sent_ms = self.clock.now_ms();
        let state = if why == HeldFor::Leader { SendState::NoLeader } else { SendState::Held };
        let send = InFlightSend { topic, partition, acks: request.acks, offset: None, leader_epoch: 0, leader: 0, record, first_sent_ms, attempts: 0, state };
        self.session_mut(&producer).enqueue(send);
        events
    }

    /// One tick of every producer's sends in flight: answers that arrive, time-outs, retries.
    pub(crate) fn deliver_in_flight(&mut self, events: &mut Vec<Event>) {
        if self.sessions.values().all(|s| s.in_flight.is_empty()) {
            return;
        }
        let mut sessions = std::mem::take(&mut self.sessions);
        for (producer, session) in &mut sessions {
            // Each send is taken from the front and, if it still waits, put back at the end:
            // the queue keeps its order and its allocation, and its watch is rebuilt.
            session.watch.clear();
            self.drain_plain_retries(producer, session, events);
            // Partitions whose first held record still waits this tick: the held ones behind it
            // (later in the queue, later in sequence) wait too, without a look through the queue.
            let mut held_back: Vec<(String, u32)> = Vec::new();
            for _ in 0..session.in_flight.len() {
                if let Some(send) = session.in_flight.pop_front() {
                    self.advance(producer, session, send, &mut held_back, events);
                }
            }
        }
        self.sessions = sessions;
    }

    /// Without idempotence, each partition's retries go in the order Kafka's accumulator drains
    /// them (see [`SendState::Backoff`]): from the front of the partition's queue, where each
    /// failed batch went back, so the one that failed last goes first, then each other one whose
    /// backoff is over; the partition waits while its front batch backs off. They go before this
    /// tick's answers, as the client sends them before any answer to them can come back: two
    /// that keep failing together swap places every round.
    fn drain_plain_retries(&mut self, producer: &str, session: &mut ProducerSession, events: &mut Vec<Event>) {
        let now_ms = self.clock.now_ms();
        // (when it failed, where it is in the queue) of each retry without idempotence: of those
        // failed together, the one answered last went back to the front last.
        // Kept in descending order as it is built (few sends back off at once).
        let mut order: Vec<(u64, usize)> = Vec::new();
        for (i, s) in session.in_flight.iter().enumerate() {
            if let (SendState::Backoff { failed_ms, .. }, None) = (s.state, s.record.sequence) {
                order.insert(order.partition_point(|&o| o > (failed_ms, i)), (failed_ms, i));
            }
        }
        let mut blocked: Vec<(String, u32)> = Vec::new();
        let mut go: Vec<usize> = Vec::new();
        for (_, i) in order {
            let s = &session.in_flight[i];
            let SendState::Backoff { retry_at_ms, .. } = s.state else { continue };
            // One past delivery.timeout.ms is failed by `advance`, in the queue's own pass.
            if blocked.iter().any(|(t, p)| *p == s.partition && *t == s.topic) || self.expired(s) {
                continue;
            }
            if now_ms >= retry_at_ms && self.has_leader(s) {
                go.push(i);
            } else {
                blocked.push((s.topic.clone(), s.partition));
            }
        }
        // Sent in drain order; a retried send goes to the back of the queue, so each position
        // counts only the sends taken out before it.
        let mut taken: Vec<usize> = Vec::new();
        for i in go {
            let at = i - taken.iter().filter(|&&t| t < i).count();
            taken.push(i);
            if let Some(send) = session.in_flight.remove(at) {
                self.retry(producer, session, send, events);
            }
        }
    }

    /// Whether `delivery.timeout.ms` has passed since `send` was first sent: the producer gives
    /// it up, sent or not.
    fn expired(&self, send: &InFlightSend) -> bool {
        self.clock.now_ms().saturating_sub(send.first_sent_ms) >= self.config.delivery_timeout_ms
    }

    /// Whether the partition of `send` has a leader to send it to; without one, the client keeps
    /// it (see [`SendState::NoLeader`]).
    fn has_leader(&self, send: &InFlightSend) -> bool {
        self.topics.get(&send.topic).is_some_and(|t| t.is_online(send.partition))
    }

    /// Whether a held record may go now: its partition has a leader, no earlier one of its
    /// partition is to be sent again (without idempotence: none backs off), and fewer than five
    /// batches are unanswered.
    fn held_may_go(&self, session: &ProducerSession, send: &InFlightSend, held_back: &mut Vec<(String, u32)>) -> bool {
        let tp = |(t, p): &(String, u32)| *p == send.partition && *t == send.topic;
        if held_back.iter().any(tp) {
            return false;
        }
        let retries = |s: &InFlightSend| matches!(s.state, SendState::Backoff { .. });
        let go = self.has_leader(send)
            && session.in_flight_room(&send.topic, send.partition, send.first_sent_ms)
            && !self.waits_for_earlier(session, send)
            && (send.record.sequence.is_some() || !session.plainly_waiting(&send.topic, send.partition, retries));
        if !go {
            held_back.push((send.topic.clone(), send.partition));
        }
        go
    }

    fn advance(&mut self, producer: &str, session: &mut ProducerSession, mut send: InFlightSend, held_back: &mut Vec<(String, u32)>, events: &mut Vec<Event>) {
        let timing = self.timing();
        let (now_ms, request_timeout_ms) = (timing.now_ms, self.config.request_timeout_ms);
        if self.expired(&send) {
            let (topic, partition) = (send.topic, send.partition);
            events.push(Event::SendFailed { producer: producer.to_string(), topic, partition, offset: None, error: SendError::DeliveryTimedOut, retrying: false });
            return;
        }
        match send.state {
            SendState::AwaitingAcknowledgement { sent_ms } => {
                let answer = match self.answer_for(&send.topic, send.partition, send.acks, send.offset.unwrap_or_default(), send.leader_epoch) {
                    Answer::Later if now_ms - sent_ms >= request_timeout_ms => Answer::Now(Err(SendError::RequestTimedOut)),
                    // A stopped broker answers nothing: its connection closes.
                    Answer::Now(Err(SendError::NotLeaderOrFollower)) if !is_running(&self.brokers, send.leader) => {
                        Answer::Now(Err(SendError::NetworkException { broker: send.leader }))
                    }
                    answer => answer,
                };
                session.settle(producer, send, answer, sent_ms, timing, events);
            }
            SendState::AcknowledgementLost { sent_ms } if now_ms - sent_ms >= request_timeout_ms => {
                let (topic, partition) = (send.topic.clone(), send.partition);
                events.push(Event::SendFailed { producer: producer.to_string(), topic, partition, offset: None, error: SendError::NoResponse, retrying: true });
                let retry_at_ms = now_ms.saturating_add(backoff_ms(send.attempts, timing.retry_backoff_ms, timing.retry_backoff_max_ms));
                send.state = SendState::Backoff { retry_at_ms, failed_ms: now_ms };
                session.enqueue(send);
            }
            // A retry or a held record goes once the earlier records of its partition are
            // through (they come first in the queue, so earlier this tick) or gave up: an
            // idempotent producer writes a partition's records in sequence order, also when
            // their backoffs differ (see `must_wait`). Without idempotence the retries went
            // already, in the accumulator's order (`drain_plain_retries`).
            SendState::Backoff { retry_at_ms, .. }
                if send.record.sequence.is_some() && now_ms >= retry_at_ms && self.has_leader(&send) && !self.waits_for_earlier(session, &send) =>
            {
                self.retry(producer, session, send, events)
            }
            SendState::Held | SendState::NoLeader if self.held_may_go(session, &send, held_back) => self.retry(producer, session, send, events),
            _ => session.enqueue(send),
        }
    }

    /// Sends the record again, with the same sequence number when idempotent; a held record is
    /// sent for the first time.
    fn retry(&mut self, producer: &str, session: &mut ProducerSession, mut send: InFlightSend, events: &mut Vec<Event>) {
        let timing = self.timing();
        let (previous, idempotent) = (send.offset, send.record.sequence.is_some());
        if send.state.was_sent() {
            send.attempts += 1;
            events.push(Event::Retried {
                producer: producer.to_string(),
                topic: send.topic.clone(),
                partition: send.partition,
                attempt: send.attempts,
                sequence: send.record.sequence.map(|s| s.sequence),
                previous_offset: previous,
            });
        }
        let Some(topic) = self.topics.get_mut(&send.topic) else { return };
        let rules = topic.rules(&self.brokers, self.config.replica_lag_time_max_ms, timing.now_ms);
        match topic.append_to_leader(send.partition, send.record.clone(), send.acks, idempotent, &rules) {
            Ok(appended) => {
                self.retried_events(producer, &send, previous, &appended, events);
                send.offset = Some(appended.offset);
                send.leader_epoch = appended.leader_epoch;
                send.leader = appended.leader;
                let answer = self.answer_for(&send.topic, send.partition, send.acks, appended.offset, appended.leader_epoch);
                session.settle(producer, send, answer, timing.now_ms, timing, events);
            }
            Err(error) => session.settle(producer, send, Answer::Now(Err(error)), timing.now_ms, timing, events),
        }
    }

    /// What a retry's append did: found the copy (idempotence), or wrote the record, perhaps a
    /// second time.
    fn retried_events(&self, producer: &str, send: &InFlightSend, previous: Option<u64>, appended: &LeaderAppend, events: &mut Vec<Event>) {
        let (topic, partition) = (send.topic.as_str(), send.partition);
        if appended.duplicate {
            let sequence = send.record.sequence.map_or(0, |s| s.sequence);
            events.push(Event::DuplicateDropped { producer: producer.to_string(), topic: topic.to_string(), partition, offset: appended.offset, sequence });
            return;
        }
        self.appended_events(topic, partition, appended, send.record.timestamp_ms, events);
        let log = &self.topics[topic].partitions[partition as usize];
        let same = |offset: u64| log.get(offset).is_some_and(|r| r.key == send.record.key && r.value == send.record.value && r.timestamp_ms == send.record.timestamp_ms);
        if let Some(first) = previous.filter(|&o| o != appended.offset && same(o)) {
            events.push(Event::DuplicateWritten { producer: producer.to_string(), topic: topic.to_string(), partition, first, second: appended.offset });
        }
    }

    /// `LoseAcknowledgement`: the network drops the next answer the leader sends this producer
    /// (a started producer, or any client that has sent a record).
    pub(crate) fn lose_acknowledgement(&mut self, producer: &str) -> Result<Vec<Event>, EngineError> {
        if !self.producers.contains_key(producer) && !self.sessions.contains_key(producer) {
            return Err(EngineError::UnknownProducer(producer.to_string()));
        }
        self.session_mut(producer).lose_next_acknowledgement = true;
        Ok(vec![Event::AcknowledgementWillBeLost { producer: producer.to_string() }])
    }

    /// `ConfigureProducer`: the `acks` and `enable.idempotence` of a producer's streamed sends.
    ///
    /// A producer's configuration is fixed when it is built, so changing it means a new
    /// `KafkaProducer`: its first idempotent send asks for a new producer id, and it numbers
    /// each partition's batches from 0 again. Sends still in flight keep their old stamps.
    pub(crate) fn configure_producer(&mut self, producer: &str, config: ProducerConfig) -> Result<Vec<Event>, EngineError> {
        config.validate()?;
        let client = self.producers.get_mut(producer).ok_or_else(|| EngineError::UnknownProducer(producer.to_string()))?;
        if std::mem::replace(&mut client.config, config) != config {
            if let Some(session) = self.sessions.get_mut(producer) {
                session.identity = Default::default();
            }
        }
        Ok(vec![Event::ProducerConfigured { producer: producer.to_string(), config }])
    }
}
