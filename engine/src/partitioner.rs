//! Partitioners: how a producer decides which partition a record goes to.
//!
//! A topic is split into partitions, and a record's partition decides two things a lecturer cares
//! about: where it is stored and what it is ordered with. Kafka only orders records *within* one
//! partition, so every record that must stay in order (all updates of one user, say) has to carry
//! the same key: the partitioner hashes the key, and equal keys give equal partitions.
//!
//! The Java client (`BuiltInPartitioner.partitionForKey`, `Utils.murmur2`, `Utils.toPositive`)
//! computes `toPositive(murmur2(keyBytes)) % numPartitions` over *all* partitions of the topic.
//! librdkafka (the C client under the Python, Go, .NET and Node clients) defaults to CRC-32 instead,
//! so the same key can land in a different partition depending on the client: a classic surprise.
//!
//! Keyless records are spread by a *sticky* strategy since Kafka 2.4 (KIP-480, refined by KIP-794 in
//! 3.3): the producer fills a batch for one partition, then moves on. The [`StickyState`] below
//! models that per producer and topic. Simplification the UI states: batches are assumed full when
//! the bytes produced reach `batch.size`, and KIP-794's adaptive weighting is left out.
//!
//! When partitions have no leader (their brokers stopped), keyed records still hash over *all*
//! partitions and a send to an offline one fails: a key never moves. Keyless picks of the Java
//! partitioners (sticky and round-robin) choose among the partitions that have a leader, as
//! `BuiltInPartitioner.nextPartition` and `RoundRobinPartitioner` do. Simplification: a sticky
//! partition that loses its leader is given up at once (Kafka keeps filling its batch until
//! `batch.size`, and the batch waits in the accumulator); librdkafka's sticky picks for null keys
//! avoid offline partitions too, while its `random` partitioner for keyed records does not.
//!
//! The hash functions are public and pure so they can be checked against Kafka's own test vectors
//! from outside the crate (`tests/partitioner_vectors.rs`).

use serde::{Deserialize, Serialize};

/// Murmur2 seed used by the Java client (`Utils.murmur2`).
pub const MURMUR2_SEED: u32 = 0x9747_b28c;
const MURMUR2_M: u32 = 0x5bd1_e995;
const MURMUR2_R: u32 = 24;

/// The Java client's `Utils.murmur2`, returned as Java's signed int.
///
/// Bytes are unsigned, arithmetic is 32-bit wrapping and shifts are logical, exactly as the Java
/// code's `>>>`.
pub fn murmur2(data: &[u8]) -> i32 {
    let len = data.len();
    let mut h: u32 = MURMUR2_SEED ^ (len as u32);
    let mut blocks = data.chunks_exact(4);
    for block in &mut blocks {
        let mut k = u32::from_le_bytes([block[0], block[1], block[2], block[3]]);
        k = k.wrapping_mul(MURMUR2_M);
        k ^= k >> MURMUR2_R;
        k = k.wrapping_mul(MURMUR2_M);
        h = h.wrapping_mul(MURMUR2_M);
        h ^= k;
    }
    let tail = blocks.remainder();
    // Java's switch falls through from case 3 to case 1.
    if tail.len() >= 3 {
        h ^= u32::from(tail[2]) << 16;
    }
    if tail.len() >= 2 {
        h ^= u32::from(tail[1]) << 8;
    }
    if !tail.is_empty() {
        h ^= u32::from(tail[0]);
        h = h.wrapping_mul(MURMUR2_M);
    }
    h ^= h >> 13;
    h = h.wrapping_mul(MURMUR2_M);
    h ^= h >> 15;
    h as i32
}

/// The Java client's `Utils.toPositive`: clears the sign bit. It is *not* `abs`: `abs(i32::MIN)`
/// would still be negative, and `abs` maps `-x` and `x` to the same partition where Kafka does not.
pub fn to_positive(n: i32) -> i32 {
    n & 0x7fff_ffff
}

/// Standard IEEE (zlib) CRC-32, unsigned: librdkafka's `consistent` partitioners hash with it.
pub fn crc32(data: &[u8]) -> u32 {
    crc32fast::hash(data)
}

