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

use crate::command::Command;
use crate::event::Event;
use crate::simulation::Simulation;

/// Most history steps (setup and steps, repeats expanded) a scenario may have: almost three hours
/// of 100 ms ticks.
pub const MAX_STEPS: usize = 100_000;
/// Most records a replay may append.
pub const MAX_RECORDS: u64 = 100_000;
/// Most partitions over all topics.
pub const MAX_TOTAL_PARTITIONS: u64 = 1_024;
/// Most topics, consumer groups and producers, each.
pub const MAX_NAMED: u64 = 64;
/// Most consumers started (each join rebalances its group).
pub const MAX_CONSUMERS: u64 = 256;
/// Most units of work a replay may do. A tick costs one unit per partition of the cluster, per
/// partition each group reads and per member (each member polls its partitions); a rebalance costs
/// its group's members times its partitions (the assignor's work). The fan-out preset costs 17
/// units a tick, so this allows it about 100,000 ticks (almost three hours), and stops a scenario
/// of 64 groups reading 1,024 partitions within a second instead of after minutes.
pub const MAX_WORK: u64 = 2_000_000;
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
    Work,
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
            Limit::Work => write!(f, "more consumer and partition work than {MAX_WORK} partition-ticks (many groups reading many partitions for a long time)"),
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
    work: u64,
    /// What one tick costs with the cluster as it is (recomputed when it changes).
    tick_cost: u64,
}

impl Budget {
    /// Counts what one command did: its events, the work of its tick and rebalances, and the log
    /// cleaner's scan if it ran.
    pub fn charge(&mut self, sim: &Simulation, command: &Command, events: &[Event]) -> Result<(), Limit> {
        for event in events {
            self.count(event);
            if let Event::RebalanceStarted { group, .. } = event {
                let g = sim.group(group);
                let members = g.map_or(0, |g| g.members.len() as u64);
                let partitions = g.map_or(0, |g| g.known_partitions.values().map(|&n| u64::from(n)).sum());
                self.work += 1 + members * partitions.max(1);
            }
        }
        let tick = matches!(command, Command::Tick);
        if !tick || events.iter().any(changes_tick_cost) {
            self.tick_cost = tick_cost(sim);
        }
        if tick {
            self.work += self.tick_cost;
        }
        if cleaner_ran(sim, command) {
            self.cleaner_scans += self.stored;
            self.work += self.partitions;
        }
        self.check()
    }

    /// Refuses a tick whose streams alone would pass the record limit, before it runs: one tick
    /// of 64 producers streaming 10,000 records a second with 1-second ticks would append 640,000.
    pub fn before(&self, sim: &Simulation, command: &Command) -> Result<(), Limit> {
        if !matches!(command, Command::Tick) {
            return Ok(());
        }
        let rate: u64 = sim.producers().values().map(|p| u64::from(p.stream.rate_per_sec)).sum();
        let due = rate * sim.clock().tick_ms() / 1000 + 1;
        if self.records + due > MAX_RECORDS {
            return Err(Limit::Records);
        }
        Ok(())
    }

    fn check(&self) -> Result<(), Limit> {
        let checks = [
            (self.records, MAX_RECORDS, Limit::Records),
            (self.partitions, MAX_TOTAL_PARTITIONS, Limit::Partitions),
            (self.topics, MAX_NAMED, Limit::Topics),
            (self.groups, MAX_NAMED, Limit::Groups),
            (self.producers, MAX_NAMED, Limit::Producers),
            (self.consumers, MAX_CONSUMERS, Limit::Consumers),
            (self.cleaner_scans, MAX_CLEANER_SCANS, Limit::CleanerScans),
            (self.work, MAX_WORK, Limit::Work),
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

/// Whether the log cleaner ran in the command just applied: a tick that crossed the broker's
/// retention check interval, or "Clean now".
fn cleaner_ran(sim: &Simulation, command: &Command) -> bool {
    match command {
        Command::Tick => sim.clock().crossed(sim.config().retention_check_interval_ms),
        Command::CleanLogs => true,
        _ => false,
    }
}

fn changes_tick_cost(event: &Event) -> bool {
    matches!(
        event,
        Event::RebalanceStarted { .. } | Event::RebalanceCompleted { .. } | Event::MemberRemoved { .. } | Event::PartitionsAssigned { .. } | Event::PartitionsRevoked { .. }
    )
}

/// One unit per partition of the cluster, per partition each group reads, and per member.
fn tick_cost(sim: &Simulation) -> u64 {
    let partitions: u64 = sim.topics().values().map(|t| u64::from(t.partition_count())).sum();
    let groups: u64 = sim.groups().values().map(|g| g.members.len() as u64 + g.known_partitions.values().map(|&n| u64::from(n)).sum::<u64>()).sum();
    1 + partitions + groups
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_limit_is_passed_by_counting_events() {
        let mut budget = Budget::default();
        let sim = Simulation::new(crate::SimConfig::default());
        let topic = |n| Event::TopicCreated { topic: "t".into(), partitions: n };
        assert_eq!(budget.charge(&sim, &Command::CleanLogs, &[topic(1_000)]), Ok(()));
        assert_eq!(budget.charge(&sim, &Command::CleanLogs, &[topic(100)]), Err(Limit::Partitions));
        assert!(Limit::Partitions.to_string().contains("1024 partitions"));
    }
}
