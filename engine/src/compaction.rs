//! Compaction: how `cleanup.policy=compact` keeps the latest record per key.
//!
//! A compacted topic is a changelog: for each key only the newest value matters (a user's current
//! profile, a product's current price). The log cleaner rewrites closed segments, dropping every
//! record for which a newer record with the same key exists. Offsets are preserved, so gaps
//! appear; consumers simply skip them. The active segment is never cleaned.
//!
//! The cleaner picks a log when the *dirty* share of its cleanable part (bytes written since the
//! last cleaning, the cleaner checkpoint) is strictly above `min.cleanable.dirty.ratio`
//! (`LogCleanerManager.grabFilthiestCompactedLog`). A record with a null value is a *tombstone*:
//! it deletes its key. A tombstone stays for `delete.retention.ms` after the cleaning that first
//! saw it, so consumers that are behind still learn of the delete, and the first cleaning after
//! that removes it (`LogCleaner.shouldRetainRecord`). An expired tombstone does not itself make a
//! log cleanable: on a quiet topic it lingers until new writes raise the dirty ratio. Keyless records are rejected by compacted topics at produce time
//! ("Compacted topic cannot accept message without key").
//!
//! Simplifications stated in the UI: cleaned segments are not merged, the cleaner runs on the
//! retention-check schedule of the simulated broker (Kafka's cleaner threads poll every
//! `log.cleaner.backoff.ms`), and `max.compaction.lag.ms` / `min.compaction.lag.ms` are not
//! modelled. [`crate::Command::CleanLogs`] is a "clean now" button Kafka does not have.

use std::collections::HashMap;

use serde::{Deserialize, Serialize};

use crate::log::PartitionLog;
use crate::topic::TopicConfig;

/// What one cleaning of a partition did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Compaction {
    /// Offsets of records removed because a newer record has the same key.
    pub superseded: Vec<u64>,
    /// Offsets of tombstones removed after their `delete.retention.ms` passed.
    pub tombstones_removed: Vec<u64>,
    /// Everything below this offset is clean now.
    pub cleaned_up_to: u64,
}

/// The dirty ratio of the cleanable part (closed segments wholly below the high watermark).
pub fn dirty_ratio(log: &PartitionLog) -> f64 {
    let upper = cleanable_upper(log);
    let (mut clean, mut dirty) = (0u64, 0u64);
    for record in log.range(0, upper) {
        if record.offset < log.cleaner_checkpoint {
            clean += record.size_bytes();
        } else {
            dirty += record.size_bytes();
        }
    }
    if clean + dirty == 0 {
        0.0
    } else {
        dirty as f64 / (clean + dirty) as f64
    }
}

/// Where cleaning stops: the cleaner never touches the active segment, nor the segment that holds
/// the high watermark (`LogCleanerManager.cleanableOffsets` rounded down to that segment's base,
/// as `calculateCleanableBytes` does), so it cleans whole segments only.
fn cleanable_upper(log: &PartitionLog) -> u64 {
    let (active, hw) = (log.active_segment().base_offset, log.high_watermark());
    if active <= hw {
        return active;
    }
    log.segments().iter().rev().map(|s| s.base_offset).find(|&base| base <= hw).unwrap_or(log.log_start_offset())
}

/// Whether the scheduled cleaner picks this log: its dirty ratio is strictly above
/// `min.cleanable.dirty.ratio` (`LogCleanerManager.grabFilthiestCompactedLog`). An expired
/// tombstone alone does not count: it waits for the next cleaning the ratio brings.
pub fn needs_cleaning(log: &PartitionLog, config: &TopicConfig) -> bool {
    dirty_ratio(log) > config.min_cleanable_dirty_ratio
}

/// Cleans the partition. The broker's schedule (`force = false`) cleans only a log whose dirty
/// ratio is above `min.cleanable.dirty.ratio`; `force` is the simulation's "clean now" button,
/// which runs a cleaning whenever there are dirty records or a tombstone past its
/// `delete.retention.ms` (Kafka has no such button; it is there to show a cleaning on demand).
/// Returns `None` when nothing ran.
pub fn compact(log: &mut PartitionLog, config: &TopicConfig, now_ms: u64, force: bool) -> Option<Compaction> {
    let upper = cleanable_upper(log);
    let chosen = if force {
        upper > log.cleaner_checkpoint || log.tombstone_horizons.values().any(|&h| now_ms >= h)
    } else {
        needs_cleaning(log, config)
    };
    if !chosen {
        return None;
    }
    let mut latest: HashMap<&[u8], u64> = HashMap::new();
    for record in log.range(0, upper) {
        if let Some(key) = record.key.as_deref() {
            latest.insert(key, record.offset);
        }
    }
    let latest: HashMap<Vec<u8>, u64> = latest.into_iter().map(|(k, v)| (k.to_vec(), v)).collect();
    let mut horizons = log.tombstone_horizons.clone();
    let mut tombstones_removed = Vec::new();
    let superseded = log.retain_below(upper, |record| {
        let Some(key) = record.key.as_deref() else { return true };
        if latest.get(key) != Some(&record.offset) {
            horizons.remove(&record.offset);
            return false;
        }
        if !record.is_tombstone() {
            return true;
        }
        match horizons.get(&record.offset) {
            Some(&horizon) if now_ms >= horizon => {
                horizons.remove(&record.offset);
                tombstones_removed.push(record.offset);
                false
            }
            Some(_) => true,
            None => {
                horizons.insert(record.offset, now_ms.saturating_add(config.delete_retention_ms));
                true
            }
        }
    });
    let superseded = superseded.into_iter().filter(|o| !tombstones_removed.contains(o)).collect();
    log.tombstone_horizons = horizons;
    log.cleaner_checkpoint = log.cleaner_checkpoint.max(upper);
    Some(Compaction { superseded, tombstones_removed, cleaned_up_to: upper })
}
