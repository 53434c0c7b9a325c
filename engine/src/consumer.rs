//! A consumer: one member of a consumer group, polling, processing and committing.
//!
//! A consumer's *position* in a partition is the next offset it will read; its group's *committed
//! offset* is the position it last saved, also "next to read" (last processed + 1). After a crash
//! or a rebalance the new owner starts at the committed offset, so what happened between reading
//! and committing decides the delivery guarantee:
//!
//! - **auto-commit** (`enable.auto.commit=true`): `poll()` commits the positions reached by earlier
//!   polls every `auto.commit.interval.ms`. A crash re-delivers what was read since.
//! - **process, then commit** (at-least-once): a crash after processing but before the commit
//!   re-delivers the batch, and it is processed twice.
//! - **commit, then process** (at-most-once): a crash after the commit but before processing loses
//!   the batch: the group never processes it.
//!
//! Each stage takes one tick so the lecturer can crash a consumer between them and see the result.
//!
//! Follows `KafkaConsumer.poll` (records below the high watermark from the fetch position, at most
//! `max.poll.records`) and `ConsumerCoordinator.maybeAutoCommitOffsetsAsync` (auto-commit of the
//! positions reached, every `auto.commit.interval.ms`, from `poll`).

use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};

use crate::assignor::TopicPartition;
use crate::topic::{log_of, readable_log_of, Topics};

/// Records a consumer's read trail keeps ([`Member::recent_reads`]): enough to see one
/// partition's offsets run in order while another partition's cut in between, few enough to read
/// on an instance's card.
pub const READ_TRAIL: usize = 5;

/// One record in a member's read trail ([`Member::recent_reads`]).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Read {
    pub partition: TopicPartition,
    pub offset: u64,
    /// Whether this member's application processed it. False from the poll until the batch is
    /// processed, and for good if the member crashed first: fetched (or, commit-then-process,
    /// committed) and never processed here.
    pub processed: bool,
}

/// Where a polled batch is in its consume loop.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum BatchStage {
    /// Returned by `poll()`, not yet processed.
    Fetched,
    /// Processed, offsets not yet committed (process-then-commit).
    Processed,
    /// Offsets committed, not yet processed (commit-then-process).
    Committed,
}

/// The records of one partition in a batch: offsets `from..to`, `to` being the position after.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FetchedRange {
    pub partition: TopicPartition,
    pub from: u64,
    pub to: u64,
    pub offsets: Vec<u64>,
}

/// The records returned by one poll and how far they got.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Batch {
    pub stage: BatchStage,
    pub ranges: Vec<FetchedRange>,
}

/// Whether a member's process runs, and if not, how it stopped. A member that stopped sends no
/// heartbeats; the coordinator removes it once `session.timeout.ms` has passed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum MemberState {
    /// Polling and heartbeating.
    Running,
    /// The process died at `at_ms`: what it had fetched but not committed is lost.
    Crashed { at_ms: u64 },
    /// A static member shut down cleanly at `at_ms` without leaving the group (KIP-345): it
    /// finished and committed its work, and the group keeps its partitions for its restart.
    Closed { at_ms: u64 },
}

/// One consumer instance in a group.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Member {
    /// Given by the coordinator (`ClassicGroup.generateMemberId`): `group.instance.id` + "-" + a
    /// UUID for a static member, `client.id` + "-" + a UUID otherwise.
    pub member_id: String,
    pub client_id: String,
    /// `group.instance.id`, making the member *static*.
    pub group_instance_id: Option<String>,
    pub topics: BTreeSet<String>,
    /// Partitions this member owns, sorted.
    pub assigned: Vec<TopicPartition>,
    /// Next offset to read, per owned partition that has a valid position.
    pub positions: BTreeMap<TopicPartition, u64>,
    pub batch: Option<Batch>,
    /// Running, crashed or (static members) closed; a stopped member still holds its partitions
    /// until the coordinator removes it.
    pub state: MemberState,
    pub last_auto_commit_ms: u64,
    /// Which owned partition the next poll starts with, so small polls rotate fairly.
    pub poll_cursor: usize,
    /// The last [`READ_TRAIL`] records polls returned, oldest first. One poll reads partition by
    /// partition, so within a partition the trail is in offset order, while across partitions it
    /// interleaves: Kafka orders records per partition, never across.
    #[serde(default)]
    pub recent_reads: Vec<Read>,
    /// Thousandths of a record the application may still process (with a processing rate).
    #[serde(default)]
    pub credit_milli: u64,
}

