//! Group membership: consumers joining, leaving, crashing, and static members (KIP-345).
//!
//! A consumer joins its group's coordinator and gets a member id; it stays a member while it
//! sends heartbeats. It stops being one in three ways:
//!
//! - a **graceful leave**: a dynamic member finishes and commits its work and sends LeaveGroup,
//!   so the group rebalances at once;
//! - a **crash**: the process dies, nothing is sent, and the coordinator notices only when
//!   `session.timeout.ms` passes without a heartbeat
//!   (`GroupMetadataManager.expireClassicGroupMemberHeartbeat`);
//! - a **static member closing**: a consumer with a `group.instance.id` commits its work and
//!   shuts down *without* LeaveGroup, so nothing is rebalanced; the group keeps its partitions
//!   for it until its session expires.
//!
//! A static member that starts again with the same `group.instance.id` before its session expires
//! gets a new member id and, while the group is stable, simply takes over the old member's
//! partitions without a rebalance
//! (`GroupMetadataManager.updateStaticMemberThenRebalanceOrCompleteJoin`). That is what static
//! membership is for: rolling restarts without stop-the-world rebalances.
//!
//! Kafka would let a second process with the same `group.instance.id` fence out a running one
//! (`FENCED_INSTANCE_ID`); here that is refused instead, so one instance id is one process.
//!
//! **Naming a member.** The coordinator gives each member an id with a random part
//! (`sms-1-5c0b...`), so a script written in advance cannot know it. Commands that name a member
//! ([`Command::RemoveConsumer`], [`Command::CrashConsumer`], [`Command::Subscribe`]) therefore take
//! either its member id or its `client.id` (`sms-1`): a member id is used as it is; otherwise the
//! one *running* member with that `client.id` is meant (or, if none runs, the one stopped member
//! with it, so the refusal says it already crashed). Two running members sharing a `client.id`
//! are ambiguous and refused with [`EngineError::AmbiguousClientId`].

use crate::command::Command;
use crate::consumer::{Batch, BatchStage, Member, MemberState};
use crate::consumer_group::{ConsumerGroup, GroupCtx};
use crate::error::EngineError;
use crate::event::{Event, RebalanceReason};
use crate::simulation::Simulation;

impl ConsumerGroup {
    /// The member id a command means by `name`: a member id, or a `client.id` (see the module
    /// docs). `Ok(None)` when nothing matches, so the command's own check reports the unknown
    /// member.
    pub fn resolve_member(&self, name: &str) -> Result<Option<&str>, EngineError> {
        if let Some(member) = self.members.get(name) {
            return Ok(Some(&member.member_id));
        }
        let named: Vec<&Member> = self.members.values().filter(|m| m.client_id == name).collect();
        let running: Vec<&Member> = named.iter().copied().filter(|m| m.is_alive()).collect();
        let candidates = if running.is_empty() { named } else { running };
        match candidates.as_slice() {
            [] => Ok(None),
            [member] => Ok(Some(&member.member_id)),
            many => Err(EngineError::AmbiguousClientId {
                group: self.name.clone(),
                client_id: name.to_string(),
                count: many.len(),
            }),
        }
    }

    /// The member holding a `group.instance.id`, running or not.
    pub fn static_member(&self, group_instance_id: &str) -> Option<&Member> {
        self.members.values().find(|m| m.group_instance_id.as_deref() == Some(group_instance_id))
    }

    /// A new member joins and the group rebalances; the first rebalance of an empty group (or a
    /// join during it) waits `group.initial.rebalance.delay.ms` for more members.
    pub fn add_member(&mut self, member: Member, ctx: &mut GroupCtx<'_>) {
        let empty = self.members.is_empty() && self.join_phase.is_none();
        let initial = empty || self.join_phase.as_ref().is_some_and(|p| p.initial_delay.is_some());
        ctx.events.push(Event::MemberJoined { group: self.name.clone(), member_id: member.member_id.clone() });
        self.instances_started += 1;
        self.members.insert(member.member_id.clone(), member);
        if initial {
            self.initial_rebalance(ctx);
        } else {
            self.rebalance(RebalanceReason::MemberJoined, ctx);
        }
    }

    /// The application stops the consumer. A dynamic member leaves the group (LeaveGroup) and
    /// the group rebalances; a static member only shuts down (see the module docs).
    pub fn remove_member(&mut self, member_id: &str, ctx: &mut GroupCtx<'_>) {
        if self.members.get(member_id).is_some_and(Member::is_static) {
            self.close_static_member(member_id, ctx);
            return;
        }
        self.wrap_up(member_id, ctx);
        self.members.remove(member_id);
        ctx.events.push(Event::MemberLeft { group: self.name.clone(), member_id: member_id.to_string() });
        self.rebalance(RebalanceReason::MemberLeft, ctx);
    }

