//! Topic administration: growing a topic's partitions and adding topics, with Kafka's refusals
//! shown inline.

use kafkascope_engine::{CleanupPolicy, Command, TopicConfig};
use leptos::prelude::*;

use crate::state::use_sim;
use crate::ui::choice_select::ChoiceSelect;

/// The "Partitions" field of one topic: it can only grow.
#[component]
pub fn PartitionsForm(topic: String) -> impl IntoView {
    let sim = use_sim();
    let name = topic.clone();
    let current = Signal::derive(move || sim.with(|s| s.topic(&name).map_or(0, |t| t.partition_count())));
    let wanted = RwSignal::new(String::new());
    let error = RwSignal::new(None::<String>);
    let id = format!("partitions-{topic}");
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let total = match wanted.get_untracked().trim().parse::<u32>() {
            Ok(n) => n,
            Err(_) => return error.set(Some("Type a whole number of partitions.".into())),
        };
        let result = sim.apply(Command::AddPartitions { topic: topic.clone(), total });
        error.set(result.err().map(|e| e.to_string()));
        wanted.set(String::new());
    };
    view! {
        <form class="partitions-form" on:submit=submit>
            <label for=id.clone()>"Partitions"</label>
            <input id=id type="number" min="1" inputmode="numeric" placeholder=move || current.get().to_string()
                prop:value=move || { let w = wanted.get(); if w.is_empty() { current.get().to_string() } else { w } }
                on:input=move |ev| wanted.set(event_target_value(&ev))/>
            <button type="submit">"Apply"</button>
            <p class="error" role="alert">{move || error.get()}</p>
        </form>
    }
}

const POLICIES: [(CleanupPolicy, &str); 3] =
    [(CleanupPolicy::Delete, "delete"), (CleanupPolicy::Compact, "compact"), (CleanupPolicy::CompactDelete, "compact,delete")];

/// "Add topic": a name checked by Kafka's rules, a partition count and a cleanup policy.
#[component]
pub fn AddTopicForm() -> impl IntoView {
    let sim = use_sim();
    let name = RwSignal::new(String::new());
    let partitions = RwSignal::new("3".to_string());
    let policy = RwSignal::new(CleanupPolicy::Delete);
    let error = RwSignal::new(None::<String>);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let Ok(count) = partitions.get_untracked().trim().parse::<u32>() else {
            return error.set(Some("Type a whole number of partitions.".into()));
        };
        let config = TopicConfig { cleanup_policy: policy.get_untracked(), ..TopicConfig::default() };
        let command = Command::CreateTopic { name: name.get_untracked(), partitions: count, config };
        match sim.apply(command) {
            Ok(()) => {
                error.set(None);
                name.set(String::new());
            }
            Err(e) => error.set(Some(e.to_string())),
        }
    };
    view! {
        <form class="add-topic" on:submit=submit>
            <label for="new-topic-name">"New topic name"</label>
            <input id="new-topic-name" type="text" spellcheck="false" autocomplete="off" bind:value=name/>
            <label for="new-topic-partitions">"New topic partitions"</label>
            <input id="new-topic-partitions" type="number" min="1" bind:value=partitions/>
            <ChoiceSelect label="cleanup.policy" choices=&POLICIES current=policy on_pick=Callback::new(move |p| policy.set(p))/>
            <button type="submit">"Add topic"</button>
            <p class="error" role="alert">{move || error.get()}</p>
        </form>
    }
}
