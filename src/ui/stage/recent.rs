//! What the step just taken did, gathered once from its events: which records were appended,
//! which instances read what, which partitions moved. The lanes and instances highlight from it,
//! and the flight layer sends tokens along it. Stepping back clears it, so nothing plays
//! backwards.

use kafkascope_engine::{Event, TopicPartition};
use leptos::prelude::*;

use crate::state::SimHandle;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Appended {
    pub producer: String,
    pub topic: String,
    pub partition: u32,
    pub offset: u64,
    pub key: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Read {
    pub group: String,
    pub member_id: String,
    pub partition: TopicPartition,
    pub offsets: Vec<u64>,
}

/// A partition given to a member by a rebalance (it may come from another member).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Moved {
    pub group: String,
    pub member_id: String,
    pub partition: TopicPartition,
}

/// Offsets a follower copied from its leader.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Copied {
    pub topic: String,
    pub partition: u32,
    pub broker: u32,
    pub from: u64,
}

/// Offsets `from..to` that only a partition's old leader had: an election lost them, and the log
/// hands those offsets out again. `resent` of them a producer still waited for (acks=all): it
/// sends them again; the others are lost for good.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Lost {
    pub topic: String,
    pub partition: u32,
    pub from: u64,
    pub to: u64,
    pub resent: u64,
}

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Recent {
    /// The state's serial number: tells one step's activity from the next.
    pub serial: u64,
    pub appended: Vec<Appended>,
    pub reads: Vec<Read>,
    pub assigned: Vec<Moved>,
    pub copied: Vec<Copied>,
    pub lost: Vec<Lost>,
}

impl Recent {
    /// The offsets this step appended to one partition.
    pub fn appended_to(&self, topic: &str, partition: u32) -> Vec<u64> {
        self.appended.iter().filter(|a| a.topic == topic && a.partition == partition).map(|a| a.offset).collect()
    }
    /// What this step's election lost on one partition.
    pub fn lost_on(&self, topic: &str, partition: u32) -> Option<Lost> {
        self.lost.iter().find(|l| l.topic == topic && l.partition == partition).cloned()
    }
    pub fn read_by(&self, member_id: &str) -> bool {
        self.reads.iter().any(|r| r.member_id == member_id)
    }
}

fn gather(serial: u64, events: &[Event]) -> Recent {
    let mut recent = Recent { serial, ..Recent::default() };
    let mut sender = None;
    for event in events {
        match event {
            Event::Produced { producer, choice, .. } => {
                let key = match choice {
                    // A null key librdkafka hashed as zero bytes is still null (empty here).
                    kafkascope_engine::partitioner::PartitionChoice::KeyHash(t) if !t.null_key => crate::format::bytes_as_text(Some(&t.key_bytes)),
                    // A key the partitioner did not use (an empty one taken for null, keys ignored).
                    kafkascope_engine::partitioner::PartitionChoice::Sticky { unhashed, .. } if *unhashed != kafkascope_engine::partitioner::Unhashed::NullKey => "(not hashed)".to_string(),
                    _ => String::new(),
                };
                sender = Some((producer.clone(), key));
            }
            Event::Appended { topic, partition, offset, .. } => {
                let (producer, key) = sender.take().unwrap_or_default();
                recent.appended.push(Appended { producer, topic: topic.clone(), partition: *partition, offset: *offset, key });
            }
            Event::Fetched { group, member_id, partition, offsets } => recent.reads.push(Read {
                group: group.clone(),
                member_id: member_id.clone(),
                partition: partition.clone(),
                offsets: offsets.clone(),
            }),
            Event::ReplicaFetched { topic, partition, broker, from, to, .. } if to > from => {
                recent.copied.push(Copied { topic: topic.clone(), partition: *partition, broker: *broker, from: *from })
            }
            Event::LeaderElected { topic, partition, lost: Some(range), resent, .. } if range.to > range.from => {
                recent.lost.push(Lost { topic: topic.clone(), partition: *partition, from: range.from, to: range.to, resent: *resent })
            }
            Event::PartitionsAssigned { group, member_id, partitions } => recent.assigned.extend(
                partitions.iter().map(|tp| Moved { group: group.clone(), member_id: member_id.clone(), partition: tp.clone() }),
            ),
            _ => {}
        }
    }
    recent
}

/// The activity of the latest step, provided by the app.
#[derive(Clone, Copy)]
pub struct RecentActivity(pub Memo<Recent>);

impl RecentActivity {
    pub fn new(sim: SimHandle) -> RecentActivity {
        RecentActivity(Memo::new(move |_| sim.with_state(|s| gather(s.serial, &s.last_events))))
    }
}

pub fn use_recent() -> Memo<Recent> {
    expect_context::<RecentActivity>().0
}