    /// A static member's `close()`: it finishes and commits its work, then stops heartbeating
    /// while keeping its membership and its partitions.
    fn close_static_member(&mut self, member_id: &str, ctx: &mut GroupCtx<'_>) {
        self.wrap_up(member_id, ctx);
        let Some(member) = self.members.get_mut(member_id) else { return };
        member.state = MemberState::Closed { at_ms: ctx.now_ms };
        member.positions.clear();
        member.batch = None;
        ctx.events.push(Event::MemberClosed { group: self.name.clone(), member_id: member_id.to_string() });
    }

    /// The member's process dies: what it fetched is gone; commit-then-process loses its batch,
    /// where the commit went through (one refused during a rebalance loses nothing: the next
    /// owner reads the batch again).
    pub fn crash_member(&mut self, member_id: &str, ctx: &mut GroupCtx<'_>) {
        let Some(member) = self.members.get_mut(member_id) else { return };
        member.state = MemberState::Crashed { at_ms: ctx.now_ms };
        member.positions.clear();
        let batch = member.batch.take();
        ctx.events.push(Event::MemberCrashed { group: self.name.clone(), member_id: member_id.to_string() });
        if let Some(Batch { stage: BatchStage::Committed, ranges }) = batch {
            for r in ranges.into_iter().filter(|r| self.committed.get(&r.partition) == Some(&r.to)) {
                self.stats.lost += r.offsets.len() as u64;
                ctx.events.push(Event::RecordsLost { group: self.name.clone(), partition: r.partition, from: r.from, to: r.to });
            }
        }
    }

    /// A static member restarts under a new member id in place of its stopped predecessor. While
    /// the group is stable it takes over its partitions from the committed offsets; during a join
    /// phase it simply rejoins, which may let the join complete. A changed subscription still
    /// needs a rebalance.
    pub fn replace_static_member(&mut self, old_member_id: &str, mut member: Member, ctx: &mut GroupCtx<'_>) {
        let Some(old) = self.members.remove(old_member_id) else { return self.add_member(member, ctx) };
        let new_id = member.member_id.clone();
        ctx.events.push(Event::MemberJoined { group: self.name.clone(), member_id: new_id.clone() });
        ctx.events.push(Event::StaticMemberReplaced {
            group: self.name.clone(),
            group_instance_id: old.group_instance_id.clone().unwrap_or_default(),
            old_member_id: old.member_id.clone(),
            member_id: new_id.clone(),
        });
        if self.join_phase.is_some() {
            self.members.insert(new_id, member);
            return self.rebalance(RebalanceReason::MemberJoined, ctx);
        }
        let subscription_changed = member.topics != old.topics;
        member.assigned = old.assigned;
        let taken_over = member.assigned.clone();
        self.members.insert(new_id.clone(), member);
        for tp in &taken_over {
            let committed = self.committed.get(tp).copied();
            self.init_position(&new_id, tp, committed, ctx);
        }
        if !taken_over.is_empty() {
            ctx.events.push(Event::PartitionsAssigned { group: self.name.clone(), member_id: new_id, partitions: taken_over });
        }
        if subscription_changed {
            self.rebalance(RebalanceReason::SubscriptionChanged, ctx);
        }
    }

    /// Removes every member whose session has expired; says whether any was removed.
    pub(crate) fn expire_sessions(&mut self, ctx: &mut GroupCtx<'_>) -> bool {
        let timeout = self.config.session_timeout_ms;
        let expired: Vec<String> =
            self.members.values().filter(|m| m.session_expired(ctx.now_ms, timeout)).map(|m| m.member_id.clone()).collect();
        for member_id in &expired {
            self.members.remove(member_id);
            ctx.events.push(Event::MemberRemoved { group: self.name.clone(), member_id: member_id.clone() });
        }
        !expired.is_empty()
    }
}

impl Simulation {
    /// Replaces a `client.id` naming a member in a command by that member's id (see the module
    /// docs). Commands that name no member, or name a group that does not exist, pass unchanged.
    pub(crate) fn resolve_client_ids(&self, mut command: Command) -> Result<Command, EngineError> {
        let (group, member_id) = match &mut command {
            Command::RemoveConsumer { group, member_id }
            | Command::CrashConsumer { group, member_id }
            | Command::Subscribe { group, member_id, .. } => (group, member_id),
            _ => return Ok(command),
        };
        let Some(g) = self.group(group) else { return Ok(command) };
        if let Some(resolved) = g.resolve_member(member_id)? {
            if resolved != member_id.as_str() {
                *member_id = resolved.to_string();
            }
        }
        Ok(command)
    }
}