/// librdkafka's `rd_fnv1a`: 32-bit FNV-1a (offset basis `0x811C9DC5`, prime `0x01000193`), taken
/// as an int32 and negated when negative (to match Sarama's hash partitioner), returned unsigned.
pub fn fnv1a(data: &[u8]) -> u32 {
    let mut h: u32 = 0x811c_9dc5;
    for &byte in data {
        h ^= u32::from(byte);
        h = h.wrapping_mul(0x0100_0193);
    }
    let signed = h as i32;
    if signed < 0 {
        signed.wrapping_neg() as u32
    } else {
        signed as u32
    }
}

/// The partition the Java client picks for a keyed record:
/// `toPositive(murmur2(key)) % numPartitions`. `num_partitions` must be at least 1; 0 yields 0
/// rather than dividing by zero, and callers validate partition counts before getting here.
pub fn java_partition(key: &[u8], num_partitions: u32) -> u32 {
    (to_positive(murmur2(key)) as u32) % num_partitions.max(1)
}

/// Which hash a keyed record went through, for showing the math on screen.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum HashAlgorithm {
    /// Java client: `toPositive(murmur2(key)) % n`.
    Murmur2,
    /// librdkafka `consistent`/`consistent_random`: `crc32(key) % n`.
    Crc32,
    /// librdkafka `fnv1a_random`: `fnv1a(key) % n`.
    Fnv1a,
}

impl HashAlgorithm {
    /// The function's name as the clients' documentation writes it.
    pub fn name(self) -> &'static str {
        match self {
            HashAlgorithm::Murmur2 => "murmur2",
            HashAlgorithm::Crc32 => "crc32",
            HashAlgorithm::Fnv1a => "fnv1a",
        }
    }
}

/// Every intermediate value of one key hash, so the UI can show UTF-8 bytes -> hash -> mask ->
/// modulo -> partition without computing anything itself.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HashTrace {
    pub algorithm: HashAlgorithm,
    pub key_bytes: bytes::Bytes,
    /// The raw hash as the client sees it: Java's signed int for murmur2, unsigned for the others.
    pub raw_hash: i64,
    /// The non-negative number that is reduced modulo the partition count.
    pub positive: u32,
    pub num_partitions: u32,
    pub partition: u32,
    /// The key was null, not empty: librdkafka's `consistent` and `murmur2` partitioners hash a
    /// null key as zero bytes, where the Java client never hashes one.
    #[serde(default)]
    pub null_key: bool,
}

impl HashTrace {
    /// Hashes `key` with `algorithm` over `num_partitions` partitions.
    pub fn compute(algorithm: HashAlgorithm, key: &[u8], num_partitions: u32) -> HashTrace {
        HashTrace::of(algorithm, bytes::Bytes::copy_from_slice(key), num_partitions)
    }

    /// As [`HashTrace::compute`], keeping a shared handle to the key instead of copying it.
    pub fn of(algorithm: HashAlgorithm, key_bytes: bytes::Bytes, num_partitions: u32) -> HashTrace {
        let key = &key_bytes[..];
        let (raw_hash, positive) = match algorithm {
            HashAlgorithm::Murmur2 => {
                let h = murmur2(key);
                (i64::from(h), to_positive(h) as u32)
            }
            HashAlgorithm::Crc32 => {
                let h = crc32(key);
                (i64::from(h), h)
            }
            HashAlgorithm::Fnv1a => {
                let h = fnv1a(key);
                (i64::from(h), h)
            }
        };
        HashTrace {
            algorithm,
            key_bytes,
            raw_hash,
            positive,
            num_partitions,
            partition: positive % num_partitions.max(1),
            null_key: false,
        }
    }
}

