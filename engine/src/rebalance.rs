//! Rebalancing: how a consumer group moves partitions between its members.
//!
//! The group coordinator starts a rebalance when membership or subscriptions change. A classic
//! rebalance has a *join phase* (`PreparingRebalance`): every known member must send JoinGroup
//! again. Only when all have rejoined does the coordinator complete the join
//! (`GroupMetadataManager.maybeCompleteJoinPhase`), the leader runs the assignor, and partitions
//! move:
//!
//! - **eager** protocol (Range, RoundRobin): every member revokes *all* its partitions before it
//!   rejoins, so the whole group stops reading until the new assignment arrives (stop-the-world);
//! - **cooperative** protocol (CooperativeSticky, KIP-429): members keep reading what they own
//!   during the join phase, revoke only what moves, and the moved partitions are assigned in a
//!   follow-up rebalance (here: on the next tick).
//!
//! A crashed member cannot rejoin, and the coordinator waits for it: the join phase completes
//! only when its session expires and it is removed (`expireClassicGroupMemberHeartbeat`), when a
//! static member restarts under its instance id, or, at the latest, after the rebalance timeout
//! (the members' `max.poll.interval.ms`). Completing the join at the timeout removes the dynamic
//! members that did not rejoin, while a stopped static member stays, with its share of the
//! assignment, until its own session expires (`completeClassicGroupJoin`). Meanwhile an eager
//! group reads nothing: the stop-the-world pause that cooperative rebalancing and the KIP-848
//! protocol exist to reduce. [`Event::RebalanceWaiting`] and [`ConsumerGroup::join_phase`] say
//! whom the join waits for.
//!
//! Before revoking, a live member finishes its batch, and with auto-commit it commits
//! (`ConsumerCoordinator.onJoinPrepare`). From then until the join completes the coordinator takes
//! no commit (`RebalanceInProgressException`, [`Event::CommitRefused`]): a cooperative member
//! reads on meanwhile, but what it reads is committed only once the group is stable, so a
//! partition that moves, or a crash, sends those records to be read again. Newly assigned
//! partitions start at the group's committed offset, or per `auto.offset.reset`.
//!
//! An empty group's first rebalance also waits, for `group.initial.rebalance.delay.ms`, so that
//! consumers starting together join one rebalance (see [`InitialDelay`]).
//!
//! Simplification: the rebalance timeout is fixed at `max.poll.interval.ms`'s default,
//! [`REBALANCE_TIMEOUT_MS`], and live members rejoin at once.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::assignor::{MemberSubscription, TopicPartition};
use crate::consumer_group::{ConsumerGroup, GroupCtx};
use crate::event::{Event, RebalanceReason};
use crate::sorted::by_insertion;

/// How long a join phase waits for members to rejoin: the default `max.poll.interval.ms`, which
/// the Java consumer sends as its rebalance timeout.
pub const REBALANCE_TIMEOUT_MS: u64 = 300_000;

/// A rebalance in its join phase, waiting for members to rejoin.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct JoinPhase {
    /// What started the rebalance.
    pub reason: RebalanceReason,
    /// Stopped members that have not rejoined: the join waits for them.
    pub waiting_for: Vec<String>,
    /// When the join gives up on them (the rebalance timeout).
    pub timeout_at_ms: u64,
    /// The first rebalance of an empty group waits for more members (see [`InitialDelay`]).
    pub initial_delay: Option<InitialDelay>,
}

/// `group.initial.rebalance.delay.ms`: an empty group's first rebalance is held back so that
/// consumers starting together land in one rebalance, not one each
/// (`GroupMetadataManager.tryCompleteInitialRebalanceElseSchedule`). Each member that joins
/// meanwhile extends the wait by another delay, up to the rebalance timeout.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct InitialDelay {
    /// When the wait ends, unless a member joined meanwhile.
    pub until_ms: u64,
    /// The length of the current wait.
    pub delay_ms: u64,
    /// How much more waiting the rebalance timeout allows.
    pub remaining_ms: u64,
    /// A member joined during the current wait.
    pub new_member_added: bool,
}

impl ConsumerGroup {
    /// Starts a rebalance, or, when one is already in its join phase, lets the change join it.
    /// The join completes at once if no member is missing.
    pub fn rebalance(&mut self, reason: RebalanceReason, ctx: &mut GroupCtx<'_>) {
        if self.join_phase.is_none() {
            self.prepare_rebalance(reason, ctx);
        }
        self.try_complete_join(ctx);
    }

