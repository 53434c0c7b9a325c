//! Streams: each producer service can publish on its own while playing, at a rate and with keys
//! from a pattern. Every change is one engine command (`SetStream`), so it is in the history.

use kafkascope_engine::acknowledgement::{Acks, ProducerConfig};
use kafkascope_engine::{Command, KeyPattern, Partitioner, Setting, Stream};
use leptos::prelude::*;

use crate::state::{use_sim, use_stage};
use crate::ui::choice_select::ChoiceSelect;
use crate::ui::panel::{create_named, number_text, parse_count, topic_pick, TopicSelect};

/// The stream settings of every producer service.
#[component]
pub fn StreamSettings() -> impl IntoView {
    let stage = use_stage();
    let ids = Memo::new(move |_| stage.with(|v| v.producers.iter().map(|p| p.client_id.clone()).collect::<Vec<_>>()));
    view! {
        <For each=move || ids.get() key=|id| id.clone() children=move |id| view! { <ProducerStream client_id=id/> }/>
        <AddProducerForm/>
    }
}

/// "Add producer": a producer service with its own `client.id`, writing to a topic; its stream
/// starts off, and its settings appear above once it exists.
#[component]
fn AddProducerForm() -> impl IntoView {
    let sim = use_sim();
    let name = RwSignal::new(String::new());
    let error = sim.form_error();
    // By default a topic no producer writes to yet: the reason to add one.
    let (picked, topic) = topic_pick(|v| v.topics.iter().map(|t| t.name.clone()).find(|t| !v.producers.iter().any(|p| &p.topic == t)));
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let Some(topic) = topic.get_untracked() else {
            return error.set(Some("Create a topic first: a producer writes to one.".into()));
        };
        let client_id = name.get_untracked().trim().to_string();
        create_named(sim, Command::StartProducer { client_id, topic }, name, error);
    };
    view! {
        <form class="panel-section add-producer" aria-label="Add producer" on:submit=submit on:input=move |_| error.set(None)>
            <label for="new-producer-name">"New producer client.id"</label>
            <input id="new-producer-name" type="text" spellcheck="false" autocomplete="off" placeholder="profile-service" bind:value=name/>
            <TopicSelect id="new-producer-topic" label="Writes to" picked=picked topic=topic/>
            <button type="submit">"Add producer"</button>
            <p class="error" role="alert">{move || error.get()}</p>
        </form>
    }
}

#[component]
fn ProducerStream(client_id: String) -> impl IntoView {
    let sim = use_sim();
    let stage = use_stage();
    let id = StoredValue::new(client_id.clone());
    let stream = Memo::new(move |_| {
        stage.with(|v| id.with_value(|id| v.producers.iter().find(|p| &p.client_id == id).map(|p| p.stream.clone()).unwrap_or_default()))
    });
    let config = Memo::new(move |_| {
        stage.with(|v| id.with_value(|id| v.producers.iter().find(|p| &p.client_id == id).map(|p| p.config).unwrap_or_default()))
    });
    let error = sim.form_error();
    let configure = move |config: ProducerConfig| {
        let refused = sim.apply(Command::ConfigureProducer { producer: id.get_value(), config }).err().map(|e| e.to_string());
        let ok = refused.is_none();
        error.set(refused);
        ok
    };
    // Kafka turns its default idempotence off for acks 0 or 1 (it refuses only an explicit
    // enable.idempotence=true): choosing acks=1 here does the same, and says so.
    let pick_acks = move |acks: Acks| {
        let current = config.get_untracked();
        let enable_idempotence = current.enable_idempotence && acks == Acks::All;
        if configure(ProducerConfig { acks, enable_idempotence }) && current.enable_idempotence && !enable_idempotence {
            sim.tell(format!("acks={0}: enable.idempotence goes off with it, as Kafka turns its default idempotence off for acks=0 or 1 (set to true by hand, it refuses acks={0}).", acks.name()));
        }
    };
    let change = move |edit: &dyn Fn(&mut Stream)| {
        let mut next = stream.get_untracked();
        edit(&mut next);
        let result = sim.apply(Command::SetStream { producer: id.get_value(), stream: next });
        error.set(result.err().map(|e| e.to_string()));
    };
    let set_rate = move |ev: leptos::ev::Event| match parse_count(&number_text(&ev)) {
        Some(rate) => change(&|s| s.rate_per_sec = rate),
        None => error.set(Some("Type a whole number of records per second (0 stops the stream).".into())),
    };
    let set_user_ids = move |ev: leptos::ev::Event| match parse_count(&number_text(&ev)) {
        Some(n) => change(&|s| s.user_ids = n),
        None => error.set(Some("Type how many user ids the stream draws from (1 to 1000).".into())),
    };
    let rate_id = format!("rate-{client_id}");
    let users_id = format!("user-ids-{client_id}");
    view! {
        <section class="panel-section" aria-label=format!("Stream of {client_id}")>
            <h2>{format!("Stream of {client_id}")}</h2>
            <div class="field-row">
                <label for=rate_id.clone()>"Rate (records/s)"</label>
                <input id=rate_id type="number" min="0" max="10000" prop:value=move || stream.get().rate_per_sec.to_string()
                    on:change=set_rate/>
            </div>
            <ChoiceSelect label="Key pattern" current=Signal::derive(move || stream.get().keys)
                on_pick=Callback::new(move |keys: KeyPattern| change(&|s| s.keys = keys))/>
            <Show when=move || stream.get().keys == KeyPattern::UserIds>
                <div class="field-row">
                    <label for=users_id.clone()>"User ids"</label>
                    <input id=users_id.clone() type="number" min="1" max="1000" prop:value=move || stream.get().user_ids.to_string()
                        on:change=set_user_ids/>
                </div>
            </Show>
            <ChoiceSelect label="Stream partitioner" current=Signal::derive(move || stream.get().partitioner)
                on_pick=Callback::new(move |p: Partitioner| change(&|s| s.partitioner = p))/>
            <ChoiceSelect label="acks" current=Signal::derive(move || config.get().acks)
                on_pick=Callback::new(pick_acks)/>
            <label class="check">
                // A refused tick goes back to the setting in force, as the acks picker does.
                <input type="checkbox" prop:checked=move || config.get().enable_idempotence
                    on:change=move |ev| {
                        if !configure(ProducerConfig { enable_idempotence: event_target_checked(&ev), ..config.get_untracked() }) {
                            event_target::<web_sys::HtmlInputElement>(&ev).set_checked(config.get_untracked().enable_idempotence);
                        }
                    }/>
                "enable.idempotence"
            </label>
            <button type="button" on:click=move |_| {
                error.set(sim.apply(Command::LoseAcknowledgement { producer: id.get_value() }).err().map(|e| e.to_string()));
            } title="The network drops the answer to this producer's next send: it retries after request.timeout.ms">"Lose next acknowledgement"</button>
            <p class="error" role="alert">{move || error.get()}</p>
        </section>
    }
}
