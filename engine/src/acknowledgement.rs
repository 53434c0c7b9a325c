//! Acknowledgements: when a producer learns that its record is safe, and what it does when it
//! does not hear back.
//!
//! The producer's `acks` setting says when the partition leader answers a send:
//!
//! - `acks=0`: never. The producer learns of no failure the broker sees, only of its own (a
//!   record kept for a partition without a leader until `delivery.timeout.ms`).
//! - `acks=1`: once the leader appended the record. If the leader dies before a follower copied
//!   it, the new leader does not have it: the record is lost although it was acknowledged.
//! - `acks=all` (the default since Kafka 3.0): once the record is below the high watermark, that
//!   is, every in-sync replica has it. The leader first refuses the send if the ISR is smaller
//!   than `min.insync.replicas` (`NotEnoughReplicas`, nothing is written;
//!   `Partition.appendRecordsToLeader`). If the ISR shrinks after the append, the answer is
//!   `NotEnoughReplicasAfterAppend` although the record *is* in the leader's log
//!   (`Partition.checkEnoughReplicasReachOffset`). It is rare: the leader answers the moment the
//!   HW passes the record, before any shrink, and the HW stops under min ISR (KAFKA-15583), so
//!   the send waits instead, until the request times out (`REQUEST_TIMED_OUT`).
//!
//! An answer that does not come within `request.timeout.ms`, an error the producer may retry
//! (`NetworkException` when the leader's broker stops, `NotLeaderOrFollower` when a live broker
//! hands the leadership on, `NotEnoughReplicas`, a time-out) or a lost
//! acknowledgement ([`crate::Command::LoseAcknowledgement`]) makes the producer send the same
//! record again after `retry.backoff.ms`, doubling up to `retry.backoff.max.ms`, until it is
//! acknowledged or `delivery.timeout.ms` has passed since the first send (`Sender`,
//! `RecordAccumulator`). Whether a retry writes the record twice is [`crate::idempotence`]'s story.
//!
//! Simplifications stated on screen: a batch holds one record and is sent at once (no
//! `linger.ms`); a *new* send the broker refuses fails at once with the broker's error, as with
//! `retries=0`, and only sends already in flight are retried; the backoff has no jitter; an
//! idempotent producer keeps a partition's order across retries by holding later records (see
//! `Simulation::must_wait`), where Kafka would refuse the sequence gap; only an idempotent
//! producer is held to five batches unanswered (`max.in.flight.requests.per.connection`),
//! counted per partition. As in Kafka, any producer holds a new record behind a retry that backs
//! off, and without idempotence two sends that fail together are retried the other way round
//! ([`SendState::Backoff`]); a record for a partition without a leader waits in the producer
//! ([`SendState::NoLeader`]).

use std::collections::VecDeque;

use serde::{Deserialize, Serialize};

use crate::error::EngineError;
use crate::idempotence::{ProducerIdentity, MAX_IN_FLIGHT_IDEMPOTENT};
use crate::record::Record;
use crate::setting::Setting;

/// The producer's `acks`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub enum Acks {
    /// `acks=0`: fire and forget.
    Zero,
    /// `acks=1`: the leader's append is enough.
    One,
    /// `acks=all` (`-1`): every in-sync replica must have it.
    #[default]
    All,
}

impl Setting for Acks {
    const ALL: &'static [Acks] = &[Acks::Zero, Acks::One, Acks::All];
    fn name(self) -> &'static str {
        match self {
            Acks::Zero => "0",
            Acks::One => "1",
            Acks::All => "all",
        }
    }
}

/// A producer's delivery settings.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct ProducerConfig {
    /// `acks` (all).
    pub acks: Acks,
    /// `enable.idempotence` (true).
    pub enable_idempotence: bool,
}

impl Default for ProducerConfig {
    fn default() -> Self {
        ProducerConfig { acks: Acks::All, enable_idempotence: true }
    }
}

impl ProducerConfig {
    /// `ProducerConfig.postProcessAndValidateIdempotenceConfigs`: the idempotent producer needs
    /// `acks=all`.
    pub fn validate(&self) -> Result<(), EngineError> {
        if self.enable_idempotence && self.acks != Acks::All {
            return Err(EngineError::InvalidConfig {
                name: "enable.idempotence".into(),
                reason: format!("the idempotent producer needs acks=all, not acks={} (Kafka: \"Must set acks to all in order to use the idempotent producer\"). Choose acks=all first, or send with acks={} and enable.idempotence off", self.acks.name(), self.acks.name()),
            });
        }
        Ok(())
    }
}

