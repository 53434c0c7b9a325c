//! A labelled `<select>` over a fixed list of typed choices.

use std::fmt::Debug;

use leptos::prelude::*;

/// Shows `choices` (value, label), selects `current`, and calls `on_pick` with the chosen value.
/// Option values are the choices' `Debug` names, so they stay stable for tests and URLs.
#[component]
pub fn ChoiceSelect<T>(
    label: &'static str,
    choices: &'static [(T, &'static str)],
    #[prop(into)] current: Signal<T>,
    on_pick: Callback<T>,
) -> impl IntoView
where
    T: Copy + Debug + PartialEq + Send + Sync + 'static,
{
    view! {
        <label>{label}
            <select prop:value=move || format!("{:?}", current.get()) on:change=move |ev| {
                let picked = event_target_value(&ev);
                if let Some((value, _)) = choices.iter().find(|(v, _)| format!("{v:?}") == picked) {
                    on_pick.run(*value);
                }
            }>
                {choices.iter().map(|(v, name)| view! { <option value=format!("{v:?}")>{*name}</option> }).collect_view()}
            </select>
        </label>
    }
}
