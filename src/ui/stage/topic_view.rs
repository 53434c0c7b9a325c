//! Topics drawn as lanes, one per partition. Up to six partitions each lane gets a full row; past
//! six, lanes compress (two columns, fewer cells, thinner rows) so that 32 partitions still fit
//! the cluster area, which scrolls on its own if it must; the page never does.

use kafkascope_engine::{Setting, Simplification};
use leptos::prelude::*;

use crate::format::duration;
use crate::state::{use_sim, use_stage};
use crate::ui::simplified::{Simplified, SimplifiedFolded};
use crate::ui::stage::partition_lane::PartitionLane;

/// How tightly lanes are drawn, from the number of partitions on the stage.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Density {
    /// Up to three lanes: big cells, keys readable from the back row.
    Roomy,
    Normal,
    /// Five or six lanes under a lesson: thinner on a short screen, where the lesson bar leaves
    /// room for about four (see `style/main.css`), with fewer, wider cells for their values.
    Packed,
    Compact,
    Dense,
}

impl Density {
    pub fn for_lanes(lanes: usize, lesson: bool) -> Density {
        match lanes {
            0..=3 => Density::Roomy,
            4 => Density::Normal,
            5..=6 if lesson => Density::Packed,
            5..=6 => Density::Normal,
            7..=12 => Density::Compact,
            _ => Density::Dense,
        }
    }
    /// Offsets drawn as cells in each lane.
    pub fn cells(self) -> usize {
        match self {
            Density::Roomy | Density::Normal => 8,
            // Wider cells for thinner lanes: a packed cell has one line, room for its offset and
            // what its value says side by side ("3 Sergei").
            Density::Packed | Density::Compact => 5,
            Density::Dense => 3,
        }
    }
    pub fn class(self) -> &'static str {
        match self {
            Density::Roomy => "lanes roomy",
            Density::Normal => "lanes normal",
            Density::Packed => "lanes normal packed",
            Density::Compact => "lanes compact",
            Density::Dense => "lanes dense",
        }
    }
}

/// Every topic of the cluster, in name order.
#[component]
pub fn Topics() -> impl IntoView {
    let stage = use_stage();
    let names = Memo::new(move |_| stage.with(|v| v.topics.iter().map(|t| t.name.clone()).collect::<Vec<_>>()));
    // Each topic past the first brings its own heading lines (and a line of chips per broker),
    // worth two lanes of height: counted once there are lanes enough to be tight, or five
    // lanes of two topics squeezed their cells into each other at 1280x720.
    let sim = use_sim();
    let lesson = Memo::new(move |_| sim.with_state(|s| !s.history.chapters().is_empty()));
    let density = Memo::new(move |_| {
        stage.with(|v| {
            let lanes: usize = v.topics.iter().map(|t| t.partitions.len()).sum();
            let extra = if lanes >= 4 { 2 * v.topics.len().saturating_sub(1) } else { 0 };
            Density::for_lanes(lanes + extra, lesson.get())
        })
    });
    let describe = Memo::new(move |_| stage.with(|v| v.describe.iter().flat_map(|d| d.lines()).collect::<Vec<_>>()));
    // The tool's output is as long as the lanes are tall, and everything it says is on the stage
    // already (leaders starred, replicas out of the ISR dashed), so it starts folded: unfolded
    // under the lanes it was cut by the bottom of the wall. Unfolding it scrolls it into view.
    let area = NodeRef::<leptos::html::Div>::new();
    let unfolded = move |ev: leptos::ev::Event| {
        let open = event_target::<web_sys::Element>(&ev).has_attribute("open");
        if let (true, Some(area)) = (open, area.get_untracked()) {
            area.set_scroll_top(area.scroll_height());
        }
    };
    view! {
        <div class="topics" data-scroll-area="lanes" node_ref=area>
            <For each=move || names.get() key=|t| t.clone() children=move |t| view! { <TopicView topic=t density=density/> }/>
            <details class="describe" on:toggle=unfolded>
                <summary>"kafka-topics.sh --describe"</summary>
                // One block per line, so a line the column cannot hold wraps under its own start.
                <pre aria-label="kafka-topics.sh --describe output">
                    {move || describe.get().into_iter().map(|line| view! { <span>{line}"\n"</span> }).collect_view()}
                </pre>
                <Simplified what=Simplification::DescribeWithoutTopicId/>
            </details>
        </div>
    }
}