/// The partitioning strategy of a producer. The names are the clients' own.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub enum Partitioner {
    /// Java client 3.3+ default: murmur2 for keys; keyless records stick to a random partition
    /// until `batch.size` bytes were produced to it (KIP-794), and the same one may be picked
    /// again. With `ignore_keys` (`partitioner.ignore.keys=true`) keys are not hashed either.
    JavaDefault { ignore_keys: bool },
    /// Java client 2.4 to 3.2 (KIP-480): murmur2 for keys; keyless records stick to a partition
    /// and move to a *different* random one on each new batch.
    JavaSticky,
    /// Java client up to 2.3: murmur2 for keys; keyless records go round-robin from a random
    /// starting counter.
    JavaLegacy,
    /// Java `RoundRobinPartitioner`: ignores keys, counter from 0 per topic.
    RoundRobin,
    /// librdkafka's partitioners, default `consistent_random`.
    Librdkafka(LibrdkafkaPartitioner),
}

impl Default for Partitioner {
    fn default() -> Self {
        Partitioner::JavaDefault { ignore_keys: false }
    }
}

/// librdkafka's `partitioner` setting.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum LibrdkafkaPartitioner {
    /// Default: CRC-32 of the key; null and empty keys go to a random (sticky) partition.
    ConsistentRandom,
    /// CRC-32 of the key, null and empty keys included (CRC of nothing is 0, so partition 0).
    Consistent,
    /// Java-compatible murmur2; null keys random (sticky), empty keys hashed.
    Murmur2Random,
    /// Java-compatible murmur2; null keys hashed as zero bytes.
    Murmur2,
    /// FNV-1a of the key; null keys random (sticky), empty keys hashed.
    Fnv1aRandom,
    /// Random partition for every record (sticky for null keys).
    Random,
}

impl crate::setting::Setting for Partitioner {
    const ALL: &'static [Partitioner] = &[
        Partitioner::JavaDefault { ignore_keys: false },
        Partitioner::JavaDefault { ignore_keys: true },
        Partitioner::JavaSticky,
        Partitioner::JavaLegacy,
        Partitioner::RoundRobin,
        Partitioner::Librdkafka(LibrdkafkaPartitioner::ConsistentRandom),
        Partitioner::Librdkafka(LibrdkafkaPartitioner::Consistent),
        Partitioner::Librdkafka(LibrdkafkaPartitioner::Murmur2Random),
        Partitioner::Librdkafka(LibrdkafkaPartitioner::Murmur2),
        Partitioner::Librdkafka(LibrdkafkaPartitioner::Fnv1aRandom),
        Partitioner::Librdkafka(LibrdkafkaPartitioner::Random),
    ];
    /// The name a client configuration would use, for labels.
    fn name(self) -> &'static str {
        match self {
            Partitioner::JavaDefault { ignore_keys: false } => "Java default (3.3+, KIP-794)",
            Partitioner::JavaDefault { ignore_keys: true } => {
                "Java default, partitioner.ignore.keys=true"
            }
            Partitioner::JavaSticky => "Java 2.4-3.2 sticky (KIP-480)",
            Partitioner::JavaLegacy => "Java up to 2.3 (round-robin for null keys)",
            Partitioner::RoundRobin => "RoundRobinPartitioner",
            Partitioner::Librdkafka(p) => match p {
                LibrdkafkaPartitioner::ConsistentRandom => "librdkafka consistent_random (default)",
                LibrdkafkaPartitioner::Consistent => "librdkafka consistent",
                LibrdkafkaPartitioner::Murmur2Random => "librdkafka murmur2_random",
                LibrdkafkaPartitioner::Murmur2 => "librdkafka murmur2",
                LibrdkafkaPartitioner::Fnv1aRandom => "librdkafka fnv1a_random",
                LibrdkafkaPartitioner::Random => "librdkafka random",
            },
        }
    }
}

/// Why a record went to its partition: the UI narrates and animates from this.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum PartitionChoice {
    /// The record named its partition (explicit partition beats every partitioner).
    Explicit { partition: u32 },
    /// The key was hashed.
    KeyHash(HashTrace),
    /// A record not placed by its key joined the producer's current sticky partition; `switched`
    /// says a new sticky partition was picked for it, `unhashed` why its key was not hashed.
    Sticky {
        partition: u32,
        switched: bool,
        #[serde(default)]
        unhashed: Unhashed,
    },
    /// A round-robin counter chose it: Java's `int` counter made positive (`& 0x7fffffff`),
    /// modulo the `of` partitions it picks among (those with a leader, when any has one).
    RoundRobin { partition: u32, counter: i32, of: u32 },
    /// A random pick for this record alone.
    Random { partition: u32 },
}

