//! The replay budget: how much work a scenario from a file or a link may ask for.
//!
//! A scenario is replayed in full when it is opened, in the browser's only thread. Each command
//! is checked by the engine, but a list of valid commands can still ask for too much: thousands of
//! topics of 1,024 partitions, a stream at 10,000 records per second ticked for hours, thousands of
//! consumers rebalancing. The budget counts what the replay has built so far, from the events
//! each command reports, and stops the replay with a sentence once a limit is passed, so a hostile
//! link cannot freeze the page or exhaust its memory.
//!
//! The limits are far above what a lecture needs (the presets and lessons use a few percent of
//! them) and apply only to opening a scenario: a lecturer who keeps a stream running for an hour
//! is not stopped, but a link to that session may be refused.

use std::fmt;

use crate::event::Event;

/// Most history steps (setup and steps, repeats expanded) a scenario may have: almost three hours
/// of 100 ms ticks.
pub const MAX_STEPS: usize = 100_000;
/// Most records a replay may append.
pub const MAX_RECORDS: u64 = 200_000;
/// Most partitions over all topics.
pub const MAX_TOTAL_PARTITIONS: u64 = 1_024;
/// Most topics, consumer groups and producers, each.
pub const MAX_NAMED: u64 = 64;
/// Most consumers started (each join rebalances its group).
pub const MAX_CONSUMERS: u64 = 256;
/// Most stored records the log cleaner may scan, summed over its runs: the cleaner reads every
/// record of a compacted partition each time it checks its dirty ratio.
pub const MAX_CLEANER_SCANS: u64 = 20_000_000;

/// Which limit a replay passed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Limit {
    Records,
    Partitions,
    Topics,
    Groups,
    Producers,
    Consumers,
    CleanerScans,
}

impl fmt::Display for Limit {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Limit::Records => write!(f, "more than {MAX_RECORDS} records"),
            Limit::Partitions => write!(f, "more than {MAX_TOTAL_PARTITIONS} partitions in all"),
            Limit::Topics => write!(f, "more than {MAX_NAMED} topics"),
            Limit::Groups => write!(f, "more than {MAX_NAMED} consumer groups"),
            Limit::Producers => write!(f, "more than {MAX_NAMED} producers"),
            Limit::Consumers => write!(f, "more than {MAX_CONSUMERS} consumers started"),
            Limit::CleanerScans => write!(f, "log cleaning over more than {MAX_CLEANER_SCANS} stored records in all"),
        }
    }
}

/// What a replay has used so far.
#[derive(Debug, Clone, Default)]
pub struct Budget {
    records: u64,
    stored: u64,
    partitions: u64,
    topics: u64,
    groups: u64,
    producers: u64,
    consumers: u64,
    cleaner_scans: u64,
}

impl Budget {
    /// Counts one command's events; `cleaned` says the log cleaner ran in it (a retention check
    /// fell due, or `CleanLogs`).
    pub fn charge(&mut self, events: &[Event], cleaned: bool) -> Result<(), Limit> {
        for event in events {
            self.count(event);
        }
        if cleaned {
            self.cleaner_scans += self.stored;
        }
        let checks = [
            (self.records, MAX_RECORDS, Limit::Records),
            (self.partitions, MAX_TOTAL_PARTITIONS, Limit::Partitions),
            (self.topics, MAX_NAMED, Limit::Topics),
            (self.groups, MAX_NAMED, Limit::Groups),
            (self.producers, MAX_NAMED, Limit::Producers),
            (self.consumers, MAX_CONSUMERS, Limit::Consumers),
            (self.cleaner_scans, MAX_CLEANER_SCANS, Limit::CleanerScans),
        ];
        match checks.into_iter().find(|(used, max, _)| used > max) {
            Some((_, _, limit)) => Err(limit),
            None => Ok(()),
        }
    }

    fn count(&mut self, event: &Event) {
        match event {
            Event::Appended { .. } => {
                self.records += 1;
                self.stored += 1;
            }
            Event::TopicCreated { partitions, .. } => {
                self.topics += 1;
                self.partitions += u64::from(*partitions);
            }
            Event::PartitionsAdded { from, to, .. } => self.partitions += u64::from(to.saturating_sub(*from)),
            Event::GroupCreated { .. } => self.groups += 1,
            Event::ProducerStarted { .. } => self.producers += 1,
            Event::MemberJoined { .. } => self.consumers += 1,
            Event::SegmentsDeleted { deletion, .. } => self.stored = self.stored.saturating_sub(deletion.to.saturating_sub(deletion.from)),
            Event::Compacted { compaction, .. } => {
                let removed = compaction.superseded.len() + compaction.tombstones_removed.len();
                self.stored = self.stored.saturating_sub(removed as u64);
            }
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_limit_is_passed_by_counting_events() {
        let mut budget = Budget::default();
        let topic = |n| Event::TopicCreated { topic: "t".into(), partitions: n };
        assert_eq!(budget.charge(&[topic(1_000)], false), Ok(()));
        assert_eq!(budget.charge(&[topic(100)], false), Err(Limit::Partitions));
        assert!(Limit::Partitions.to_string().contains("1024 partitions"));
    }
}
