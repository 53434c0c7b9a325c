//! One consumer instance: its state, the partitions it owns (a chip per partition, popping in
//! when a rebalance assigns it), what it did in the latest step, and its Crash button.

use kafkascope_engine::{Command, Event, TopicPartition};
use leptos::prelude::*;

use crate::state::use_sim;
use crate::ui::palette::partition_style;

/// What an instance did in the step just taken, in a few words.
pub fn activity(events: &[Event], member: &str) -> String {
    let mut parts = Vec::new();
    for event in events {
        match event {
            Event::Fetched { member_id, partition, offsets, .. } if member_id == member => {
                let last = offsets.last().copied().unwrap_or_default();
                parts.push(format!("read P{}@{}", partition.partition, if offsets.len() > 1 { format!("{}–{last}", offsets[0]) } else { last.to_string() }));
            }
            Event::Processed { member_id, redelivered, .. } if member_id == member && *redelivered > 0 => {
                parts.push(format!("{redelivered} again!"));
            }
            Event::Committed { member_id, partition, offset, .. } if member_id == member => {
                parts.push(format!("commit P{}→{offset}", partition.partition));
            }
            _ => {}
        }
    }
    parts.join(" · ")
}

#[component]
pub fn InstanceRow(group: String, member_id: String, run: Callback<Command>) -> impl IntoView {
    let sim = use_sim();
    let (g, id) = (group.clone(), member_id.clone());
    let member = Signal::derive(move || sim.with(|s| s.group(&g).and_then(|grp| grp.members.get(&id)).cloned()));
    let id = member_id.clone();
    let doing = move || sim.with_state(|s| activity(&s.last_events, &id));
    let assigned = move || member.get().map(|m| m.assigned).unwrap_or_default();
    let alive = move || member.get().is_some_and(|m| m.is_alive());
    let state = move || match member.get() {
        Some(m) if !m.is_alive() => "crashed",
        Some(m) if m.assigned.is_empty() => "idle",
        _ => "reading",
    };
    // Records behind the high watermark over the partitions this instance owns (HW - position).
    let lag = move || {
        let m = member.get()?;
        let total: u64 = sim.with(|s| m.assigned.iter().filter_map(|tp| m.lag(s.topics(), tp)).sum());
        (m.is_alive() && !m.assigned.is_empty()).then(|| format!("lag {total}"))
    };
    let client = member.get_untracked().map(|m| m.client_id).unwrap_or_default();
    view! {
        <li class="instance" class:crashed=move || !alive()>
            <span class="instance-name">{client.clone()}</span>
            <span class="instance-state">{state}</span>
            <For each=assigned key=|tp: &TopicPartition| tp.clone() children=|tp| view! {
                <span class="chip pop" style=partition_style(tp.partition)>{format!("P{}", tp.partition)}</span>
            }/>
            <span class="instance-lag">{lag}</span>
            <span class="activity">{doing}</span>
            <button type="button" class="crash" disabled=move || !alive() title=format!("Crash {client}")
                on:click=move |_| run.run(Command::CrashConsumer { group: group.clone(), member_id: member_id.clone() })>"Crash"</button>
        </li>
    }
}
