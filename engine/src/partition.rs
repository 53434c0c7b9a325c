//! A partition's replicas: leader, in-sync replicas (ISR) and the high watermark.
//!
//! **ISR.** The in-sync replicas are the leader and the followers that keep up with it. A follower
//! leaves the ISR when it has not caught up with the leader's log end offset for
//! `replica.lag.time.max.ms` (30 s; the leader checks every half of that,
//! `Partition.maybeShrinkIsr` / `getOutOfSyncReplicas`), or at once when its broker stops (the
//! controller fences it). It rejoins once its LEO reaches the leader's high watermark and the
//! current leader epoch (`Partition.maybeExpandIsr`, `isFollowerInSync`).
//!
//! **High watermark.** The leader's HW is the smallest LEO over the ISR, the leader's own
//! included; a follower that is caught up but not yet back in the ISR holds it too, so that it can
//! rejoin (`Partition.maybeIncrementLeaderHW`). Since Kafka 3.7 (KAFKA-15583) the HW does not
//! move at all while the ISR is smaller than `min(min.insync.replicas, replication factor)`.
//! Records at or above the HW exist on the leader but are *not yet committed*: consumers do not
//! see them, and a change of leader may lose them. Followers learn the HW from their next fetch
//! response, so theirs trails the leader's.
//!
//! Not modelled (said on screen): eligible leader replicas (KIP-966, on by default for new
//! clusters since Kafka 4.1), so without ELR the last ISR member of a partition whose brokers all
//! stopped stays in the ISR, as Kafka keeps it, and is the only replica a clean election may
//! pick; the controller applies ISR changes at once (Kafka's `AlterPartition` takes a round trip).

use serde::{Deserialize, Serialize};

use crate::acknowledgement::{Acks, SendError};
use crate::broker::Broker;
use crate::log::PartitionLog;
use crate::record::Record;
use crate::replica::{FollowerState, Replica};
use crate::topic::Topic;

/// What the replication rules of one partition need to know besides its replicas.
#[derive(Debug, Clone, Copy)]
pub struct Rules<'a> {
    /// The topic's `min.insync.replicas`.
    pub min_insync_replicas: u32,
    /// `replica.lag.time.max.ms`
    pub lag_max_ms: u64,
    pub now_ms: u64,
    /// The cluster's brokers, running or not.
    pub brokers: &'a [Broker],
}

impl Rules<'_> {
    /// Whether `broker` runs (the controller has not fenced it).
    pub fn is_running(&self, broker: u32) -> bool {
        self.brokers.iter().any(|b| b.id == broker && b.online)
    }
}

/// The in-sync replicas an acks=all send needs: `min.insync.replicas`, but never more than the
/// partition has. Kafka accepts any `min.insync.replicas`, and its leader enforces at most the
/// replication factor (`Partition.effectiveMinIsr`, Kafka 3.7 and later).
pub fn effective_min_isr(min_insync_replicas: u32, replication_factor: usize) -> usize {
    (min_insync_replicas.max(1) as usize).min(replication_factor)
}

/// Replication state of one partition, as the controller and the leader keep it.
#[derive(Debug, Clone, PartialEq)]
pub struct PartitionReplicas {
    /// In assignment order: the first is the preferred leader.
    pub replicas: Vec<Replica>,
    /// `None` while the partition is offline.
    pub leader: Option<u32>,
    /// Incremented on every change of leader, to none included.
    pub leader_epoch: u32,
    /// In-sync replicas in the order they (re)joined, as `kafka-topics.sh --describe` prints them.
    pub isr: Vec<u32>,
    /// The current leader came from an unclean election.
    pub unclean_leader: bool,
    /// The broker whose log is the partition's log in [`crate::topic::Topic::partitions`]: the
    /// leader, or the last leader while the partition is offline.
    pub(crate) holder: u32,
    /// The leader's LEO when it took over: a follower must reach it to join the ISR.
    pub(crate) leader_epoch_start_offset: u64,
}

/// The high watermark moved on a leader.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct HighWatermarkMove {
    pub from: u64,
    pub to: u64,
}

impl PartitionReplicas {
    /// A new partition (`ReplicationControlManager.createTopic`): the ISR is the replicas on
    /// running brokers, and the first of them leads in epoch 0. `None` when none runs.
    pub(crate) fn new(partition: u32, placed: &[u32], brokers: &[Broker], log: &mut PartitionLog, now_ms: u64) -> Option<PartitionReplicas> {
        let isr: Vec<u32> = placed.iter().copied().filter(|&b| crate::broker::is_running(brokers, b)).collect();
        let leader = *isr.first()?;
        log.epochs.assign(0, log.log_end_offset());
        let replicas = placed
            .iter()
            .map(|&b| {
                let mut replica = Replica::new(b, (b != leader).then(|| PartitionLog::new(partition)));
                replica.state = FollowerState::reset(now_ms, isr.contains(&b));
                replica
            })
            .collect();
        Some(PartitionReplicas { replicas, leader: Some(leader), leader_epoch: 0, isr, unclean_leader: false, holder: leader, leader_epoch_start_offset: 0 })
    }

