//! The same scenario as real commands: what a student types to replay a lecture on a real Kafka
//! cluster and see the same partitions.
//!
//! [`script`] replays a scenario up to a step and writes, in the order things happened:
//! - `kafka-topics.sh --create` for each topic (partitions, replication factor, and every config
//!   that differs from Kafka's default), and `--alter --partitions` when a topic grew;
//! - for each run of records sent to one topic, the input for `kafka-console-producer.sh` with
//!   `parse.key=true` and a `key.separator` that occurs in none of the keys (plus `parse.headers`
//!   and a `null.marker` when needed), and the same records for `kcat -P -K<sep>`, told to use
//!   Java's murmur2 partitioner (`-X topic.partitioner=murmur2_random`; librdkafka's default
//!   hashes with crc32 and would put keys elsewhere). A run's `acks` and `enable.idempotence`
//!   go along where they differ from the tool's default (a new run when they change), so an
//!   acks=1 scene is replayed with acks=1.
//!
//! Because the engine's partitioner is Kafka's, a keyed record lands in the same partition on a
//! real cluster with the same partition count. Where a record cannot be expressed (a key holding
//! every separator, a value spanning lines, bytes that are not UTF-8) or would land elsewhere (a
//! null key, an explicit partition, round-robin), the batch says so in a note.
//!
//! [`consume_commands`] starts each instance of each group as a console consumer, and
//! [`describe_groups`] prints, for the current state, the table `kafka-consumer-groups.sh
//! --describe` prints for each group (see [`GroupDescription`]).
//!
//! Everything here is a pure function of a scenario or a simulation.

mod group;
mod producer;
mod topic;

use bytes::Bytes;

pub use group::{consume_commands, describe_group, describe_groups, GroupDescription};
pub use producer::{console_producer, kcat, ToolInput};
pub use topic::{add_partitions_command, create_topic_command};
pub(crate) use topic::changed_configs;

use crate::acknowledgement::{Acks, ProducerConfig};
use crate::budget::Budget;
use crate::command::Command;
use crate::event::Event;
use crate::partitioner::{HashAlgorithm, HashTrace, PartitionChoice};
use crate::setting::Setting;
use crate::record::Header;
use crate::scenario::{Scenario, ScenarioError};
use crate::simulation::Simulation;

/// Where the commands connect: a broker on the student's machine.
pub const BOOTSTRAP_SERVER: &str = "localhost:9092";

/// The scenario's commands for a real cluster, in the order they happened.
#[derive(Debug, Clone, PartialEq)]
pub struct Script {
    pub steps: Vec<ScriptStep>,
}

#[derive(Debug, Clone, PartialEq)]
pub enum ScriptStep {
    /// `kafka-topics.sh --create`, with notes on configs Kafka would refuse.
    CreateTopic { topic: String, command: String, notes: Vec<String> },
    /// `kafka-topics.sh --alter --partitions`.
    AddPartitions { topic: String, command: String },
    /// Another admin tool's line, such as `kafka-leader-election.sh`.
    Admin { command: String },
    /// Records sent to one topic, one after the other.
    Produce(ProduceBatch),
}

/// Records sent to one topic while it had `partitions` partitions, by producers with the same
/// `settings`.
#[derive(Debug, Clone, PartialEq)]
pub struct ProduceBatch {
    pub topic: String,
    pub partitions: u32,
    pub settings: ProducerConfig,
    pub records: Vec<SentRecord>,
    /// `kafka-console-producer.sh` and its input; `None` if no record can be expressed.
    pub console: Option<ToolInput>,
    /// `kcat -P` runs (a new run whenever the headers change: `-H` applies to a whole run).
    pub kcat: Vec<ToolInput>,
    /// What cannot be expressed, or would land in another partition on a real cluster.
    pub notes: Vec<String>,
}

/// A record as the engine sent it.
#[derive(Debug, Clone, PartialEq)]
pub struct SentRecord {
    pub key: Option<Bytes>,
    pub value: Option<Bytes>,
    pub headers: Vec<Header>,
    pub partition: u32,
    pub offset: u64,
    pub choice: PartitionChoice,
}