/// Why a send in flight failed, as the producer's callback would hear it. A response the broker
/// answered is named by its protocol error code, as the producer logs it when it retries
/// (`NOT_ENOUGH_REPLICAS`); the refusals [`crate::EngineError`] gives a command are named by the
/// Java exception the application sees (`NotEnoughReplicasException`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum SendError {
    /// The partition has no leader (`LEADER_NOT_AVAILABLE`); nothing was written.
    LeaderNotAvailable,
    /// The ISR was smaller than `min.insync.replicas` when the batch arrived; nothing was written.
    NotEnoughReplicas { isr: Vec<u32>, min_insync_replicas: u32 },
    /// The record reached the high watermark while the ISR was smaller than
    /// `min.insync.replicas`: it is in the log, but the leader reports an error.
    NotEnoughReplicasAfterAppend { isr: Vec<u32>, min_insync_replicas: u32 },
    /// The broker that had the record stopped leading the partition before it was committed,
    /// and said so (a preferred-leader election moved the leadership away).
    NotLeaderOrFollower,
    /// The leader's broker stopped with the request unanswered: the client sees its connection
    /// close (`Disconnected from node N`) and completes the batch with `NETWORK_EXCEPTION`, a
    /// retriable error that also makes it fetch fresh metadata to find the new leader.
    NetworkException { broker: u32 },
    /// The leader waited `request.timeout.ms` for the in-sync replicas and gave up.
    RequestTimedOut,
    /// No answer at all within `request.timeout.ms`: the acknowledgement was lost.
    NoResponse,
    /// `delivery.timeout.ms` passed since the first send: the producer gives the record up.
    DeliveryTimedOut,
}

impl SendError {
    /// The error as the producer's log names it: the broker's error code, or the client's own
    /// `TimeoutException` where no broker answered.
    pub fn name(&self) -> &'static str {
        match self {
            SendError::LeaderNotAvailable => "LEADER_NOT_AVAILABLE",
            SendError::NotEnoughReplicas { .. } => "NOT_ENOUGH_REPLICAS",
            SendError::NotEnoughReplicasAfterAppend { .. } => "NOT_ENOUGH_REPLICAS_AFTER_APPEND",
            SendError::NotLeaderOrFollower => "NOT_LEADER_OR_FOLLOWER",
            SendError::NetworkException { .. } => "NETWORK_EXCEPTION",
            SendError::RequestTimedOut => "REQUEST_TIMED_OUT",
            SendError::NoResponse => "TimeoutException",
            SendError::DeliveryTimedOut => "TimeoutException (delivery.timeout.ms)",
        }
    }

    /// What happened, in a sentence for the screen.
    pub fn describe(&self) -> String {
        let list = |ids: &[u32]| ids.iter().map(u32::to_string).collect::<Vec<_>>().join(",");
        match self {
            SendError::LeaderNotAvailable => "LEADER_NOT_AVAILABLE: the partition has no leader, so nothing was written.".into(),
            SendError::NotEnoughReplicas { isr, min_insync_replicas } => format!(
                "NOT_ENOUGH_REPLICAS: only {} (Isr: {}) for min.insync.replicas={min_insync_replicas}, so nothing was written.",
                crate::error::count(isr.len() as u64, "in-sync replica"),
                list(isr)
            ),
            SendError::NotEnoughReplicasAfterAppend { isr, min_insync_replicas } => format!(
                "NOT_ENOUGH_REPLICAS_AFTER_APPEND: the record IS in the leader's log, but the ISR (Isr: {}) fell below min.insync.replicas={min_insync_replicas} after the append. A retry without idempotence writes it twice.",
                list(isr)
            ),
            SendError::NotLeaderOrFollower => "NOT_LEADER_OR_FOLLOWER: the leader changed before the record was committed.".into(),
            SendError::NetworkException { broker } => {
                format!("NETWORK_EXCEPTION: broker {broker}, the leader, stopped before it answered: its connection closed (Disconnected from node {broker}); the producer looks up the new leader.")
            }
            SendError::RequestTimedOut => "REQUEST_TIMED_OUT: the leader waited request.timeout.ms for the in-sync replicas.".into(),
            SendError::NoResponse => "No acknowledgement within request.timeout.ms: the producer cannot tell whether the record was written.".into(),
            SendError::DeliveryTimedOut => "delivery.timeout.ms passed: the producer gives the record up and reports it failed.".into(),
        }
    }

    /// Whether the producer sends again after it (the retriable errors).
    pub fn is_retriable(&self) -> bool {
        !matches!(self, SendError::DeliveryTimedOut)
    }
}

