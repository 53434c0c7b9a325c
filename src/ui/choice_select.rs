//! A labelled `<select>` over an engine setting: the engine lists the values and names them.

use std::sync::atomic::{AtomicUsize, Ordering};

use kafkascope_engine::Setting;
use leptos::prelude::*;

/// Numbers the selects so that each label points at its own (`for` = `id`), which keeps the
/// select's accessible name exactly the label's text.
static NEXT_ID: AtomicUsize = AtomicUsize::new(0);

/// Shows every value of `T` by its engine name, selects `current`, and calls `on_pick` with the
/// chosen value. Option values are the values' `Debug` names, stable for tests and links.
#[component]
pub fn ChoiceSelect<T: Setting>(label: &'static str, #[prop(into)] current: Signal<T>, on_pick: Callback<T>) -> impl IntoView {
    let id = format!("choice-{}", NEXT_ID.fetch_add(1, Ordering::Relaxed));
    view! {
        <div class="choice">
            <label for=id.clone()>{label}</label>
            <select id=id prop:value=move || format!("{:?}", current.get()) on:change=move |ev| {
                let picked = event_target_value(&ev);
                if let Some(value) = T::ALL.iter().find(|v| format!("{v:?}") == picked) {
                    on_pick.run(*value);
                }
                // The select shows the setting as it is: a refused pick (acks=1 for an
                // idempotent producer) goes back to the value still in force, as its card says.
                let now = format!("{:?}", current.get_untracked());
                if now != picked {
                    if let Some(select) = ev.target().and_then(|t| wasm_bindgen::JsCast::dyn_into::<web_sys::HtmlSelectElement>(t).ok()) {
                        select.set_value(&now);
                    }
                }
            }>
                {T::ALL.iter().map(|v| view! { <option value=format!("{v:?}")>{v.name()}</option> }).collect_view()}
            </select>
        </div>
    }
}
