//! Rebalancing: how a consumer group moves partitions between its members.
//!
//! The group coordinator starts a rebalance when membership or subscriptions change. Every member
//! rejoins, the leader runs the assignor, and partitions move:
//!
//! - **eager** protocol (Range, RoundRobin): every member revokes *all* its partitions first, so
//!   the whole group stops reading until the new assignment arrives (stop-the-world);
//! - **cooperative** protocol (CooperativeSticky, KIP-429): members keep what they keep, revoke
//!   only what moves, and the moved partitions are assigned in a follow-up rebalance (here: on
//!   the next tick), so the rest of the group keeps reading.
//!
//! A member that crashed cannot rejoin: completing the join removes a dynamic member that did
//! not rejoin (`GroupMetadataManager.completeClassicGroupJoin`), while a stopped static member
//! stays, with its share of the assignment, until its own session expires. Before revoking, a live
//! member finishes its batch, and with auto-commit it commits (`ConsumerCoordinator.onJoinPrepare`).
//! Newly assigned partitions start at the group's committed offset, or per `auto.offset.reset`.

use std::collections::BTreeMap;

use crate::assignor::{MemberSubscription, TopicPartition};
use crate::consumer_group::{ConsumerGroup, GroupCtx};
use crate::event::{Event, RebalanceReason};

impl ConsumerGroup {
    /// Runs the assignor and moves partitions (see the module docs for eager vs cooperative).
    pub fn rebalance(&mut self, reason: RebalanceReason, ctx: &mut GroupCtx<'_>) {
        self.generation += 1;
        self.follow_up = false;
        ctx.events.push(Event::RebalanceStarted { group: self.name.clone(), generation: self.generation, reason });
        // Completing the join drops only dynamic members that did not rejoin; a stopped static
        // member stays until its own session expires.
        let crashed: Vec<String> =
            self.members.values().filter(|m| !m.is_alive() && !m.is_static()).map(|m| m.member_id.clone()).collect();
        for member_id in crashed {
            self.members.remove(&member_id);
            ctx.events.push(Event::MemberRemoved { group: self.name.clone(), member_id });
        }
        let ids: Vec<String> = self.members.keys().cloned().collect();
        for id in self.live_member_ids() {
            self.wrap_up(&id, ctx);
        }
        self.known_partitions = self.partition_counts(ctx.topics);
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
        let owned_before: BTreeMap<TopicPartition, String> = subscriptions
            .iter()
            .flat_map(|s| s.owned.iter().map(move |tp| (tp.clone(), s.member_id.clone())))
            .collect();
        for id in &ids {
            let old = self.members[id].assigned.clone();
            let new = target.get(id).cloned().unwrap_or_default();
            let revoked: Vec<TopicPartition> =
                old.iter().filter(|tp| !cooperative || !new.contains(tp)).cloned().collect();
            let kept: Vec<TopicPartition> = old.iter().filter(|tp| !revoked.contains(tp)).cloned().collect();
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
        ctx.events.push(Event::RebalanceCompleted { group: self.name.clone(), generation: self.generation });
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
        if !revoked.is_empty() {
            ctx.events.push(Event::PartitionsRevoked { group: self.name.clone(), member_id: id.to_string(), partitions: revoked });
        }
        if !gained.is_empty() {
            for tp in &gained {
                let committed = self.committed.get(tp).copied();
                self.init_position(id, tp, committed, ctx);
            }
            ctx.events.push(Event::PartitionsAssigned { group: self.name.clone(), member_id: id.to_string(), partitions: gained });
        }
    }
}
