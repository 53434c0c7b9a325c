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
//! Simplifications stated on screen: a batch holds one record; the leader drops duplicates but
//! does not refuse gaps in the numbering (`OutOfOrderSequenceException` is not modelled); the
//! producer epoch stays 0 (no transactions, no epoch bumps).

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

/// Batches per producer the leader remembers for duplicate detection.
pub const NUM_BATCHES_TO_RETAIN: usize = 5;

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

/// What a partition log remembers of each idempotent producer: the sequence stamps and offsets
/// of its last [`NUM_BATCHES_TO_RETAIN`] batches (`ProducerStateEntry`). Kept beside the records,
/// not read from them, so deleting or compacting records leaves it whole. A handful of producers
/// write to a partition here, so one short list serves them all, oldest batch first.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ProducerStates {
    last_batches: Vec<(ProducerSequence, u64)>,
}

impl ProducerStates {
    /// Notes a batch written at `offset`; the producer's oldest batch beyond the last five is
    /// forgotten.
    pub(crate) fn record(&mut self, stamp: ProducerSequence, offset: u64) {
        let same = |s: &&(ProducerSequence, u64)| s.0.producer_id == stamp.producer_id;
        if self.last_batches.iter().filter(same).count() == NUM_BATCHES_TO_RETAIN {
            let oldest = self.last_batches.iter().position(|s| same(&s)).expect("counted");
            self.last_batches.remove(oldest);
        }
        self.last_batches.push((stamp, offset));
    }

    /// The offset of the copy of `stamp`'s batch among its producer's last batches, if any.
    pub fn find(&self, stamp: &ProducerSequence) -> Option<u64> {
        self.last_batches.iter().find(|(s, _)| s == stamp).map(|&(_, offset)| offset)
    }

    /// Forgets the batches at or after `offset`: a replica cut its log back there (Kafka reloads
    /// the state from a snapshot below the cut).
    pub(crate) fn truncate_from(&mut self, offset: u64) {
        self.last_batches.retain(|&(_, o)| o < offset);
    }
}
