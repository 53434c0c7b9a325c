//! How each [`crate::goal::Goal`] is checked, with the sentences a student reads.
//!
//! Every check reads the state through the simulation's public API and says, when a goal is not
//! met yet, the *first* thing that is missing, in Kafka's words, so the student knows what to try
//! next.

use crate::assignor::TopicPartition;
use crate::error::count;
use crate::consumer_group::{CommitMode, ConsumerGroup};
use crate::goal::{KeyRule, RecordGoal, Verdict};
use crate::partitioner::{murmur2, to_positive, HashAlgorithm, HashTrace, PartitionChoice};
use crate::record::Record;
use crate::setting::Setting;
use crate::simulation::Simulation;

/// Bytes as the student typed them, shortened for a sentence.
pub(crate) fn text(bytes: &[u8]) -> String {
    let all = String::from_utf8_lossy(bytes);
    let mut short: String = all.chars().take(60).collect();
    if short.len() < all.len() {
        short.push('…');
    }
    short
}

fn key_text(record: &Record) -> String {
    record.key.as_deref().map_or_else(|| "null".to_string(), |k| format!("\"{}\"", text(k)))
}

/// Records appended to `topic` since `start` (offsets at or past each partition's log end
/// offset then), partition by partition in offset order; `None` if the topic does not exist.
fn new_records<'a>(topic: &str, start: &Simulation, now: &'a Simulation) -> Option<Vec<&'a Record>> {
    let t = now.topic(topic)?;
    let records = t
        .partitions
        .iter()
        .flat_map(|log| {
            let from = start.log(topic, log.partition()).map_or(0, |l| l.log_end_offset());
            log.range(from, log.log_end_offset())
        })
        .collect();
    Some(records)
}

/// The newest of some records: the latest send if it is among them, else the last one.
fn newest<'a>(records: &[&'a Record], now: &Simulation, topic: &str) -> Option<&'a Record> {
    let last = now.last_send().filter(|s| s.topic == topic);
    let sent = last.and_then(|s| records.iter().find(|r| r.partition == s.partition && r.offset == s.offset));
    sent.or_else(|| records.iter().max_by_key(|r| (r.timestamp_ms, r.partition, r.offset))).copied()
}


fn no_topic(topic: &str) -> Verdict {
    Verdict::not_yet(format!("There is no topic named '{topic}' yet."))
}

fn no_group(group: &str) -> Verdict {
    Verdict::not_yet(format!("There is no consumer group named '{group}' yet: start a consumer in it."))
}

pub(crate) fn produce(goal: &RecordGoal, start: &Simulation, now: &Simulation) -> Verdict {
    let Some(records) = new_records(&goal.topic, start, now) else { return no_topic(&goal.topic) };
    let partitions = now.topic(&goal.topic).map_or(1, |t| t.partition_count());
    let why_not = |r: &Record| mismatch(goal, r, partitions).or_else(|| unhashed(goal, r, now));
    if let Some(record) = records.iter().find(|r| why_not(r).is_none()) {
        return Verdict::met(format!(
            "The record with key {} is at offset {} of partition {} of '{}'.",
            key_text(record),
            record.offset,
            record.partition,
            goal.topic
        ));
    }
    match newest(&records, now, &goal.topic) {
        None => Verdict::not_yet(format!("No record has been produced to '{}' since the task began.", goal.topic)),
        Some(record) => Verdict::not_yet(why_not(record).unwrap_or_default()),
    }
}