/// Why a record's key was not hashed, so that it went where the keyless strategy put it. Only
/// a hashed key keeps a key's records in order in one partition; these three do not.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum Unhashed {
    /// No key (`null`): nothing to hash.
    #[default]
    NullKey,
    /// A key, but `partitioner.ignore.keys=true` (Java, KIP-794) spreads every record as if it
    /// had none.
    KeysIgnored,
    /// An empty key, which librdkafka's default `consistent_random` takes for null.
    EmptyTakenForNull,
}

impl PartitionChoice {
    pub fn partition(&self) -> u32 {
        match self {
            PartitionChoice::Explicit { partition }
            | PartitionChoice::Sticky { partition, .. }
            | PartitionChoice::RoundRobin { partition, .. }
            | PartitionChoice::Random { partition } => *partition,
            PartitionChoice::KeyHash(trace) => trace.partition,
        }
    }
}

/// Per producer and topic: the keyless-record state of the sticky and round-robin strategies.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct StickyState {
    /// The current sticky partition, `None` until the first keyless record or after a switch.
    pub partition: Option<u32>,
    /// Bytes produced to the sticky partition since it was picked.
    pub produced_bytes: u64,
    /// Simulated time at which the sticky partition was picked (librdkafka switches on time).
    pub picked_at_ms: u64,
    /// `RoundRobinPartitioner`'s counter; `None` until first use (it starts at 0).
    pub counter: Option<i32>,
    /// The Java producer's own round-robin counter for keyless records before 2.4, a separate
    /// `int` that starts at random. (A producer has one partitioner; here each typed record
    /// may name another, and each keeps its own count.)
    pub legacy_counter: Option<i32>,
}

/// What the partitioner needs besides the record: injected so the choice is deterministic.
pub struct PartitionContext<'a> {
    pub num_partitions: u32,
    /// `batch.size` of the producer (Java default 16384).
    pub batch_size: u64,
    /// librdkafka `sticky.partitioning.linger.ms` (default 10).
    pub sticky_linger_ms: u64,
    pub now_ms: u64,
    /// The partitions that have a leader, when some do not (`Cluster.availablePartitionsForTopic`);
    /// `None` when all do.
    pub available: Option<&'a [u32]>,
    /// Draws a uniform number in `0..n` from the simulation's seeded RNG.
    pub random: &'a mut dyn FnMut(u32) -> u32,
}

impl<'a> PartitionContext<'a> {
    /// The partitions a keyless pick may choose from: those with a leader, or all of them when
    /// none has one (`BuiltInPartitioner.nextPartition`).
    fn candidates(&self) -> Candidates<'a> {
        match self.available.filter(|a| !a.is_empty()) {
            Some(list) => Candidates::Listed(list),
            None => Candidates::All(self.num_partitions.max(1)),
        }
    }
}

/// Partitions to pick from, by index.
enum Candidates<'a> {
    All(u32),
    Listed(&'a [u32]),
}

impl Candidates<'_> {
    fn len(&self) -> u32 {
        match self {
            Candidates::All(n) => *n,
            Candidates::Listed(list) => list.len() as u32,
        }
    }
    fn at(&self, i: u32) -> u32 {
        match self {
            Candidates::All(_) => i,
            Candidates::Listed(list) => list[i as usize],
        }
    }
    fn contains(&self, partition: u32) -> bool {
        match self {
            Candidates::All(n) => partition < *n,
            Candidates::Listed(list) => list.contains(&partition),
        }
    }
    fn index_of(&self, partition: u32) -> Option<u32> {
        (0..self.len()).find(|&i| self.at(i) == partition)
    }
}