/// Replays `scenario` up to `upto` steps (clamped) and writes its real commands.
pub fn script(scenario: &Scenario, upto: usize) -> Result<Script, ScenarioError> {
    scenario.check()?;
    let mut sim = Simulation::new(scenario.config);
    let mut writer = Writer::default();
    let steps = scenario.expanded_steps().take(upto).map(|(c, _)| c);
    for (i, command) in scenario.setup.iter().chain(steps).enumerate() {
        let too_much = |limit| ScenarioError::TooMuchWork { at: format!("Command {}", i + 1), limit };
        writer.budget.before(&sim, command).map_err(too_much)?;
        let events = sim.apply(command.clone()).map_err(|error| ScenarioError::CommandFailed {
            step: i,
            command: crate::scenario::command_name(command),
            error,
        })?;
        writer.budget.charge(&sim, command, &events).map_err(too_much)?;
        // A record typed by hand carries its own settings; a stream's are its producer's.
        let typed = match command {
            Command::Produce(r) => Some(ProducerConfig { acks: r.acks, enable_idempotence: r.enable_idempotence }),
            _ => None,
        };
        writer.record(&sim, typed, &events);
        if matches!(command, Command::ElectPreferredLeaders) {
            let command = format!("kafka-leader-election.sh --bootstrap-server {BOOTSTRAP_SERVER} --election-type PREFERRED --all-topic-partitions");
            writer.steps.push(ScriptStep::Admin { command });
        }
    }
    Ok(Script { steps: writer.finish() })
}

#[derive(Default)]
struct Writer {
    steps: Vec<ScriptStep>,
    /// Sends not yet written, oldest first, with their topic and partition. A send held behind a
    /// retry, or refused and sent again, is written after later ones were sent, and several are
    /// written in one step: each write takes the oldest send to its partition.
    pending: Vec<(String, u32, PartitionChoice, ProducerConfig)>,
    budget: Budget,
}

impl Writer {
    fn record(&mut self, sim: &Simulation, typed: Option<ProducerConfig>, events: &[Event]) {
        for event in events {
            match event {
                Event::TopicCreated { topic, .. } => {
                    let Some(t) = sim.topic(topic) else { continue };
                    let (command, notes) = create_topic_command(t);
                    self.steps.push(ScriptStep::CreateTopic { topic: topic.clone(), command, notes });
                }
                Event::GroupDeleted { group } => {
                    let command = format!("kafka-consumer-groups.sh --bootstrap-server {BOOTSTRAP_SERVER} --delete --group {group}");
                    self.steps.push(ScriptStep::Admin { command });
                }
                Event::PartitionsAdded { topic, to, .. } => {
                    self.steps.push(ScriptStep::AddPartitions { topic: topic.clone(), command: add_partitions_command(topic, *to) });
                }
                Event::Produced { choice, producer, topic, .. } => {
                    let config = typed.or_else(|| sim.producer(producer).map(|p| p.config)).unwrap_or_default();
                    self.pending.push((topic.clone(), choice.partition(), choice.clone(), config));
                }
                Event::Appended { topic, partition, offset, .. } => self.appended(sim, topic, *partition, *offset),
                Event::LeaderElected { topic, partition, lost: Some(lost), .. } => self.lost(topic, *partition, lost.from..lost.to),
                // A send given up on is never written: its place in the queue goes.
                Event::SendFailed { topic, partition, offset: None, retrying: false, .. } => {
                    if let Some(i) = self.pending.iter().position(|(name, p, ..)| name == topic && p == partition) {
                        self.pending.remove(i);
                    }
                }
                _ => {}
            }
        }
    }

    fn appended(&mut self, sim: &Simulation, topic: &str, partition: u32, offset: u64) {
        let (Some(record), Some(t)) = (sim.log(topic, partition).and_then(|l| l.get(offset)), sim.topic(topic)) else { return };
        let partitions = t.partition_count();
        let (choice, config) = match self.pending.iter().position(|(name, p, ..)| name == topic && *p == partition) {
            Some(i) => {
                let (_, _, choice, config) = self.pending.remove(i);
                (choice, config)
            }
            // Written with no send of its own on record (a scenario that starts mid-flight): the
            // key says how it got there, as far as the tools can tell.
            None => {
                let choice = match &record.key {
                    Some(key) => PartitionChoice::KeyHash(HashTrace::compute(HashAlgorithm::Murmur2, key, partitions)),
                    None => PartitionChoice::Sticky { partition, switched: false, unhashed: crate::partitioner::Unhashed::NullKey },
                };
                (choice, sim.producers().values().find(|p| p.topic == topic).map(|p| p.config).unwrap_or_default())
            }
        };
        let sent = SentRecord { key: record.key.clone(), value: record.value.clone(), headers: record.headers.clone(), partition, offset, choice };
        match self.steps.last_mut() {
            Some(ScriptStep::Produce(b)) if b.topic == topic && b.partitions == partitions && b.settings == config => b.records.push(sent),
            _ => self.steps.push(ScriptStep::Produce(ProduceBatch {
                topic: topic.to_string(),
                partitions,
                settings: config,
                records: vec![sent],
                console: None,
                kcat: Vec::new(),
                notes: Vec::new(),
            })),
        }
    }