/// For a task about the key's hash: the last send, if its key sits in the partition murmur2
/// picks only by chance (the producer ignored keys, or chose at random). Of older records the
/// log keeps no trace of how their partition was chosen; the last send's choice is kept.
fn unhashed(goal: &RecordGoal, record: &Record, now: &Simulation) -> Option<String> {
    let last = now.last_send().filter(|s| matches!(goal.key, KeyRule::Hashed) && s.topic == goal.topic && s.partition == record.partition && s.offset == record.offset)?;
    let p = record.partition;
    match &last.choice {
        _ if record.key.is_none() => None,
        PartitionChoice::KeyHash(trace) if trace.algorithm == HashAlgorithm::Murmur2 => None,
        PartitionChoice::KeyHash(trace) => Some(format!(
            "librdkafka's {} put the record in partition {p}, where murmur2 happens to send this key too: this task is about the Java client. Set the Java default partitioner and send it again.",
            trace.algorithm.name()
        )),
        PartitionChoice::Explicit { .. } => Some(format!(
            "The record named partition {p} itself, where murmur2 happens to send this key too: clear Partition to let the key decide, and send it again."
        )),
        _ => Some(format!(
            "The key was not hashed: the producer's partitioner ({}) put the record in partition {p}, where murmur2 happens to send this key too. Set the Java default partitioner and send it again.",
            last.partitioner.name()
        )),
    }
}

/// Why a record does not meet the conditions, or `None` if it does.
fn mismatch(goal: &RecordGoal, record: &Record, partitions: u32) -> Option<String> {
    let hashed = record.key.as_deref().map(|k| (k, to_positive(murmur2(k)) as u32));
    if let Some(wanted) = goal.partition.filter(|&p| p != record.partition) {
        // A record its key did not place (a partition named in the form, another partitioner)
        // says so first: "try another key" cannot help it.
        if let (KeyRule::Hashed, Some(why)) = (&goal.key, key_mismatch(&goal.key, record, hashed, partitions)) {
            return Some(why);
        }
        return Some(match (&goal.key, hashed) {
            (KeyRule::Hashed, Some((key, positive))) => format!(
                "Key \"{}\" went to partition {}: toPositive(murmur2(key)) = {positive}, and {positive} % {partitions} = {}. Try another key to reach partition {wanted}.",
                text(key),
                record.partition,
                positive % partitions.max(1)
            ),
            _ => format!("The latest record went to partition {}, not to partition {wanted}.", record.partition),
        });
    }
    key_mismatch(&goal.key, record, hashed, partitions).or_else(|| content_mismatch(goal, record))
}

fn key_mismatch(rule: &KeyRule, record: &Record, hashed: Option<(&[u8], u32)>, partitions: u32) -> Option<String> {
    match (rule, hashed) {
        (KeyRule::Any, _) | (KeyRule::Null, None) | (KeyRule::Present, Some(_)) => None,
        (KeyRule::Null, Some((key, _))) => Some(format!("The latest record has the key \"{}\": send one with a null key.", text(key))),
        (KeyRule::Present | KeyRule::InValue(_), None) => Some("The latest record has a null key: give it a key (here, the product's id).".to_string()),
        (KeyRule::InValue(field), Some((key, _))) => {
            let value: Option<serde_json::Value> = record.value.as_deref().and_then(|v| serde_json::from_str(std::str::from_utf8(v).ok()?).ok());
            match value.as_ref().and_then(|v| v.get(field)).and_then(serde_json::Value::as_str) {
                Some(id) if id.as_bytes() == key => None,
                Some(id) => Some(format!(
                    "The latest record's key is '{}', but its value's \"{field}\" is '{}': key the event by the id it carries, so that every event of one product lands in one partition.",
                    text(key),
                    text(id.as_bytes())
                )),
                None => Some(format!("The latest record's value is not a JSON object with a \"{field}\" text: write the event as JSON, its \"{field}\" the key.")),
            }
        }
        (KeyRule::Hashed | KeyRule::Is(_), None) => {
            Some("The latest record has a null key, so no hash chose its partition: give it a key.".to_string())
        }
        (KeyRule::Hashed, Some((key, positive))) if positive % partitions.max(1) != record.partition => {
            // librdkafka's hashes may have put it there: say so, since this lesson's partitioner
            // is the Java client's (the log keeps no trace of how a partition was chosen).
            let other = [HashAlgorithm::Crc32, HashAlgorithm::Fnv1a]
                .into_iter()
                .find(|&a| HashTrace::compute(a, key, partitions.max(1)).partition == record.partition)
                .map_or(String::new(), |a| format!(" (librdkafka's {} puts it there; this task is about the Java client)", a.name()));
            Some(format!(
                "Key \"{}\" hashes to partition {} with murmur2, the Java default partitioner, but the record is in partition {}: it was placed by hand (a partition named in the form: clear Partition to let the key decide) or by another partitioner{other}.",
                text(key),
                positive % partitions.max(1),
                record.partition
            ))
        }
        (KeyRule::Is(wanted), Some((key, _))) if key != wanted.as_bytes() => {
            Some(format!("The latest record's key is '{}', not '{wanted}'.", text(key)))
        }
        _ => None,
    }
}

