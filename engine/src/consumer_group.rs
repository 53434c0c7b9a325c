//! Consumer groups: members sharing the work of reading topics, with their own committed offsets.
//!
//! A group is identified by `group.id` (`sms-notification-service`). Its members split the
//! subscribed partitions between them (each partition read by exactly one member), and the group
//! keeps one committed offset per partition. Another group reading the same topic has its own
//! offsets and gets every record again: that is publish/subscribe fan-out.
//!
//! Membership changes trigger a *rebalance* (see [`crate::rebalance`]): a join, a graceful leave,
//! a crash noticed after `session.timeout.ms` without heartbeats, a subscription change, or a
//! partition-count change noticed at a metadata refresh ([`crate::metadata`]). Joining, leaving,
//! crashing and static members are in [`crate::membership`].
//!
//! Lag, per partition, is the high watermark minus the committed offset: what tools such as
//! `kafka-consumer-groups.sh` and kafka-ui show.
//!
//! Follows the classic group coordinator (`ClassicGroup`, `GroupMetadataManager`) for membership
//! and committed offsets, and `ConsumerGroupCommand.collectGroupsOffsets` for lag.

use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};

use crate::assignor::{AssignorKind, TopicPartition};
use crate::consumer::{Batch, BatchStage, FetchedRange, Member};
use crate::error::EngineError;
use crate::event::{Event, RebalanceReason};
use crate::rebalance::JoinPhase;
use crate::topic::{log_of, readable_log_of, Topics};

/// How the application commits offsets.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub enum CommitMode {
    /// `enable.auto.commit=true`: positions committed by `poll()` every interval.
    #[default]
    AutoCommit,
    /// Manual, after processing: at-least-once.
    ProcessThenCommit,
    /// Manual, before processing: at-most-once.
    CommitThenProcess,
}

impl crate::setting::Setting for CommitMode {
    const ALL: &'static [CommitMode] = &[CommitMode::AutoCommit, CommitMode::ProcessThenCommit, CommitMode::CommitThenProcess];
    fn name(self) -> &'static str {
        match self {
            CommitMode::AutoCommit => "auto-commit (enable.auto.commit=true)",
            CommitMode::ProcessThenCommit => "process, then commit (at-least-once)",
            CommitMode::CommitThenProcess => "commit, then process (at-most-once)",
        }
    }
}

/// `auto.offset.reset`: where to start without a usable committed offset.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub enum OffsetReset {
    Earliest,
    /// Kafka's default: only records produced from now on.
    #[default]
    Latest,
    /// Fail (`NoOffsetForPartitionException`).
    None,
}

impl crate::setting::Setting for OffsetReset {
    const ALL: &'static [OffsetReset] = &[OffsetReset::Earliest, OffsetReset::Latest, OffsetReset::None];
    /// The config value.
    fn name(self) -> &'static str {
        match self {
            OffsetReset::Earliest => "earliest",
            OffsetReset::Latest => "latest",
            OffsetReset::None => "none",
        }
    }
}

/// A group's consumer configuration, with Kafka's names and defaults.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct GroupConfig {
    /// `partition.assignment.strategy` (the Java default list runs Range).
    pub assignor: AssignorKind,
    pub commit_mode: CommitMode,
    /// `auto.offset.reset`
    pub auto_offset_reset: OffsetReset,
    /// `session.timeout.ms` (45 s); the broker accepts 6 s to 30 min by default (see
    /// [`GroupConfig::validate`]).
    pub session_timeout_ms: u64,
    /// `auto.commit.interval.ms` (5 s)
    pub auto_commit_interval_ms: u64,
    /// `max.poll.records` (500)
    pub max_poll_records: u32,
    /// How many records per simulated second each instance's application can process; `None`
    /// is as fast as it polls. A slow group builds lag when producers outpace it. (An
    /// application property, not a Kafka setting.)
    pub processing_rate: Option<u32>,
}

impl Default for GroupConfig {
    fn default() -> Self {
        GroupConfig {
            assignor: AssignorKind::Range,
            commit_mode: CommitMode::AutoCommit,
            auto_offset_reset: OffsetReset::Latest,
            session_timeout_ms: 45_000,
            auto_commit_interval_ms: 5_000,
            max_poll_records: 500,
            processing_rate: None,
        }
    }
}

/// Fastest processing rate a group may be given, records per second per instance.
pub const MAX_PROCESSING_RATE: u32 = 10_000;

