//! A topic drawn as one lane per partition.

use leptos::prelude::*;

use crate::state::use_sim;
use crate::ui::partition_lane::PartitionLane;

#[component]
pub fn TopicView(topic: &'static str) -> impl IntoView {
    let sim = use_sim();
    let partitions = move || sim.with(|s| s.topic(topic).map_or(0, |t| t.partition_count()));
    view! {
        <div class="topic">
            <h3 class="topic-name">"Topic " <code>{topic}</code></h3>
            <For each=move || 0..partitions() key=|p| *p children=move |p| view! { <PartitionLane topic=topic partition=p/> }/>
        </div>
    }
}
