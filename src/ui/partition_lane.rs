//! One partition as a lane of offset cells, oldest at the left, the next free offset at the right.
//!
//! Only the newest [`WINDOW`] offsets are drawn as cells, so a partition with 100,000 records
//! costs no more to render than one with ten; an overview bar shows where the window sits in the
//! whole log. Each group's committed offset (the next record it will read) is a marker on the
//! cell at that offset, or on the empty slot at the log end offset when the group is caught up.

use kafkascope_engine::TopicPartition;
use leptos::prelude::*;

use crate::format::{bytes_as_text, short};
use crate::state::use_sim;
use crate::ui::inspector::Selection;
use crate::ui::palette::partition_style;

/// Offsets drawn as cells.
pub const WINDOW: usize = 8;

/// What a cell shows; keyed by (partition, offset), which never changes for a record.
#[derive(Clone, PartialEq)]
struct Cell {
    offset: u64,
    key: String,
    tombstone: bool,
}

/// The short name of a group for markers: `sms-notification-service` -> `sms`.
pub fn group_tag(group: &str) -> &str {
    group.split('-').next().unwrap_or(group)
}

#[component]
pub fn PartitionLane(topic: String, partition: u32) -> impl IntoView {
    let sim = use_sim();
    let selection = expect_context::<Selection>().0;
    let tp = TopicPartition::new(topic.clone(), partition);
    let t = topic.clone();
    let offsets = Signal::derive(move || {
        sim.with(|s| {
            s.log(&t, partition).map_or((0, 0, 0, 0), |log| {
                (log.log_start_offset(), log.high_watermark(), log.log_end_offset(), log.len())
            })
        })
    });
    let t = topic.clone();
    let cells = move || {
        sim.with(|s| {
            let Some(log) = s.log(&t, partition) else { return Vec::new() };
            let from = log.log_end_offset().saturating_sub(WINDOW as u64);
            log.range(from, log.log_end_offset())
                .map(|r| Cell { offset: r.offset, key: bytes_as_text(r.key.as_deref()), tombstone: r.is_tombstone() })
                .collect::<Vec<_>>()
        })
    };
    let markers_tp = tp.clone();
    let markers = move |offset: u64| {
        sim.with(|s| {
            s.groups()
                .values()
                .filter(|g| g.committed.get(&markers_tp) == Some(&offset))
                .map(|g| group_tag(&g.name).to_string())
                .collect::<Vec<_>>()
        })
    };
    let t = topic.clone();
    let leader = move || sim.with(|s| s.topic(&t).and_then(|t| t.leaders.get(partition as usize).copied()));
    let overview = move || {
        let (start, hw, leo, stored) = offsets.get();
        let hidden = leo.saturating_sub(WINDOW as u64).saturating_sub(start);
        let gaps = (leo - start).saturating_sub(stored as u64);
        let mut text = format!("log start {start} · high watermark {hw} · log end {leo}");
        if hidden > 0 {
            text.push_str(&format!(" · {hidden} older offsets not drawn"));
        }
        if gaps > 0 {
            text.push_str(&format!(" · {gaps} compacted away"));
        }
        text
    };
    let window_share = move || {
        let (start, _, leo, _) = offsets.get();
        let total = (leo - start).max(1) as f64;
        (WINDOW as f64 / total * 100.0).min(100.0)
    };
    let label = format!("Partition {partition} of {topic}");
    let end_markers = markers.clone();
    view! {
        <section class="lane" style=partition_style(partition) data-partition=partition>
            <header class="lane-header">
                <span class="lane-title">{format!("P{partition}")}</span>
                <span class="lane-leader">{move || leader().map(|b| format!("leader: broker {b}"))}</span>
                <span class="lane-offsets">{overview}</span>
            </header>
            <div class="lane-overview" aria-hidden="true">
                <div class="lane-window" style=move || format!("width: {:.1}%", window_share())></div>
            </div>
            <div class="lane-body">
                <ol role="list" aria-label=label class="cells">
                    <For
                        each=cells
                        key=move |c| (partition, c.offset)
                        children=move |c| {
                            let label = format!("Offset {}, key {}", c.offset, c.key);
                            let offset = c.offset;
                            let topic = topic.clone();
                            let markers = markers.clone();
                            view! {
                                <li class="cell" class:tombstone=c.tombstone aria-label=label.clone()>
                                    <button type="button" class="cell-button" aria-label=format!("Inspect {label}")
                                        on:click=move |_| selection.set(Some((topic.clone(), partition, offset)))>
                                        <span class="cell-offset">{c.offset}</span>
                                        <span class="cell-key">{short(&c.key, 8)}</span>
                                    </button>
                                    <span class="markers">{move || markers(offset).into_iter().map(|m| view! { <span class="marker">{m}</span> }).collect_view()}</span>
                                </li>
                            }
                        }
                    />
                </ol>
                <div class="cell next-slot" title="The next record is appended here (log end offset)">
                    <span class="cell-offset">{move || offsets.get().2}</span>
                    <span class="cell-key">"next"</span>
                    <span class="markers">{move || end_markers(offsets.get().2).into_iter().map(|m| view! { <span class="marker">{m}</span> }).collect_view()}</span>
                </div>
            </div>
        </section>
    }
}
