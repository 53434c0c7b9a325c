//! One partition as a lane of offset cells, newest at the right.
//!
//! Only the newest [`WINDOW`] offsets are drawn as cells, so a partition with 100,000 records
//! costs no more to render than one with ten; a compact bar above the cells shows where the
//! window sits in the whole log.

use kafkascope_engine::TopicPartition;
use leptos::prelude::*;

use crate::format::{bytes_as_text, short};
use crate::state::use_sim;
use crate::ui::palette::partition_color;

/// Offsets drawn as cells.
pub const WINDOW: usize = 12;

/// What a cell shows; keyed by (partition, offset), which never changes for a record.
#[derive(Clone, PartialEq)]
struct Cell {
    offset: u64,
    key: String,
}

#[component]
pub fn PartitionLane(topic: &'static str, partition: u32) -> impl IntoView {
    let sim = use_sim();
    let tp = TopicPartition::new(topic, partition);
    let offsets = move || {
        sim.with(|s| {
            s.topic(topic).and_then(|t| t.partitions.get(partition as usize)).map_or((0, 0, 0, 0), |log| {
                (log.log_start_offset(), log.high_watermark(), log.log_end_offset(), log.len())
            })
        })
    };
    let cells = move || {
        sim.with(|s| {
            let Some(log) = s.topic(topic).and_then(|t| t.partitions.get(partition as usize)) else { return Vec::new() };
            let from = log.log_end_offset().saturating_sub(WINDOW as u64);
            log.range(from, log.log_end_offset())
                .map(|r| Cell { offset: r.offset, key: bytes_as_text(r.key.as_deref()) })
                .collect::<Vec<_>>()
        })
    };
    let hidden = move || {
        let (start, _, leo, _) = offsets();
        leo.saturating_sub(WINDOW as u64).saturating_sub(start)
    };
    let label = format!("Partition {partition} of {topic}");
    view! {
        <section class="lane" style=format!("--partition-color: {}", partition_color(partition)) data-partition=partition>
            <header class="lane-header">
                <span class="lane-title">{format!("Partition {}", tp.partition)}</span>
                <span class="lane-offsets">
                    {move || { let (start, hw, leo, _) = offsets(); format!("log start {start} · high watermark {hw} · log end {leo}") }}
                </span>
            </header>
            <p class="lane-overview" class:hidden=move || hidden() == 0>
                {move || format!("… {} earlier records", hidden())}
            </p>
            <ol role="list" aria-label=label class="cells">
                <For
                    each=cells
                    key=move |c| (partition, c.offset)
                    children=move |c| {
                        let label = format!("Offset {}, key {}", c.offset, c.key);
                        view! {
                            <li class="cell" aria-label=label>
                                <span class="cell-offset">{c.offset}</span>
                                <span class="cell-key">{short(&c.key, 8)}</span>
                            </li>
                        }
                    }
                />
            </ol>
        </section>
    }
}
