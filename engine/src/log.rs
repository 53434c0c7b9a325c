//! The partition log: an append-only sequence of records, addressed by offset.
//!
//! Each partition is a log. A new record always goes at the end and gets the next offset, the
//! *log end offset* (LEO); offsets are consecutive when written and never reused. Three numbers
//! describe a partition (`log start offset <= high watermark <= log end offset`):
//!
//! - **log start offset**: the first offset still stored; retention moves it forward.
//! - **high watermark** (HW): consumers only see records below it. It trails the LEO until every
//!   in-sync replica has the records (see [`crate::partition`]); the log itself never moves it on
//!   append, the partition's replication rules do.
//! - **log end offset**: the offset the next append gets.
//!
//! Every replica of a partition has such a log. A follower's log is a copy of the leader's up to
//! the offset it fetched, and a replica whose history parted from the leader's is cut back first
//! (see `log/follower.rs` and [`crate::leader_epoch`]).
//!
//! On disk a log is a list of *segments*; the last is the *active* segment that takes appends. A new
//! segment is rolled when the active one would exceed `segment.bytes`, or when the new record's
//! timestamp is more than `segment.ms` after the segment's first (`LogSegment.shouldRoll`, no
//! `segment.jitter.ms`). Retention deletes and compaction rewrites whole *closed* segments, which is why the
//! segment sizes matter for when old data disappears.
//!
//! Records are kept in a persistent vector (`imbl`) so that cloning a log for the step-back history
//! shares all unchanged records instead of copying them; a record's payload is reference-counted,
//! so even a copied chunk of the vector copies no keys or values.

mod follower;

use imbl::{OrdMap, Vector};
use serde::{Deserialize, Serialize};

use crate::idempotence::ProducerStates;
use crate::leader_epoch::LeaderEpochCache;
use crate::record::Record;
use crate::topic::TopicConfig;

/// Bookkeeping of one segment; its records are those with offsets from `base_offset` up to the next
/// segment's base offset.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Segment {
    pub base_offset: u64,
    pub size_bytes: u64,
    pub record_count: u64,
    /// Timestamp of the first record: `segment.ms` is measured from it.
    pub first_timestamp_ms: Option<u64>,
    /// Largest record timestamp: time-based retention compares `retention.ms` against it.
    pub largest_timestamp_ms: Option<u64>,
    /// Broker time of the last append: the segment file's last-modified time. Compaction keeps it
    /// (`LogCleaner.cleanSegments` copies it onto the cleaned segment), so a segment the cleaner
    /// emptied still has a time for retention to measure (`LogSegment.largestTimestamp`).
    pub last_modified_ms: Option<u64>,
}

impl Segment {
    fn empty(base_offset: u64) -> Segment {
        Segment {
            base_offset,
            size_bytes: 0,
            record_count: 0,
            first_timestamp_ms: None,
            largest_timestamp_ms: None,
            last_modified_ms: None,
        }
    }

    /// The time `retention.ms` is measured from (`LogSegment.largestTimestamp`): the largest
    /// record timestamp, or, for a segment without records, its last-modified time.
    pub fn retention_timestamp_ms(&self) -> Option<u64> {
        self.largest_timestamp_ms.or(self.last_modified_ms)
    }

    /// The same segment without records, keeping its last-modified time.
    fn emptied(&self) -> Segment {
        Segment { last_modified_ms: self.last_modified_ms, ..Segment::empty(self.base_offset) }
    }

    fn add(&mut self, record: &Record) {
        self.size_bytes += record.size_bytes();
        self.record_count += 1;
        self.first_timestamp_ms.get_or_insert(record.timestamp_ms);
        self.largest_timestamp_ms = Some(
            self.largest_timestamp_ms
                .map_or(record.timestamp_ms, |t| t.max(record.timestamp_ms)),
        );
    }
}

