//! Assignors: how a consumer group splits partitions among its members.
//!
//! Within one consumer group every partition is read by exactly one member, so the members read in
//! parallel without reading anything twice; members beyond the partition count sit idle. Different
//! groups do not affect each other: each gets every record (publish/subscribe fan-out).
//!
//! The group leader runs the assignor (`partition.assignment.strategy`). Members are ordered as
//! `AbstractPartitionAssignor` does: static members (with `group.instance.id`) first by instance id,
//! then dynamic members by member id, in *string* order, so `consumer-10` sorts before `consumer-2`.
//!
//! - [`range`] (`RangeAssignor`, what the Java consumer runs by default): per topic, contiguous
//!   ranges of `P / C` partitions, the first `P % C` members getting one more.
//! - [`round_robin`] (`RoundRobinAssignor`): all partitions, topics sorted, dealt round a circle of
//!   members, skipping members not subscribed to the topic.
//! - [`cooperative_sticky`] (`CooperativeStickyAssignor`): balance first (counts differ by at most
//!   one where subscriptions allow), then keep as many previous owners as possible. This models the
//!   assignor's guarantees, not its exact tie-breaking.

use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};

use crate::sorted::by_insertion;

/// A partition of a topic, Kafka's `TopicPartition`; sorts by topic, then partition.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct TopicPartition {
    pub topic: String,
    pub partition: u32,
}

impl TopicPartition {
    pub fn new(topic: impl Into<String>, partition: u32) -> TopicPartition {
        TopicPartition { topic: topic.into(), partition }
    }
}

impl std::fmt::Display for TopicPartition {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}-{}", self.topic, self.partition)
    }
}

/// What the assignor knows of one member.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MemberSubscription {
    pub member_id: String,
    pub group_instance_id: Option<String>,
    pub topics: BTreeSet<String>,
    /// Partitions the member owns now (sticky assignors keep them where they can).
    pub owned: Vec<TopicPartition>,
}

impl MemberSubscription {
    pub fn new(member_id: &str, topics: &[&str]) -> MemberSubscription {
        MemberSubscription {
            member_id: member_id.to_string(),
            group_instance_id: None,
            topics: topics.iter().map(|t| t.to_string()).collect(),
            owned: Vec::new(),
        }
    }
}

impl crate::setting::Setting for AssignorKind {
    const ALL: &'static [AssignorKind] = &[AssignorKind::Range, AssignorKind::RoundRobin, AssignorKind::CooperativeSticky];
    /// The Java class `partition.assignment.strategy` names.
    fn name(self) -> &'static str {
        match self {
            AssignorKind::Range => "RangeAssignor",
            AssignorKind::RoundRobin => "RoundRobinAssignor",
            AssignorKind::CooperativeSticky => "CooperativeStickyAssignor",
        }
    }
}

/// Member id -> its partitions, sorted. Every member appears, idle ones with an empty list.
pub type Assignment = BTreeMap<String, Vec<TopicPartition>>;

/// Which assignor a group uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub enum AssignorKind {
    #[default]
    Range,
    RoundRobin,
    CooperativeSticky,
}

impl AssignorKind {
    /// Cooperative assignors revoke only partitions that move; eager ones revoke everything first.
    pub fn is_cooperative(self) -> bool {
        matches!(self, AssignorKind::CooperativeSticky)
    }

    pub fn assign(self, members: &[MemberSubscription], partitions: &BTreeMap<String, u32>) -> Assignment {
        match self {
            AssignorKind::Range => range(members, partitions),
            AssignorKind::RoundRobin => round_robin(members, partitions),
            AssignorKind::CooperativeSticky => cooperative_sticky(members, partitions),
        }
    }
}

/// Members in Kafka's order: static by instance id first, then dynamic by member id.
pub fn sorted_members(members: &[MemberSubscription]) -> Vec<&MemberSubscription> {
    let mut sorted: Vec<&MemberSubscription> = members.iter().collect();
    sorted.sort_by(|a, b| {
        let key = |m: &MemberSubscription| (m.group_instance_id.is_none(), m.group_instance_id.clone(), m.member_id.clone());
        key(a).cmp(&key(b))
    });
    sorted
}

fn empty_assignment(members: &[MemberSubscription]) -> Assignment {
    by_insertion(members.iter().map(|m| (m.member_id.clone(), Vec::new())))
}

