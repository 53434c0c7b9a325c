//! The producer: topic, key, value, headers and partitioner, and the Produce button.
//!
//! An empty Key field sends a *null* key (there is no other way to type "no key"); the hint under
//! the field says what Kafka does with it. Errors from the engine show inline and change nothing.

use kafkascope_engine::partitioner::LibrdkafkaPartitioner;
use kafkascope_engine::{Bytes, Command, Header, Partitioner, ProduceRequest};
use leptos::prelude::*;

use crate::scene::{product_created_event, PRODUCTS_SERVICE, PRODUCT_TOPIC, PROFILE_SERVICE, PROFILE_TOPIC};
use crate::state::use_sim;
use crate::ui::choice_select::ChoiceSelect;

/// What the Partitioner select offers: three partitioners, or naming the partition outright.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum PartitionerChoice {
    Java,
    Librdkafka,
    RoundRobin,
    Explicit,
}

const PARTITIONERS: [(PartitionerChoice, &str); 4] = [
    (PartitionerChoice::Java, "Java default (murmur2, sticky for null keys)"),
    (PartitionerChoice::Librdkafka, "librdkafka default (consistent_random, crc32)"),
    (PartitionerChoice::RoundRobin, "Round-robin (RoundRobinPartitioner)"),
    (PartitionerChoice::Explicit, "Explicit partition"),
];

impl PartitionerChoice {
    /// The engine's partitioner (an explicit partition bypasses it, so the default stands in).
    fn partitioner(self) -> Partitioner {
        match self {
            PartitionerChoice::Librdkafka => Partitioner::Librdkafka(LibrdkafkaPartitioner::ConsistentRandom),
            PartitionerChoice::RoundRobin => Partitioner::RoundRobin,
            PartitionerChoice::Java | PartitionerChoice::Explicit => Partitioner::default(),
        }
    }
}

/// Who produces to a topic in the course's story.
fn producer_for(topic: &str) -> &'static str {
    if topic == PROFILE_TOPIC { PROFILE_SERVICE } else { PRODUCTS_SERVICE }
}

fn new_uuid() -> String {
    uuid::Uuid::new_v4().to_string()
}

/// A header row being edited: (id for keying, name, value).
type HeaderRow = (u32, RwSignal<String>, RwSignal<String>);

#[component]
pub fn ProduceForm() -> impl IntoView {
    let sim = use_sim();
    let first = new_uuid();
    let topic = RwSignal::new(PRODUCT_TOPIC.to_string());
    let key = RwSignal::new(first.clone());
    let value = RwSignal::new(product_created_event(&first));
    let choice = RwSignal::new(PartitionerChoice::Java);
    let explicit = RwSignal::new("0".to_string());
    let headers = RwSignal::new(Vec::<HeaderRow>::new());
    let next_header = StoredValue::new(0u32);
    let error = RwSignal::new(None::<String>);
    let topics = move || sim.with(|s| s.topics().keys().cloned().collect::<Vec<_>>());
    // Keep the selected topic valid when a scene without it is loaded.
    let selected_topic = move || {
        let t = topic.get();
        let all = topics();
        if all.contains(&t) { t } else { all.first().cloned().unwrap_or_default() }
    };
    let new_id = move |_| {
        let id = new_uuid();
        value.set(product_created_event(&id));
        key.set(id);
    };
    let add_header = move |_| {
        let id = next_header.get_value();
        next_header.set_value(id + 1);
        headers.update(|h| h.push((id, RwSignal::new(String::new()), RwSignal::new(String::new()))));
    };
    let produce = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let topic = selected_topic();
        let key_text = key.get_untracked();
        let mut request = ProduceRequest::new(producer_for(&topic), &topic, None, &value.get_untracked());
        request.key = (!key_text.is_empty()).then(|| Bytes::from(key_text.into_bytes()));
        request.partitioner = choice.get_untracked().partitioner();
        request.headers = headers
            .get_untracked()
            .iter()
            .map(|(_, k, v)| Header { key: k.get_untracked(), value: Some(Bytes::from(v.get_untracked().into_bytes())) })
            .collect();
        if choice.get_untracked() == PartitionerChoice::Explicit {
            match explicit.get_untracked().trim().parse::<u32>() {
                Ok(p) => request.partition = Some(p),
                Err(_) => return error.set(Some("Type a partition number (0, 1, 2, ...).".into())),
            }
        }
        error.set(sim.apply(Command::Produce(request)).err().map(|e| e.to_string()));
    };
    view! {
        <h2 id="producer-heading">{move || if selected_topic() == PROFILE_TOPIC { "Profile service" } else { "Products microservice" }}</h2>
        <form class="produce-form" on:submit=produce>
            <label for="produce-topic">"Topic"</label>
            <select id="produce-topic" prop:value=selected_topic on:change=move |ev| topic.set(event_target_value(&ev))>
                {move || topics().into_iter().map(|t| view! { <option value=t.clone()>{t.clone()}</option> }).collect_view()}
            </select>
            <label for="produce-key">"Key"</label>
            <div class="key-row">
                <input id="produce-key" type="text" spellcheck="false" autocomplete="off" bind:value=key/>
                <button type="button" on:click=new_id>"New UUID"</button>
            </div>
            <p class="hint">
                "Its UTF-8 bytes are hashed to pick the partition. Empty = null key: the Java producer sticks to one "
                "random partition until a batch (16384 bytes) is full, so keyless records have no order."
            </p>
            <label for="produce-value">"Value"</label>
            <textarea id="produce-value" rows="3" spellcheck="false" bind:value=value></textarea>
            <div class="headers-editor">
                <For each=move || headers.get() key=|h| h.0 children=move |(id, k, v)| view! {
                    <div class="header-row">
                        <input type="text" aria-label=format!("Header name {}", id + 1) placeholder="name" bind:value=k/>
                        <input type="text" aria-label=format!("Header value {}", id + 1) placeholder="value" bind:value=v/>
                        <button type="button" aria-label=format!("Remove header {}", id + 1)
                            on:click=move |_| headers.update(|h| h.retain(|row| row.0 != id))>"×"</button>
                    </div>
                }/>
                <button type="button" on:click=add_header>"Add header"</button>
            </div>
            <ChoiceSelect label="Partitioner" choices=&PARTITIONERS current=choice on_pick=Callback::new(move |c| choice.set(c))/>
            <Show when=move || choice.get() == PartitionerChoice::Explicit>
                <label for="produce-partition">"Partition"</label>
                <input id="produce-partition" type="number" min="0" bind:value=explicit/>
            </Show>
            <button type="submit" class="primary">"Produce"</button>
            <p class="error" role="alert">{move || error.get()}</p>
        </form>
    }
}
