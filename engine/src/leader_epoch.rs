//! Leader epochs: which leader wrote which stretch of a partition's log, and how a replica finds
//! where its history parted from the leader's.
//!
//! Every change of leader increments the partition's *leader epoch*. Each replica keeps a small
//! cache of `(epoch, start offset)` pairs: from `start offset` on, its records were written by the
//! leader of `epoch` (`LeaderEpochFileCache`; a new leader adds its entry when it takes over,
//! `UnifiedLog.maybeAssignEpochStartOffset`). Followers copy the entries with the records.
//!
//! Offsets alone cannot tell two histories apart: after an `acks=1` leader died, its log and the
//! new leader's log both have an offset 5, holding different records. The epochs can. A returning
//! replica sends its latest epoch with its fetch; the leader answers with the end offset of that
//! epoch in its own log (`LeaderEpochFileCache.endOffsetFor`: the start of the next epoch it
//! knows). If the replica has records at or past that offset, or the leader never had the epoch,
//! the replica truncates to where both agree and fetches forward from there (KIP-101, KIP-279;
//! `AbstractFetcherThread.getOffsetTruncationState`).
//!
//! Simplification stated on screen: Kafka may need several fetch round trips when the replica
//! lacks an epoch the leader names; here the whole exchange completes in one.

use serde::{Deserialize, Serialize};

/// From `start_offset` on, records were written by the leader of `epoch`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct EpochEntry {
    pub epoch: u32,
    pub start_offset: u64,
}

/// One replica's leader-epoch cache, oldest epoch first; epochs and start offsets both increase.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct LeaderEpochCache {
    entries: Vec<EpochEntry>,
}

impl LeaderEpochCache {
    pub fn entries(&self) -> &[EpochEntry] {
        &self.entries
    }

    /// The newest epoch that wrote (or took over) this log.
    pub fn latest_epoch(&self) -> Option<u32> {
        self.entries.last().map(|e| e.epoch)
    }

    /// Records that the leader of `epoch` writes from `start_offset` on (`assign`). Entries the
    /// new one contradicts, with an epoch or a start offset not below it, are dropped first, so
    /// the cache stays monotonic (`maybeTruncateNonMonotonicEntries`).
    pub fn assign(&mut self, epoch: u32, start_offset: u64) {
        if self.entries.last().is_some_and(|e| e.epoch == epoch && e.start_offset <= start_offset) {
            return;
        }
        self.entries.retain(|e| e.epoch < epoch && e.start_offset < start_offset);
        self.entries.push(EpochEntry { epoch, start_offset });
    }

    /// `endOffsetFor`: the largest epoch at or below `requested` this log knows, and the offset
    /// where that epoch ended here (the start of the next epoch, or `log_end_offset` for the
    /// latest). `None` when the log knows no epoch after `requested` and not `requested` itself.
    pub fn end_offset_for(&self, requested: u32, log_end_offset: u64) -> Option<(u32, u64)> {
        if self.latest_epoch() == Some(requested) {
            return Some((requested, log_end_offset));
        }
        let higher = self.entries.iter().find(|e| e.epoch > requested)?;
        let floor = self.entries.iter().rev().find(|e| e.epoch <= requested);
        Some((floor.map_or(requested, |e| e.epoch), higher.start_offset))
    }

    /// Drops the entries that start at or after `offset` (`truncateFromEnd`).
    pub fn truncate_from_end(&mut self, offset: u64) {
        self.entries.retain(|e| e.start_offset < offset);
    }

    /// The entries a copy of this log up to `offset` has.
    pub fn prefix(&self, offset: u64) -> LeaderEpochCache {
        LeaderEpochCache { entries: self.entries.iter().copied().filter(|e| e.start_offset < offset).collect() }
    }
}

/// Where a follower whose log ends at `follower_end` must truncate to so that its log is a prefix
/// of the leader's: the exchange of `AbstractFetcherThread.getOffsetTruncationState`, repeated
/// until the epochs agree. Returns `follower_end` when nothing diverges.
pub fn truncation_offset(follower: &LeaderEpochCache, follower_end: u64, leader: &LeaderEpochCache, leader_end: u64) -> u64 {
    let mut end = follower_end;
    let mut cache = follower.clone();
    // Each round either finishes or drops at least one follower epoch.
    for _ in 0..=follower.entries.len() {
        let Some(requested) = cache.latest_epoch() else { return end };
        let Some((leader_epoch, leader_offset)) = leader.end_offset_for(requested, leader_end) else { return end };
        match cache.end_offset_for(leader_epoch, end) {
            Some((epoch, offset)) if epoch == leader_epoch => return offset.min(leader_offset).min(end),
            // The follower does not know the leader's epoch: cut back to the end of its largest
            // smaller epoch and ask again.
            Some((_, offset)) => end = end.min(offset),
            None => return leader_offset.min(end),
        }
        cache.truncate_from_end(end);
        if cache.latest_epoch() == Some(requested) {
            cache.entries.pop();
        }
    }
    end
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cache(entries: &[(u32, u64)]) -> LeaderEpochCache {
        let mut c = LeaderEpochCache::default();
        for &(epoch, start) in entries {
            c.assign(epoch, start);
        }
        c
    }

    #[test]
    fn end_offset_for_an_older_epoch_is_the_start_of_the_next() {
        let c = cache(&[(0, 0), (2, 5), (4, 9)]);
        assert_eq!(c.end_offset_for(4, 12), Some((4, 12)));
        assert_eq!(c.end_offset_for(2, 12), Some((2, 9)));
        // Epoch 3 was never written here: the largest below it is 2, which ended at 9.
        assert_eq!(c.end_offset_for(3, 12), Some((2, 9)));
        assert_eq!(c.end_offset_for(5, 12), None);
    }

    #[test]
    fn assign_drops_entries_a_new_leader_contradicts() {
        let c = cache(&[(0, 0), (1, 5), (2, 5)]);
        assert_eq!(c.entries(), &[EpochEntry { epoch: 0, start_offset: 0 }, EpochEntry { epoch: 2, start_offset: 5 }]);
    }

    #[test]
    fn an_acks_1_record_the_new_leader_never_had_is_truncated() {
        // The old leader (epoch 0) wrote offsets 0..6; the new leader of epoch 1 had only 0..5.
        let old = cache(&[(0, 0)]);
        let new = cache(&[(0, 0), (1, 5)]);
        assert_eq!(truncation_offset(&old, 6, &new, 7), 5);
        // A follower that already agrees keeps everything.
        assert_eq!(truncation_offset(&new.prefix(7), 7, &new, 9), 7);
    }

    #[test]
    fn a_follower_with_an_epoch_the_leader_never_had_goes_back_further() {
        // Follower: epoch 0 at 0, epoch 2 at 4 (it led briefly); leader: epoch 0, then 3 at 3.
        let follower = cache(&[(0, 0), (2, 4)]);
        let leader = cache(&[(0, 0), (3, 3)]);
        assert_eq!(truncation_offset(&follower, 6, &leader, 8), 3);
    }
}