impl Partitioner {
    /// Chooses a partition for a record with `key` (`None` = null key). Explicit partitions are
    /// handled by the caller before this. Call [`StickyState::record_produced`] after the append.
    /// The hash this partitioner puts `key` through, if it decides by the key at all (a null
    /// key, keys ignored or a random partitioner: it does not). The partition is then the
    /// hash's, whatever else is going on: "which partition will this key land in" has an answer
    /// before anything is sent.
    pub fn key_hash(self, key: Option<&bytes::Bytes>) -> Option<HashAlgorithm> {
        use LibrdkafkaPartitioner as L;
        match (self, key) {
            (Partitioner::JavaDefault { ignore_keys: false } | Partitioner::JavaSticky | Partitioner::JavaLegacy, Some(_)) => Some(HashAlgorithm::Murmur2),
            (Partitioner::Librdkafka(L::ConsistentRandom), Some(k)) if !k.is_empty() => Some(HashAlgorithm::Crc32),
            (Partitioner::Librdkafka(L::Consistent), _) => Some(HashAlgorithm::Crc32),
            (Partitioner::Librdkafka(L::Murmur2Random), Some(_)) | (Partitioner::Librdkafka(L::Murmur2), _) => Some(HashAlgorithm::Murmur2),
            (Partitioner::Librdkafka(L::Fnv1aRandom), Some(_)) => Some(HashAlgorithm::Fnv1a),
            _ => None,
        }
    }

    pub fn choose(
        self,
        key: Option<&bytes::Bytes>,
        state: &mut StickyState,
        ctx: &mut PartitionContext<'_>,
    ) -> PartitionChoice {
        let n = ctx.num_partitions.max(1);
        if let Some(algorithm) = self.key_hash(key) {
            let trace = HashTrace::of(algorithm, key.cloned().unwrap_or_default(), n);
            return PartitionChoice::KeyHash(HashTrace { null_key: key.is_none(), ..trace });
        }
        // A key that reaches a keyless strategy was not hashed, and the record says why.
        let unhashed = match (self, key) {
            (_, None) => Unhashed::NullKey,
            (Partitioner::Librdkafka(_), Some(_)) => Unhashed::EmptyTakenForNull,
            (_, Some(_)) => Unhashed::KeysIgnored,
        };
        use LibrdkafkaPartitioner as L;
        match (self, key) {
            (Partitioner::RoundRobin, _) => round_robin(&mut state.counter, &ctx.candidates(), 0),
            (Partitioner::JavaDefault { .. }, _) => sticky(state, ctx, SwitchRule::BytesMaySame, unhashed),
            // Keyed records of these two were hashed above.
            (Partitioner::JavaSticky, _) => sticky(state, ctx, SwitchRule::BytesDifferent, unhashed),
            (Partitioner::JavaLegacy, _) => {
                let start = match state.legacy_counter {
                    Some(_) => 0,
                    None => (ctx.random)(u32::MAX) as i32,
                };
                round_robin(&mut state.legacy_counter, &ctx.candidates(), start)
            }
            (Partitioner::Librdkafka(L::Random), Some(_)) => PartitionChoice::Random {
                partition: (ctx.random)(n),
            },
            (Partitioner::Librdkafka(_), _) => sticky(state, ctx, SwitchRule::Linger, unhashed),
        }
    }
}

/// When a sticky partition is given up.
enum SwitchRule {
    /// KIP-794: after `batch.size` bytes; the next pick may be the same partition.
    BytesMaySame,
    /// KIP-480: after `batch.size` bytes; the next pick differs when there is a choice.
    BytesDifferent,
    /// librdkafka: after `sticky.partitioning.linger.ms` of time.
    Linger,
}

