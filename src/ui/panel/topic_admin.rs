//! Topic administration: growing a topic's partitions and adding topics, with Kafka's refusals
//! shown inline.

use kafkascope_engine::{CleanupPolicy, Command, TopicConfig};
use leptos::prelude::*;

use crate::state::{use_sim, use_stage};
use crate::ui::choice_select::ChoiceSelect;
use crate::ui::panel::{create_named, number_field, number_text, parse_count};

/// A count refused by the number fields: "1e9" is a whole number, written otherwise.
const PARTITIONS_IN_DIGITS: &str = "Type the number of partitions in digits, for example 6.";

/// Every topic's partition count, and the Add topic form.
#[component]
pub fn TopicAdmin() -> impl IntoView {
    let stage = use_stage();
    let sim = use_sim();
    let names = Memo::new(move |_| stage.with(|v| v.topics.iter().map(|t| t.name.clone()).collect::<Vec<_>>()));
    view! {
        <section class="panel-section" aria-labelledby="topics-admin-heading">
            <h2 id="topics-admin-heading">"Topics"</h2>
            <For each=move || names.get() key=|t| t.clone() children=move |t| view! { <PartitionsForm topic=t/> }/>
            <button type="button" on:click=move |_| { let _ = sim.apply(Command::ElectPreferredLeaders); }
                title="Move each partition's leadership back to its first (preferred) replica, if it is in sync">"Elect preferred leaders"</button>
            <button type="button" on:click=move |_| { let _ = sim.apply(Command::CleanLogs); }
                title="Run retention and compaction now instead of on the broker's schedule (Kafka has no such button)">"Clean now"</button>
            <AddTopicForm/>
        </section>
    }
}

/// The "Partitions" field of one topic: it can only grow.
#[component]
pub fn PartitionsForm(topic: String) -> impl IntoView {
    let sim = use_sim();
    let stage = use_stage();
    let name = StoredValue::new(topic.clone());
    let current = Memo::new(move |_| {
        stage.with(|v| name.with_value(|n| v.topics.iter().find(|t| &t.name == n).map_or(0, |t| t.partitions.len())))
    });
    // What is typed, until it is applied; `None` shows the topic's count. A cleared field stays
    // clear (it used to snap back to the count, so typing 6 there asked for 36 partitions).
    let wanted = RwSignal::new(None::<String>);
    let error = sim.form_error();
    let id = format!("partitions-{topic}");
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let total = match parse_count(&wanted.get_untracked().unwrap_or_default()) {
            Some(n) => n,
            None => return error.set(Some(PARTITIONS_IN_DIGITS.into())),
        };
        let result = sim.apply(Command::AddPartitions { topic: name.get_value(), total });
        error.set(result.err().map(|e| e.to_string()));
        wanted.set(None);
    };
    view! {
        <form class="partitions-form" aria-label=format!("Topic {topic}") on:submit=submit>
            <code class="topic-name">{topic.clone()}</code>
            <label for=id.clone()>"Partitions"</label>
            <input id=id type="number" min="1" inputmode="numeric"
                node_ref=number_field(move || wanted.get().unwrap_or_else(|| current.get().to_string()))
                on:input=move |ev| wanted.set(Some(number_text(&ev)))/>
            <button type="submit">"Apply"</button>
            <p class="error" role="alert">{move || error.get()}</p>
        </form>
    }
}

/// "Add topic": a name checked by Kafka's rules, a partition count and a cleanup policy.
#[component]
pub fn AddTopicForm() -> impl IntoView {
    let sim = use_sim();
    let name = RwSignal::new(String::new());
    let partitions = RwSignal::new("3".to_string());
    let replication = RwSignal::new("3".to_string());
    let min_isr = RwSignal::new("2".to_string());
    let policy = RwSignal::new(CleanupPolicy::Delete);
    let error = sim.form_error();
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let Some(count) = parse_count(&partitions.get_untracked()) else {
            return error.set(Some(PARTITIONS_IN_DIGITS.into()));
        };
        let (Some(replication_factor), Some(min_insync_replicas)) =
            (parse_count(&replication.get_untracked()), parse_count(&min_isr.get_untracked()))
        else {
            return error.set(Some("Type whole numbers for the replication factor and min.insync.replicas.".into()));
        };
        let config = TopicConfig {
            cleanup_policy: policy.get_untracked(),
            replication_factor: Some(replication_factor),
            min_insync_replicas,
            ..TopicConfig::default()
        };
        create_named(sim, Command::CreateTopic { name: name.get_untracked(), partitions: count, config }, name, error);
    };
    view! {
        <form class="add-topic" aria-label="Add topic" on:submit=submit
            // An edited field makes the last refusal stale (the browser may block the next submit).
            on:input=move |_| error.set(None)>
            <label for="new-topic-name">"New topic name"</label>
            <input id="new-topic-name" type="text" spellcheck="false" autocomplete="off" bind:value=name/>
            <label for="new-topic-partitions">"New topic partitions"</label>
            <input id="new-topic-partitions" type="number" min="1" node_ref=number_field(move || partitions.get()) on:input=move |ev| partitions.set(number_text(&ev))/>
            <label for="new-topic-replication">"Replication factor"</label>
            <input id="new-topic-replication" type="number" min="1" node_ref=number_field(move || replication.get()) on:input=move |ev| replication.set(number_text(&ev))/>
            <label for="new-topic-min-isr">"min.insync.replicas"</label>
            <input id="new-topic-min-isr" type="number" min="1" aria-describedby="new-topic-min-isr-note" node_ref=number_field(move || min_isr.get()) on:input=move |ev| min_isr.set(number_text(&ev))/>
            // Kafka accepts any min.insync.replicas, and the leader enforces at most the
            // replication factor: say so before it surprises anyone.
            <p class="hint" id="new-topic-min-isr-note">{move || match (parse_count(&replication.get()), parse_count(&min_isr.get())) {
                (Some(rf), Some(min)) if min > rf => {
                    let needed = kafkascope_engine::partition::effective_min_isr(min, rf as usize);
                    format!("More than the replication factor: the leader enforces min(min.insync.replicas, replication factor) = {needed}, so acks=all sends need {} in sync, not {min}.", crate::format::count(needed, "replica"))
                }
                _ => String::new(),
            }}</p>
            <ChoiceSelect label="cleanup.policy" current=policy on_pick=Callback::new(move |p| policy.set(p))/>
            <button type="submit">"Add topic"</button>
            <p class="error" role="alert">{move || error.get()}</p>
        </form>
    }
}