/// Refuses a processing rate no application could have here.
pub fn check_processing_rate(rate: Option<u32>) -> Result<(), crate::error::EngineError> {
    match rate {
        Some(r) if r > MAX_PROCESSING_RATE => Err(crate::error::EngineError::InvalidConfig {
            name: "processing rate".into(),
            reason: format!("at most {MAX_PROCESSING_RATE} records per second per instance; leave it empty for as fast as it polls"),
        }),
        _ => Ok(()),
    }
}

impl GroupConfig {
    /// The coordinator's check when a consumer joins (`GroupCoordinatorService.joinGroup`): its
    /// `session.timeout.ms` must lie within the broker's `group.min.session.timeout.ms` and
    /// `group.max.session.timeout.ms`, or the join fails with `INVALID_SESSION_TIMEOUT`.
    pub fn validate(&self, min_session_timeout_ms: u64, max_session_timeout_ms: u64) -> Result<(), EngineError> {
        if (min_session_timeout_ms..=max_session_timeout_ms).contains(&self.session_timeout_ms) {
            return Ok(());
        }
        Err(EngineError::InvalidSessionTimeout {
            session_timeout_ms: self.session_timeout_ms,
            min_ms: min_session_timeout_ms,
            max_ms: max_session_timeout_ms,
        })
    }
}

/// What the group's application saw, for the at-least-once / at-most-once lesson.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeliveryStats {
    /// Records processed, duplicates included.
    pub processed: u64,
    /// Records processed again after a crash (at-least-once duplicates).
    pub redelivered: u64,
    /// Records committed but never processed because of a crash (at-most-once loss).
    pub lost: u64,
    /// Offsets `auto.offset.reset` moved the group past because its position fell below the log
    /// start offset (retention deleted them first): never processed by this group.
    #[serde(default)]
    pub skipped: u64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConsumerGroup {
    pub name: String,
    pub config: GroupConfig,
    /// Rebalance generation, incremented by each rebalance.
    pub generation: u32,
    pub members: BTreeMap<String, Member>,
    /// Committed offset (next to read) per partition.
    pub committed: BTreeMap<TopicPartition, u64>,
    /// One past the highest offset processed per partition, to spot re-deliveries.
    pub processed_up_to: BTreeMap<TopicPartition, u64>,
    /// Where `auto.offset.reset` first placed the group on each partition: a group that began at
    /// `latest` never read the records below it, though it is past them.
    pub first_reset: BTreeMap<TopicPartition, u64>,
    /// How far `auto.offset.reset` has moved the group past deleted offsets on each partition,
    /// so a second member resetting from the same stale committed offset (before anyone
    /// committed past it) does not count the same skipped offsets again.
    #[serde(default)]
    pub skipped_to: BTreeMap<TopicPartition, u64>,
    /// The join phase of a rebalance in progress (`PreparingRebalance`), if any: whom it waits
    /// for, so a view can say "rebalance waiting for ...".
    pub join_phase: Option<JoinPhase>,
    /// Cooperative protocol: a follow-up rebalance is due.
    pub follow_up: bool,
    /// Partition counts of the subscribed topics as the group leader's metadata knows them:
    /// what the last assignment covered, updated by metadata refreshes (see [`crate::metadata`]).
    pub known_partitions: BTreeMap<String, u32>,
    /// When the leader's client last refreshed its metadata.
    #[serde(default)]
    pub metadata_refreshed_ms: u64,
    pub stats: DeliveryStats,
    /// Consumers started in this group so far, to number the next one's `client.id`.
    pub instances_started: u32,
}

/// Everything a group needs from the simulation while it acts.
pub struct GroupCtx<'a> {
    pub topics: &'a Topics,
    pub now_ms: u64,
    pub events: &'a mut Vec<Event>,
    pub timing: GroupTiming,
}

/// The cluster's settings that time a group's life: the broker's
/// `group.initial.rebalance.delay.ms` and the consumers' `metadata.max.age.ms`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct GroupTiming {
    pub initial_rebalance_delay_ms: u64,
    pub metadata_max_age_ms: u64,
    /// Simulated milliseconds per tick (processing rates are per second).
    pub tick_ms: u64,
}

