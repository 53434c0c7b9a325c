//! Consumer groups: instances with their partitions, the group's controls, and its lag table
//! (Partition, Consumer, Position, Committed, End offset, Lag: kafka-ui's columns).

use kafkascope_engine::{AssignorKind, Command, CommitMode, ConsumerGroup, Simulation, TopicPartition};
use leptos::prelude::*;

use crate::state::{use_sim, SimHandle};
use crate::ui::choice_select::ChoiceSelect;
use crate::ui::instance_row::InstanceRow;
use crate::ui::palette::partition_style;
use crate::ui::partition_lane::group_tag;

/// Every consumer group, in name order.
#[component]
pub fn ConsumerGroups() -> impl IntoView {
    let sim = use_sim();
    let names = move || sim.with(|s| s.groups().keys().cloned().collect::<Vec<_>>());
    view! { <For each=names key=|g| g.clone() children=move |g| view! { <GroupCard group=g/> }/> }
}

const ASSIGNORS: [(AssignorKind, &str); 3] =
    [(AssignorKind::Range, "Range"), (AssignorKind::RoundRobin, "RoundRobin"), (AssignorKind::CooperativeSticky, "CooperativeSticky")];
const COMMIT_MODES: [(CommitMode, &str); 3] = [
    (CommitMode::AutoCommit, "auto-commit"),
    (CommitMode::ProcessThenCommit, "process, then commit (at-least-once)"),
    (CommitMode::CommitThenProcess, "commit, then process (at-most-once)"),
];

/// One row of the lag table.
#[derive(Clone, PartialEq)]
struct LagRow {
    partition: TopicPartition,
    consumer: String,
    position: Option<u64>,
    committed: Option<u64>,
    end_offset: u64,
    lag: Option<u64>,
}

fn lag_rows(s: &Simulation, g: &ConsumerGroup) -> Vec<LagRow> {
    g.known_partitions
        .iter()
        .flat_map(|(topic, &n)| (0..n).map(move |p| TopicPartition::new(topic.as_str(), p)))
        .map(|tp| {
            let owner = g.owner_of(&tp);
            let end_offset = s.log(&tp.topic, tp.partition).map_or(0, |l| l.high_watermark());
            LagRow {
                consumer: owner.map_or("—".to_string(), |m| short_client(&g.name, &m.client_id)),
                position: owner.and_then(|m| m.positions.get(&tp).copied()),
                committed: g.committed.get(&tp).copied(),
                lag: g.lag(s.topics(), &tp),
                end_offset,
                partition: tp,
            }
        })
        .collect()
}

/// `sms-notification-service-2` in group `sms-notification-service` -> `sms-2`.
fn short_client(group: &str, client_id: &str) -> String {
    match client_id.strip_prefix(group) {
        Some(rest) => format!("{}{rest}", group_tag(group)),
        None => client_id.to_string(),
    }
}

/// One more than the highest instance number in the group's client ids (`...-2` -> 3).
fn next_instance_number(g: &ConsumerGroup) -> u32 {
    g.members.values().filter_map(|m| m.client_id.rsplit('-').next()?.parse::<u32>().ok()).max().unwrap_or(0) + 1
}

/// Reads the named group (tracked), or `R::default()` once the group is gone (a scene change).
fn read_group<R: Default>(sim: SimHandle, name: StoredValue<String>, f: impl FnOnce(&Simulation, &ConsumerGroup) -> R) -> R {
    sim.with(|s| name.with_value(|g| s.group(g).map(|grp| f(s, grp)).unwrap_or_default()))
}

fn dash(n: Option<u64>) -> String {
    n.map_or("—".to_string(), |n| n.to_string())
}

#[component]
fn GroupCard(group: String) -> impl IntoView {
    let sim = use_sim();
    let error = RwSignal::new(None::<String>);
    // The group's name, copyable into every closure below.
    let name = StoredValue::new(group.clone());
    let rows = move || read_group(sim, name, lag_rows);
    let member_ids = move || read_group(sim, name, |_, grp| grp.members.keys().cloned().collect::<Vec<_>>());
    let run = move |command: Command| error.set(sim.apply(command).err().map(|e| e.to_string()));
    let add = move |_| {
        let group = name.get_value();
        let (next, topics) = sim.with_untracked(|s| {
            let grp = s.group(&group);
            let topics = grp
                .and_then(|grp| grp.members.values().next().map(|m| m.topics.iter().cloned().collect::<Vec<_>>()))
                .or_else(|| s.topics().keys().next().map(|t| vec![t.clone()]))
                .unwrap_or_default();
            (grp.map_or(1, next_instance_number), topics)
        });
        run(Command::AddConsumer { client_id: format!("{group}-{next}"), group, group_instance_id: None, topics });
    };
    let remove = move |_| {
        let group = name.get_value();
        let last = sim.with_untracked(|s| {
            s.group(&group).and_then(|grp| grp.members.values().filter(|m| m.is_alive()).next_back().map(|m| m.member_id.clone()))
        });
        match last {
            Some(member_id) => run(Command::RemoveConsumer { group, member_id }),
            None => error.set(Some(format!("Group '{group}' has no running consumers to remove."))),
        }
    };
    let stats = move || {
        read_group(sim, name, |s, grp| {
            // No commit yet means no lag to report, as kafka-consumer-groups.sh shows "-".
            let lag = if grp.committed.is_empty() { "—".to_string() } else { grp.total_lag(s.topics()).to_string() };
            format!("group lag {lag} · processed {} · redelivered {} · lost {}", grp.stats.processed, grp.stats.redelivered, grp.stats.lost)
        })
    };
    let config = move || read_group(sim, name, |_, grp| grp.config);
    let assignor = Signal::derive(move || config().assignor);
    let mode = Signal::derive(move || config().commit_mode);
    view! {
        <section class="group" aria-label=group.clone()>
            <h3>{group.clone()}</h3>
            <div class="group-controls">
                <button type="button" on:click=add>"Add consumer"</button>
                <button type="button" on:click=remove>"Remove consumer"</button>
                <ChoiceSelect label="Assignor" choices=&ASSIGNORS current=assignor
                    on_pick=Callback::new(move |assignor| run(Command::SetAssignor { group: name.get_value(), assignor }))/>
                <ChoiceSelect label="Commit mode" choices=&COMMIT_MODES current=mode
                    on_pick=Callback::new(move |mode| run(Command::SetCommitMode { group: name.get_value(), mode }))/>
            </div>
            <ul class="instances" aria-label=format!("Instances of {group}")>
                <For each=member_ids key=|id| id.clone() children=move |id| view! {
                    <InstanceRow group=name.get_value() member_id=id run=Callback::new(run)/>
                }/>
            </ul>
            <table class="lag">
                <caption>{format!("Lag of {group}")}</caption>
                <thead><tr><th>"Partition"</th><th>"Consumer"</th><th>"Position"</th><th>"Committed"</th><th>"End offset"</th><th>"Lag"</th></tr></thead>
                <tbody>
                    {move || rows().into_iter().map(|r| view! {
                        <tr>
                            <td><span class="chip" style=partition_style(r.partition.partition) title=r.partition.to_string()>{format!("P{}", r.partition.partition)}</span></td>
                            <td>{r.consumer}</td>
                            <td>{dash(r.position)}</td>
                            <td>{dash(r.committed)}</td>
                            <td>{r.end_offset}</td>
                            <td>{dash(r.lag)}</td>
                        </tr>
                    }).collect_view()}
                </tbody>
            </table>
            <p class="stats">{stats}</p>
            <p class="error" role="alert">{move || error.get()}</p>
        </section>
    }
}