    /// A new leader lacked offsets `lost` of the partition: those records are gone from its log.
    /// A producer waiting on them (acks=all) sends them again, and they are written anew, so
    /// they are taken out here and their sends wait again; records acknowledged with acks 1 or 0
    /// are lost for good, and left out with a note (a healthy cluster would keep them).
    fn lost(&mut self, topic: &str, partition: u32, lost: std::ops::Range<u64>) {
        let mut resent = Vec::new();
        for step in &mut self.steps {
            let ScriptStep::Produce(b) = step else { continue };
            if b.topic != topic {
                continue;
            }
            let (gone, kept): (Vec<SentRecord>, Vec<SentRecord>) = b.records.drain(..).partition(|r| r.partition == partition && lost.contains(&r.offset));
            b.records = kept;
            for r in gone {
                if b.settings.acks == Acks::All {
                    resent.push((topic.to_string(), partition, r.choice, b.settings));
                } else {
                    b.notes.push(format!("{} was lost when the partition's leader changed (acks={}), so it is left out: a healthy cluster would keep it.", producer::describe(&r), b.settings.acks.name()));
                }
            }
        }
        // Sent again before anything sent since.
        self.pending.splice(0..0, resent);
    }

    /// The tools' input for every batch, once the records in each are final.
    fn finish(mut self) -> Vec<ScriptStep> {
        self.steps.retain(|s| !matches!(s, ScriptStep::Produce(b) if b.records.is_empty() && b.notes.is_empty()));
        for step in &mut self.steps {
            let ScriptStep::Produce(b) = step else { continue };
            let lost = std::mem::take(&mut b.notes);
            b.notes = producer::partition_notes(&b.records, b.partitions);
            b.notes.extend(lost);
            b.console = console_producer(&b.topic, &b.records, &mut b.notes);
            b.kcat = kcat(&b.topic, &b.records, &mut b.notes);
            let (java, librdkafka) = producer::settings_flags(b.settings);
            b.console.iter_mut().for_each(|c| c.command.push_str(&java));
            b.kcat.iter_mut().for_each(|k| k.command.push_str(&librdkafka));
        }
        self.steps
    }
}

impl Script {
    /// The whole script as one shell text: commands, heredoc inputs, and notes as comments.
    pub fn to_text(&self) -> String {
        let mut out = String::new();
        for step in &self.steps {
            match step {
                ScriptStep::CreateTopic { command, notes, .. } => {
                    notes.iter().for_each(|n| out.push_str(&format!("# {n}\n")));
                    out.push_str(&format!("{command}\n\n"));
                }
                ScriptStep::AddPartitions { command, .. } | ScriptStep::Admin { command } => out.push_str(&format!("{command}\n\n")),
                ScriptStep::Produce(batch) => out.push_str(&batch.to_text()),
            }
        }
        out
    }
}

impl ProduceBatch {
    pub fn to_text(&self) -> String {
        let records = if self.records.len() == 1 { "record" } else { "records" };
        let mut out = format!("# {} {records} to {} ({} partitions)\n", self.records.len(), self.topic, self.partitions);
        self.notes.iter().for_each(|n| out.push_str(&format!("# {n}\n")));
        if let Some(console) = &self.console {
            out.push_str(&console.heredoc());
        }
        if !self.kcat.is_empty() {
            out.push_str("# or, with kcat:\n");
            self.kcat.iter().for_each(|k| out.push_str(&k.heredoc()));
        }
        out.push('\n');
        out
    }
}
