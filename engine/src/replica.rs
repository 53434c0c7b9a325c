//! A replica: one broker's copy of a partition.
//!
//! A partition with replication factor 3 has three replicas on three brokers (here: in three data
//! centers). One is the *leader*: it takes every write and serves every read. The others are
//! *followers*: they copy the leader's log by sending it Fetch requests, exactly as consumers do,
//! each asking from its own log end offset (LEO). That fetch offset is how the leader learns how
//! far each follower has come.
//!
//! The leader keeps, per follower, what Kafka's `Replica.ReplicaState` keeps: the follower's LEO
//! as its last fetch reported it, and the last time the follower had caught up with the leader's
//! LEO (`lastCaughtUpTimeMs`, updated by `Replica.updateFetchStateOrThrow`). The in-sync replica
//! set and the high watermark are computed from those (see [`crate::partition`]).
//!
//! Fetches are messages in flight: a follower's request sent in tick `t` reaches the leader at
//! once, which records the follower's LEO from it; the answer reaches the follower in tick `t + 1`
//! with the records the leader has by then (up to `replica.fetch.max.bytes`) and its high
//! watermark, as Kafka's leader holds a follower fetch open until data arrives (`DelayedFetch`,
//! `replica.fetch.wait.max.ms`). The follower then sends its next request. A fetch in flight is
//! dropped when the leader changes (the follower refetches from the new leader) or either broker
//! stops.
//!
//! Simplification stated on screen: a follower fetch takes exactly one tick there and back.

use serde::{Deserialize, Serialize};

use crate::log::PartitionLog;

/// One broker's copy of a partition.
#[derive(Debug, Clone, PartialEq)]
pub struct Replica {
    pub broker: u32,
    /// This replica's log. `None` for the replica whose log is the partition's log in
    /// [`crate::topic::Topic::partitions`] (the leader, or the last leader while offline).
    pub(crate) log: Option<PartitionLog>,
    /// What the leader knows of this replica as a follower.
    pub(crate) state: FollowerState,
    /// The answer to this follower's last fetch, on its way back.
    pub(crate) fetch: Option<InFlightFetch>,
}

impl Replica {
    pub(crate) fn new(broker: u32, log: Option<PartitionLog>) -> Replica {
        Replica { broker, log, state: FollowerState::default(), fetch: None }
    }
}

/// The leader's record of one follower (`Replica.ReplicaState`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct FollowerState {
    /// The follower's LEO as its last fetch said; `None` until a fetch reached this leader.
    pub log_end_offset: Option<u64>,
    /// The last time the follower's fetch reached the leader's LEO of that time.
    pub last_caught_up_ms: u64,
    /// The leader's LEO when the previous fetch arrived.
    pub last_fetch_leader_log_end_offset: u64,
    pub last_fetch_ms: u64,
}

impl FollowerState {
    /// State after a change of leader (`Replica.resetReplicaState` for a new leader): the LEO is
    /// unknown until the next fetch; an ISR member counts as caught up now, others not at all.
    pub(crate) fn reset(now_ms: u64, in_sync: bool) -> FollowerState {
        FollowerState { last_caught_up_ms: if in_sync { now_ms } else { 0 }, ..FollowerState::default() }
    }

    /// `ReplicaState.isCaughtUp`: at the leader's LEO, or caught up within `replica.lag.time.max.ms`.
    pub fn is_caught_up(&self, leader_log_end_offset: u64, now_ms: u64, lag_max_ms: u64) -> bool {
        self.log_end_offset == Some(leader_log_end_offset) || now_ms.saturating_sub(self.last_caught_up_ms) <= lag_max_ms
    }

    /// `Replica.updateFetchStateOrThrow`: a fetch from `fetch_offset` arrived at `now_ms` while
    /// the leader's LEO was `leader_leo`. A fetch that reaches the leader's current LEO caught up
    /// now; one that reaches the LEO the leader had at the previous fetch caught up back then.
    pub(crate) fn record_fetch(&mut self, fetch_offset: u64, leader_leo: u64, now_ms: u64) {
        if fetch_offset >= leader_leo {
            self.last_caught_up_ms = self.last_caught_up_ms.max(now_ms);
        } else if fetch_offset >= self.last_fetch_leader_log_end_offset {
            self.last_caught_up_ms = self.last_caught_up_ms.max(self.last_fetch_ms);
        }
        self.log_end_offset = Some(fetch_offset);
        self.last_fetch_leader_log_end_offset = self.last_fetch_leader_log_end_offset.max(leader_leo);
        self.last_fetch_ms = now_ms;
    }
}

/// The leader's answer to a follower's fetch, travelling back.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct InFlightFetch {
    /// The leader epoch it was answered in; a newer leader makes it void.
    pub leader_epoch: u32,
    pub response: FetchResponse,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum FetchResponse {
    /// Records from `from` on, as many as the leader has when the answer leaves it (up to
    /// `replica.fetch.max.bytes`), with its high watermark then.
    Records { from: u64 },
    /// The follower's last epoch ended at `end_offset` in the leader's log (or the leader never
    /// had it): the follower must truncate before it fetches on (KIP-320's diverging epoch).
    Diverging { epoch: u32, end_offset: u64 },
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_follower_that_keeps_up_with_the_previous_leo_counts_as_caught_up_then() {
        let mut state = FollowerState::reset(0, false);
        state.record_fetch(0, 5, 1_000); // behind: leader had 5
        assert_eq!(state.last_caught_up_ms, 0);
        state.record_fetch(5, 8, 2_000); // reached the LEO of the previous fetch (5)
        assert_eq!(state.last_caught_up_ms, 1_000);
        state.record_fetch(8, 8, 3_000); // at the LEO now
        assert_eq!(state.last_caught_up_ms, 3_000);
        assert!(state.is_caught_up(8, 40_000, 30_000));
        assert!(!state.is_caught_up(9, 40_000, 30_000));
    }
}