    pub fn brokers(&self) -> impl Iterator<Item = u32> + '_ {
        self.replicas.iter().map(|r| r.broker)
    }
    /// The first replica in assignment order.
    pub fn preferred_leader(&self) -> Option<u32> {
        self.replicas.first().map(|r| r.broker)
    }
    pub fn is_offline(&self) -> bool {
        self.leader.is_none()
    }
    pub fn in_sync(&self, broker: u32) -> bool {
        self.isr.contains(&broker)
    }
    pub fn replica(&self, broker: u32) -> Option<&Replica> {
        self.replicas.iter().find(|r| r.broker == broker)
    }
    pub(crate) fn replica_mut(&mut self, broker: u32) -> Option<&mut Replica> {
        self.replicas.iter_mut().find(|r| r.broker == broker)
    }

    /// The log of the replica on `broker`: `partition_log` is the holder's.
    pub fn log_on<'a>(&'a self, broker: u32, partition_log: &'a PartitionLog) -> Option<&'a PartitionLog> {
        let replica = self.replica(broker)?;
        Some(replica.log.as_ref().unwrap_or(partition_log))
    }

    /// `min(min.insync.replicas, replication factor)` (`Partition.effectiveMinIsr`).
    pub fn effective_min_isr(&self, min_insync_replicas: u32) -> usize {
        effective_min_isr(min_insync_replicas, self.replicas.len())
    }

    pub fn is_under_min_isr(&self, min_insync_replicas: u32) -> bool {
        self.isr.len() < self.effective_min_isr(min_insync_replicas)
    }

    /// `Partition.maybeIncrementLeaderHW`: the leader's HW becomes the smallest LEO over the ISR
    /// and over followers that are caught up and may join it, unless the ISR is under min ISR.
    pub(crate) fn maybe_increment_high_watermark(&self, log: &mut PartitionLog, rules: &Rules<'_>) -> Option<HighWatermarkMove> {
        let leader = self.leader?;
        if self.is_under_min_isr(rules.min_insync_replicas) {
            return None;
        }
        let leader_leo = log.log_end_offset();
        let mut hw = leader_leo;
        for replica in self.replicas.iter().filter(|r| r.broker != leader) {
            let state = &replica.state;
            let waits = self.in_sync(replica.broker)
                || (state.is_caught_up(leader_leo, rules.now_ms, rules.lag_max_ms) && rules.is_running(replica.broker));
            if waits {
                // An unknown LEO holds the HW where it is.
                hw = hw.min(state.log_end_offset.unwrap_or(0));
            }
        }
        let from = log.raise_high_watermark(hw)?;
        Some(HighWatermarkMove { from, to: log.high_watermark() })
    }

    /// `Partition.maybeExpandIsr`: a running follower outside the ISR joins once its LEO reached
    /// the leader's HW and the current epoch's start offset. Returns whether it joined.
    pub(crate) fn maybe_expand_isr(&mut self, broker: u32, log: &PartitionLog, rules: &Rules<'_>) -> bool {
        let Some(leo) = self.replica(broker).and_then(|r| r.state.log_end_offset) else { return false };
        let joins = !self.in_sync(broker)
            && rules.is_running(broker)
            && leo >= log.high_watermark()
            && leo >= self.leader_epoch_start_offset;
        if joins {
            self.isr.push(broker);
        }
        joins
    }

    /// `Partition.getOutOfSyncReplicas`: ISR followers that have not caught up within
    /// `replica.lag.time.max.ms`.
    pub(crate) fn out_of_sync(&self, leader_log_end_offset: u64, rules: &Rules<'_>) -> Vec<u32> {
        self.replicas
            .iter()
            .filter(|r| Some(r.broker) != self.leader && self.in_sync(r.broker))
            .filter(|r| !r.state.is_caught_up(leader_log_end_offset, rules.now_ms, rules.lag_max_ms))
            .map(|r| r.broker)
            .collect()
    }

    /// Makes `new_leader` the leader (or takes the partition offline with `None`): the epoch
    /// increments, the new leader's log becomes the partition log, it records its epoch's start
    /// (`makeLeader`), its view of every follower starts afresh, and fetches in flight are void.
    pub(crate) fn change_leader(&mut self, new_leader: Option<u32>, partition_log: &mut PartitionLog, now_ms: u64) {
        self.leader_epoch += 1;
        self.leader = new_leader;
        for replica in &mut self.replicas {
            replica.fetch = None;
        }
        let Some(leader) = new_leader else { return };
        if leader != self.holder {
            let incoming = self.replica_mut(leader).and_then(|r| r.log.take()).unwrap_or_else(|| PartitionLog::new(partition_log.partition()));
            let outgoing = std::mem::replace(partition_log, incoming);
            let holder = self.holder;
            if let Some(old) = self.replica_mut(holder) {
                old.log = Some(outgoing);
            }
            self.holder = leader;
        }
        let epoch = self.leader_epoch;
        partition_log.epochs.assign(epoch, partition_log.log_end_offset());
        self.leader_epoch_start_offset = partition_log.log_end_offset();
        let isr = self.isr.clone();
        for replica in &mut self.replicas {
            replica.state = FollowerState::reset(now_ms, isr.contains(&replica.broker));
        }
    }
}