impl ConsumerGroup {
    pub fn new(name: &str, config: GroupConfig) -> ConsumerGroup {
        ConsumerGroup {
            name: name.to_string(),
            config,
            generation: 0,
            members: BTreeMap::new(),
            committed: BTreeMap::new(),
            processed_up_to: BTreeMap::new(),
            first_reset: BTreeMap::new(),
            skipped_to: BTreeMap::new(),
            join_phase: None,
            follow_up: false,
            known_partitions: BTreeMap::new(),
            metadata_refreshed_ms: 0,
            stats: DeliveryStats::default(),
            instances_started: 0,
        }
    }

    /// A short name for markers and instance labels: the part before the first `-`
    /// (`sms-notification-service` -> `sms`).
    pub fn tag(&self) -> &str {
        self.name.split('-').next().filter(|t| !t.is_empty()).unwrap_or(&self.name)
    }

    /// The `client.id` the next consumer started in this group gets: `sms-3` after two.
    pub fn next_client_id(&self) -> String {
        format!("{}-{}", self.tag(), self.instances_started + 1)
    }

    /// Lag of a partition: high watermark minus committed offset; `None` before any commit.
    pub fn lag(&self, topics: &Topics, tp: &TopicPartition) -> Option<u64> {
        let committed = self.committed.get(tp)?;
        Some(log_of(topics, tp)?.high_watermark().saturating_sub(*committed))
    }

    /// Lag in simulated time: how old the oldest record not yet committed is.
    pub fn time_lag_ms(&self, topics: &Topics, tp: &TopicPartition, now_ms: u64) -> u64 {
        let Some(log) = log_of(topics, tp) else { return 0 };
        let from = self.committed.get(tp).copied().unwrap_or(log.log_start_offset());
        log.fetch(from, 1).next().map_or(0, |r| now_ms.saturating_sub(r.timestamp_ms))
    }

    /// Sum of the known partition lags.
    pub fn total_lag(&self, topics: &Topics) -> u64 {
        self.committed.keys().filter_map(|tp| self.lag(topics, tp)).sum()
    }

    /// Who owns a partition in this group.
    pub fn owner_of(&self, tp: &TopicPartition) -> Option<&Member> {
        self.members.values().find(|m| m.assigned.contains(tp))
    }

    pub fn subscribe(&mut self, member_id: &str, topics: BTreeSet<String>, ctx: &mut GroupCtx<'_>) {
        if let Some(member) = self.members.get_mut(member_id) {
            member.topics = topics;
            self.rebalance(RebalanceReason::SubscriptionChanged, ctx);
        }
    }

    pub fn set_assignor(&mut self, assignor: crate::assignor::AssignorKind, ctx: &mut GroupCtx<'_>) {
        self.config.assignor = assignor;
        if !self.members.is_empty() {
            self.rebalance(RebalanceReason::AssignorChanged, ctx);
        }
    }

    /// Switches the commit mode; live members first finish their batch the old way, as an
    /// application being redeployed with new settings would.
    pub fn set_commit_mode(&mut self, mode: CommitMode, ctx: &mut GroupCtx<'_>) {
        for id in self.live_member_ids() {
            self.finish_batch(&id, ctx);
        }
        self.config.commit_mode = mode;
    }

    /// Ids of the members whose process is running, in member order.
    pub(crate) fn live_member_ids(&self) -> Vec<String> {
        self.members.values().filter(|m| m.is_alive()).map(|m| m.member_id.clone()).collect()
    }

    /// What a live member does before it gives up its partitions (a graceful leave, or rejoining
    /// for a rebalance: `ConsumerCoordinator.onJoinPrepare`): finish the batch in hand and, with
    /// auto-commit, commit the positions reached.
    pub(crate) fn wrap_up(&mut self, member_id: &str, ctx: &mut GroupCtx<'_>) {
        self.finish_batch(member_id, ctx);
        if self.config.commit_mode == CommitMode::AutoCommit {
            self.commit_positions(member_id, ctx);
        }
    }

    /// One tick: expired sessions are removed; then a join phase in progress tries to complete,
    /// or else one trigger may start a rebalance (a session timeout, a metadata refresh that
    /// found more partitions, a cooperative follow-up); then every live member's consume loop.
    pub fn tick(&mut self, ctx: &mut GroupCtx<'_>) {
        let expired = self.expire_sessions(ctx);
        if self.join_phase.is_some() {
            self.try_complete_join(ctx);
        } else if expired {
            self.rebalance(RebalanceReason::SessionTimeout, ctx);
        } else if self.refresh_metadata_if_due(ctx) {
            self.rebalance(RebalanceReason::PartitionsChanged, ctx);
        } else if self.follow_up {
            self.rebalance(RebalanceReason::FollowUp, ctx);
        }
        let rate = self.config.processing_rate;
        for member_id in self.live_member_ids() {
            if let (Some(rate), Some(member)) = (rate, self.members.get_mut(&member_id)) {
                member.earn_processing_credit(rate, ctx.timing.tick_ms);
            }
            self.advance_member(&member_id, ctx);
        }
    }