fn content_mismatch(goal: &RecordGoal, record: &Record) -> Option<String> {
    if let Some(header) = goal.header.as_deref().filter(|h| !record.headers.iter().any(|x| x.key == *h)) {
        let names: Vec<&str> = record.headers.iter().map(|h| h.key.as_str()).collect();
        let has = if names.is_empty() { "no headers".to_string() } else { format!("the headers {}", names.join(", ")) };
        return Some(format!("The latest record has {has}, but no header named '{header}'."));
    }
    let value = record.value.as_deref().map(String::from_utf8_lossy).unwrap_or_default();
    match goal.value_contains.as_deref() {
        Some(wanted) if !value.contains(wanted) => Some(format!("The latest record's value does not contain '{wanted}'.")),
        _ => None,
    }
}

/// Partitions of `topic` that hold a record with `key`.
fn partitions_with_key(now: &Simulation, topic: &str, key: &str) -> Vec<u32> {
    let Some(t) = now.topic(topic) else { return Vec::new() };
    t.partitions.iter().filter(|log| log.records().any(|r| r.key.as_deref() == Some(key.as_bytes()))).map(|l| l.partition()).collect()
}

pub(crate) fn key_split(topic: &str, key: &str, now: &Simulation) -> Verdict {
    if now.topic(topic).is_none() {
        return no_topic(topic);
    }
    match partitions_with_key(now, topic, key).as_slice() {
        [] => Verdict::not_yet(format!("No record with key \"{key}\" is in '{topic}'.")),
        [p] => {
            let n = now.topic(topic).map_or(1, |t| t.partition_count());
            let positive = to_positive(murmur2(key.as_bytes())) as u32;
            Verdict::not_yet(if positive % n == *p && n > 1 {
                format!("Every record with this key is in partition {p}: with {n} partitions it still hashes there ({positive} % {n} = {p}). A key stays in one partition while the count stays the same: change the count so that it lands elsewhere, then send it again.")
            } else if n > 1 {
                format!("Every record with this key is in partition {p}, but with {n} partitions it now hashes to partition {}: send an update of this user again, and let the key decide.", positive % n)
            } else {
                format!("Every record with this key is in partition {p}: a key always hashes to the same partition while the partition count stays the same.")
            })
        }
        many => Verdict::met(format!(
            "Key \"{key}\" is now in partitions {}: a consumer cannot tell which of its updates came first.",
            many.iter().map(u32::to_string).collect::<Vec<_>>().join(" and ")
        )),
    }
}

fn processed(group: &ConsumerGroup, record: &Record, topic: &str) -> bool {
    let tp = TopicPartition::new(topic, record.partition);
    group.processed_up_to.get(&tp).is_some_and(|&done| record.offset < done)
}

pub(crate) fn read_in_order(group: &str, topic: &str, key: &str, values: &[String], start: &Simulation, now: &Simulation) -> Verdict {
    let Some(records) = new_records(topic, start, now) else { return no_topic(topic) };
    let keyed: Vec<&Record> = records.into_iter().filter(|r| r.key.as_deref() == Some(key.as_bytes())).collect();
    if keyed.is_empty() {
        return Verdict::not_yet(format!("No record with key \"{key}\" has been produced to '{topic}' since the task began."));
    }
    let contains = |r: &Record, v: &str| r.value.as_deref().is_some_and(|b| String::from_utf8_lossy(b).contains(v));
    if let Some(missing) = values.iter().find(|v| !keyed.iter().any(|r| contains(r, v))) {
        return Verdict::not_yet(format!("No record with key \"{key}\" carries \"{missing}\" yet."));
    }
    let Some(found) = in_order(&keyed, values, contains) else {
        return Verdict::not_yet(format!("The records with key \"{key}\" are there, but not in the order {} within one partition.", values.join(", ")));
    };
    let Some(g) = now.group(group) else { return no_group(group) };
    if !found.iter().all(|r| processed(g, r, topic)) {
        return Verdict::not_yet(format!("'{group}' has not read them all yet: step forward so that its consumer polls."));
    }
    let offsets: Vec<String> = found.iter().map(|r| r.offset.to_string()).collect();
    Verdict::met(format!(
        "'{group}' read {} in order: they are at offsets {} of partition {}, and a consumer reads a partition in offset order.",
        values.join(", "),
        offsets.join(", "),
        found[0].partition
    ))
}

