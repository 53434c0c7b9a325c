//! Replica placement: which brokers hold each partition, and which of them leads.
//!
//! When a topic is created, or partitions are added to it, the KRaft controller asks its replica
//! placer for an ordered list of brokers per partition (`ReplicationControlManager` →
//! `StripedReplicaPlacer.place`). The first broker of a list is the partition's *preferred
//! leader*; the others hold follower replicas, each on a different broker, and where racks allow,
//! in a different rack (here: a different data center).
//!
//! The striped placer deals partitions round the racks like cards. Each placement starts from a
//! random rack, and each broker list within a rack from a random broker. A partition takes its
//! leader from the next rack in turn and its followers from the racks after it, so leadership
//! stripes across the racks: with racks A, B, C, partition 0 gets A, B, C, partition 1 gets B, C,
//! A, and so on. After one full round (as many partitions as brokers) the placer reshuffles the
//! rack order and the brokers within each rack, so the next round need not repeat the first.
//! Every call starts afresh, so partitions added later do not continue the earlier rotation.
//!
//! This is a port, checked against the expected placements of Kafka's own
//! `StripedReplicaPlacerTest`, quirks included: a rack's broker list keeps its iteration epoch
//! across the reshuffle, so with one replica per partition a later round can skip a rack and give
//! another broker a second leader. Only the first round is sure to use every rack once.
//!
//! The randomness comes from the simulation's seeded generator, so a seed always places the same
//! way. Stopped brokers are *fenced*: as in Kafka, each rack keeps its fenced brokers in a second
//! list, a leader is always taken from the running ones, and followers go to fenced brokers only
//! when a rack has no running broker left in the round. The replication factor may reach the
//! number of registered brokers, stopped ones included (`throwInvalidReplicationFactorIfTooFewBrokers`);
//! with every broker stopped nothing can be placed (`throwInvalidReplicationFactorIfZero`).

use crate::broker::Broker;
use crate::error::EngineError;

/// A source of random indexes: `random(n)` returns a number in `0..n`.
pub type Random<'a> = dyn FnMut(usize) -> usize + 'a;

/// Places `partitions` partitions with `replication_factor` replicas each. Returns one ordered
/// broker-id list per partition; the first id is the preferred leader. Nothing random is drawn
/// when the replication factor is refused.
pub fn place(
    brokers: &[Broker],
    partitions: u32,
    replication_factor: u32,
    random: &mut Random<'_>,
) -> Result<Vec<Vec<u32>>, EngineError> {
    if replication_factor == 0 || replication_factor as usize > brokers.len() {
        return Err(EngineError::InvalidReplicationFactor { requested: replication_factor, brokers: brokers.len() as u32 });
    }
    if !brokers.iter().any(|b| b.online) {
        return Err(EngineError::NoBrokerRunning);
    }
    let mut racks = RackList::new(brokers, random);
    Ok((0..partitions).map(|_| racks.place(replication_factor as usize, random)).collect())
}

/// The brokers of one rack, handed out in turn (`StripedReplicaPlacer.BrokerList`).
#[derive(Debug)]
struct BrokerList {
    brokers: Vec<u32>,
    /// Brokers handed out in the current epoch.
    index: usize,
    /// Where in `brokers` this epoch starts.
    offset: usize,
    epoch: usize,
}

impl BrokerList {
    /// Sorted, starting at a random broker (`BrokerList.initialize`; an empty list draws nothing).
    fn new(mut brokers: Vec<u32>, random: &mut Random<'_>) -> BrokerList {
        brokers.sort_unstable();
        let offset = if brokers.is_empty() { 0 } else { random(brokers.len()) };
        BrokerList { brokers, index: 0, offset, epoch: 0 }
    }

    /// The next broker of this epoch, if any is left; a new epoch starts one broker further on.
    fn next(&mut self, epoch: usize) -> Option<u32> {
        if self.brokers.is_empty() {
            return None;
        }
        if self.epoch != epoch {
            self.epoch = epoch;
            self.index = 0;
            self.offset = (self.offset + 1) % self.brokers.len();
        }
        if self.index >= self.brokers.len() {
            return None;
        }
        let broker = self.brokers[(self.index + self.offset) % self.brokers.len()];
        self.index += 1;
        Some(broker)
    }
}

/// One rack's running and fenced brokers (`StripedReplicaPlacer.Rack`).
#[derive(Debug)]
struct Rack {
    unfenced: BrokerList,
    fenced: BrokerList,
}

