//! What `kafka-consumer-groups.sh --describe --group G` prints for a group, from the state.
//!
//! Following `ConsumerGroupCommand` (`collectGroupsOffsets`, `printOffsets`): one row per
//! partition of each member that owns partitions (members with the most partitions first, each
//! member's partitions by topic and partition), then one row, with `-` for CONSUMER-ID, HOST and
//! CLIENT-ID, per partition that has a committed offset and no owner. A member that owns nothing
//! (an idle consumer) has no row. CURRENT-OFFSET is the committed offset and LAG the log end
//! offset (the high watermark) minus it, `-` when nothing was committed. Columns are padded as
//! the tool pads them (`%-15s` at least). During a rebalance the classic coordinator reports no
//! assignments, so only committed offsets are listed, after the tool's warning; an empty group
//! gets "has no active members". Every consumer is taken to run on the student's machine
//! (`/127.0.0.1`).

use super::BOOTSTRAP_SERVER;
use crate::assignor::TopicPartition;
use crate::assignor::AssignorKind;
use crate::consumer_group::{ConsumerGroup, OffsetReset};
use crate::simulation::Simulation;

/// The host column: every consumer runs on the student's machine.
pub const HOST: &str = "/127.0.0.1";

/// One group's `--describe`: the command and what it prints (stderr lines included, in order).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GroupDescription {
    pub group: String,
    pub command: String,
    pub output: String,
}

/// `kafka-console-consumer.sh` for every instance of every group, one line each (each run in
/// its own terminal): the same client ids in the same groups, reading the same topics from the
/// same reset, with the group's assignor and session timeout where they differ from the Java
/// defaults. Run together, they form the groups the stage shows, and `--describe` lists them.
/// What the console consumer cannot do (commit before or after processing, a processing rate) is
/// left as it does it: `poll()` auto-commits.
pub fn consume_commands(sim: &Simulation) -> Vec<String> {
    let mut lines = Vec::new();
    for (name, g) in sim.groups() {
        for m in g.members.values().filter(|m| !m.topics.is_empty()) {
            let topics: Vec<&str> = m.topics.iter().map(String::as_str).collect();
            // One topic by name; several by a pattern that matches exactly them.
            let topic = match topics.as_slice() {
                [one] => format!("--topic {one}"),
                many => format!("--include '^({})$'", many.iter().map(|t| t.replace('.', "\\.")).collect::<Vec<_>>().join("|")),
            };
            let mut line = format!(
                "kafka-console-consumer.sh --bootstrap-server {BOOTSTRAP_SERVER} {topic} --group {name} --consumer-property client.id={}",
                m.client_id
            );
            if let Some(instance) = &m.group_instance_id {
                line.push_str(&format!(" --consumer-property group.instance.id={instance}"));
            }
            match g.config.auto_offset_reset {
                OffsetReset::Earliest => line.push_str(" --from-beginning"),
                OffsetReset::Latest => {}
                OffsetReset::None => line.push_str(" --consumer-property auto.offset.reset=none"),
            }
            let assignor = match g.config.assignor {
                AssignorKind::Range => None,
                AssignorKind::RoundRobin => Some("RoundRobinAssignor"),
                AssignorKind::CooperativeSticky => Some("CooperativeStickyAssignor"),
            };
            if let Some(class) = assignor {
                line.push_str(&format!(" --consumer-property partition.assignment.strategy=org.apache.kafka.clients.consumer.{class}"));
            }
            if g.config.session_timeout_ms != 45_000 {
                line.push_str(&format!(" --consumer-property session.timeout.ms={}", g.config.session_timeout_ms));
            }
            line.push_str(" --property print.key=true --property print.partition=true --property print.offset=true");
            lines.push(line);
        }
    }
    lines
}

struct Row {
    topic: String,
    partition: u32,
    current: Option<u64>,
    end: Option<u64>,
    member: Option<(String, String)>,
}