/// What a producer client keeps between sends.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProducerSession {
    pub identity: ProducerIdentity,
    /// Sends still waiting for an answer or a retry, oldest first.
    pub in_flight: VecDeque<InFlightSend>,
    /// The network will drop the next acknowledgement sent to this producer.
    pub lose_next_acknowledgement: bool,
    /// Per partition with sends in flight: the oldest leader epoch they were appended in, and
    /// whether one waits to be (re)sent. Rebuilt every tick as the queue is; it lets a new send
    /// skip looking through the whole queue when nothing can be ahead of it (see
    /// `Simulation::must_wait`), which keeps a send O(1) with thousands in flight.
    #[serde(skip)]
    pub(crate) watch: Vec<PartitionWatch>,
}

/// See [`ProducerSession::watch`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct PartitionWatch {
    pub topic: String,
    pub partition: u32,
    pub oldest_epoch: u32,
    pub resending: bool,
    /// The batches out and not answered yet (all sends but the held ones), by the time they
    /// were first sent: the records a producer sends in one tick count as one batch.
    pub unanswered: Vec<u64>,
}

impl ProducerSession {
    /// Puts `send` at the back of the queue, noting it in [`ProducerSession::watch`].
    pub(crate) fn enqueue(&mut self, send: InFlightSend) {
        let resending = send.offset.is_none() || send.state.sent_again();
        let batch = send.state.was_sent().then_some(send.first_sent_ms);
        match self.watch.iter_mut().find(|w| w.partition == send.partition && w.topic == send.topic) {
            Some(w) => {
                w.oldest_epoch = w.oldest_epoch.min(send.leader_epoch);
                w.resending |= resending;
                if let Some(batch) = batch.filter(|b| !w.unanswered.contains(b)) {
                    w.unanswered.push(batch);
                }
            }
            None => self.watch.push(PartitionWatch {
                topic: send.topic.clone(),
                partition: send.partition,
                oldest_epoch: send.leader_epoch,
                resending,
                unanswered: batch.into_iter().collect(),
            }),
        }
        self.in_flight.push_back(send);
    }

    /// Whether a send to `topic`-`partition`, whose leader is now in `epoch`, could have an
    /// earlier send of this producer to wait for: one waiting to be resent, or one appended in
    /// an older epoch (an election may have lost it).
    pub(crate) fn may_wait(&self, topic: &str, partition: u32, epoch: u32) -> bool {
        self.watch.iter().any(|w| w.partition == partition && w.topic == topic && (w.resending || w.oldest_epoch < epoch))
    }

    /// Whether a record this idempotent producer sends to `topic`-`partition` at `now_ms` must
    /// wait in the producer: [`MAX_IN_FLIGHT_IDEMPOTENT`] batches are out unanswered, and it
    /// would start another (between ticks, when the watch counts every send in flight).
    pub(crate) fn at_in_flight_limit(&self, topic: &str, partition: u32, now_ms: u64) -> bool {
        let full = |w: &PartitionWatch| w.unanswered.len() >= MAX_IN_FLIGHT_IDEMPOTENT as usize && !w.unanswered.contains(&now_ms);
        self.watch.iter().any(|w| w.partition == partition && w.topic == topic && full(w))
    }

    /// Whether a held record first sent at `batch` may go to `topic`-`partition` now as far as
    /// the in-flight limit goes, counted through the queue (during a tick, when the watch is
    /// being rebuilt): fewer than five batches are out, or its own batch is.
    pub(crate) fn in_flight_room(&self, topic: &str, partition: u32, batch: u64) -> bool {
        let mut out: Vec<u64> = Vec::new();
        for s in self.in_flight.iter().filter(|s| s.partition == partition && s.topic == topic && s.state.was_sent()) {
            if s.first_sent_ms == batch {
                return true;
            }
            if !out.contains(&s.first_sent_ms) {
                out.push(s.first_sent_ms);
            }
        }
        out.len() < MAX_IN_FLIGHT_IDEMPOTENT as usize
    }
}