    /// The first member of an empty group starts a rebalance held back by
    /// `group.initial.rebalance.delay.ms`; a member joining during that wait extends it.
    pub(crate) fn initial_rebalance(&mut self, ctx: &mut GroupCtx<'_>) {
        if let Some(delay) = self.join_phase.as_mut().and_then(|p| p.initial_delay.as_mut()) {
            delay.new_member_added = true;
            return;
        }
        self.prepare_rebalance(RebalanceReason::MemberJoined, ctx);
        let delay_ms = ctx.timing.initial_rebalance_delay_ms;
        let until_ms = ctx.now_ms + delay_ms;
        let remaining_ms = REBALANCE_TIMEOUT_MS.saturating_sub(delay_ms);
        if let Some(phase) = self.join_phase.as_mut() {
            phase.initial_delay = Some(InitialDelay { until_ms, delay_ms, remaining_ms, new_member_added: false });
        }
        if delay_ms > 0 {
            ctx.events.push(Event::RebalanceDelayed { group: self.name.clone(), generation: self.generation, until_ms });
        }
        self.try_complete_join(ctx);
    }

    /// `PreparingRebalance`: live members wrap up and rejoin (eager ones revoking everything);
    /// stopped members are waited for.
    fn prepare_rebalance(&mut self, reason: RebalanceReason, ctx: &mut GroupCtx<'_>) {
        self.generation += 1;
        self.follow_up = false;
        ctx.events.push(Event::RebalanceStarted { group: self.name.clone(), generation: self.generation, reason });
        let live = self.live_member_ids();
        for id in &live {
            self.wrap_up(id, ctx);
            if !self.config.assignor.is_cooperative() {
                self.revoke_all(id, ctx);
            }
        }
        let waiting_for: Vec<String> = self.members.values().filter(|m| !m.is_alive()).map(|m| m.member_id.clone()).collect();
        if !waiting_for.is_empty() {
            ctx.events.push(Event::RebalanceWaiting { group: self.name.clone(), generation: self.generation, waiting_for: waiting_for.clone(), cooperative: self.config.assignor.is_cooperative() });
        }
        self.join_phase = Some(JoinPhase { reason, waiting_for, timeout_at_ms: ctx.now_ms + REBALANCE_TIMEOUT_MS, initial_delay: None });
    }

    /// While the initial delay runs, whether the join must keep waiting; a member that joined
    /// during the wait extends it by `min(delay, remaining)`.
    fn initial_delay_holds(&mut self, phase: &mut JoinPhase, ctx: &mut GroupCtx<'_>) -> bool {
        let Some(delay) = phase.initial_delay.as_mut() else { return false };
        if ctx.now_ms < delay.until_ms {
            return true;
        }
        if !delay.new_member_added || delay.remaining_ms == 0 {
            return false;
        }
        let next_ms = ctx.timing.initial_rebalance_delay_ms.min(delay.remaining_ms);
        *delay = InitialDelay {
            until_ms: ctx.now_ms + next_ms,
            delay_ms: next_ms,
            remaining_ms: delay.remaining_ms.saturating_sub(delay.delay_ms),
            new_member_added: false,
        };
        ctx.events.push(Event::RebalanceDelayed { group: self.name.clone(), generation: self.generation, until_ms: delay.until_ms });
        true
    }

    /// Completes the join phase once no missing member is left to wait for, or at the rebalance
    /// timeout (`maybeCompleteJoinPhase`).
    pub(crate) fn try_complete_join(&mut self, ctx: &mut GroupCtx<'_>) {
        let Some(mut phase) = self.join_phase.take() else { return };
        if phase.initial_delay.is_some() {
            // The initial rebalance completes when its timer runs out, whoever is missing.
            if self.initial_delay_holds(&mut phase, ctx) {
                self.join_phase = Some(phase);
                return;
            }
            return self.complete_join(phase, ctx);
        }
        let before = phase.waiting_for.len();
        // A missing member stops being awaited once it is removed or replaced by a restart.
        phase.waiting_for.retain(|id| self.members.get(id).is_some_and(|m| !m.is_alive()));
        let timed_out = ctx.now_ms >= phase.timeout_at_ms;
        if phase.waiting_for.is_empty() || timed_out {
            return self.complete_join(phase, ctx);
        }
        if phase.waiting_for.len() != before {
            ctx.events.push(Event::RebalanceWaiting { group: self.name.clone(), generation: self.generation, waiting_for: phase.waiting_for.clone(), cooperative: self.config.assignor.is_cooperative() });
        }
        self.join_phase = Some(phase);
    }

