//! The follower's side of a partition log: copying the leader's log and cutting back a log whose
//! history diverged.
//!
//! A follower fetches from its log end offset and appends what the leader sends, keeping the
//! leader's offsets (`UnifiedLog.appendAsFollower`). When it takes everything the leader has, its
//! log simply *is* the leader's log: the persistent vector is shared, nothing is copied, which is
//! how three replicas cost little more than one. A replica that returns after a change of leader
//! first truncates its log to where it agrees with the leader (`UnifiedLog.truncateTo`), found by
//! leader epoch ([`crate::leader_epoch`]).

use super::{PartitionLog, Segment};
use crate::topic::TopicConfig;

impl PartitionLog {
    /// Removes every record at or after `offset` (`UnifiedLog.truncateTo`): a replica cutting
    /// its log back to where it agrees with the leader. The high watermark and the epoch cache
    /// are cut with it. Returns how many offsets were cut off.
    ///
    /// Truncating at or past the end cuts no record, but still drops epochs that begin at the
    /// log end offset, as Kafka does: a broker that became leader (its epoch entered at its end)
    /// and lost the leadership before appending anything holds an epoch no record carries. Left
    /// in place, every fetch would name that epoch and be told it diverges, for ever.
    pub(crate) fn truncate_to(&mut self, offset: u64) -> u64 {
        if offset >= self.log_end_offset {
            self.epochs.truncate_from_end(self.log_end_offset);
            return 0;
        }
        let cut = self.log_end_offset - offset;
        if offset < self.log_start_offset {
            let mut producers = std::mem::take(&mut self.producers);
            producers.truncate_from(offset);
            *self = PartitionLog { epochs: self.epochs.prefix(offset), producers, ..PartitionLog::starting_at(self.partition, offset) };
            return cut;
        }
        self.records.truncate(self.lower_bound(offset));
        let start = self.log_start_offset;
        self.segments.retain(|s| s.base_offset < offset || s.base_offset == start);
        self.log_end_offset = offset;
        self.high_watermark = self.high_watermark.min(offset);
        self.cleaner_checkpoint = self.cleaner_checkpoint.min(offset);
        self.tombstone_horizons = self.tombstone_horizons.split(&offset).0;
        self.epochs.truncate_from_end(offset);
        self.producers.truncate_from(offset);
        self.recompute_segments();
        cut
    }

    /// An empty log whose next offset is `offset`.
    fn starting_at(partition: u32, offset: u64) -> PartitionLog {
        PartitionLog {
            segments: vec![Segment::empty(offset)],
            log_start_offset: offset,
            high_watermark: offset,
            log_end_offset: offset,
            cleaner_checkpoint: offset,
            ..PartitionLog::new(partition)
        }
    }

    /// A follower's copy of `leader`'s log up to `to`, learning `leader_hw` with it. When the
    /// follower takes everything the leader has, its log *is* the leader's (the persistent
    /// vector is shared, nothing is copied); otherwise it appends the fetched records to its own
    /// log, which agrees with the leader's below its end (the epochs were checked first), and
    /// takes the leader's log start offset. A fetch from below the leader's log start offset
    /// starts the follower's log afresh there.
    pub(crate) fn replicate_from(&mut self, leader: &PartitionLog, to: u64, leader_hw: u64, now_ms: u64, config: &TopicConfig) {
        let to = to.clamp(leader.log_start_offset, leader.log_end_offset);
        if to == leader.log_end_offset {
            let hw = self.high_watermark;
            *self = leader.clone();
            self.high_watermark = hw.min(to);
            // A follower learns an epoch from the records it carries: not the leader's entry
            // for an epoch that has written nothing yet (it begins at the log end offset).
            self.epochs.truncate_from_end(to);
        } else {
            if self.log_end_offset < leader.log_start_offset || self.log_end_offset > to {
                *self = PartitionLog::starting_at(self.partition, leader.log_start_offset);
            }
            for record in leader.range(self.log_end_offset, to) {
                self.push(record.clone(), config, now_ms);
            }
            self.log_end_offset = to;
            self.epochs = leader.epochs.prefix(to);
            self.follow_log_start(leader.log_start_offset);
        }
        self.raise_high_watermark(leader_hw);
    }

    /// A fetch response carries the leader's log start offset, and the follower moves its own up
    /// to it (`maybeIncrementLogStartOffset`), deleting what lies below: what retention deleted on
    /// the leader does not come back when this replica leads. Whole segments go; when the offset
    /// falls inside one (the replicas rolled segments at different offsets), only its records
    /// below the offset do, and the segment keeps its base offset, as in Kafka.
    fn follow_log_start(&mut self, offset: u64) {
        if offset <= self.log_start_offset {
            return;
        }
        let whole = (0..self.segments.len()).take_while(|&i| self.segment_end(i) <= offset).count();
        if whole > 0 {
            self.drop_oldest_segments(whole);
        }
        if offset > self.log_start_offset {
            self.records = self.records.skip(self.lower_bound(offset));
            self.log_start_offset = offset;
            self.cleaner_checkpoint = self.cleaner_checkpoint.max(offset);
            self.forget_horizons_below(offset);
            self.recompute_segments();
        }
    }

    /// Where a follower fetch from `from` ends: at least one record, then as many as fit in
    /// `max_bytes` (`replica.fetch.max.bytes`), up to the log end.
    pub(crate) fn fetch_end(&self, from: u64, max_bytes: u64) -> u64 {
        let mut bytes = 0;
        for record in self.range(from, self.log_end_offset) {
            bytes += record.size_bytes();
            if bytes > max_bytes && record.offset > from {
                return record.offset;
            }
        }
        self.log_end_offset.max(from)
    }
}