/// What the leader did with a produced record.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct LeaderAppend {
    pub offset: u64,
    pub rolled_segment: Option<u64>,
    /// Idempotence found the record already in the log at `offset`; nothing was written.
    pub duplicate: bool,
    pub leader_epoch: u32,
    /// The broker that leads in `leader_epoch`.
    pub leader: u32,
    pub high_watermark: Option<HighWatermarkMove>,
}

impl Topic {
    /// `Partition.appendRecordsToLeader`: refuses the record while the partition is offline, or
    /// for `acks=all` while the ISR is under min ISR; with `check_duplicate` (a retry of an
    /// idempotent producer) returns the copy already in the log; otherwise appends it and lets
    /// the high watermark follow (with a lone in-sync replica it moves at once).
    pub(crate) fn append_to_leader(&mut self, partition: u32, record: Record, acks: Acks, check_duplicate: bool, rules: &Rules<'_>) -> Result<LeaderAppend, SendError> {
        let (state, log) = (&self.replication[partition as usize], &mut self.partitions[partition as usize]);
        let Some(leader) = state.leader.filter(|_| !state.is_offline()) else { return Err(SendError::LeaderNotAvailable) };
        let min_insync_replicas = self.config.min_insync_replicas;
        if acks == Acks::All && state.is_under_min_isr(min_insync_replicas) {
            return Err(SendError::NotEnoughReplicas { isr: state.isr.clone(), min_insync_replicas });
        }
        let leader_epoch = state.leader_epoch;
        if let Some(offset) = record.sequence.filter(|_| check_duplicate).and_then(|stamp| log.producer_states().find(&stamp)) {
            return Ok(LeaderAppend { offset, rolled_segment: None, duplicate: true, leader_epoch, leader, high_watermark: None });
        }
        // LogAppendTime: the broker stamps each append with its clock, a retry's copy too.
        let mut record = record;
        if self.config.message_timestamp_type == crate::record::TimestampType::LogAppendTime {
            record.timestamp_ms = rules.now_ms;
        }
        let appended = log.append(record, &self.config, rules.now_ms);
        let high_watermark = state.maybe_increment_high_watermark(log, rules);
        Ok(LeaderAppend { offset: appended.offset, rolled_segment: appended.rolled_segment, duplicate: false, leader_epoch, leader, high_watermark })
    }

    /// The replication rules for this topic's partitions.
    pub(crate) fn rules<'a>(&self, brokers: &'a [Broker], lag_max_ms: u64, now_ms: u64) -> Rules<'a> {
        Rules { min_insync_replicas: self.config.min_insync_replicas, lag_max_ms, now_ms, brokers }
    }
}

/// One row of `kafka-topics.sh --describe`, for a partition.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PartitionDescription {
    pub topic: String,
    pub partition: u32,
    pub leader: Option<u32>,
    pub leader_epoch: u32,
    pub replicas: Vec<u32>,
    pub isr: Vec<u32>,
}

impl PartitionDescription {
    /// The line the tool prints: `Topic: t\tPartition: 0\tLeader: 1\tReplicas: 1,2,3\tIsr: 1,2,3`,
    /// with `Leader: none` while the partition is offline.
    pub fn line(&self) -> String {
        let list = |ids: &[u32]| ids.iter().map(u32::to_string).collect::<Vec<_>>().join(",");
        let leader = self.leader.map_or("none".to_string(), |l| l.to_string());
        format!("Topic: {}\tPartition: {}\tLeader: {}\tReplicas: {}\tIsr: {}", self.topic, self.partition, leader, list(&self.replicas), list(&self.isr))
    }
}