    /// `completeClassicGroupJoin`: drops the dynamic members that did not rejoin, runs the
    /// assignor and moves partitions.
    fn complete_join(&mut self, phase: JoinPhase, ctx: &mut GroupCtx<'_>) {
        for id in &phase.waiting_for {
            if self.members.get(id).is_some_and(|m| !m.is_static()) {
                self.members.remove(id);
                ctx.events.push(Event::MemberRemoved { group: self.name.clone(), member_id: id.clone() });
            }
        }
        // Cooperative members kept reading while the join waited.
        for id in self.live_member_ids() {
            self.wrap_up(&id, ctx);
        }
        self.assign(ctx);
        ctx.events.push(Event::RebalanceCompleted { group: self.name.clone(), generation: self.generation });
    }

    /// Eager protocol: a rejoining member gives up all its partitions first.
    fn revoke_all(&mut self, id: &str, ctx: &mut GroupCtx<'_>) {
        let Some(member) = self.members.get_mut(id) else { return };
        let revoked = std::mem::take(&mut member.assigned);
        member.positions.clear();
        if !revoked.is_empty() {
            ctx.events.push(Event::PartitionsRevoked { group: self.name.clone(), member_id: id.to_string(), partitions: revoked });
        }
    }

    /// Runs the assignor and moves partitions (see the module docs for eager vs cooperative).
    fn assign(&mut self, ctx: &mut GroupCtx<'_>) {
        self.known_partitions = self.leader_metadata(ctx);
        let subscriptions: Vec<MemberSubscription> = self
            .members
            .values()
            .map(|m| MemberSubscription {
                member_id: m.member_id.clone(),
                group_instance_id: m.group_instance_id.clone(),
                topics: m.topics.clone(),
                owned: m.assigned.clone(),
            })
            .collect();
        let target = self.config.assignor.assign(&subscriptions, &self.known_partitions);
        let cooperative = self.config.assignor.is_cooperative();
        let owned_before: BTreeMap<TopicPartition, String> =
            by_insertion(subscriptions.iter().flat_map(|s| s.owned.iter().map(move |tp| (tp.clone(), s.member_id.clone()))));
        for s in &subscriptions {
            let id = &s.member_id;
            let new = target.get(id).cloned().unwrap_or_default();
            let revoked: Vec<TopicPartition> = s.owned.iter().filter(|tp| !cooperative || !new.contains(tp)).cloned().collect();
            let kept: Vec<TopicPartition> = s.owned.iter().filter(|tp| !revoked.contains(tp)).cloned().collect();
            let mut gained = Vec::new();
            for tp in new.iter().filter(|tp| !kept.contains(tp)) {
                let held_elsewhere = owned_before.get(tp).is_some_and(|owner| owner != id);
                if cooperative && held_elsewhere {
                    self.follow_up = true;
                } else {
                    gained.push(tp.clone());
                }
            }
            self.move_partitions(id, revoked, kept, gained, ctx);
        }
    }

    fn move_partitions(
        &mut self,
        id: &str,
        revoked: Vec<TopicPartition>,
        kept: Vec<TopicPartition>,
        gained: Vec<TopicPartition>,
        ctx: &mut GroupCtx<'_>,
    ) {
        let member = self.members.get_mut(id).expect("member");
        for tp in &revoked {
            member.positions.remove(tp);
        }
        let mut assigned = kept;
        assigned.extend(gained.iter().cloned());
        assigned.sort();
        member.assigned = assigned;
        let running = member.is_alive();
        if !revoked.is_empty() {
            ctx.events.push(Event::PartitionsRevoked { group: self.name.clone(), member_id: id.to_string(), partitions: revoked });
        }
        if !gained.is_empty() {
            // A stopped member is assigned partitions it will not read until it restarts.
            for tp in gained.iter().filter(|_| running) {
                let committed = self.committed.get(tp).copied();
                self.init_position(id, tp, committed, ctx);
            }
            ctx.events.push(Event::PartitionsAssigned { group: self.name.clone(), member_id: id.to_string(), partitions: gained });
        }
    }
}