/// One partition's log.
#[derive(Debug, Clone, PartialEq)]
pub struct PartitionLog {
    partition: u32,
    records: Vector<Record>,
    /// Never empty; the last one is the active segment.
    segments: Vec<Segment>,
    log_start_offset: u64,
    high_watermark: u64,
    log_end_offset: u64,
    /// Compaction: offsets below this were cleaned already (the cleaner checkpoint).
    pub(crate) cleaner_checkpoint: u64,
    /// Compaction: offset of a tombstone -> time after which a cleaning may remove it.
    pub(crate) tombstone_horizons: OrdMap<u64, u64>,
    /// Which leader epoch wrote which offsets.
    pub(crate) epochs: LeaderEpochCache,
    /// The last batches of each idempotent producer, for spotting a retry's duplicate.
    pub(crate) producers: ProducerStates,
}

/// What an append did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Appended {
    pub offset: u64,
    /// Base offset of the new active segment, when the append rolled one.
    pub rolled_segment: Option<u64>,
}

impl PartitionLog {
    pub fn new(partition: u32) -> PartitionLog {
        PartitionLog {
            partition,
            records: Vector::new(),
            segments: vec![Segment::empty(0)],
            log_start_offset: 0,
            high_watermark: 0,
            log_end_offset: 0,
            cleaner_checkpoint: 0,
            tombstone_horizons: OrdMap::new(),
            epochs: LeaderEpochCache::default(),
            producers: ProducerStates::default(),
        }
    }

    pub fn partition(&self) -> u32 {
        self.partition
    }
    pub fn log_start_offset(&self) -> u64 {
        self.log_start_offset
    }
    pub fn high_watermark(&self) -> u64 {
        self.high_watermark
    }
    pub fn log_end_offset(&self) -> u64 {
        self.log_end_offset
    }
    pub fn segments(&self) -> &[Segment] {
        &self.segments
    }
    /// Which leader epoch wrote which offsets of this log.
    pub fn leader_epochs(&self) -> &LeaderEpochCache {
        &self.epochs
    }
    /// The last batches of each idempotent producer this log has taken.
    pub fn producer_states(&self) -> &ProducerStates {
        &self.producers
    }
    /// Base offsets of the segments that begin at or after `offset`, oldest first (the last is
    /// the active segment's). Walks back from the active segment only as far as needed.
    pub fn segment_starts_from(&self, offset: u64) -> Vec<u64> {
        let mut starts: Vec<u64> = self.segments.iter().rev().map(|s| s.base_offset).take_while(|&b| b >= offset).collect();
        starts.reverse();
        starts
    }

    pub fn active_segment(&self) -> &Segment {
        self.segments.last().expect("a log always has an active segment")
    }
    /// Whether a consumer may be positioned at `offset`: from the log start offset up to and
    /// including the log end offset (the next offset to be written). Outside it is out of range.
    pub fn is_valid_position(&self, offset: u64) -> bool {
        (self.log_start_offset..=self.log_end_offset).contains(&offset)
    }

    /// Records still stored (retention and compaction remove some).
    pub fn len(&self) -> usize {
        self.records.len()
    }
    pub fn is_empty(&self) -> bool {
        self.records.is_empty()
    }
    /// Bytes stored, as [`Record::size_bytes`] counts them.
    pub fn size_bytes(&self) -> u64 {
        self.segments.iter().map(|s| s.size_bytes).sum()
    }

    /// Appends a record at broker time `now_ms`, giving it the log end offset. The record's
    /// `offset` and `partition` are overwritten: the log, not the producer, decides them.
    pub fn append(&mut self, mut record: Record, config: &TopicConfig, now_ms: u64) -> Appended {
        let offset = self.log_end_offset;
        record.offset = offset;
        record.partition = self.partition;
        let rolled_segment = self.push(record, config, now_ms);
        Appended { offset, rolled_segment }
    }

    /// Stores a record at its own offset (a follower keeps the leader's offsets, gaps included).
    pub(super) fn push(&mut self, record: Record, config: &TopicConfig, now_ms: u64) -> Option<u64> {
        let rolled_segment = self.maybe_roll(&record, config);
        let active = self.segments.last_mut().expect("active segment");
        active.add(&record);
        active.last_modified_ms = Some(now_ms);
        self.log_end_offset = record.offset + 1;
        if let Some(stamp) = record.sequence {
            self.producers.record(stamp, record.offset, now_ms);
        }
        self.records.push_back(record);
        rolled_segment
    }