fn sticky(state: &mut StickyState, ctx: &mut PartitionContext<'_>, rule: SwitchRule, unhashed: Unhashed) -> PartitionChoice {
    let expired = match rule {
        SwitchRule::Linger => ctx.now_ms >= state.picked_at_ms + ctx.sticky_linger_ms,
        _ => state.produced_bytes >= ctx.batch_size,
    };
    let candidates = ctx.candidates();
    // A sticky partition that lost its leader is given up at once (see the module doc).
    let current = state.partition.filter(|p| candidates.contains(*p) && !expired);
    if let Some(partition) = current {
        return PartitionChoice::Sticky { partition, switched: false, unhashed };
    }
    let n = candidates.len();
    let mut index = (ctx.random)(n);
    let previous = state.partition.and_then(|p| candidates.index_of(p));
    if let (SwitchRule::BytesDifferent, Some(previous)) = (rule, previous) {
        if n > 1 && index == previous {
            // Pick uniformly among the other n - 1 partitions.
            index = (previous + 1 + (ctx.random)(n - 1)) % n;
        }
    }
    let partition = candidates.at(index);
    state.partition = Some(partition);
    state.produced_bytes = 0;
    state.picked_at_ms = ctx.now_ms;
    PartitionChoice::Sticky { partition, switched: true, unhashed }
}

fn round_robin(counter: &mut Option<i32>, candidates: &Candidates<'_>, start: i32) -> PartitionChoice {
    let value = *counter.get_or_insert(start);
    *counter = Some(value.wrapping_add(1));
    let of = candidates.len();
    PartitionChoice::RoundRobin { partition: candidates.at((to_positive(value) as u32) % of), counter: value, of }
}

