//! Topics drawn as one lane per partition.

use leptos::prelude::*;

use crate::state::use_sim;
use crate::ui::partition_lane::PartitionLane;
use crate::ui::topic_controls::PartitionsForm;

/// Every topic of the cluster, in name order.
#[component]
pub fn Topics() -> impl IntoView {
    let sim = use_sim();
    let names = move || sim.with(|s| s.topics().keys().cloned().collect::<Vec<_>>());
    view! { <For each=names key=|t| t.clone() children=move |t| view! { <TopicView topic=t/> }/> }
}

#[component]
pub fn TopicView(topic: String) -> impl IntoView {
    let sim = use_sim();
    let name = topic.clone();
    let partitions = move || sim.with(|s| s.topic(&name).map_or(0, |t| t.partition_count()));
    let policy = {
        let name = topic.clone();
        move || sim.with(|s| s.topic(&name).map(|t| t.config.cleanup_policy.config_value()).unwrap_or_default())
    };
    let lane_topic = topic.clone();
    view! {
        <section class="topic" aria-label=format!("Topic {topic}")>
            <header class="topic-header">
                <h3 class="topic-name">"Topic " <code>{topic.clone()}</code></h3>
                <span class="muted">{move || format!("cleanup.policy={}", policy())}</span>
                <PartitionsForm topic=topic.clone()/>
            </header>
            <For each=move || 0..partitions() key=|p| *p children=move |p| view! { <PartitionLane topic=lane_topic.clone() partition=p/> }/>
        </section>
    }
}
