//! The cluster's three data centers, each with its broker, the replicas that broker holds, and a
//! button to take the data center offline (and back).
//!
//! Each replica is a chip in its partition's colour with its log end offset: solid for the
//! leader (★), outlined for an in-sync follower, dashed and dimmed for a follower outside the
//! ISR. A stopped broker's data center goes dark; its replicas keep their logs and catch up when
//! it returns.

use kafkascope_engine::{Command, Simplification};
use leptos::prelude::*;

use crate::state::{use_sim, use_stage};
use crate::ui::chrome::notice::use_notice;
use crate::ui::palette::with_partition;
use crate::ui::simplified::SimplifiedFolded;

/// One replica as its broker's box draws it.
#[derive(Debug, Clone, PartialEq, Eq)]
struct ReplicaChip {
    partition: u32,
    topic: String,
    leader: bool,
    in_sync: bool,
    log_end_offset: u64,
}

impl ReplicaChip {
    fn title(&self, broker: u32) -> String {
        let role = if self.leader { "leader" } else if self.in_sync { "in-sync follower" } else { "follower outside the ISR" };
        format!("{}-{} on broker {broker}: {role}, log end offset {}", self.topic, self.partition, self.log_end_offset)
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
struct DataCenter {
    id: u32,
    rack: String,
    online: bool,
    replicas: Vec<ReplicaChip>,
    /// More than one topic on the stage: the chips are grouped under their topic's name, or two
    /// topics' "P0" could not be told apart.
    several_topics: bool,
}

#[component]
pub fn DataCenters() -> impl IntoView {
    let stage = use_stage();
    let centers = Memo::new(move |_| {
        stage.with(|v| {
            v.brokers
                .iter()
                .map(|b| DataCenter {
                    id: b.id,
                    rack: b.rack.clone(),
                    online: b.online,
                    replicas: b
                        .hosts
                        .iter()
                        .filter_map(|tp| {
                            let p = v.topics.iter().find(|t| t.name == tp.topic)?.partitions.get(tp.partition as usize)?;
                            let r = p.replication.replicas.iter().find(|r| r.broker == b.id)?;
                            Some(ReplicaChip { partition: tp.partition, topic: tp.topic.clone(), leader: r.leader, in_sync: r.in_sync, log_end_offset: r.log_end_offset })
                        })
                        .collect(),
                    several_topics: v.topics.len() > 1,
                })
                .collect::<Vec<_>>()
        })
    });
    view! {
        <ul class="data-centers" aria-label="Brokers">
            <For each=move || centers.get() key=|dc| dc.id children=move |dc| view! { <DataCenterBox id=dc.id centers=centers/> }/>
        </ul>
        <SimplifiedFolded list=Signal::derive(|| vec![Simplification::BrokerOutages])/>
    }
}

/// A broker with more replicas than this (three rows of chips) shows a line counting them, and
/// its chips on request (a click on the line): at 32 partitions every broker's chips filled the
/// cluster area and left room for eight lanes of 32.
const FOLD_PAST: usize = 9;

/// "32 replicas, leads 11, 2 out of sync".
fn fold_summary(replicas: &[ReplicaChip]) -> String {
    let leads = replicas.iter().filter(|r| r.leader).count();
    let behind = replicas.iter().filter(|r| !r.in_sync).count();
    let mut line = format!("{} replicas, leads {leads}", replicas.len());
    if behind > 0 {
        line.push_str(&format!(", {behind} out of sync"));
    }
    line
}

#[component]
fn DataCenterBox(id: u32, centers: Memo<Vec<DataCenter>>) -> impl IntoView {
    let sim = use_sim();
    let notice = use_notice();
    let dc = Memo::new(move |_| centers.with(|all| all.iter().find(|d| d.id == id).cloned()));
    let online = move || dc.with(|d| d.as_ref().is_some_and(|d| d.online));
    let rack = move || dc.with(|d| d.as_ref().map(|d| d.rack.clone()).unwrap_or_default());
    let toggle = move |_| {
        let command = if online() { Command::StopBroker { broker: id } } else { Command::StartBroker { broker: id } };
        notice.report(sim.apply(command).err().map(|e| e.to_string()));
    };
    view! {
        <li class="data-center" class:dark=move || !online() aria-label=move || format!("data center {}", rack()) data-anchor=format!("broker:{id}")>
            <div class="dc-head">
                <span class="dc-name"><span class="visually-hidden">"data center "</span>{rack}</span>
                <span class="broker-name">{format!("Broker {id}")}</span>
                <span class="broker-state">{move || if online() { "running" } else { "stopped" }}</span>
                <button type="button" class="small power" on:click=toggle aria-label=move || format!("{} broker {id}", if online() { "Stop" } else { "Start" })
                    title=move || if online() { "Stop broker: take this data center offline" } else { "Start broker: bring this data center back" }>
                    {move || if online() { "Stop" } else { "Start" }}
                </button>
            </div>
            {move || {
                let (replicas, several) = dc.get().map(|d| (d.replicas, d.several_topics)).unwrap_or_default();
                let folded = (replicas.len() > FOLD_PAST).then(|| fold_summary(&replicas));
                // The broker lists its replicas topic by topic: a name line opens each topic's chips.
                let mut named: Option<String> = None;
                let chips = view! {
                    <span class="broker-leads" aria-label=format!("Replicas on broker {id}")>
                        {replicas.into_iter().map(|r| {
                            let class = with_partition("chip replica", r.partition);
                            let heading = (several && named.as_ref() != Some(&r.topic)).then(|| {
                                named = Some(r.topic.clone());
                                view! { <span class="replica-topic" title=r.topic.clone()>{r.topic.clone()}</span> }
                            });
                            view! {
                                {heading}
                                <span class=class class:leader=r.leader class:out-of-sync=!r.in_sync title=r.title(id)>
                                    <span class="replica-partition">{format!("P{}", r.partition)}</span>
                                    <span class="replica-leo">{format!("{}{}", if r.leader { "★" } else { "" }, r.log_end_offset)}</span>
                                </span>
                            }
                        }).collect_view()}
                    </span>
                };
                match folded {
                    Some(summary) => view! { <details class="replica-fold"><summary>{summary}</summary>{chips}</details> }.into_any(),
                    None => chips.into_any(),
                }
            }}
        </li>
    }
}
