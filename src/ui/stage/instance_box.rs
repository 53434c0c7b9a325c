//! One consumer instance: its `client.id`, whether it is reading, idle or crashed, the partitions
//! it owns (a chip each, popping in when a rebalance assigns it), the last records it read (one
//! partition's in offset order, partitions interleaved), how far behind it is, and its Crash
//! button. A crashed instance is greyed out until its session times out and the group takes its
//! partitions away.

use kafkascope_engine::consumer::READ_TRAIL;
use kafkascope_engine::{Command, InstanceState, TopicPartition};
use leptos::prelude::*;

use crate::ui::palette::with_partition;
use crate::ui::panel::group_admin::group_memo;
use crate::ui::stage::recent::use_recent;

#[component]
pub fn InstanceBox(group: String, member_id: String, run: Callback<Command>) -> impl IntoView {
    let recent = use_recent();
    let chip_group = StoredValue::new(group.clone());
    let id = StoredValue::new(member_id.clone());
    let group_view = group_memo(StoredValue::new(group.clone()));
    let member = Memo::new(move |_| group_view.with(|g| id.with_value(|id| g.as_ref()?.members.iter().find(|m| &m.member_id == id).cloned())));
    let client = member.get_untracked().map(|m| m.client_id).unwrap_or_default();
    let assigned = move || member.with(|m| m.as_ref().map(|m| m.assigned.clone()).unwrap_or_default());
    let state = move || member.with(|m| m.as_ref().map_or(InstanceState::Crashed, |m| m.state));
    let alive = move || state().is_running();
    // The last records read, oldest first, while their partitions are still this instance's:
    // after a rebalance took P1 away, "P1@30" beside a new P0 chip read as if it still owned P1.
    // One partition's offsets run in order; another partition's cut in between (no order across
    // partitions). A read not processed (yet, or ever, after a crash) is hollow. Where the card
    // has room, the first read of each run names its partition ("P0@1 2 P1@0"); in a half-row
    // card the colours say it, as the chips above them do.
    let reads = Memo::new(move |_| {
        member.with(|m| m.as_ref().map(|m| m.recent_reads.iter().filter(|r| m.assigned.contains(&r.partition)).cloned().collect::<Vec<_>>()).unwrap_or_default())
    });
    let said = move || {
        reads.with(|reads| {
            reads
                .iter()
                .map(|r| format!("P{}@{}{}", r.partition.partition, r.offset, if r.processed { "" } else { " (not processed)" }))
                .collect::<Vec<_>>()
                .join(", ")
        })
    };
    // Newest first in the markup: the trail lays them out right to left, and what does not fit
    // on its line (the oldest) wraps out of sight whole. Five fixed squares whose class and text
    // follow the reads: building squares every tick cost a fifth of the frames at top speed, and
    // a keyed list of them grew the soak's memory without end (29 MB at ten minutes, 18 without).
    // Each: (partition, offset, processed, names its partition).
    let squares = Memo::new(move |_| {
        reads.with(|reads| {
            reads.iter().enumerate().rev().map(|(i, r)| (r.partition.partition, r.offset, r.processed, i == 0 || reads[i - 1].partition != r.partition)).collect::<Vec<_>>()
        })
    });
    let lag = move || member.with(|m| m.as_ref()?.lag.map(|l| format!("{l} left")));
    let anchor = format!("member:{member_id}");
    let just_read = move || recent.with(|r| id.with_value(|id| r.read_by(id)));
    view! {
        <li class="instance" class:crashed=move || !alive() class:idle=move || state() == InstanceState::Idle class:waiting=move || state() == InstanceState::Waiting class:just-read=just_read
            aria-label=client.clone() data-anchor=anchor>
            <div class="instance-top">
                <span class="instance-name">{client.clone()}</span>
                <span class="instance-state">{move || state().name()}</span>
            </div>
            <div class="instance-chips">
                <For each=assigned key=|tp: &TopicPartition| tp.clone() children=move |tp| view! {
                    <span class=with_partition("chip pop", tp.partition) title=tp.to_string()
                        data-chip=format!("{}:{tp}", chip_group.get_value())>{format!("P{}", tp.partition)}</span>
                }/>
                // aria-disabled, so the focus stays on it once it has crashed its instance.
                <button type="button" class="crash small" aria-disabled=move || (!alive()).to_string() aria-label=format!("Crash {client}")
                    on:click=move |_| if alive() { run.run(Command::CrashConsumer { group: group.clone(), member_id: group_view.with_untracked(|g| g.as_ref().map_or(member_id.clone(), |g| g.member_name(&member_id))) }) }>"Crash"</button>
            </div>
            <div class="instance-bottom">
                <span class="activity" hidden=move || reads.with(Vec::is_empty)>
                    "read"<span class="visually-hidden">{move || format!(" {}", said())}</span>
                    <span class="trail" aria-hidden="true" title=move || format!("read, oldest first (hollow: not processed): {}", said())>
                        {(0..READ_TRAIL).map(|i| {
                            let square = Memo::new(move |_| squares.with(|s| s.get(i).copied()));
                            let class = move || square.get().map_or(String::new(), |(p, _, processed, _)| {
                                format!("{}{}", with_partition("read", p), if processed { "" } else { " unprocessed" })
                            });
                            view! {
                                <span class=class hidden=move || square.get().is_none()>
                                    <span class="read-p">{move || square.get().filter(|s| s.3).map(|(p, ..)| format!("P{p}@"))}</span>
                                    {move || square.get().map(|s| s.1)}
                                </span>
                            }
                        }).collect_view()}
                    </span>
                </span>
                // Two lags, as Kafka has them: this one is the consumer's own (records-lag, from
                // its position); the group's counts from the committed offsets, so it is larger
                // while reads run ahead of commits. On the card it is "N left" (to read), so
                // that "lag" means one thing on the wall: the group's, as the lessons define it.
                <span class="instance-lag" title="left: records below the high watermark this instance has not read yet (high watermark minus its position, the consumer's records-lag); the group lag counts from the committed offsets instead">{lag}</span>
            </div>
        </li>
    }
}