    /// Moves the high watermark up to `offset` (never past the log end, never down): the
    /// leader's `maybeIncrementHighWatermark`, and a follower learning the leader's HW. Returns
    /// the old value when it moved.
    pub(crate) fn raise_high_watermark(&mut self, offset: u64) -> Option<u64> {
        let offset = offset.min(self.log_end_offset);
        (offset > self.high_watermark).then(|| std::mem::replace(&mut self.high_watermark, offset))
    }

    fn maybe_roll(&mut self, record: &Record, config: &TopicConfig) -> Option<u64> {
        let active = self.active_segment();
        if active.record_count == 0 {
            return None;
        }
        // `LogSegment.shouldRoll` with no jitter: the time waited (this record's timestamp minus
        // the segment's first) must be strictly more than `segment.ms`.
        let too_big = active.size_bytes + record.size_bytes() > config.segment_bytes;
        let too_old = active
            .first_timestamp_ms
            .is_some_and(|first| record.timestamp_ms.saturating_sub(first) > config.segment_ms);
        if !(too_big || too_old) {
            return None;
        }
        self.segments.push(Segment::empty(record.offset));
        Some(record.offset)
    }

    /// Index in `records` of the first record with offset `>= offset`. Offsets are consecutive
    /// until compaction leaves gaps, so the index is first guessed from the first offset.
    fn lower_bound(&self, offset: u64) -> usize {
        let (Some(first), Some(last)) = (self.records.front(), self.records.back()) else { return 0 };
        if offset <= first.offset {
            return 0;
        }
        if offset > last.offset {
            return self.records.len();
        }
        let guess = (offset - first.offset) as usize;
        if self.records.get(guess).is_some_and(|r| r.offset == offset) {
            return guess;
        }
        match self.records.binary_search_by(|r| r.offset.cmp(&offset)) {
            Ok(i) | Err(i) => i,
        }
    }

    /// The record at `offset`, if it is still stored (compaction leaves gaps).
    pub fn get(&self, offset: u64) -> Option<&Record> {
        let i = self.lower_bound(offset);
        self.records.get(i).filter(|r| r.offset == offset)
    }