    /// One stage of the consume loop (see [`crate::consumer`]).
    fn advance_member(&mut self, member_id: &str, ctx: &mut GroupCtx<'_>) {
        let stage = self.members[member_id].batch.as_ref().map(|b| b.stage);
        let mode = self.config.commit_mode;
        let poll_next = match (mode, stage) {
            (_, None) => true,
            (CommitMode::AutoCommit, Some(_))
            | (CommitMode::ProcessThenCommit, Some(BatchStage::Processed))
            | (CommitMode::CommitThenProcess, Some(BatchStage::Committed)) => {
                self.finish_batch(member_id, ctx);
                true
            }
            (CommitMode::ProcessThenCommit, Some(_)) => {
                self.process_batch(member_id, BatchStage::Processed, ctx);
                false
            }
            (CommitMode::CommitThenProcess, Some(_)) => {
                self.commit_batch(member_id, BatchStage::Committed, ctx);
                false
            }
        };
        if poll_next {
            self.poll(member_id, ctx);
        }
    }

    /// Takes the member's batch through its remaining stages, as a live consumer does before it
    /// gives up partitions.
    fn finish_batch(&mut self, member_id: &str, ctx: &mut GroupCtx<'_>) {
        let Some(stage) = self.members.get(member_id).and_then(|m| m.batch.as_ref()).map(|b| b.stage) else { return };
        match (self.config.commit_mode, stage) {
            (CommitMode::AutoCommit, _) => self.process_batch(member_id, BatchStage::Processed, ctx),
            (CommitMode::ProcessThenCommit, BatchStage::Fetched) => {
                self.process_batch(member_id, BatchStage::Processed, ctx);
                self.commit_batch(member_id, BatchStage::Committed, ctx);
            }
            (CommitMode::CommitThenProcess, BatchStage::Fetched) => {
                self.commit_batch(member_id, BatchStage::Committed, ctx);
                self.process_batch(member_id, BatchStage::Processed, ctx);
            }
            (_, BatchStage::Processed) => self.commit_batch(member_id, BatchStage::Committed, ctx),
            (_, BatchStage::Committed) => self.process_batch(member_id, BatchStage::Processed, ctx),
        }
        if let Some(member) = self.members.get_mut(member_id) {
            member.batch = None;
        }
    }

    fn batch_ranges(&self, member_id: &str) -> Vec<FetchedRange> {
        self.members[member_id].batch.as_ref().map(|b| b.ranges.clone()).unwrap_or_default()
    }

    fn set_stage(&mut self, member_id: &str, stage: BatchStage) {
        if let Some(batch) = self.members.get_mut(member_id).and_then(|m| m.batch.as_mut()) {
            batch.stage = stage;
        }
    }

    fn process_batch(&mut self, member_id: &str, next: BatchStage, ctx: &mut GroupCtx<'_>) {
        for r in self.batch_ranges(member_id) {
            let done = self.processed_up_to.entry(r.partition.clone()).or_insert(0);
            let redelivered = r.offsets.iter().filter(|&&o| o < *done).count() as u64;
            *done = (*done).max(r.to);
            self.stats.processed += r.offsets.len() as u64;
            self.stats.redelivered += redelivered;
            if let Some(member) = self.members.get_mut(member_id) {
                member.mark_processed(&r.partition, r.from, r.to);
            }
            ctx.events.push(Event::Processed {
                group: self.name.clone(),
                member_id: member_id.to_string(),
                partition: r.partition,
                from: r.from,
                to: r.to,
                redelivered,
            });
        }
        self.set_stage(member_id, next);
    }

    fn commit_batch(&mut self, member_id: &str, next: BatchStage, ctx: &mut GroupCtx<'_>) {
        for r in self.batch_ranges(member_id) {
            self.commit(member_id, r.partition, r.to, ctx);
        }
        self.set_stage(member_id, next);
    }