/// Kafka's `RangeAssignor`.
pub fn range(members: &[MemberSubscription], partitions: &BTreeMap<String, u32>) -> Assignment {
    let mut assignment = empty_assignment(members);
    let sorted = sorted_members(members);
    for (topic, &count) in partitions {
        let subscribers: Vec<&&MemberSubscription> =
            sorted.iter().filter(|m| m.topics.contains(topic)).collect();
        if subscribers.is_empty() {
            continue;
        }
        let per_member = count / subscribers.len() as u32;
        let extra = count % subscribers.len() as u32;
        let mut next = 0;
        for (i, member) in subscribers.iter().enumerate() {
            let take = per_member + u32::from((i as u32) < extra);
            let owned = assignment.get_mut(&member.member_id).expect("member listed");
            owned.extend((next..next + take).map(|p| TopicPartition::new(topic.as_str(), p)));
            next += take;
        }
    }
    sort_lists(assignment)
}

/// Kafka's `RoundRobinAssignor`.
pub fn round_robin(members: &[MemberSubscription], partitions: &BTreeMap<String, u32>) -> Assignment {
    let mut assignment = empty_assignment(members);
    let sorted = sorted_members(members);
    if sorted.is_empty() {
        return assignment;
    }
    let mut cursor = 0;
    for (topic, &count) in partitions {
        if !sorted.iter().any(|m| m.topics.contains(topic)) {
            continue;
        }
        for p in 0..count {
            while !sorted[cursor % sorted.len()].topics.contains(topic) {
                cursor += 1;
            }
            let member = &sorted[cursor % sorted.len()].member_id;
            assignment.get_mut(member).expect("member listed").push(TopicPartition::new(topic.as_str(), p));
            cursor += 1;
        }
    }
    sort_lists(assignment)
}

/// Balance first, then stickiness (the guarantees of `CooperativeStickyAssignor`).
///
/// 1. Every member keeps the partitions it owns that still exist and that it still subscribes to
///    (a partition claimed twice goes to the first claimant in member order).
/// 2. Unowned partitions go, in order, to the eligible member with the fewest partitions.
/// 3. While some member has two or more partitions more than another member that could take one,
///    its highest partition moves. Each move lowers the spread, so this ends, and it moves no more
///    partitions than balance needs.
pub fn cooperative_sticky(members: &[MemberSubscription], partitions: &BTreeMap<String, u32>) -> Assignment {
    let sorted = sorted_members(members);
    let exists = |tp: &TopicPartition| partitions.get(&tp.topic).is_some_and(|&n| tp.partition < n);
    let mut owner: BTreeMap<TopicPartition, usize> = BTreeMap::new();
    let mut lists: Vec<BTreeSet<TopicPartition>> = vec![BTreeSet::new(); sorted.len()];
    for (i, member) in sorted.iter().enumerate() {
        for tp in &member.owned {
            if exists(tp) && member.topics.contains(&tp.topic) && !owner.contains_key(tp) {
                owner.insert(tp.clone(), i);
                lists[i].insert(tp.clone());
            }
        }
    }
    for (topic, &count) in partitions {
        for p in 0..count {
            let tp = TopicPartition::new(topic.as_str(), p);
            if owner.contains_key(&tp) {
                continue;
            }
            let eligible = (0..sorted.len()).filter(|&i| sorted[i].topics.contains(topic));
            if let Some(i) = eligible.min_by_key(|&i| (lists[i].len(), i)) {
                owner.insert(tp.clone(), i);
                lists[i].insert(tp);
            }
        }
    }
    while let Some((from, to, tp)) = find_move(&sorted, &lists) {
        lists[from].remove(&tp);
        lists[to].insert(tp);
    }
    by_insertion(sorted.iter().zip(lists).map(|(m, list)| (m.member_id.clone(), list.into_iter().collect())))
}

/// The most loaded member that can hand a partition to a member with at least two fewer.
fn find_move(
    sorted: &[&MemberSubscription],
    lists: &[BTreeSet<TopicPartition>],
) -> Option<(usize, usize, TopicPartition)> {
    let mut by_load: Vec<usize> = (0..sorted.len()).collect();
    by_load.sort_by_key(|&i| (std::cmp::Reverse(lists[i].len()), i));
    for &from in &by_load {
        let receivers = by_load.iter().rev().filter(|&&to| lists[to].len() + 1 < lists[from].len());
        for &to in receivers {
            if let Some(tp) = lists[from].iter().rev().find(|tp| sorted[to].topics.contains(&tp.topic)) {
                return Some((from, to, tp.clone()));
            }
        }
    }
    None
}

fn sort_lists(mut assignment: Assignment) -> Assignment {
    for list in assignment.values_mut() {
        list.sort();
    }
    assignment
}

#[cfg(test)]
mod tests {
    use super::*;

    fn topics(list: &[(&str, u32)]) -> BTreeMap<String, u32> {
        list.iter().map(|(t, n)| (t.to_string(), *n)).collect()
    }

    #[test]
    fn static_members_sort_before_dynamic_ones() {
        let mut s = MemberSubscription::new("a-dynamic", &["t"]);
        let mut st = MemberSubscription::new("z-static", &["t"]);
        st.group_instance_id = Some("instance-1".into());
        s.owned.clear();
        let members = [s, st];
        let sorted = sorted_members(&members);
        assert_eq!(sorted[0].member_id, "z-static");
    }

