//! Brokers: the servers of a Kafka cluster.
//!
//! The course's cluster has three brokers, one per data center (`broker.rack`). Each partition
//! has a *leader* broker that takes its writes; which brokers hold and lead each partition is
//! decided by the controller's replica placer (see [`crate::placement`]).
//!
//! Simplification stated in the UI: one replica per partition. Followers, the ISR, `acks` and
//! leader election come with replication.

use serde::{Deserialize, Serialize};

/// A broker and the rack (data center) it stands in.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Broker {
    pub id: u32,
    pub rack: String,
}

/// `count` brokers with ids 1..=count, one per data center `dc-1`, `dc-2`, ...
pub fn brokers(count: u32) -> Vec<Broker> {
    (1..=count).map(|id| Broker { id, rack: format!("dc-{id}") }).collect()
}
