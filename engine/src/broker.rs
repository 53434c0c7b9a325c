//! Brokers: the servers of a Kafka cluster, and which one leads each partition.
//!
//! The course's cluster has three brokers, one per data center (`broker.rack`). Each partition
//! has a *leader* broker that takes its writes. When a topic is created, Kafka spreads leaders
//! round the brokers from a random starting broker (`AdminUtils.assignReplicasToBrokers`:
//! partition `p` goes to broker index `(start + p) % brokers`), and partitions added later
//! continue the same rotation, so leadership stays balanced.
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

/// Leader broker ids for partitions `from..to`, rotating from broker index `start`.
pub fn assign_leaders(brokers: &[Broker], start: usize, from: u32, to: u32) -> Vec<u32> {
    if brokers.is_empty() {
        return Vec::new();
    }
    (from..to).map(|p| brokers[(start + p as usize) % brokers.len()].id).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn leaders_rotate_from_the_start_broker_and_continue_for_new_partitions() {
        let b = brokers(3);
        assert_eq!(assign_leaders(&b, 1, 0, 4), vec![2, 3, 1, 2]);
        assert_eq!(assign_leaders(&b, 1, 4, 6), vec![3, 1]);
        assert_eq!(b[2].rack, "dc-3");
    }
}
