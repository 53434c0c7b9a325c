//! Retention: how `cleanup.policy=delete` removes old data.
//!
//! Kafka never deletes single records. The broker's scheduled retention task
//! (`LogManager.cleanupLogs`, run every `log.retention.check.interval.ms`, 5 minutes by default;
//! not the log cleaner threads, which only compact) deletes whole *segments*, oldest first. It
//! applies the rules one after the other, as `UnifiedLog.deleteOldSegments` does, each deleting
//! oldest segments while the oldest breaks it:
//!
//! 1. **size**: the partition is larger than `retention.bytes` even without this segment;
//! 2. **time**: `now - segment.largestTimestamp > retention.ms`, where a segment without records
//!    (on `compact,delete` topics the cleaner can empty one) counts its last-modified time.
//!
//! Only segments entirely below the high watermark may go, so nothing a consumer has not been
//! allowed to see is deleted, and an empty last segment is never deleted
//! (`UnifiedLog.deletableSegments`); any other empty segment goes like a full one. The log start
//! offset moves to the base offset of the first surviving segment; offsets are never reused. A
//! consumer whose position fell below the new log start offset is *out of range* and
//! `auto.offset.reset` decides where it continues.

use serde::{Deserialize, Serialize};

use crate::log::PartitionLog;
use crate::topic::TopicConfig;

/// Which rule deleted the segments.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum RetentionRule {
    /// `retention.ms`
    Time,
    /// `retention.bytes`
    Size,
}

/// Segments deleted in one check: offsets `from..to` are gone, `to` is the new log start offset.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Deletion {
    pub rule: RetentionRule,
    pub segments: usize,
    pub from: u64,
    pub to: u64,
}

/// Applies the size rule, then the time rule, as `UnifiedLog.deleteOldSegments` does. Returns
/// what was deleted.
pub fn apply_retention(log: &mut PartitionLog, config: &TopicConfig, now_ms: u64) -> Vec<Deletion> {
    let mut deletions = Vec::new();
    let by_size = oversized_segments(log, config);
    push_deletion(log, by_size, RetentionRule::Size, &mut deletions);
    let by_time = expired_segments(log, config, now_ms);
    push_deletion(log, by_time, RetentionRule::Time, &mut deletions);
    deletions
}

fn push_deletion(log: &mut PartitionLog, count: usize, rule: RetentionRule, out: &mut Vec<Deletion>) {
    if count > 0 {
        let (from, to) = log.drop_oldest_segments(count);
        out.push(Deletion { rule, segments: count, from, to });
    }
}

/// A segment may be deleted when it ends at or below the high watermark, unless it is the last
/// segment and empty (`UnifiedLog.deletableSegments`). A closed segment that compaction emptied
/// is deletable: on a `compact,delete` topic it must not block the segments after it.
fn deletable(log: &PartitionLog, i: usize) -> bool {
    let segments = log.segments();
    let last_and_empty = i + 1 == segments.len() && segments[i].record_count == 0;
    !last_and_empty && log.segment_end(i) <= log.high_watermark()
}

/// How many of the oldest segments break `retention.ms`.
fn expired_segments(log: &PartitionLog, config: &TopicConfig, now_ms: u64) -> usize {
    if config.retention_ms < 0 {
        return 0;
    }
    let retention = config.retention_ms as u64;
    (0..log.segments().len())
        .take_while(|&i| {
            let expired = log.segments()[i]
                .retention_timestamp_ms()
                .is_some_and(|newest| now_ms.saturating_sub(newest) > retention);
            deletable(log, i) && expired
        })
        .count()
}

/// How many of the oldest segments can go while the rest still exceeds `retention.bytes`.
fn oversized_segments(log: &PartitionLog, config: &TopicConfig) -> usize {
    if config.retention_bytes < 0 {
        return 0;
    }
    let mut excess = log.size_bytes() as i64 - config.retention_bytes;
    (0..log.segments().len())
        .take_while(|&i| {
            let size = log.segments()[i].size_bytes as i64;
            let fits = deletable(log, i) && excess - size >= 0;
            if fits {
                excess -= size;
            }
            fits
        })
        .count()
}
