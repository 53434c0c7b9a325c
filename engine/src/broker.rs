//! Brokers: the servers of a Kafka cluster.
//!
//! The course's cluster has three brokers, one per data center (`broker.rack`). Each partition
//! has replicas on several brokers; one of them, the *leader*, takes its writes (see
//! [`crate::partition`]). A broker can be stopped and started again, as when a data center goes
//! dark: the KRaft controller *fences* a stopped broker, removes it from every ISR and elects new
//! leaders for the partitions it led (see [`crate::election`]).
//!
//! Simplifications stated on screen: the controller notices a stopped broker at once (Kafka
//! waits `broker.session.timeout.ms`, 9 s, for missed heartbeats, or acts at once on a controlled
//! shutdown); a stopped broker keeps its whole log, as if every write had been flushed to disk;
//! the controller quorum itself never fails; consumer group coordinators are not affected.
//!
//! Follows the KRaft controller: `ClusterControlManager` fences a broker that stops, and
//! `ReplicationControlManager` takes it out of every ISR and elects new leaders.

use serde::{Deserialize, Serialize};

/// A broker, the rack (data center) it stands in, and whether it runs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Broker {
    pub id: u32,
    pub rack: String,
    /// Running and unfenced; `false` after `StopBroker`.
    #[serde(default = "running")]
    pub online: bool,
}

fn running() -> bool {
    true
}

/// `count` running brokers with ids 1..=count, one per data center `dc-1`, `dc-2`, ...
pub fn brokers(count: u32) -> Vec<Broker> {
    (1..=count).map(|id| Broker { id, rack: format!("dc-{id}"), online: true }).collect()
}

/// Whether `broker` is one of `brokers` and runs.
pub fn is_running(brokers: &[Broker], broker: u32) -> bool {
    brokers.iter().any(|b| b.id == broker && b.online)
}
