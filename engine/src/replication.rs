//! Replication: followers copying the leader, tick by tick.
//!
//! On every tick each running follower of every partition with a leader first takes in the answer
//! to the fetch it sent the tick before, then sends its next fetch from its new log end offset
//! (see [`crate::replica`]). The leader handles that fetch at once, as Kafka's
//! `Partition.fetchRecords` does for a follower:
//!
//! 1. It checks the follower's history: if the follower's latest leader epoch ended earlier in the
//!    leader's log than the follower's log does, or the leader never had that epoch, the answer is
//!    a *diverging epoch* and the follower truncates on arrival (KIP-320; see
//!    [`crate::leader_epoch`]).
//! 2. Otherwise the fetch offset tells the leader the follower's LEO
//!    (`Partition.updateFollowerFetchState`); the follower may join the ISR, and the high
//!    watermark may move (see [`crate::partition`]).
//! 3. The answer carries the records from the fetch offset (up to `replica.fetch.max.bytes`) and
//!    the leader's high watermark, which the follower adopts when the answer arrives; the leader
//!    completes it when the answer leaves, so records written meanwhile travel with it.
//!
//! Every half of `replica.lag.time.max.ms` the leader also drops followers that did not keep up
//! from the ISR (`ReplicaManager`'s `isr-expiration` task, `Partition.maybeShrinkIsr`).
//!
//! Simplification stated on screen: retention and compaction run on the leader's log; followers
//! copy its result with the next fetch (Kafka runs them on every replica, with the same outcome).
//! Consumers always read from the leader (KIP-392's follower fetching is not modelled).

use crate::event::{Event, IsrShrinkReason};
use crate::leader_epoch::truncation_offset;
use crate::partition::Rules;
use crate::replica::{FetchResponse, InFlightFetch};
use crate::simulation::Simulation;
use crate::topic::Topic;

impl Simulation {
    /// One tick of follower fetches on every partition (the high watermark follows).
    pub(crate) fn replicate(&mut self, events: &mut Vec<Event>) {
        let fetch_max_bytes = self.config.replica_fetch_max_bytes;
        self.each_replicated_partition(|topic, partition, rules| fetch_round(topic, partition, rules, fetch_max_bytes, events));
    }

    /// The leaders' periodic check for followers that lag (every half `replica.lag.time.max.ms`,
    /// as `ReplicaManager.maybeShrinkIsr` is scheduled). It runs after the tick's produce
    /// answers: a leader completes a waiting `acks=all` send the moment its high watermark
    /// passes the record (`Partition.tryCompleteDelayedRequests`), so a shrink later in the same
    /// tick cannot turn that success into `NOT_ENOUGH_REPLICAS_AFTER_APPEND`.
    pub(crate) fn shrink_lagging_isrs(&mut self, events: &mut Vec<Event>) {
        if self.clock.crossed((self.config.replica_lag_time_max_ms / 2).max(1)) {
            self.each_replicated_partition(|topic, partition, rules| shrink_isr(topic, partition, rules, events));
        }
    }