impl Member {
    /// A member that has just started, owning nothing yet.
    pub fn new(member_id: String, client_id: String, group_instance_id: Option<String>, topics: BTreeSet<String>, now_ms: u64) -> Member {
        Member {
            member_id,
            client_id,
            group_instance_id,
            topics,
            assigned: Vec::new(),
            positions: BTreeMap::new(),
            batch: None,
            state: MemberState::Running,
            last_auto_commit_ms: now_ms,
            poll_cursor: 0,
            recent_reads: Vec::new(),
            credit_milli: 0,
        }
    }

    /// Whether the process runs (and so polls and heartbeats).
    pub fn is_alive(&self) -> bool {
        self.state == MemberState::Running
    }

    /// A static member has a `group.instance.id`.
    pub fn is_static(&self) -> bool {
        self.group_instance_id.is_some()
    }

    /// When the member stopped heartbeating, if it has.
    pub fn stopped_at_ms(&self) -> Option<u64> {
        match self.state {
            MemberState::Running => None,
            MemberState::Crashed { at_ms } | MemberState::Closed { at_ms } => Some(at_ms),
        }
    }

    /// Whether `session.timeout.ms` has passed without a heartbeat
    /// (`GroupMetadataManager.expireClassicGroupMemberHeartbeat`).
    pub fn session_expired(&self, now_ms: u64, session_timeout_ms: u64) -> bool {
        self.stopped_at_ms().is_some_and(|at| now_ms.saturating_sub(at) >= session_timeout_ms)
    }

    /// Earns one tick's worth of processing at `rate` records per second, keeping at most one
    /// second's worth so an idle instance does not save up a burst.
    pub(crate) fn earn_processing_credit(&mut self, rate: u32, tick_ms: u64) {
        let cap = u64::from(rate.max(1)) * 1000;
        self.credit_milli = (self.credit_milli + u64::from(rate) * tick_ms).min(cap);
    }

    /// Whole records the processing credit allows.
    pub(crate) fn processable(&self) -> usize {
        (self.credit_milli / 1000) as usize
    }

    /// Adds one partition's fetched offsets to the end of the read trail, keeping its last
    /// [`READ_TRAIL`].
    fn remember_reads(&mut self, tp: &TopicPartition, offsets: &[u64]) {
        let newest = &offsets[offsets.len().saturating_sub(READ_TRAIL)..];
        self.recent_reads.extend(newest.iter().map(|&offset| Read { partition: tp.clone(), offset, processed: false }));
        let over = self.recent_reads.len().saturating_sub(READ_TRAIL);
        self.recent_reads.drain(..over);
    }

    /// Marks the reads of offsets `from..to` of `tp` processed.
    pub(crate) fn mark_processed(&mut self, tp: &TopicPartition, from: u64, to: u64) {
        for read in self.recent_reads.iter_mut().filter(|r| &r.partition == tp && (from..to).contains(&r.offset)) {
            read.processed = true;
        }
    }

    /// Records behind the high watermark for a partition this member owns (consumer lag as the
    /// member sees it: HW minus position).
    pub fn lag(&self, topics: &Topics, tp: &TopicPartition) -> Option<u64> {
        let position = self.positions.get(tp)?;
        Some(log_of(topics, tp)?.high_watermark().saturating_sub(*position))
    }

    /// One `poll()`: up to `max_poll_records` records below the high watermark from the owned
    /// partitions, starting at a rotating partition. Moves the positions past what it returns.
    pub fn poll(&mut self, topics: &Topics, max_poll_records: usize) -> Vec<FetchedRange> {
        let owned: Vec<TopicPartition> =
            self.assigned.iter().filter(|tp| self.positions.contains_key(*tp)).cloned().collect();
        let mut budget = max_poll_records;
        let mut ranges = Vec::new();
        for i in 0..owned.len() {
            if budget == 0 {
                break;
            }
            let tp = &owned[(self.poll_cursor + i) % owned.len()];
            // An offline partition is not read until it has a leader again.
            let Some(log) = readable_log_of(topics, tp) else { continue };
            let position = self.positions[tp];
            let offsets: Vec<u64> = log.fetch(position, budget).map(|r| r.offset).collect();
            if let Some(&last) = offsets.last() {
                budget -= offsets.len();
                self.positions.insert(tp.clone(), last + 1);
                self.credit_milli = self.credit_milli.saturating_sub(1000 * offsets.len() as u64);
                self.remember_reads(tp, &offsets);
                ranges.push(FetchedRange { partition: tp.clone(), from: position, to: last + 1, offsets });
            }
        }
        self.poll_cursor = self.poll_cursor.wrapping_add(1);
        ranges
    }
}