impl StickyState {
    /// Counts the bytes of a record that went to the sticky partition.
    pub fn record_produced(&mut self, choice: &PartitionChoice, size: u64) {
        if let PartitionChoice::Sticky { partition, .. } = choice {
            if self.partition == Some(*partition) {
                self.produced_bytes += size;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn to_positive_clears_the_sign_bit_instead_of_negating() {
        assert_eq!(to_positive(-1), 0x7fff_ffff);
        assert_eq!(to_positive(i32::MIN), 0);
        assert_eq!(to_positive(5), 5);
    }

    #[test]
    fn sergei_moves_from_p2_to_p8_when_partitions_double() {
        assert_eq!(java_partition(b"Sergei", 6), 2);
        assert_eq!(java_partition(b"Sergei", 12), 8);
    }

    #[test]
    fn empty_key_is_hashed_not_treated_as_null() {
        let trace = HashTrace::compute(HashAlgorithm::Murmur2, b"", 3);
        assert_eq!(trace.raw_hash, i64::from(murmur2(b"")));
        assert_eq!(trace.partition, java_partition(b"", 3));
    }

    fn ctx(random: &mut dyn FnMut(u32) -> u32) -> PartitionContext<'_> {
        PartitionContext { num_partitions: 3, batch_size: 100, sticky_linger_ms: 10, now_ms: 0, available: None, random }
    }

    #[test]
    fn keyless_records_stick_until_batch_size_then_repick() {
        let mut draws = vec![2u32, 2, 1].into_iter();
        let mut random = move |_n: u32| draws.next().unwrap();
        let mut c = ctx(&mut random);
        let mut state = StickyState::default();
        let p = Partitioner::default();
        let first = p.choose(None, &mut state, &mut c);
        assert_eq!(first, PartitionChoice::Sticky { partition: 2, switched: true, unhashed: Unhashed::NullKey });
        state.record_produced(&first, 60);
        let second = p.choose(None, &mut state, &mut c);
        assert_eq!(second, PartitionChoice::Sticky { partition: 2, switched: false, unhashed: Unhashed::NullKey });
        state.record_produced(&second, 60);
        // 120 bytes >= batch.size 100: a new pick, and KIP-794 may pick the same partition again.
        let third = p.choose(None, &mut state, &mut c);
        assert_eq!(third, PartitionChoice::Sticky { partition: 2, switched: true, unhashed: Unhashed::NullKey });
    }

    #[test]
    fn kip_480_sticky_switches_to_a_different_partition() {
        let mut draws = vec![1u32, 1, 0].into_iter();
        let mut random = move |_n: u32| draws.next().unwrap();
        let mut c = ctx(&mut random);
        let mut state = StickyState::default();
        let first = Partitioner::JavaSticky.choose(None, &mut state, &mut c);
        state.record_produced(&first, 100);
        let second = Partitioner::JavaSticky.choose(None, &mut state, &mut c);
        assert_eq!(first.partition(), 1);
        // Drew 1 again, so it re-draws among the other two: (1 + 1 + 0) % 3 = 2.
        assert_eq!(second, PartitionChoice::Sticky { partition: 2, switched: true, unhashed: Unhashed::NullKey });
    }

    #[test]
    fn round_robin_partitioner_ignores_keys_and_counts_from_zero() {
        let mut random = |_n: u32| 0;
        let mut c = ctx(&mut random);
        let mut state = StickyState::default();
        let parts: Vec<u32> = (0..4)
            .map(|_| Partitioner::RoundRobin.choose(Some(&bytes::Bytes::from_static(b"same")), &mut state, &mut c).partition())
            .collect();
        assert_eq!(parts, vec![0, 1, 2, 0]);
    }

    #[test]
    fn the_legacy_counter_is_a_java_int_of_its_own() {
        // The legacy counter starts at a random int: here 2,404,079,429 as 32 bits, which Java
        // reads as -1,890,887,867; the sign bit cleared it is 256,595,781, and % 3 = 0.
        let mut random = |_n: u32| 2_404_079_429;
        let mut c = ctx(&mut random);
        let mut state = StickyState::default();
        let first = Partitioner::RoundRobin.choose(None, &mut state, &mut c);
        assert_eq!(first, PartitionChoice::RoundRobin { partition: 0, counter: 0, of: 3 });
        let legacy = Partitioner::JavaLegacy.choose(None, &mut state, &mut c);
        assert_eq!(legacy, PartitionChoice::RoundRobin { partition: 0, counter: -1_890_887_867, of: 3 });
        assert_eq!(Partitioner::JavaLegacy.choose(None, &mut state, &mut c).partition(), 1);
        // RoundRobinPartitioner's own count went on from where it was.
        assert_eq!(Partitioner::RoundRobin.choose(None, &mut state, &mut c), PartitionChoice::RoundRobin { partition: 1, counter: 1, of: 3 });
    }

    #[test]
    fn librdkafka_consistent_sends_null_and_empty_keys_to_partition_zero() {
        let mut random = |_n: u32| 2;
        let mut c = ctx(&mut random);
        let mut state = StickyState::default();
        let p = Partitioner::Librdkafka(LibrdkafkaPartitioner::Consistent);
        let null = p.choose(None, &mut state, &mut c);
        let empty = p.choose(Some(&bytes::Bytes::new()), &mut state, &mut c);
        assert_eq!((null.partition(), empty.partition()), (0, 0));
        // The same zero bytes hashed, but the trace says which key it was (the stage says so).
        let null_of = |c: &PartitionChoice| matches!(c, PartitionChoice::KeyHash(t) if t.null_key);
        assert_eq!((null_of(&null), null_of(&empty)), (true, false));
    }

    #[test]
    fn librdkafka_default_treats_empty_key_as_null() {
        let mut random = |_n: u32| 2;
        let mut c = ctx(&mut random);
        let mut state = StickyState::default();
        let p = Partitioner::Librdkafka(LibrdkafkaPartitioner::ConsistentRandom);
        let choice = p.choose(Some(&bytes::Bytes::new()), &mut state, &mut c);
        assert_eq!(choice, PartitionChoice::Sticky { partition: 2, switched: true, unhashed: Unhashed::EmptyTakenForNull });
    }

    #[test]
    fn ignored_keys_and_null_keys_are_told_apart() {
        let mut random = |_n: u32| 1;
        let mut c = ctx(&mut random);
        let mut state = StickyState::default();
        let p = Partitioner::JavaDefault { ignore_keys: true };
        let keyed = p.choose(Some(&bytes::Bytes::from_static(b"user-42")), &mut state, &mut c);
        let null = p.choose(None, &mut state, &mut c);
        assert_eq!(keyed, PartitionChoice::Sticky { partition: 1, switched: true, unhashed: Unhashed::KeysIgnored });
        assert_eq!(null, PartitionChoice::Sticky { partition: 1, switched: false, unhashed: Unhashed::NullKey });
    }
}
