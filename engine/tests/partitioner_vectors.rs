//! Kafka's own partitioner test vectors (copied into tests/data/vectors.json from the course's
//! reference set): murmur2, crc32 and fnv1a, and the partitions they give, checked through the
//! public pure functions.

use kafkascope_engine::partitioner::{crc32, fnv1a, java_partition, murmur2, to_positive};
use serde_json::Value;

fn vectors() -> Vec<Value> {
    let text = include_str!("data/vectors.json");
    let json: Value = serde_json::from_str(text).expect("vectors.json parses");
    let mut all = json["reference_vectors"].as_array().expect("reference vectors").clone();
    all.extend(json["computed_vectors"].as_array().expect("computed vectors").iter().cloned());
    all
}

fn key_bytes(v: &Value) -> Vec<u8> {
    let hex = v["key_utf8_hex"].as_str().expect("key_utf8_hex");
    (0..hex.len()).step_by(2).map(|i| u8::from_str_radix(&hex[i..i + 2], 16).expect("hex")).collect()
}

#[test]
fn vectors_file_holds_kafkas_own_cases() {
    let all = vectors();
    assert!(all.len() >= 50, "expected the full vector set, got {}", all.len());
    let copied = all.iter().filter(|v| v["source"].as_str().unwrap_or("").contains("copied")).count();
    assert!(copied >= 5, "Kafka's own unit-test vectors must be included");
}

#[test]
fn murmur2_matches_every_vector() {
    for v in vectors() {
        let bytes = key_bytes(&v);
        assert_eq!(i64::from(murmur2(&bytes)), v["murmur2"].as_i64().unwrap(), "key {:?}", v["key"]);
    }
}

#[test]
fn java_partition_matches_every_vector() {
    let mut checked = 0;
    for v in vectors() {
        let bytes = key_bytes(&v);
        for n in [3u32, 6, 12] {
            if let Some(expected) = v[format!("partition_{n}")].as_u64() {
                assert_eq!(u64::from(java_partition(&bytes, n)), expected, "key {:?} n={n}", v["key"]);
                assert_eq!(java_partition(&bytes, n), (to_positive(murmur2(&bytes)) as u32) % n);
                checked += 1;
            }
        }
    }
    assert!(checked >= 100, "only {checked} partition checks ran");
}

/// Checks an unsigned librdkafka hash against the vectors that carry `field`, and its partition
/// (`hash % n`) against `{partition_prefix}{n}`. Returns how many vectors were checked.
fn check_unsigned_hash(hash: fn(&[u8]) -> u32, field: &str, partition_prefix: &str) -> usize {
    let mut checked = 0;
    for v in vectors() {
        let bytes = key_bytes(&v);
        let Some(expected) = v[field].as_u64() else { continue };
        assert_eq!(u64::from(hash(&bytes)), expected, "{field} of key {:?}", v["key"]);
        for n in [3u32, 6, 12] {
            if let Some(p) = v[format!("{partition_prefix}{n}")].as_u64() {
                assert_eq!(u64::from(hash(&bytes) % n), p, "{partition_prefix}{n} of key {:?}", v["key"]);
            }
        }
        checked += 1;
    }
    checked
}

#[test]
fn crc32_and_librdkafka_consistent_partition_match() {
    let checked = check_unsigned_hash(crc32, "librdkafka_consistent_crc32", "librdkafka_consistent_partition_");
    assert!(checked >= 20, "only {checked} crc32 vectors");
}

#[test]
fn fnv1a_matches_librdkafka() {
    let checked = check_unsigned_hash(fnv1a, "librdkafka_fnv1a", "librdkafka_fnv1a_partition_");
    assert!(checked >= 10, "only {checked} fnv1a vectors");
}

#[test]
fn same_key_lands_differently_in_java_and_librdkafka() {
    let key = b"16b77e26-6aac-4da5-bd17-ca1caeb91461";
    assert_eq!(java_partition(key, 6), 3);
    assert_eq!(crc32(key) % 6, 5);
}