    /// A member of topic `t` that owns the given partitions of it.
    fn owning(member_id: &str, partitions: &[u32]) -> MemberSubscription {
        let mut member = MemberSubscription::new(member_id, &["t"]);
        member.owned = partitions.iter().map(|&p| TopicPartition::new("t", p)).collect();
        member
    }

    fn partitions_of(result: &Assignment, member_id: &str) -> BTreeSet<u32> {
        result[member_id].iter().map(|tp| tp.partition).collect()
    }

    /// Partitions that end up with a different member than the one that owned them.
    fn moved(members: &[MemberSubscription], result: &Assignment) -> usize {
        members.iter().map(|m| m.owned.iter().filter(|tp| !result[&m.member_id].contains(tp)).count()).sum()
    }

    #[test]
    fn sticky_keeps_owners_and_balances() {
        // a owns five of six partitions, b owns one: balance needs exactly two to move from a to b.
        let members = [owning("a", &[1, 2, 3, 4, 5]), owning("b", &[0])];
        let result = cooperative_sticky(&members, &topics(&[("t", 6)]));
        let (a, b) = (partitions_of(&result, "a"), partitions_of(&result, "b"));
        assert_eq!((a.len(), b.len()), (3, 3), "{result:?}");
        let a_before: BTreeSet<u32> = [1, 2, 3, 4, 5].into();
        assert!(a.is_subset(&a_before), "a gained a partition it did not own: {a:?}");
        assert!(b.contains(&0), "b lost the partition it owned: {b:?}");
        let given_up: BTreeSet<u32> = a_before.difference(&a).copied().collect();
        let gained: BTreeSet<u32> = b.iter().copied().filter(|&p| p != 0).collect();
        assert_eq!(gained, given_up, "b must get exactly what a gave up");
        assert_eq!(moved(&members, &result), 2);
    }

    #[test]
    fn sticky_balanced_group_survives_a_join_with_minimal_movement() {
        // Three balanced members of nine partitions; d joins and needs two (3, 2, 2, 2).
        let members = [owning("a", &[0, 1, 2]), owning("b", &[3, 4, 5]), owning("c", &[6, 7, 8]), owning("d", &[])];
        let result = cooperative_sticky(&members, &topics(&[("t", 9)]));
        for m in &members[..3] {
            let before: BTreeSet<u32> = m.owned.iter().map(|tp| tp.partition).collect();
            let after = partitions_of(&result, &m.member_id);
            assert!(after.is_subset(&before), "{} took a partition it did not own: {after:?}", m.member_id);
        }
        let mut counts: Vec<usize> = result.values().map(Vec::len).collect();
        counts.sort();
        assert_eq!(counts, vec![2, 2, 2, 3], "{result:?}");
        assert_eq!(moved(&members, &result), 2, "only d's two partitions may move: {result:?}");
    }

    #[test]
    fn sticky_keeps_a_balanced_assignment_unchanged() {
        // Deliberately not what a fresh assignment would give.
        let members = [owning("a", &[0, 4]), owning("b", &[1, 3]), owning("c", &[2, 5])];
        let result = cooperative_sticky(&members, &topics(&[("t", 6)]));
        for m in &members {
            assert_eq!(result[&m.member_id], m.owned, "{} moved", m.member_id);
        }
    }

    #[test]
    fn sticky_spreads_a_leavers_partitions_and_keeps_the_rest() {
        // c (which owned 4 and 5) has left: a and b keep theirs and take one of c's each.
        let members = [owning("a", &[0, 1]), owning("b", &[2, 3])];
        let result = cooperative_sticky(&members, &topics(&[("t", 6)]));
        let (a, b) = (partitions_of(&result, "a"), partitions_of(&result, "b"));
        assert!(a.is_superset(&[0, 1].into()) && b.is_superset(&[2, 3].into()), "{result:?}");
        assert_eq!((a.len(), b.len()), (3, 3), "{result:?}");
        assert_eq!(&a | &b, (0..6).collect::<BTreeSet<u32>>());
    }

    #[test]
    fn idle_members_get_nothing() {
        let members: Vec<MemberSubscription> =
            ["c1", "c2", "c3"].iter().map(|m| MemberSubscription::new(m, &["t"])).collect();
        for kind in [AssignorKind::Range, AssignorKind::RoundRobin, AssignorKind::CooperativeSticky] {
            let result = kind.assign(&members, &topics(&[("t", 2)]));
            let total: usize = result.values().map(Vec::len).sum();
            assert_eq!(total, 2, "{kind:?}");
            assert!(result.values().any(Vec::is_empty), "{kind:?}");
        }
    }
}