    fn commit(&mut self, member_id: &str, tp: TopicPartition, offset: u64, ctx: &mut GroupCtx<'_>) {
        if self.committed.get(&tp) == Some(&offset) {
            return;
        }
        // `ConsumerCoordinator.sendOffsetCommitRequest`: no generation while the group is not
        // stable, so the commit fails (the commit before rejoining, in `wrap_up`, comes first).
        if self.join_phase.is_some() {
            ctx.events.push(Event::CommitRefused { group: self.name.clone(), member_id: member_id.to_string(), partition: tp, offset });
            return;
        }
        self.committed.insert(tp.clone(), offset);
        ctx.events.push(Event::Committed { group: self.name.clone(), member_id: member_id.to_string(), partition: tp, offset });
    }

    /// Auto-commit: commits every position the member has reached.
    fn commit_positions(&mut self, member_id: &str, ctx: &mut GroupCtx<'_>) {
        let Some(member) = self.members.get_mut(member_id) else { return };
        member.last_auto_commit_ms = ctx.now_ms;
        let positions = member.positions.clone();
        for (tp, offset) in positions {
            self.commit(member_id, tp, offset, ctx);
        }
    }

    fn poll(&mut self, member_id: &str, ctx: &mut GroupCtx<'_>) {
        let due = ctx.now_ms.saturating_sub(self.members[member_id].last_auto_commit_ms) >= self.config.auto_commit_interval_ms;
        if self.config.commit_mode == CommitMode::AutoCommit && due {
            self.commit_positions(member_id, ctx);
        }
        self.reset_out_of_range(member_id, ctx);
        let rate_limited = self.config.processing_rate.is_some();
        let member = self.members.get_mut(member_id).expect("polling member exists");
        let mut max = self.config.max_poll_records.max(1) as usize;
        if rate_limited {
            max = max.min(member.processable());
        }
        if max == 0 {
            return;
        }
        let ranges = member.poll(ctx.topics, max);
        for r in &ranges {
            ctx.events.push(Event::Fetched {
                group: self.name.clone(),
                member_id: member_id.to_string(),
                partition: r.partition.clone(),
                offsets: r.offsets.clone(),
            });
        }
        if !ranges.is_empty() {
            member.batch = Some(Batch { stage: BatchStage::Fetched, ranges });
        }
    }

    /// A position below the log start offset (retention deleted it) or past the log end is out
    /// of range: `auto.offset.reset` decides again.
    fn reset_out_of_range(&mut self, member_id: &str, ctx: &mut GroupCtx<'_>) {
        let positions = self.members[member_id].positions.clone();
        for (tp, position) in positions {
            let Some(log) = readable_log_of(ctx.topics, &tp) else { continue };
            if !log.is_valid_position(position) {
                self.members.get_mut(member_id).expect("member").positions.remove(&tp);
                self.init_position(member_id, &tp, Some(position), ctx);
            }
        }
    }

    /// Sets the position of a newly owned partition, or of one whose position went out of range:
    /// `offset` (the committed offset, or that position) if it is in range, otherwise
    /// `auto.offset.reset`.
    pub(crate) fn init_position(&mut self, member_id: &str, tp: &TopicPartition, offset: Option<u64>, ctx: &mut GroupCtx<'_>) {
        let Some(log) = log_of(ctx.topics, tp) else { return };
        let group = self.name.clone();
        let member = self.members.get_mut(member_id).expect("member");
        if let Some(offset) = offset.filter(|&o| log.is_valid_position(o)) {
            member.positions.insert(tp.clone(), offset);
            return;
        }
        let (policy, out_of_range) = (self.config.auto_offset_reset, offset);
        let reset = match policy {
            OffsetReset::Earliest => Some(log.log_start_offset()),
            OffsetReset::Latest => Some(log.high_watermark()),
            OffsetReset::None => None,
        };
        let member_id = member_id.to_string();
        match reset {
            Some(offset) => {
                member.positions.insert(tp.clone(), offset);
                self.first_reset.entry(tp.clone()).or_insert(offset);
                if let Some(from) = out_of_range.filter(|&from| from < offset) {
                    let counted = self.skipped_to.entry(tp.clone()).or_insert(0);
                    self.stats.skipped += offset.saturating_sub(from.max(*counted));
                    *counted = (*counted).max(offset);
                }
                ctx.events.push(Event::OffsetReset { group, member_id, partition: tp.clone(), offset, policy, out_of_range });
            }
            None => ctx.events.push(Event::OffsetResetFailed { group, member_id, partition: tp.clone(), out_of_range }),
        }
    }
}
