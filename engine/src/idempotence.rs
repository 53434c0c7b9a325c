//! The idempotent producer: why a retry does not write a record twice.
//!
//! A producer that gets no acknowledgement cannot tell whether its record was lost on the way to
//! the broker or only the answer was lost on the way back. It sends again. Without idempotence
//! the broker appends the retry as a new record: the log holds it twice, at two offsets.
//!
//! With `enable.idempotence=true` (the default since Kafka 3.0, and only with `acks=all`: Kafka
//! turns the default off for `acks` 0 or 1 and refuses an explicit `true`) the producer first gets a
//! *producer id* and *epoch* (`InitProducerId`, kept by the client's `TransactionManager`) and
//! numbers its batches per partition: sequence 0, 1, 2, ... A retry carries the same numbers. The
//! partition leader remembers the last five batches of each producer (`ProducerStateEntry`,
//! `NUM_BATCHES_TO_RETAIN`); when a batch repeats one of them it is not appended again, and the
//! producer gets the offset of the copy already in the log (`UnifiedLog.analyzeAndValidateProducerState`,
//! `ProducerStateEntry.findDuplicateBatch`). The leader keeps these numbers apart from the records
//! (`ProducerStateManager`): retention deleting a segment or compaction dropping a superseded
//! record does not make it forget a batch, so a late retry is still recognised. A follower learns
//! the same state from the records it copies, so a new leader recognises duplicates too.
//!
//! The producer keeps that true: it has at most five batches unanswered
//! (`max.in.flight.requests.per.connection`), so a retry's copy is always among the five, and a
//! record that would start a sixth waits in the producer until one is answered.
//!
//! Simplifications stated on screen: a batch holds one record; the leader drops duplicates but
//! does not refuse gaps in the numbering (`OutOfOrderSequenceException` is not modelled); the
//! producer epoch stays 0 (no transactions, no epoch bumps).

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

/// Batches per producer the leader remembers for duplicate detection.
pub const NUM_BATCHES_TO_RETAIN: usize = 5;

/// Batches an idempotent producer has unanswered at once (`max.in.flight.requests.per.connection`,
/// default 5, which idempotence requires to be at most 5). Counted per partition here, where
/// Kafka counts requests per broker connection, and a batch is the records one producer sends to
/// a partition in one tick: what matters is that a retry's first copy is still among the leader's
/// last [`NUM_BATCHES_TO_RETAIN`] batches of the producer, so it is recognised.
pub const MAX_IN_FLIGHT_IDEMPOTENT: u32 = 5;

/// What an idempotent producer stamps on a batch: who sent it and its number in this partition.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProducerSequence {
    pub producer_id: u64,
    pub producer_epoch: u16,
    pub sequence: u32,
}

/// A producer client's idempotence state, as its `TransactionManager` keeps it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProducerIdentity {
    /// Given on the first idempotent send (`InitProducerId`).
    pub producer_id: Option<u64>,
    pub producer_epoch: u16,
    /// Next sequence number per topic, indexed by partition.
    next_sequence: BTreeMap<String, Vec<u32>>,
}

impl ProducerIdentity {
    /// The stamp the next batch to `topic`-`partition` carries, without using it up; `next_id`
    /// gives a producer id if this producer has none yet.
    pub(crate) fn peek(&self, topic: &str, partition: u32, next_id: u64) -> ProducerSequence {
        let sequence = self.next_sequence.get(topic).and_then(|s| s.get(partition as usize)).copied().unwrap_or(0);
        ProducerSequence { producer_id: self.producer_id.unwrap_or(next_id), producer_epoch: self.producer_epoch, sequence }
    }

    /// Uses up `stamp`: the next batch to that partition gets the following number. Returns
    /// whether the producer id was new.
    pub(crate) fn commit(&mut self, topic: &str, partition: u32, stamp: ProducerSequence) -> bool {
        let fresh = self.producer_id.is_none();
        self.producer_id = Some(stamp.producer_id);
        let sequences = match self.next_sequence.get_mut(topic) {
            Some(sequences) => sequences,
            None => self.next_sequence.entry(topic.to_string()).or_default(),
        };
        if sequences.len() <= partition as usize {
            sequences.resize(partition as usize + 1, 0);
        }
        sequences[partition as usize] = stamp.sequence + 1;
        fresh
    }
}

/// One batch of an idempotent producer as the leader remembers it: the records it appended from
/// one producer in one tick, with consecutive sequence numbers and offsets (this simulation sends
/// a record per request, and counts the records of one tick as the batch Kafka would have sent).
#[derive(Debug, Clone, PartialEq)]
struct Batch {
    first: ProducerSequence,
    records: u32,
    first_offset: u64,
    appended_ms: u64,
}

/// What a partition log remembers of each idempotent producer: its last
/// [`NUM_BATCHES_TO_RETAIN`] batches (`ProducerStateEntry`), with their sequence numbers and
/// offsets. Kept beside the records, not read from them, so deleting or compacting records leaves
/// it whole. A handful of producers write to a partition here, so one short list serves them all,
/// oldest batch first.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ProducerStates {
    batches: Vec<Batch>,
}

impl ProducerStates {
    /// Notes a record written at `offset` at `now_ms`: it extends the producer's latest batch when
    /// it follows on in the same tick, or starts a new one, and the producer's oldest batch beyond
    /// the last five is forgotten.
    pub(crate) fn record(&mut self, stamp: ProducerSequence, offset: u64, now_ms: u64) {
        let same = |b: &Batch| b.first.producer_id == stamp.producer_id;
        if let Some(last) = self.batches.iter_mut().rev().find(|b| same(b)) {
            let follows = last.first.producer_epoch == stamp.producer_epoch
                && last.first.sequence.wrapping_add(last.records) == stamp.sequence
                && last.first_offset + u64::from(last.records) == offset;
            if follows && last.appended_ms == now_ms {
                last.records += 1;
                return;
            }
        }
        if self.batches.iter().filter(|b| same(b)).count() == NUM_BATCHES_TO_RETAIN {
            let oldest = self.batches.iter().position(same).expect("counted");
            self.batches.remove(oldest);
        }
        self.batches.push(Batch { first: stamp, records: 1, first_offset: offset, appended_ms: now_ms });
    }

    /// The offset of the copy of `stamp`'s record among its producer's last batches, if any.
    pub fn find(&self, stamp: &ProducerSequence) -> Option<u64> {
        self.batches.iter().find_map(|b| {
            let same = b.first.producer_id == stamp.producer_id && b.first.producer_epoch == stamp.producer_epoch;
            let at = stamp.sequence.wrapping_sub(b.first.sequence);
            (same && at < b.records).then(|| b.first_offset + u64::from(at))
        })
    }

    /// Forgets the records at or after `offset`: a replica cut its log back there (Kafka reloads
    /// the state from a snapshot below the cut).
    pub(crate) fn truncate_from(&mut self, offset: u64) {
        self.batches.retain(|b| b.first_offset < offset);
        for b in &mut self.batches {
            b.records = b.records.min((offset - b.first_offset) as u32);
        }
    }
}
