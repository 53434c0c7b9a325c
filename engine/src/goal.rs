//! Goals: the "Try it" tasks of a lesson, checked by the engine against the simulation's state.
//!
//! A lesson asks a student to do something Kafka-shaped: *produce a record that lands in
//! partition 2*, *make a consumer idle*, *lose a record with commit-then-process*. The student
//! acts through the ordinary commands; the goal then looks at the state (and, for "since the task
//! began", at the state when the task was posed) and answers with a [`Verdict`]: met or not, and
//! a sentence saying what happened or what is still missing. The sentences teach: a key that
//! hashes elsewhere shows the murmur2 arithmetic, a tombstone stuck in the active segment says
//! that the cleaner never touches the active segment.
//!
//! Goals are data (serialisable in a scenario file), so a lesson's task is written next to its
//! narration. Each variant reads only public state, as a live cluster could report it, except
//! the delivery statistics (what the application processed), which only a simulation knows.

use serde::{Deserialize, Serialize};

use crate::goal_check as check;
use crate::simulation::Simulation;

/// What a "Try it" task asks for.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub enum Goal {
    /// A record produced since the task began matches every condition given.
    Produce(RecordGoal),
    /// Records with `key` sit in more than one partition of `topic`: per-key order is broken.
    KeySplit { topic: String, key: String },
    /// `group` has read the records with `key` whose values contain `values`, in that order
    /// (counting records produced since the task began).
    ReadInOrder { group: String, topic: String, key: String, values: Vec<String> },
    /// Every record produced to `topic` since the task began was processed by every one of the
    /// `groups`: publish/subscribe fan-out.
    FanOut { topic: String, groups: Vec<String> },
    /// A running consumer of `group` owns no partition.
    IdleConsumer { group: String },
    /// `group` has committed every record of every partition it reads: its lag is 0.
    LagZero { group: String },
    /// `group` lost records since the task began (committed, never processed: at-most-once).
    RecordsLost { group: String },
    /// `group` processed records a second time since the task began (at-least-once).
    RecordsRedelivered { group: String },
    /// `key` had a value in `topic` when the task began; now no record with a value for it is
    /// left: a tombstone and the log cleaner removed it.
    KeyDeleted { topic: String, key: String },
    /// Retention deleted records of `topic` since the task began (a log start offset moved).
    RecordsDeleted { topic: String },
    /// The leader of `partition` of `topic` is a different broker than when the task began, and
    /// the partition is online: the controller elected a new leader from the ISR.
    LeaderMoved { topic: String, partition: u32 },
    /// Every one of these goals.
    All(Vec<Goal>),
}

/// Conditions on one produced record; unset conditions accept anything.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RecordGoal {
    pub topic: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub partition: Option<u32>,
    #[serde(default)]
    pub key: KeyRule,
    /// The record carries a header with this key.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub header: Option<String>,
    /// The record's value (as UTF-8 text) contains this.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub value_contains: Option<String>,
}

/// What a record's key must be.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub enum KeyRule {
    /// Any key, or none.
    #[default]
    Any,
    /// A null key.
    Null,
    /// Any key that is not null.
    Present,
    /// A key, and the record sits where the Java default partitioner puts that key
    /// (`toPositive(murmur2(key)) % partitions`), not in a partition chosen by hand.
    Hashed,
    /// Exactly this key.
    Is(String),
    /// A key equal to this text field of the value's JSON object: an event keyed by its own id
    /// (`productId`), so that every event about one product lands in one partition.
    InValue(String),
}

/// The answer to "have I done it?".
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Verdict {
    pub met: bool,
    /// What happened (when met) or what is still missing, as a sentence for the student.
    pub feedback: String,
}

impl Verdict {
    pub(crate) fn met(feedback: impl Into<String>) -> Verdict {
        Verdict { met: true, feedback: feedback.into() }
    }
    pub(crate) fn not_yet(feedback: impl Into<String>) -> Verdict {
        Verdict { met: false, feedback: feedback.into() }
    }
}

impl Goal {
    /// Checks the goal on `now`; `start` is the state when the task was posed (for "since the
    /// task began" and "had a value when the task began"). Never panics, whatever the state.
    pub fn check(&self, start: &Simulation, now: &Simulation) -> Verdict {
        match self {
            Goal::Produce(goal) => check::produce(goal, start, now),
            Goal::KeySplit { topic, key } => check::key_split(topic, key, now),
            Goal::ReadInOrder { group, topic, key, values } => check::read_in_order(group, topic, key, values, start, now),
            Goal::FanOut { topic, groups } => check::fan_out(topic, groups, start, now),
            Goal::IdleConsumer { group } => check::idle_consumer(group, now),
            Goal::LagZero { group } => check::lag_zero(group, now),
            Goal::RecordsLost { group } => check::records_lost(group, start, now),
            Goal::RecordsRedelivered { group } => check::records_redelivered(group, start, now),
            Goal::KeyDeleted { topic, key } => check::key_deleted(topic, key, start, now),
            Goal::RecordsDeleted { topic } => check::records_deleted(topic, start, now),
            Goal::LeaderMoved { topic, partition } => check::leader_moved(topic, *partition, start, now),
            Goal::All(goals) => all(goals, start, now),
        }
    }
}

fn all(goals: &[Goal], start: &Simulation, now: &Simulation) -> Verdict {
    let mut done = Vec::new();
    for goal in goals {
        let verdict = goal.check(start, now);
        if !verdict.met {
            return verdict;
        }
        done.push(verdict.feedback);
    }
    Verdict::met(done.join(" "))
}
