//! The narration line: the latest step in words, announced to screen readers (ARIA live region).

use kafkascope_engine::partitioner::PartitionChoice;
use kafkascope_engine::{Event, RebalanceReason};
use leptos::prelude::*;

use crate::format::{bytes_as_text, short};
use crate::scene::event_name;
use crate::state::use_sim;

/// Member ids are `client.id` + "-" + a UUID; people know instances by their client id.
pub fn client_of(member_id: &str) -> &str {
    let uuid_len = 37;
    if member_id.len() > uuid_len && member_id.as_bytes()[member_id.len() - uuid_len] == b'-' {
        &member_id[..member_id.len() - uuid_len]
    } else {
        member_id
    }
}

fn span(offsets: &[u64]) -> String {
    match offsets {
        [] => String::new(),
        [one] => format!("offset {one}"),
        [first, .., last] => format!("offsets {first}–{last}"),
    }
}

fn reason(r: RebalanceReason) -> &'static str {
    match r {
        RebalanceReason::MemberJoined => "a consumer joined",
        RebalanceReason::MemberLeft => "a consumer left",
        RebalanceReason::SessionTimeout => "a crashed consumer's session timed out",
        RebalanceReason::SubscriptionChanged => "a subscription changed",
        RebalanceReason::PartitionsChanged => "the partition count changed",
        RebalanceReason::AssignorChanged => "the assignor changed",
        RebalanceReason::FollowUp => "cooperative follow-up: revoked partitions are assigned now",
    }
}

/// One sentence per notable event of a step, at most three.
pub fn narrate(events: &[Event]) -> Vec<String> {
    let mut out = Vec::new();
    let mut produced = None;
    for event in events {
        let line = match event {
            Event::Produced { topic, choice, .. } => {
                let how = match choice {
                    PartitionChoice::KeyHash(t) => format!("key {} hashed to", short(&bytes_as_text(Some(&t.key_bytes)), 8)),
                    PartitionChoice::Explicit { .. } => "sent explicitly to".to_string(),
                    PartitionChoice::RoundRobin { .. } => "null key, round-robin to".to_string(),
                    _ => "null key sent to".to_string(),
                };
                produced = Some(format!("{} {how}", event_name(topic)));
                continue;
            }
            Event::Appended { partition, offset, .. } => {
                let who = produced.take().unwrap_or_else(|| "A record".to_string());
                format!("{who} partition {partition}, appended at offset {offset}.")
            }
            Event::Fetched { member_id, partition, offsets, .. } => {
                format!("{} read {} of partition {}.", client_of(member_id), span(offsets), partition.partition)
            }
            Event::Processed { member_id, partition, redelivered, from, to, .. } if *redelivered > 0 => format!(
                "{} processed offsets {}–{} of partition {} again: {} redelivered (at-least-once).",
                client_of(member_id), from, to - 1, partition.partition, redelivered
            ),
            Event::RecordsLost { group, partition, from, to } => format!(
                "{group} lost offsets {from}–{} of partition {}: committed but never processed (at-most-once).",
                to - 1, partition.partition
            ),
            Event::MemberCrashed { member_id, .. } => format!("{} crashed; its partitions wait for the session timeout.", client_of(member_id)),
            Event::MemberRemoved { group, member_id } => format!("{group} removed {}.", client_of(member_id)),
            Event::RebalanceStarted { group, reason: r, .. } => format!("{group} rebalances: {}.", reason(*r)),
            Event::PartitionsAdded { topic, from, to } => {
                format!("{topic} grew from {from} to {to} partitions: hash % {to} now sends keys to new places.")
            }
            Event::TopicCreated { topic, partitions } => format!("Topic {topic} created with {partitions} partitions."),
            Event::SegmentsDeleted { topic, partition, deletion } => {
                format!("Retention deleted offsets {}–{} of {topic}-{partition}.", deletion.from, deletion.to.saturating_sub(1))
            }
            Event::Compacted { topic, partition, compaction } => format!(
                "Compaction removed {} older records of {topic}-{partition}.",
                compaction.superseded.len() + compaction.tombstones_removed.len()
            ),
            _ => continue,
        };
        out.push(line);
    }
    out.truncate(3);
    out
}

#[component]
pub fn Narration() -> impl IntoView {
    let sim = use_sim();
    let text = move || {
        sim.with_state(|s| {
            let mut lines = narrate(&s.last_events);
            if let Some(caption) = s.caption() {
                lines.insert(0, caption.to_string());
            }
            if !lines.is_empty() {
                return lines.join(" ");
            }
            if let Some(note) = &s.note {
                return note.clone();
            }
            match s.last_events.first() {
                Some(Event::TimeAdvanced { tick, .. }) => format!("Tick {tick}: nothing new to read."),
                _ => "Ready.".to_string(),
            }
        })
    };
    view! { <p class="narration" role="status" aria-live="polite">{text}</p> }
}