/// The records, all in one partition, whose values contain `values` in order.
fn in_order<'a>(keyed: &[&'a Record], values: &[String], contains: impl Fn(&Record, &str) -> bool) -> Option<Vec<&'a Record>> {
    let mut by_partition: std::collections::BTreeMap<u32, Vec<&Record>> = std::collections::BTreeMap::new();
    for r in keyed {
        by_partition.entry(r.partition).or_default().push(r);
    }
    by_partition.values().find_map(|records| {
        let mut found = Vec::new();
        for r in records {
            if found.len() < values.len() && contains(r, &values[found.len()]) {
                found.push(*r);
            }
        }
        (found.len() == values.len() && !values.is_empty()).then_some(found)
    })
}

pub(crate) fn fan_out(topic: &str, groups: &[String], start: &Simulation, now: &Simulation) -> Verdict {
    let Some(records) = new_records(topic, start, now) else { return no_topic(topic) };
    if records.is_empty() {
        return Verdict::not_yet(format!("No record has been produced to '{topic}' since the task began: produce one."));
    }
    if let Some(missing) = groups.iter().find(|g| now.group(g).is_none()) {
        return no_group(missing);
    }
    // A group that began at `latest` after a record was written never reads it: only records
    // every group can read count, and there must be one.
    let skipped_by = |r: &Record| {
        groups.iter().find(|name| {
            now.group(name).and_then(|g| g.first_reset.get(&TopicPartition::new(topic, r.partition))).is_some_and(|&first| r.offset < first)
        })
    };
    let readable: Vec<&Record> = records.iter().copied().filter(|r| skipped_by(r).is_none()).collect();
    if readable.is_empty() {
        let r = records[records.len() - 1];
        return Verdict::not_yet(format!(
            "'{}' began at the end of partition {} (auto.offset.reset=latest), after offset {} was written: it never reads that record. Produce one now that every group exists.",
            skipped_by(r).map_or("", |n| n.as_str()),
            r.partition,
            r.offset
        ));
    }
    for name in groups {
        let Some(g) = now.group(name) else { return no_group(name) };
        if let Some(r) = readable.iter().find(|r| !processed(g, r, topic)) {
            return Verdict::not_yet(format!(
                "'{name}' has not processed offset {} of partition {} yet: step forward so that it polls. (A group that starts with auto.offset.reset=latest begins after the records already there.)",
                r.offset, r.partition
            ));
        }
    }
    let what = match readable.len() {
        1 => "the new record".to_string(),
        n => format!("all {n} new records"),
    };
    Verdict::met(format!("Every one of {} processed {what}: each group keeps its own offsets, so each gets every record.", groups.join(", ")))
}

pub(crate) fn idle_consumer(group: &str, now: &Simulation) -> Verdict {
    let Some(g) = now.group(group) else { return no_group(group) };
    if g.join_phase.is_some() {
        return Verdict::not_yet(format!("'{group}' is rebalancing: step forward until it has finished."));
    }
    if let Some(idle) = g.members.values().find(|m| m.is_alive() && m.assigned.is_empty()) {
        return Verdict::met(format!(
            "{} is idle: each partition is read by one consumer of a group, and '{group}' has more consumers than partitions.",
            idle.client_id
        ));
    }
    let running = g.members.values().filter(|m| m.is_alive()).count();
    let partitions: u32 = g.known_partitions.values().sum();
    Verdict::not_yet(format!(
        "All {running} running consumers of '{group}' own partitions ({partitions} partitions to share): add consumers until there are more consumers than partitions."
    ))
}