    fn each_replicated_partition(&mut self, mut run: impl FnMut(&mut Topic, u32, &Rules<'_>)) {
        let now_ms = self.clock.now_ms();
        for topic in self.topics.values_mut() {
            let rules = topic.rules(&self.brokers, self.config.replica_lag_time_max_ms, now_ms);
            for partition in 0..topic.partition_count() {
                if topic.replication[partition as usize].replicas.len() >= 2 {
                    run(topic, partition, &rules);
                }
            }
        }
    }
}

/// Every running follower of one partition takes in its last answer and fetches again.
fn fetch_round(topic: &mut Topic, partition: u32, rules: &Rules<'_>, fetch_max_bytes: u64, events: &mut Vec<Event>) {
    let state = &topic.replication[partition as usize];
    let Some(leader) = state.leader else { return };
    let followers: Vec<u32> = state.brokers().filter(|&b| b != leader && rules.is_running(b)).collect();
    for broker in followers {
        receive(topic, partition, broker, rules, fetch_max_bytes, events);
        send_fetch(topic, partition, broker, rules, events);
    }
}

/// The follower on `broker` takes in the answer to its previous fetch.
fn receive(topic: &mut Topic, partition: u32, broker: u32, rules: &Rules<'_>, fetch_max_bytes: u64, events: &mut Vec<Event>) {
    let Topic { name, config, partitions, replication, .. } = topic;
    let (leader_log, state) = (&partitions[partition as usize], &mut replication[partition as usize]);
    let (Some(leader), leader_epoch) = (state.leader, state.leader_epoch) else { return };
    let Some(replica) = state.replica_mut(broker) else { return };
    let Some(fetch) = replica.fetch.take().filter(|f| f.leader_epoch == leader_epoch) else { return };
    let Some(log) = replica.log.as_mut() else { return };
    let before = log.log_end_offset();
    match fetch.response {
        FetchResponse::Records { from } => {
            let to = leader_log.fetch_end(from, fetch_max_bytes);
            log.replicate_from(leader_log, to, leader_log.high_watermark(), rules.now_ms, config);
            if log.log_end_offset() > before {
                let (topic, to) = (name.clone(), log.log_end_offset());
                events.push(Event::ReplicaFetched { topic, partition, broker, leader, from: before, to });
            }
        }
        FetchResponse::Diverging { .. } => {
            let to = truncation_offset(log.leader_epochs(), before, leader_log.leader_epochs(), leader_log.log_end_offset());
            if log.truncate_to(to) > 0 {
                events.push(Event::ReplicaTruncated { topic: name.clone(), partition, broker, from: before, to: log.log_end_offset() });
            }
        }
    }
}

/// The follower on `broker` fetches from its log end offset; the leader takes note at once and
/// answers when the answer leaves (see [`receive`]).
fn send_fetch(topic: &mut Topic, partition: u32, broker: u32, rules: &Rules<'_>, events: &mut Vec<Event>) {
    let Topic { name, partitions, replication, .. } = topic;
    let (leader_log, state) = (&mut partitions[partition as usize], &mut replication[partition as usize]);
    let leader_epoch = state.leader_epoch;
    let Some(replica) = state.replica_mut(broker) else { return };
    let Some(log) = replica.log.as_ref() else { return };
    let (fetch_offset, last_epoch) = (log.log_end_offset(), log.leader_epochs().latest_epoch());
    let leader_end = leader_log.log_end_offset();
    if let Some(epoch) = last_epoch {
        let diverging = match leader_log.leader_epochs().end_offset_for(epoch, leader_end) {
            Some((found, end_offset)) if found < epoch || end_offset < fetch_offset => Some((found, end_offset)),
            Some(_) => None,
            None => Some((epoch, leader_log.log_start_offset())),
        };
        if let Some((epoch, end_offset)) = diverging {
            replica.fetch = Some(InFlightFetch { leader_epoch, response: FetchResponse::Diverging { epoch, end_offset } });
            return;
        }
    }
    replica.state.record_fetch(fetch_offset, leader_end, rules.now_ms);
    if state.maybe_expand_isr(broker, leader_log, rules) {
        events.push(Event::IsrExpanded { topic: name.clone(), partition, broker, isr: state.isr.clone() });
    }
    if let Some(hw) = state.maybe_increment_high_watermark(leader_log, rules) {
        events.push(Event::HighWatermarkAdvanced { topic: name.clone(), partition, from: hw.from, to: hw.to });
    }
    let response = FetchResponse::Records { from: fetch_offset };
    if let Some(replica) = state.replica_mut(broker) {
        replica.fetch = Some(InFlightFetch { leader_epoch, response });
    }
}

/// The leader drops followers that did not keep up from the ISR, then lets the HW follow.
fn shrink_isr(topic: &mut Topic, partition: u32, rules: &Rules<'_>, events: &mut Vec<Event>) {
    let Topic { name, partitions, replication, .. } = topic;
    let (log, state) = (&mut partitions[partition as usize], &mut replication[partition as usize]);
    if state.is_offline() {
        return;
    }
    let lagging = state.out_of_sync(log.log_end_offset(), rules);
    for &broker in &lagging {
        state.isr.retain(|&b| b != broker);
        events.push(Event::IsrShrunk { topic: name.clone(), partition, broker, isr: state.isr.clone(), reason: IsrShrinkReason::Lagging });
    }
    if !lagging.is_empty() {
        if let Some(hw) = state.maybe_increment_high_watermark(log, rules) {
            events.push(Event::HighWatermarkAdvanced { topic: name.clone(), partition, from: hw.from, to: hw.to });
        }
    }
}