/// `--describe` for every group, in group order (as `--all-groups` prints them).
pub fn describe_groups(sim: &Simulation) -> Vec<GroupDescription> {
    sim.groups().keys().filter_map(|g| describe_group(sim, g)).collect()
}

/// `--describe` for one group, or `None` if it does not exist.
pub fn describe_group(sim: &Simulation, group: &str) -> Option<GroupDescription> {
    let g = sim.group(group)?;
    let command = format!("kafka-consumer-groups.sh --bootstrap-server {BOOTSTRAP_SERVER} --describe --group {group}");
    let rows = rows(sim, g);
    let mut output = String::new();
    if g.members.is_empty() {
        output.push_str(&format!("\nConsumer group '{group}' has no active members.\n"));
    } else if g.join_phase.is_some() {
        output.push_str(&format!("\nWarning: Consumer group '{group}' is rebalancing.\n"));
    }
    if !rows.is_empty() {
        output.push_str(&table(group, &rows));
    }
    Some(GroupDescription { group: group.to_string(), command, output })
}

fn rows(sim: &Simulation, g: &ConsumerGroup) -> Vec<Row> {
    let end = |tp: &TopicPartition| sim.log(&tp.topic, tp.partition).map(|l| l.high_watermark());
    let row = |tp: &TopicPartition, member: Option<(String, String)>| Row {
        topic: tp.topic.clone(),
        partition: tp.partition,
        current: g.committed.get(tp).copied(),
        end: end(tp),
        member,
    };
    let stable = g.join_phase.is_none();
    let mut owners: Vec<_> = g.members.values().filter(|m| stable && !m.assigned.is_empty()).collect();
    owners.sort_by_key(|m| std::cmp::Reverse(m.assigned.len()));
    let mut rows = Vec::new();
    let mut owned = Vec::new();
    for m in owners {
        let mut assigned = m.assigned.clone();
        assigned.sort();
        for tp in &assigned {
            rows.push(row(tp, Some((m.member_id.clone(), m.client_id.clone()))));
        }
        owned.extend(assigned);
    }
    rows.extend(g.committed.keys().filter(|tp| !owned.contains(tp)).map(|tp| row(tp, None)));
    rows
}

fn table(group: &str, rows: &[Row]) -> String {
    let dash = || "-".to_string();
    let width = |min: usize, values: &mut dyn Iterator<Item = usize>| values.fold(min, usize::max);
    let group_w = width(15, &mut std::iter::once(group.len()));
    let topic_w = width(15, &mut rows.iter().map(|r| r.topic.len()));
    let id_w = width(15, &mut rows.iter().map(|r| r.member.as_ref().map_or(1, |(id, _)| id.len())));
    let host_w = width(15, &mut rows.iter().map(|r| if r.member.is_some() { HOST.len() } else { 1 }));
    let line = |cols: [String; 9]| {
        format!(
            "\n{:<group_w$} {:<topic_w$} {:<10} {:<15} {:<15} {:<15} {:<id_w$} {:<host_w$} {}",
            cols[0], cols[1], cols[2], cols[3], cols[4], cols[5], cols[6], cols[7], cols[8]
        )
    };
    let header = ["GROUP", "TOPIC", "PARTITION", "CURRENT-OFFSET", "LOG-END-OFFSET", "LAG", "CONSUMER-ID", "HOST", "CLIENT-ID"].map(str::to_string);
    let mut out = line(header);
    for r in rows {
        let lag = r.current.zip(r.end).map(|(c, e)| e.saturating_sub(c).to_string());
        let (id, host, client) = match &r.member {
            Some((id, client)) => (id.clone(), HOST.to_string(), client.clone()),
            None => (dash(), dash(), dash()),
        };
        out.push_str(&line([
            group.to_string(),
            r.topic.clone(),
            r.partition.to_string(),
            r.current.map_or_else(dash, |c| c.to_string()),
            r.end.map_or_else(dash, |e| e.to_string()),
            lag.unwrap_or_else(dash),
            id,
            host,
            client,
        ]));
    }
    out.push('\n');
    out
}
