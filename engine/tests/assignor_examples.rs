//! The assignor examples of Kafka's unit tests (tests/data/vectors.json, `assignor_examples`),
//! run through the public pure assignor functions.

use std::collections::BTreeMap;

use kafkascope_engine::assignor::{range, round_robin, Assignment, MemberSubscription};
use serde_json::Value;

fn expected(name: &str) -> BTreeMap<String, Vec<String>> {
    let json: Value = serde_json::from_str(include_str!("data/vectors.json")).unwrap();
    let example = json["assignor_examples"][name].as_object().unwrap_or_else(|| panic!("no example {name}"));
    example
        .iter()
        .map(|(member, list)| {
            let parts = list.as_array().unwrap().iter().map(|p| p.as_str().unwrap().to_string()).collect();
            (member.clone(), parts)
        })
        .collect()
}

fn flat(assignment: Assignment) -> BTreeMap<String, Vec<String>> {
    assignment.into_iter().map(|(m, tps)| (m, tps.iter().map(|tp| tp.to_string()).collect())).collect()
}

fn members(ids: &[&str], topics: &[&str]) -> Vec<MemberSubscription> {
    ids.iter().map(|id| MemberSubscription::new(id, topics)).collect()
}

fn topics(list: &[(&str, u32)]) -> BTreeMap<String, u32> {
    list.iter().map(|(t, n)| (t.to_string(), *n)).collect()
}

#[test]
fn range_with_more_consumers_than_partitions_leaves_idle_members() {
    let m = members(&["c1", "c2", "c3", "c4", "c5"], &["orders"]);
    assert_eq!(flat(range(&m, &topics(&[("orders", 3)]))), expected("range_5_consumers_3_partitions"));
}

#[test]
fn round_robin_with_more_consumers_than_partitions_leaves_idle_members() {
    let m = members(&["c1", "c2", "c3", "c4", "c5"], &["orders"]);
    assert_eq!(flat(round_robin(&m, &topics(&[("orders", 3)]))), expected("roundrobin_5_consumers_3_partitions"));
}

#[test]
fn range_sorts_member_ids_as_strings() {
    // Member ids in insertion order 1, 2, 10; Kafka sorts them as strings: 1, 10, 2.
    let m = members(&["consumer-1", "consumer-2", "consumer-10"], &["orders"]);
    assert_eq!(flat(range(&m, &topics(&[("orders", 10)]))), expected("range_lexicographic_pitfall_10_partitions"));
}

#[test]
fn range_assigns_each_topic_separately() {
    let m = members(&["c1", "c2", "c3"], &["a", "b"]);
    assert_eq!(flat(range(&m, &topics(&[("a", 5), ("b", 5)]))), expected("range_2x5_partitions_3_consumers"));
}

#[test]
fn round_robin_deals_all_partitions_round_the_members() {
    let m = members(&["c1", "c2", "c3"], &["a", "b"]);
    assert_eq!(flat(round_robin(&m, &topics(&[("a", 5), ("b", 5)]))), expected("roundrobin_2x5_partitions_3_consumers"));
}

#[test]
fn round_robin_skips_members_not_subscribed_to_a_topic() {
    let mut m = members(&["c1", "c2"], &["a"]);
    m[1].topics.insert("b".into());
    let result = flat(round_robin(&m, &topics(&[("a", 2), ("b", 2)])));
    assert_eq!(result["c1"], vec!["a-0"]);
    assert_eq!(result["c2"], vec!["a-1", "b-0", "b-1"]);
}