/// A record sent and not yet acknowledged.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct InFlightSend {
    pub topic: String,
    pub partition: u32,
    pub acks: Acks,
    /// Where the leader appended the latest attempt, if it did.
    pub offset: Option<u64>,
    /// The leader epoch of that append.
    pub leader_epoch: u32,
    /// The broker that led the partition then.
    #[serde(default)]
    pub leader: u32,
    /// The record as sent (with its sequence number when idempotent), for retries.
    pub record: Record,
    pub first_sent_ms: u64,
    /// Retries so far.
    pub attempts: u32,
    pub state: SendState,
}

/// Where a send in flight stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum SendState {
    /// The leader has it and answers once the record is committed (`acks=all`).
    AwaitingAcknowledgement { sent_ms: u64 },
    /// The answer was lost; the producer waits for `request.timeout.ms`, then retries.
    AcknowledgementLost { sent_ms: u64 },
    /// The producer retries at `retry_at_ms`; the send failed at `failed_ms`.
    ///
    /// Kafka's accumulator puts a failed batch back at the front of its partition's queue and
    /// drains that queue from the front, skipping the partition while the front batch backs
    /// off. With idempotence a batch goes back in sequence order (see `Simulation::must_wait`).
    /// Without, each goes to the very front, so of the batches that failed, the one that failed
    /// last is retried first: two records that fail together land in the log the other way
    /// round. This is the reordering `max.in.flight.requests.per.connection` > 1 allows.
    Backoff {
        retry_at_ms: u64,
        #[serde(default)]
        failed_ms: u64,
    },
    /// Not sent yet: an earlier record of this producer to the same partition waits to be
    /// retried (or, idempotent, for the answer it will not get), and the client sends a
    /// partition's queue from the front, where a retried batch goes back; so this one goes after
    /// it. Or five earlier batches of the idempotent producer are unanswered
    /// ([`MAX_IN_FLIGHT_IDEMPOTENT`]): it goes when one is.
    Held,
    /// Not sent yet: its partition has no leader. The client sends nothing to a partition
    /// without one: the record waits in its buffer (`RecordAccumulator.ready` leaves the
    /// partition out and asks for fresh metadata) until a leader is elected, or fails after
    /// `delivery.timeout.ms` counted from the send. Nothing is refused, whatever `acks` is.
    NoLeader,
}

impl SendState {
    /// The send goes out (again) later: it backs off, is held behind an earlier one, or waits
    /// out the answer it lost. Records sent after it wait for it.
    pub fn sent_again(&self) -> bool {
        !matches!(self, SendState::AwaitingAcknowledgement { .. })
    }

    /// Whether the record went to the leader at least once (it counts against the in-flight
    /// limit while unanswered, and sending it again is a retry).
    pub fn was_sent(&self) -> bool {
        !matches!(self, SendState::Held | SendState::NoLeader)
    }

    /// What the producer is doing, as the screen says it.
    pub fn describe(&self) -> &'static str {
        match self {
            SendState::AwaitingAcknowledgement { .. } => "waiting for the in-sync replicas",
            SendState::AcknowledgementLost { .. } => "acknowledgement lost: waiting for request.timeout.ms",
            SendState::Backoff { .. } => "waiting to retry",
            SendState::Held => "held until the earlier sends are through",
            SendState::NoLeader => "waiting for the partition to get a leader, up to delivery.timeout.ms",
        }
    }
}

/// `retry.backoff.ms` doubled per earlier retry, capped at `retry.backoff.max.ms` (KIP-580,
/// without its jitter). A base above the cap gives a constant backoff of the cap
/// (`ExponentialBackoff` takes the smaller of the two as its start).
pub fn backoff_ms(attempts: u32, base_ms: u64, max_ms: u64) -> u64 {
    base_ms.min(max_ms).saturating_mul(1u64 << attempts.min(20)).min(max_ms)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_doubles_up_to_the_maximum() {
        let waits: Vec<u64> = (0..6).map(|a| backoff_ms(a, 100, 1_000)).collect();
        assert_eq!(waits, vec![100, 200, 400, 800, 1_000, 1_000]);
    }

    #[test]
    fn a_base_above_the_maximum_backs_off_by_the_maximum() {
        let waits: Vec<u64> = (0..3).map(|a| backoff_ms(a, 500, 100)).collect();
        assert_eq!(waits, vec![100, 100, 100]);
    }
}
