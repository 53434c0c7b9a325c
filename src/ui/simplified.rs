//! How a simplification is said on screen: in full where there is room, or as a one-line
//! disclosure ("Simplified: producer batches ▸") that opens to the full sentence where a column is
//! narrow. Either way it sits beside what it simplifies, in the engine's words.

use kafkascope_engine::Simplification;
use leptos::prelude::*;

/// One simplification, said in full.
#[component]
pub fn Simplified(what: Simplification) -> impl IntoView {
    view! { <p class="simplified">{what.sentence()}</p> }
}

/// Several simplifications (or one long one in a narrow place), folded under a summary naming them.
/// Opened, the note may lie over controls (the brokers' Stop buttons): a press elsewhere or
/// Escape folds it again.
#[component]
pub fn SimplifiedFolded(#[prop(into)] list: Signal<Vec<Simplification>>) -> impl IntoView {
    let details = NodeRef::<leptos::html::Details>::new();
    crate::ui::disclosure::close_on_press_outside(details);
    view! {
        <Show when=move || list.with(|l| !l.is_empty())>
            <details class="simplified-list" node_ref=details on:keydown=crate::ui::disclosure::close_on_escape>
                <summary>{move || list.with(|l| match l.as_slice() {
                    [one] => one.label().to_string(),
                    [first, rest @ ..] => format!("{} and {} more", first.label(), rest.len()),
                    [] => String::new(),
                })}</summary>
                <ul>{move || list.get().into_iter().map(|s| view! { <li>{s.sentence()}</li> }).collect_view()}</ul>
            </details>
        </Show>
    }
}