#[component]
pub fn TopicView(topic: String, density: Memo<Density>) -> impl IntoView {
    let stage = use_stage();
    let name = StoredValue::new(topic.clone());
    let header = Memo::new(move |_| {
        stage.with(|v| {
            name.with_value(|n| {
                let t = v.topics.iter().find(|t| &t.name == n)?;
                Some((t.partitions.len() as u32, t.cleanup_policy.name(), t.retention_ms, t.simplifications.clone()))
            })
        })
    });
    let partitions = move || header.get().map_or(0, |h| h.0);
    let legend = Memo::new(move |_| stage.with(|v| v.groups.first().map(|g| g.badge.clone())));
    // The values' gists are shown only where they tell records apart, anywhere in the topic: one
    // user's "Sergei", "Serjei", "Sergey", in one lane by key or spread over three without one;
    // products that all cost 1129 would only repeat it.
    // Only roomy lanes have room for the line, and packed ones beside the offset (under a
    // lesson: see `style/main.css`): denser stages skip the parsing.
    let gists = Memo::new(move |_| {
        if !matches!(density.get(), Density::Roomy | Density::Packed) {
            return false;
        }
        let cells = density.get().cells() as u64;
        stage.with(|v| {
            name.with_value(|n| {
                let Some(t) = v.topics.iter().find(|t| &t.name == n) else { return false };
                let mut gists = t.partitions.iter().flat_map(|p| {
                    let from = p.log_end_offset.saturating_sub(cells);
                    p.window.iter().filter(move |r| r.offset >= from)
                });
                let mut gist = |r: &kafkascope_engine::view::RecordView| crate::format::value_gist(r.value.as_deref(), r.key.as_deref());
                gists.next().map(&mut gist).is_some_and(|first| gists.any(|r| gist(r) != first))
            })
        })
    });
    let config = move || {
        header.get().map(|(_, policy, retention, _)| {
            // retention.ms applies only where the policy deletes: compaction alone keeps every
            // key's newest record for good.
            let kept = if policy == "compact" {
                "newest per key kept".to_string()
            } else if retention < 0 {
                "kept forever".to_string()
            } else {
                format!("kept {}", duration(retention as u64))
            };
            format!("{policy} · {kept}")
        })
    };
    view! {
        <section class="topic" class:packed=move || density.get() == Density::Packed aria-label=format!("Topic {topic}")>
            <header class="topic-header">
                <h3 class="topic-name">"Topic " <code>{topic.clone()}</code></h3>
                <span class="muted" title="cleanup.policy and retention.ms">{config}</span>
                <SimplifiedFolded list=Signal::derive(move || header.get().map(|h| h.3).unwrap_or_default())/>
                // Drawn with a group's own letter, as the markers are (none without a group).
                {move || legend.get().map(|b| view! {
                    <span class="legend muted" title="Markers under the lanes, one letter per consumer group: solid = where the group reads next (its position), hollow = its committed offset, solid on hollow = both at one offset">
                        <span class="badge legend-badge" aria-hidden="true">{b.clone()}</span>" reads next · "
                        <span class="badge legend-badge hollow" aria-hidden="true">{b}</span>" committed"
                    </span>
                })}
            </header>
            <div class=move || density.get().class()>
                <For each=move || 0..partitions() key=|p| *p children=move |p| view! {
                    <PartitionLane topic=name.get_value() partition=p cells=Signal::derive(move || density.get().cells()) gists=gists/>
                }/>
            </div>
        </section>
    }
}
