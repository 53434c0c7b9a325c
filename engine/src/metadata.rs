//! Client metadata: how a consumer group learns that a topic has more partitions.
//!
//! Clients do not watch the cluster. Each keeps a cached copy of the cluster metadata (topics,
//! partitions, leaders) and refreshes it every `metadata.max.age.ms` (5 minutes by default), or at
//! once when it needs a topic it has no metadata for. The group leader compares its latest
//! metadata with the metadata its last assignment was based on; when a subscribed topic has
//! grown, it rejoins, and the group rebalances (`ConsumerCoordinator.rejoinNeededOrPending`).
//!
//! So partitions added with `kafka-topics.sh --alter` go unread for up to `metadata.max.age.ms`,
//! and a group with `auto.offset.reset=latest` then starts them at their end: it never reads the
//! records written to them in between.
//!
//! Simplification: the group's metadata is its leader's, with one refresh schedule that starts
//! when its first assignment is made and is not reset when the leader changes; a refresh that
//! falls due during a join phase waits until it completes.

use std::collections::{BTreeMap, BTreeSet};

use crate::consumer_group::{ConsumerGroup, GroupCtx};
use crate::simulation::Simulation;
use crate::sorted::by_insertion;
use crate::topic::Topics;

impl ConsumerGroup {
    /// Topics any member subscribes to.
    pub(crate) fn subscribed_topics(&self) -> BTreeSet<String> {
        by_insertion(self.members.values().flat_map(|m| m.topics.iter().cloned()))
    }

    /// Partition counts of the subscribed topics, as the cluster has them now.
    pub(crate) fn partition_counts(&self, topics: &Topics) -> BTreeMap<String, u32> {
        by_insertion(self.subscribed_topics().into_iter().filter_map(|t| topics.get(&t).map(|topic| (t, topic.partition_count()))))
    }

    /// What the leader's metadata says about the subscribed topics, for an assignment. A topic it
    /// has no metadata for makes it fetch all metadata now (`Metadata.requestUpdateForNewTopics`).
    pub(crate) fn leader_metadata(&mut self, ctx: &GroupCtx<'_>) -> BTreeMap<String, u32> {
        let subscribed = self.subscribed_topics();
        if subscribed.iter().any(|t| !self.known_partitions.contains_key(t)) {
            self.metadata_refreshed_ms = ctx.now_ms;
            return self.partition_counts(ctx.topics);
        }
        by_insertion(self.known_partitions.iter().filter(|(t, _)| subscribed.contains(*t)).map(|(t, n)| (t.clone(), *n)))
    }

    /// The periodic refresh, once `metadata.max.age.ms` has passed since the last one. Returns
    /// whether a subscribed topic's partition count changed, which calls for a rebalance.
    pub(crate) fn refresh_metadata_if_due(&mut self, ctx: &mut GroupCtx<'_>) -> bool {
        let due = ctx.now_ms.saturating_sub(self.metadata_refreshed_ms) >= ctx.timing.metadata_max_age_ms;
        if self.members.is_empty() || !due {
            return false;
        }
        self.metadata_refreshed_ms = ctx.now_ms;
        let fresh = self.partition_counts(ctx.topics);
        if fresh == self.known_partitions {
            return false;
        }
        self.known_partitions = fresh;
        true
    }
}

impl Simulation {
    /// Subscribed topics that now have more partitions than `group`'s metadata knows, and how
    /// long until the refresh that finds them (`metadata.max.age.ms` after the last one). Until
    /// then nobody in the group reads the new partitions.
    pub fn unnoticed_partitions(&self, group: &ConsumerGroup) -> Option<(Vec<String>, u64)> {
        let topics: Vec<String> = group
            .known_partitions
            .iter()
            .filter(|(t, &n)| self.topic(t).is_some_and(|topic| topic.partition_count() > n))
            .map(|(t, _)| t.clone())
            .collect();
        let due = group.metadata_refreshed_ms.saturating_add(self.config().metadata_max_age_ms);
        (!topics.is_empty()).then(|| (topics, due.saturating_sub(self.now_ms())))
    }
}
