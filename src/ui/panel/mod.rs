//! The editing panel: everything a lecturer sets up but the class need not see all the time.
//! It opens and closes with its button or the `E` key; the stage keeps a quick produce.

pub mod group_admin;
pub mod produce_draft;
pub mod produce_settings;
pub mod session_admin;
pub mod side_panel;
pub mod stream_settings;
pub mod topic_admin;

/// The `node_ref` of a number field that shows `text` and never rewrites what is being typed. A
/// `type="number"` field reports half-typed input ("-", "2.") as "", and a plain `bind:value`
/// wrote that "" back, erasing the "-" (so "-2" became "2" and "2.5" became "52"). The text is
/// written only when it differs from what the field reports, which typing never makes it do.
/// Use with `on:input` setting the signal `text` reads.
pub(crate) fn number_field(text: impl Fn() -> String + Send + Sync + 'static) -> leptos::prelude::NodeRef<leptos::html::Input> {
    use leptos::prelude::*;
    let field = NodeRef::<leptos::html::Input>::new();
    Effect::new(move |_| {
        let text = text();
        if let Some(el) = field.get() {
            // What cannot be read stays in the field to be corrected, as typed.
            let unread = text == UNREADABLE && el.validity().bad_input();
            if el.value() != text && !unread {
                el.set_value(&text);
            }
        }
    });
    field
}

/// What a number field holds that the browser cannot read as a number ("1e309", "-", "2.") and
/// so reports as "", the same as an empty field, which in some fields means something (no
/// partition named, no processing limit). Parsed, it is no number, so it is refused as one.
pub(crate) const UNREADABLE: &str = "?";

/// The text of a `type="number"` field's event: its value, or [`UNREADABLE`] when it holds
/// something that is not a number.
pub(crate) fn number_text(ev: &leptos::ev::Event) -> String {
    use leptos::prelude::event_target;
    let field: web_sys::HtmlInputElement = event_target(ev);
    if field.validity().bad_input() {
        UNREADABLE.to_string()
    } else {
        field.value()
    }
}

/// Applies the command of a form that creates something named in its field (a topic, a group,
/// a producer): done, the field and the form's error clear for the next one; refused, the
/// engine's sentence shows and the name stays to be corrected.
pub(crate) fn create_named(sim: crate::state::SimHandle, command: kafkascope_engine::Command, name: leptos::prelude::RwSignal<String>, error: leptos::prelude::RwSignal<Option<String>>) {
    use leptos::prelude::*;
    match sim.apply(command) {
        Ok(()) => {
            error.set(None);
            name.set(String::new());
        }
        Err(e) => error.set(Some(e.to_string())),
    }
}

/// A topic to pick in a form that creates something reading or writing one (a group, a
/// producer): the one picked while it exists, else `default` of the stage, else the first topic.
/// Returns the pick (for the select's `on:change`) and the topic in force.
pub(crate) fn topic_pick(
    default: impl Fn(&kafkascope_engine::ClusterView) -> Option<String> + Send + Sync + 'static,
) -> (leptos::prelude::RwSignal<Option<String>>, leptos::prelude::Signal<Option<String>>) {
    use leptos::prelude::*;
    let stage = crate::state::use_stage();
    let picked = RwSignal::new(None::<String>);
    let topic = Signal::derive(move || {
        stage.with(|v| {
            let exists = |t: &String| v.topics.iter().any(|x| &x.name == t);
            picked.get().filter(exists).or_else(|| default(v).filter(exists)).or_else(|| v.topics.first().map(|t| t.name.clone()))
        })
    });
    (picked, topic)
}

/// The select of a [`topic_pick`]: every topic, the one in force chosen.
#[leptos::component]
pub(crate) fn TopicSelect(id: &'static str, label: &'static str, picked: leptos::prelude::RwSignal<Option<String>>, topic: leptos::prelude::Signal<Option<String>>) -> impl leptos::IntoView {
    use leptos::prelude::*;
    let stage = crate::state::use_stage();
    let topics = move || stage.with(|v| v.topics.iter().map(|t| t.name.clone()).collect::<Vec<_>>());
    view! {
        <label for=id>{label}</label>
        <select id=id prop:value=move || topic.get().unwrap_or_default() on:change=move |ev| picked.set(Some(event_target_value(&ev)))>
            {move || topics().into_iter().map(|t| view! { <option value=t.clone()>{t.clone()}</option> }).collect_view()}
        </select>
    }
}

/// Reads a number field as a count: digits only, so blank, negative, fractional and exponent
/// text ("1e3") is `None`. A count past `u32::MAX` ("4294967296") saturates, so that the engine's
/// own limit ("at most 1024 partitions") explains it rather than a wrong "not a whole number".
/// (Reading "1e3" would link the float parser and its tables: 13 KB gzipped for a rare input.)
pub(crate) fn parse_count(text: &str) -> Option<u32> {
    crate::format::whole_number(text.trim(), u32::MAX)
}

#[cfg(test)]
mod tests {
    use super::parse_count;
    use wasm_bindgen_test::wasm_bindgen_test;

    #[wasm_bindgen_test]
    fn counts_are_whole_non_negative_numbers_and_saturate() {
        assert_eq!(parse_count(" 12 "), Some(12));
        assert_eq!(parse_count("4294967296"), Some(u32::MAX));
        assert_eq!(parse_count("99999999999999999999999"), Some(u32::MAX));
        for bad in ["", "2.5", "-1", "+1", "abc", "1e3", "inf", "NaN"] {
            assert_eq!(parse_count(bad), None, "{bad:?}");
        }
    }
}