impl Rack {
    fn new(brokers: &[Broker], name: &str, random: &mut Random<'_>) -> Rack {
        let ids = |online: bool| brokers.iter().filter(|b| b.rack == name && b.online == online).map(|b| b.id).collect();
        // Kafka initializes the fenced list first.
        let fenced = BrokerList::new(ids(false), random);
        let unfenced = BrokerList::new(ids(true), random);
        Rack { unfenced, fenced }
    }

    /// A follower: the next running broker, else the next fenced one (`Rack.next`).
    fn next(&mut self, epoch: usize) -> Option<u32> {
        self.unfenced.next(epoch).or_else(|| self.fenced.next(epoch))
    }
}

/// The racks in turn (`StripedReplicaPlacer.RackList`).
#[derive(Debug)]
struct RackList {
    racks: Vec<Rack>,
    brokers: usize,
    unfenced: usize,
    epoch: usize,
    offset: usize,
}

impl RackList {
    /// Racks sorted by name, each with its brokers; random starting rack and brokers.
    fn new(brokers: &[Broker], random: &mut Random<'_>) -> RackList {
        let mut names: Vec<&str> = brokers.iter().map(|b| b.rack.as_str()).collect();
        names.sort_unstable();
        names.dedup();
        let racks = names.iter().map(|name| Rack::new(brokers, name, random)).collect::<Vec<_>>();
        let offset = random(racks.len());
        let unfenced = brokers.iter().filter(|b| b.online).count();
        RackList { racks, brokers: brokers.len(), unfenced, epoch: 0, offset }
    }

    /// One partition's replicas: the leader from the rack at `offset`, followers from the racks
    /// after it. Callers guarantee `replication_factor <= brokers` and a running broker.
    fn place(&mut self, replication_factor: usize, random: &mut Random<'_>) -> Vec<u32> {
        if self.epoch == self.unfenced && self.unfenced > 1 {
            self.shuffle(random);
            self.epoch = 0;
        }
        if self.offset == self.racks.len() {
            self.offset = 0;
        }
        let n = self.racks.len();
        // Kafka loops until a broker turns up; the bound only guards against a hang.
        let visits = 2 * n * (self.brokers + 1);
        let mut first_rack = self.offset;
        let mut replicas = Vec::with_capacity(replication_factor);
        for _ in 0..visits {
            if let Some(leader) = self.racks[first_rack].unfenced.next(self.epoch) {
                replicas.push(leader);
                break;
            }
            first_rack = (first_rack + 1) % n;
        }
        let mut skip = Some(first_rack);
        let mut rack = self.offset;
        for _ in 0..visits {
            if replicas.len() >= replication_factor {
                break;
            }
            if skip == Some(rack) {
                skip = None;
            } else if let Some(follower) = self.racks[rack].next(self.epoch) {
                replicas.push(follower);
            }
            rack = (rack + 1) % n;
        }
        self.fill_if_short(&mut replicas, replication_factor);
        self.epoch += 1;
        self.offset += 1;
        replicas
    }

    /// Tops up a replica list the striped walk left short (not seen with Kafka's own test
    /// vectors; a safety net so placement always returns `replication_factor` distinct brokers).
    fn fill_if_short(&self, replicas: &mut Vec<u32>, replication_factor: usize) {
        let mut all: Vec<u32> = self.racks.iter().flat_map(|r| r.unfenced.brokers.iter().chain(&r.fenced.brokers).copied()).collect();
        all.sort_unstable();
        for broker in all {
            if replicas.len() >= replication_factor {
                break;
            }
            if !replicas.contains(&broker) {
                replicas.push(broker);
            }
        }
    }

    /// `Collections.shuffle` of the rack order and of every rack's brokers.
    fn shuffle(&mut self, random: &mut Random<'_>) {
        shuffle(&mut self.racks, random);
        for rack in &mut self.racks {
            shuffle(&mut rack.fenced.brokers, random);
            shuffle(&mut rack.unfenced.brokers, random);
        }
    }
}