pub(crate) fn lag_zero(group: &str, now: &Simulation) -> Verdict {
    let Some(g) = now.group(group) else { return no_group(group) };
    let mut lag = 0;
    let mut end_offsets = 0;
    for (topic, &count) in &g.known_partitions {
        for p in 0..count {
            let Some(log) = now.log(topic, p) else { continue };
            let tp = TopicPartition::new(topic.as_str(), p);
            let committed = g.committed.get(&tp).copied().unwrap_or(log.log_start_offset());
            lag += log.high_watermark().saturating_sub(committed);
            end_offsets += log.high_watermark();
        }
    }
    if g.committed.is_empty() || end_offsets == 0 {
        return Verdict::not_yet(format!("'{group}' has not committed any offset yet."));
    }
    if lag > 0 {
        return Verdict::not_yet(format!("'{group}' lags {} behind the high watermarks: give it more consumers, or time to catch up.", count(lag, "record")));
    }
    Verdict::met(format!("'{group}' has caught up: its committed offsets equal the high watermarks, so its lag is 0."))
}

fn stats_since(group: &str, start: &Simulation, now: &Simulation) -> Option<(u64, u64, CommitMode)> {
    let g = now.group(group)?;
    let before = start.group(group).map(|s| s.stats).unwrap_or_default();
    Some((g.stats.lost - before.lost.min(g.stats.lost), g.stats.redelivered - before.redelivered.min(g.stats.redelivered), g.config.commit_mode))
}

pub(crate) fn records_lost(group: &str, start: &Simulation, now: &Simulation) -> Verdict {
    let Some((lost, _, mode)) = stats_since(group, start, now) else { return no_group(group) };
    if lost > 0 {
        return Verdict::met(format!(
            "'{group}' lost {}, committed before being processed: no consumer of the group will read {} again. That is at-most-once.",
            count(lost, "record"),
            if lost == 1 { "it" } else { "them" }
        ));
    }
    if mode != CommitMode::CommitThenProcess {
        return Verdict::not_yet(format!(
            "'{group}' commits with {}: only \"{}\" can lose a record. Choose it as the group's Commit mode in Edit (E).",
            mode.name(),
            CommitMode::CommitThenProcess.name()
        ));
    }
    Verdict::not_yet(format!(
        "No record lost so far: crash a consumer of '{group}' after it committed its batch and before it processed it (step one tick at a time)."
    ))
}

pub(crate) fn records_redelivered(group: &str, start: &Simulation, now: &Simulation) -> Verdict {
    let Some((_, again, mode)) = stats_since(group, start, now) else { return no_group(group) };
    if again > 0 {
        return Verdict::met(format!(
            "'{group}' processed {} twice: processed but not yet committed when its consumer crashed, so the next owner read {} again. That is at-least-once.",
            count(again, "record"),
            if again == 1 { "it" } else { "them" }
        ));
    }
    if mode == CommitMode::CommitThenProcess {
        return Verdict::not_yet(format!("'{group}' commits before it processes, so nothing is ever processed twice: switch it to process, then commit."));
    }
    Verdict::not_yet(format!(
        "No record processed twice so far: crash a consumer of '{group}' after it processed its batch and before it committed, then let the group rebalance."
    ))
}

/// The newest record of `key` in `log`, if it is a tombstone.
fn newest_tombstone<'a>(log: &'a crate::log::PartitionLog, key: &str) -> Option<&'a Record> {
    log.records().filter(|r| r.key.as_deref() == Some(key.as_bytes())).last().filter(|r| r.is_tombstone())
}

