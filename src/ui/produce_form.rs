//! The producer's form: key, value and the Produce button.
//!
//! An empty Key field sends a *null* key (there is no way to type "no key" otherwise); the hint
//! under the field says what Kafka does with it. Errors from the engine show inline and change
//! nothing.

use kafkascope_engine::{Bytes, Command, ProduceRequest};
use leptos::prelude::*;

use crate::scene::PRODUCTS_SERVICE;
use crate::state::use_sim;

/// A `ProductCreatedEvent` as the course shows it, for a product id.
pub fn product_created_event(product_id: &str) -> String {
    format!(r#"{{"productId": "{product_id}", "title": "iPhone 15", "price": 1129, "quantity": 19}}"#)
}

fn new_uuid() -> String {
    uuid::Uuid::new_v4().to_string()
}

#[component]
pub fn ProduceForm(topic: &'static str) -> impl IntoView {
    let sim = use_sim();
    let first = new_uuid();
    let key = RwSignal::new(first.clone());
    let value = RwSignal::new(product_created_event(&first));
    let error = RwSignal::new(None::<String>);
    let new_id = move |_| {
        let id = new_uuid();
        value.set(product_created_event(&id));
        key.set(id);
    };
    let produce = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let key_text = key.get_untracked();
        let mut request = ProduceRequest::new(PRODUCTS_SERVICE, topic, None, &value.get_untracked());
        request.key = (!key_text.is_empty()).then(|| Bytes::from(key_text.into_bytes()));
        error.set(sim.apply(Command::Produce(request)).err().map(|e| e.to_string()));
    };
    view! {
        <form class="produce-form" on:submit=produce>
            <label for="produce-key">"Key"</label>
            <div class="key-row">
                <input id="produce-key" type="text" spellcheck="false" autocomplete="off" bind:value=key/>
                <button type="button" on:click=new_id>"New UUID"</button>
            </div>
            <p class="hint">
                "The key's UTF-8 bytes are hashed to pick the partition. Leave it empty for a null key: "
                "the Java producer then sticks to one random partition until a batch (16384 bytes) is full, "
                "so keyless records have no order between them."
            </p>
            <label for="produce-value">"Value"</label>
            <textarea id="produce-value" rows="4" spellcheck="false" bind:value=value></textarea>
            <button type="submit" class="primary">"Produce"</button>
            <p class="error" role="alert">{move || error.get()}</p>
        </form>
    }
}
