//! The producer settings of the record typed by hand: topic, value, headers, partitioner and an
//! optional explicit partition. Its key and the Produce button are on the stage (quick produce).

use kafkascope_engine::Partitioner;
use leptos::prelude::*;

use crate::state::use_stage;
use crate::ui::choice_select::ChoiceSelect;
use crate::ui::panel::{number_field, number_text};
use crate::ui::panel::produce_draft::{use_draft, Destination};

#[component]
pub fn ProduceSettings() -> impl IntoView {
    let stage = use_stage();
    let draft = use_draft();
    let topics = move || stage.with(|v| v.topics.iter().map(|t| t.name.clone()).collect::<Vec<_>>());
    let selected_topic = move || stage.with(|v| draft.topic_in(v));
    view! {
        <section class="panel-section" aria-labelledby="produce-settings-heading">
            <h2 id="produce-settings-heading">"Record to produce"</h2>
            <label for="produce-topic">"Topic"</label>
            <select id="produce-topic" prop:value=selected_topic on:change=move |ev| draft.topic.set(event_target_value(&ev))>
                {move || topics().into_iter().map(|t| view! { <option value=t.clone()>{t.clone()}</option> }).collect_view()}
            </select>
            <label for="produce-value">"Value"</label>
            <textarea id="produce-value" rows="3" spellcheck="false" bind:value=draft.value disabled=move || draft.null_value.get()></textarea>
            <label class="check"><input type="checkbox" bind:checked=draft.null_value/>"Null value (a tombstone on a compacted topic)"</label>
            <div class="headers-editor">
                <For each=move || draft.headers.get() key=|h| h.0 children=move |(id, k, v)| view! {
                    <div class="header-row">
                        <input type="text" aria-label=format!("Header name {}", id + 1) placeholder="name" bind:value=k/>
                        <input type="text" aria-label=format!("Header value {}", id + 1) placeholder="value" bind:value=v/>
                        <button type="button" aria-label=format!("Remove header {}", id + 1) on:click=move |_| { draft.remove_header(id); crate::ui::focus_on(".headers-editor > button"); }>"×"</button>
                    </div>
                }/>
                <button type="button" on:click=move |_| draft.add_header()>"Add header"</button>
            </div>
            <ChoiceSelect label="Partitioner" current=draft.partitioner on_pick=Callback::new(move |p: Partitioner| draft.partitioner.set(p))/>
            <label for="produce-partition">"Partition"</label>
            <input id="produce-partition" type="number" min="0" placeholder="empty: the partitioner decides"
                node_ref=number_field(move || draft.partition.get()) on:input=move |ev| draft.partition.set(number_text(&ev))/>
            // Said here too, where it was typed: the stage's line may be far from the field.
            {move || stage.with(|v| match draft.destination(v) {
                to @ (Destination::Missing { .. } | Destination::NotANumber) => {
                    let hint = to.hint();
                    Some(view! { <p class="hint warning">{hint[..1].to_uppercase()}{hint[1..].to_string()}</p> })
                }
                _ => None,
            })}
            <p class="hint">
                "An explicit partition beats every partitioner. An empty Key is a null key: the Java producer "
                "sticks to one random partition until batch.size (16384) bytes went to it, so keyless records keep no order across partitions. "
                "Type \"\" for an empty key: zero bytes, which are hashed."
            </p>
        </section>
    }
}