pub(crate) fn key_deleted(topic: &str, key: &str, start: &Simulation, now: &Simulation) -> Verdict {
    let Some(t) = now.topic(topic) else { return no_topic(topic) };
    let has_value = |sim: &Simulation| {
        sim.topic(topic).is_some_and(|t| t.partitions.iter().any(|l| l.records().any(|r| r.key.as_deref() == Some(key.as_bytes()) && !r.is_tombstone())))
    };
    if !has_value(start) {
        return Verdict::not_yet(format!("Key \"{key}\" had no value in '{topic}' when the task began, so there is nothing to delete."));
    }
    if !has_value(now) {
        return Verdict::met(format!(
            "Key \"{key}\" is gone: the cleaner removed its older values. The tombstone itself stays for delete.retention.ms = {} ms, so that consumers that are behind still learn of the delete.",
            t.config.delete_retention_ms
        ));
    }
    let tombstone_in = |l| newest_tombstone(l, key);
    let tombstone = t.partitions.iter().find_map(|l| tombstone_in(l).map(|newest| newest.offset >= l.active_segment().base_offset));
    // A tombstone sent to another topic (the one the Produce form had chosen) deletes nothing here.
    // Looked for only while this topic has none: once it has, the other topics are not scanned.
    let elsewhere = || {
        now.topics().iter().find_map(|(name, other)| (name != topic && other.partitions.iter().any(|l| tombstone_in(l).is_some())).then_some(name))
    };
    Verdict::not_yet(match tombstone {
        None => match elsewhere() {
            Some(other) => format!("Your tombstone went to '{other}': send it to '{topic}' (Topic, in Edit (E))."),
            None => format!("Key \"{key}\" still has a value. Send a tombstone: a record with key \"{key}\" and a null value."),
        },
        Some(true) => "The tombstone is in the active segment, which the log cleaner never touches: produce more records so that the segment rolls.".to_string(),
        Some(false) => format!(
            "The tombstone is in a closed segment: press Clean now (Edit (E), under Topics). (The broker's own check cleans this log only once more than min.cleanable.dirty.ratio = {} of it is dirty, records written since the last cleaning.)",
            t.config.min_cleanable_dirty_ratio
        ),
    })
}

pub(crate) fn records_deleted(topic: &str, start: &Simulation, now: &Simulation) -> Verdict {
    let Some(t) = now.topic(topic) else { return no_topic(topic) };
    for log in &t.partitions {
        let before = start.log(topic, log.partition()).map_or(0, |l| l.log_start_offset());
        if log.log_start_offset() > before {
            return Verdict::met(format!(
                "Retention deleted offsets {before} to {} of partition {}: its log start offset is now {}, and those offsets will never be used again.",
                log.log_start_offset() - 1,
                log.partition(),
                log.log_start_offset()
            ));
        }
    }
    // One line under a lesson at 720 px: the chapter says how often the broker checks.
    Verdict::not_yet(format!("Nothing deleted yet: a segment goes at the first check after its newest record is {} ms old.", t.config.retention_ms))
}

pub(crate) fn leader_moved(topic: &str, partition: u32, start: &Simulation, now: &Simulation) -> Verdict {
    let Some(t) = now.topic(topic) else { return no_topic(topic) };
    let Some(state) = t.replication.get(partition as usize) else {
        return Verdict::not_yet(format!("'{topic}' has no partition {partition}: it has {}.", t.partition_count()));
    };
    let before = start.topic(topic).and_then(|t| t.leader(partition));
    let isr = state.isr.iter().map(u32::to_string).collect::<Vec<_>>().join(",");
    match (before, state.leader) {
        (_, None) => Verdict::not_yet(format!(
            "Partition {partition} has no leader: no replica in its ISR is on a running broker. Start a broker again."
        )),
        (Some(was), Some(leader)) if was != leader => Verdict::met(format!(
            "Partition {partition} is now led by broker {leader} instead of broker {was} (leader epoch {}): the controller picked it from the in-sync replicas of that moment, so it holds every committed record. Its ISR now: {isr}.",
            state.leader_epoch
        )),
        (Some(leader), Some(_)) => Verdict::not_yet(format!(
            "Broker {leader} still leads partition {partition}: stop broker {leader} (the one marked with a star) and step forward."
        )),
        (None, Some(leader)) => Verdict::not_yet(format!(
            "Partition {partition} had no leader when the task began; broker {leader} leads it now. Stop broker {leader} to see an election from the ISR."
        )),
    }
}