/// Fisher-Yates from the back, as `java.util.Collections.shuffle` does it.
fn shuffle<T>(items: &mut [T], random: &mut Random<'_>) {
    for i in (1..items.len()).rev() {
        items.swap(i, random(i + 1));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::broker::brokers;

    /// A fixed "random" source: always 0.
    fn zero(_: usize) -> usize {
        0
    }

    #[test]
    fn replicas_stripe_across_racks_leader_first() {
        let placed = place(&brokers(3), 3, 3, &mut zero).unwrap();
        assert_eq!(placed, vec![vec![1, 2, 3], vec![2, 3, 1], vec![3, 1, 2]]);
    }

    #[test]
    fn the_first_round_uses_each_broker_once_as_leader_with_distinct_replicas() {
        for seed in 0..20u64 {
            let mut state = seed;
            let mut random = |n: usize| {
                state = state.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
                (state >> 33) as usize % n.max(1)
            };
            let placed = place(&brokers(3), 12, 2, &mut random).unwrap();
            let mut leaders: Vec<u32> = placed[..3].iter().map(|r| r[0]).collect();
            leaders.sort_unstable();
            assert_eq!(leaders, vec![1, 2, 3], "{placed:?}");
            assert!(placed.iter().all(|r| r.len() == 2 && r[0] != r[1]), "{placed:?}");
        }
    }

    /// `java.util.Random.nextInt(bound)` over Kafka's test `MockRandom` (seed 17), so the port
    /// can be checked against `StripedReplicaPlacerTest`'s expected placements.
    fn mock_random() -> impl FnMut(usize) -> usize {
        let mut state: i64 = 17;
        let mut next31 = move || {
            state = state.wrapping_mul(2_862_933_555_777_941_757).wrapping_add(3_037_000_493);
            ((state as u64) >> 33) as i32
        };
        move |bound: usize| {
            let bound = bound as i32;
            let m = bound - 1;
            let mut r = next31();
            if bound & m == 0 {
                return ((i64::from(bound) * i64::from(r)) >> 31) as usize;
            }
            let mut u = r;
            loop {
                r = u % bound;
                if u.wrapping_sub(r).wrapping_add(m) >= 0 {
                    return r as usize;
                }
                u = next31();
            }
        }
    }

    #[test]
    fn matches_kafkas_successful_placement_example_including_the_reshuffle() {
        let cluster: Vec<Broker> = [0, 3, 2, 1].iter().map(|&id| Broker { id, rack: String::new(), online: true }).collect();
        let placed = place(&cluster, 5, 3, &mut mock_random()).unwrap();
        // StripedReplicaPlacerTest.testSuccessfulPlacement: the fifth partition follows a reshuffle.
        assert_eq!(placed, vec![vec![2, 3, 0], vec![3, 0, 1], vec![0, 1, 2], vec![1, 2, 3], vec![1, 0, 2]]);
    }

    #[test]
    fn matches_kafkas_even_distribution_example() {
        let cluster: Vec<Broker> = [0, 1, 2, 3].iter().map(|&id| Broker { id, rack: String::new(), online: true }).collect();
        let placed = place(&cluster, 200, 2, &mut mock_random()).unwrap();
        let count = |a: u32, b: u32| placed.iter().filter(|r| **r == [a, b]).count();
        // StripedReplicaPlacerTest.testEvenDistribution.
        let expected = [(0, 1, 14), (0, 2, 22), (0, 3, 14), (1, 0, 17), (1, 2, 17), (1, 3, 16), (2, 0, 13), (2, 1, 17), (2, 3, 20), (3, 0, 20), (3, 1, 19), (3, 2, 11)];
        for (a, b, n) in expected {
            assert_eq!(count(a, b), n, "[{a}, {b}]");
        }
    }

    #[test]
    fn every_partition_gets_distinct_replicas_for_any_cluster_size() {
        let mut state = 11u64;
        let mut random = |n: usize| {
            state = state.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
            (state >> 33) as usize % n.max(1)
        };
        for count in 1..=7 {
            for rf in 1..=count {
                for placed in place(&brokers(count), 25, rf, &mut random).unwrap() {
                    let mut ids = placed.clone();
                    ids.sort_unstable();
                    ids.dedup();
                    assert_eq!(ids.len(), rf as usize, "{count} brokers, rf {rf}: {placed:?}");
                }
            }
        }
    }

    #[test]
    fn a_replication_factor_above_the_broker_count_is_refused() {
        let err = place(&brokers(3), 1, 4, &mut zero).unwrap_err();
        assert_eq!(err, EngineError::InvalidReplicationFactor { requested: 4, brokers: 3 });
        assert!(place(&brokers(3), 1, 0, &mut zero).is_err());
    }
}
