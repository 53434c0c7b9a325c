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
//! [`describe_groups`] prints, for the current state, the table `kafka-consumer-groups.sh
//! --describe` prints for each group (see [`GroupDescription`]).
//!
//! Everything here is a pure function of a scenario or a simulation.

mod group;
mod producer;
mod topic;

use bytes::Bytes;

pub use group::{describe_group, describe_groups, GroupDescription};
pub use producer::{console_producer, kcat, ToolInput};
pub use topic::{add_partitions_command, create_topic_command};
pub(crate) use topic::changed_configs;

use crate::acknowledgement::ProducerConfig;
use crate::budget::Budget;
use crate::command::Command;
use crate::event::Event;
use crate::partitioner::PartitionChoice;
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
    /// Records sent to one topic, one after the other.
    Produce(ProduceBatch),
}

/// Records sent to one topic while it had `partitions` partitions.
#[derive(Debug, Clone, PartialEq)]
pub struct ProduceBatch {
    pub topic: String,
    pub partitions: u32,
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
    }
    writer.flush();
    Ok(Script { steps: writer.steps })
}

#[derive(Default)]
struct Writer {
    steps: Vec<ScriptStep>,
    batch: Option<(String, u32, ProducerConfig, Vec<SentRecord>)>,
    pending: Option<(PartitionChoice, ProducerConfig)>,
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
                Event::PartitionsAdded { topic, to, .. } => {
                    self.flush();
                    self.steps.push(ScriptStep::AddPartitions { topic: topic.clone(), command: add_partitions_command(topic, *to) });
                }
                Event::Produced { choice, producer, .. } => {
                    let config = typed.or_else(|| sim.producer(producer).map(|p| p.config)).unwrap_or_default();
                    self.pending = Some((choice.clone(), config));
                }
                Event::Appended { topic, partition, offset, .. } => self.appended(sim, topic, *partition, *offset),
                _ => {}
            }
        }
    }

    fn appended(&mut self, sim: &Simulation, topic: &str, partition: u32, offset: u64) {
        let (Some((choice, config)), Some(t)) = (self.pending.take(), sim.topic(topic)) else { return };
        let Some(record) = sim.log(topic, partition).and_then(|l| l.get(offset)) else { return };
        let partitions = t.partition_count();
        if !matches!(&self.batch, Some((name, n, c, _)) if name == topic && *n == partitions && *c == config) {
            self.flush();
            self.batch = Some((topic.to_string(), partitions, config, Vec::new()));
        }
        let sent = SentRecord { key: record.key.clone(), value: record.value.clone(), headers: record.headers.clone(), partition, offset, choice };
        if let Some((_, _, _, records)) = self.batch.as_mut() {
            records.push(sent);
        }
    }

    fn flush(&mut self) {
        let Some((topic, partitions, config, records)) = self.batch.take() else { return };
        let mut notes = producer::partition_notes(&records, partitions);
        let mut console = console_producer(&topic, &records, &mut notes);
        let mut kcat = kcat(&topic, &records, &mut notes);
        let (java, librdkafka) = producer::settings_flags(config);
        console.iter_mut().for_each(|c| c.command.push_str(&java));
        kcat.iter_mut().for_each(|k| k.command.push_str(&librdkafka));
        self.steps.push(ScriptStep::Produce(ProduceBatch { topic, partitions, records, console, kcat, notes }));
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
                ScriptStep::AddPartitions { command, .. } => out.push_str(&format!("{command}\n\n")),
                ScriptStep::Produce(batch) => out.push_str(&batch.to_text()),
            }
        }
        out
    }
}

impl ProduceBatch {
    pub fn to_text(&self) -> String {
        let mut out = format!("# {} records to {} ({} partitions)\n", self.records.len(), self.topic, self.partitions);
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