    /// Stored records with offsets in `from..to`, in offset order.
    pub fn range(&self, from: u64, to: u64) -> impl DoubleEndedIterator<Item = &Record> + '_ {
        let start = self.lower_bound(from);
        let end = self.lower_bound(to).max(start);
        self.records.focus().narrow(start..end).into_iter()
    }

    /// Up to `max` stored records at or after `from` and below the high watermark: what a fetch
    /// from `from` returns.
    pub fn fetch(&self, from: u64, max: usize) -> impl Iterator<Item = &Record> + '_ {
        self.range(from, self.high_watermark).take(max)
    }

    /// All stored records in offset order.
    pub fn records(&self) -> impl Iterator<Item = &Record> + '_ {
        self.records.iter()
    }

    /// Upper offset bound of segment `i` (next segment's base, or the LEO for the active one).
    pub(crate) fn segment_end(&self, i: usize) -> u64 {
        self.segments
            .get(i + 1)
            .map_or(self.log_end_offset, |s| s.base_offset)
    }

    /// Removes the first `count` segments with their records, rolling a fresh active segment if
    /// none is left. The log start offset moves to the first surviving segment.
    pub(crate) fn drop_oldest_segments(&mut self, count: usize) -> (u64, u64) {
        let from = self.log_start_offset;
        let until = self.segment_end(count - 1);
        let cut = self.lower_bound(until);
        self.records = self.records.skip(cut);
        self.segments.drain(..count);
        if self.segments.is_empty() {
            self.segments.push(Segment::empty(self.log_end_offset));
        }
        self.log_start_offset = self.segments[0].base_offset;
        self.cleaner_checkpoint = self.cleaner_checkpoint.max(self.log_start_offset);
        self.forget_horizons_below(until);
        (from, self.log_start_offset)
    }

    /// Drops the tombstone horizons of offsets below `offset` (a tombstone at `offset` keeps its own).
    pub(crate) fn forget_horizons_below(&mut self, offset: u64) {
        let (_, at, mut above) = std::mem::take(&mut self.tombstone_horizons).split_lookup(&offset);
        if let Some(horizon) = at {
            above.insert(offset, horizon);
        }
        self.tombstone_horizons = above;
    }

    /// Keeps only the records below `upper` for which `keep` says yes; records at or above `upper`
    /// are untouched. Segment statistics are recomputed; segment base offsets stay.
    pub(crate) fn retain_below(&mut self, upper: u64, mut keep: impl FnMut(&Record) -> bool) -> Vec<u64> {
        let split = self.lower_bound(upper);
        let tail = self.records.clone().split_off(split);
        let mut removed = Vec::new();
        let mut kept = Vector::new();
        for record in self.records.iter().take(split) {
            if keep(record) {
                kept.push_back(record.clone());
            } else {
                removed.push(record.offset);
            }
        }
        kept.append(tail);
        self.records = kept;
        self.recompute_segments();
        removed
    }

    /// Recounts each segment from its remaining records. A segment's last-modified time stays, as
    /// the cleaner keeps it on the segment it writes, even when no record is left.
    fn recompute_segments(&mut self) {
        let mut i = 0;
        for segment in &mut self.segments {
            *segment = segment.emptied();
        }
        for record in self.records.iter() {
            while i + 1 < self.segments.len() && record.offset >= self.segments[i + 1].base_offset {
                i += 1;
            }
            self.segments[i].add(record);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::record::TimestampType;

    fn record(ts: u64, value: &str) -> Record {
        Record {
            partition: 99,
            offset: 99,
            timestamp_ms: ts,
            timestamp_type: TimestampType::CreateTime,
            key: None,
            value: Some(bytes::Bytes::copy_from_slice(value.as_bytes())),
            headers: vec![],
            sequence: None,
        }
    }

    #[test]
    fn appends_get_consecutive_offsets_and_only_the_high_watermark_makes_them_visible() {
        let mut log = PartitionLog::new(2);
        let config = TopicConfig::default();
        for i in 0..5 {
            assert_eq!(log.append(record(i, "v"), &config, i).offset, i);
        }
        // Appending moves the LEO; the HW waits for the replication rules.
        assert_eq!((log.log_start_offset(), log.high_watermark(), log.log_end_offset()), (0, 0, 5));
        assert_eq!(log.fetch(0, 10).count(), 0, "nothing is visible below a HW of 0");
        assert_eq!(log.raise_high_watermark(9), Some(0));
        assert_eq!(log.high_watermark(), 5, "the HW never passes the LEO");
        assert_eq!(log.raise_high_watermark(3), None, "the HW never goes down");
        assert_eq!(log.get(3).unwrap().partition, 2);
        let fetched: Vec<u64> = log.fetch(1, 2).map(|r| r.offset).collect();
        assert_eq!(fetched, vec![1, 2]);
    }

    #[test]
    fn rolls_a_segment_when_segment_bytes_would_be_exceeded() {
        let mut log = PartitionLog::new(0);
        let config = TopicConfig { segment_bytes: 10, ..TopicConfig::default() };
        let rolls: Vec<Option<u64>> =
            (0..4).map(|i| log.append(record(i, "abcd"), &config, i).rolled_segment).collect();
        // 4 + 4 = 8 fits, 8 + 4 = 12 does not.
        assert_eq!(rolls, vec![None, None, Some(2), None]);
        assert_eq!(log.segments().len(), 2);
        assert_eq!(log.segments()[1].base_offset, 2);
    }

    #[test]
    fn rolls_a_segment_when_segment_ms_has_passed() {
        let mut log = PartitionLog::new(0);
        let config = TopicConfig { segment_ms: 100, ..TopicConfig::default() };
        log.append(record(0, "a"), &config, 0);
        assert_eq!(log.append(record(100, "b"), &config, 100).rolled_segment, None);
        assert_eq!(log.append(record(101, "c"), &config, 101).rolled_segment, Some(2));
    }
}
