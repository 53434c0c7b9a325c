//! The session as a file and as real Kafka commands: Export and Import the timeline as a scenario
//! file, Start over (forgetting the saved session), Start empty (a cluster with nothing on it,
//! for a demo of one's own), and the same scenario written as the
//! `kafka-topics.sh`, console-producer, `kcat`, console-consumer and `kafka-consumer-groups.sh`
//! commands a student can run against a real cluster (the partitioner is Kafka's, so the
//! partitions match).

use kafkascope_engine::scenario::MAX_SCENARIO_BYTES;
use kafkascope_engine::{cli, Scenario};
use leptos::prelude::*;
use wasm_bindgen::{JsCast, JsValue};

use crate::persist;
use crate::scene::{Source, DEFAULT_SCENE, SCENES};
use crate::state::{use_sim, SimHandle};
use crate::ui::chrome::notice::{use_notice, Notice};
use crate::ui::modal::Modal;

/// A file name for the exported scenario: its name in lower case, words joined by dashes.
pub fn file_name(name: &str) -> String {
    let slug: String = name
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c.to_ascii_lowercase() } else { '-' })
        .collect::<String>()
        .split('-')
        .filter(|w| !w.is_empty())
        .collect::<Vec<_>>()
        .join("-");
    format!("kafkascope-{}.json", if slug.is_empty() { "session" } else { &slug })
}

fn download(name: &str, text: &str) -> Option<()> {
    let parts = js_sys::Array::of1(&JsValue::from_str(text));
    let options = web_sys::BlobPropertyBag::new();
    options.set_type("application/json");
    let blob = web_sys::Blob::new_with_str_sequence_and_options(&parts, &options).ok()?;
    let url = web_sys::Url::create_object_url_with_blob(&blob).ok()?;
    let document = web_sys::window()?.document()?;
    let a: web_sys::HtmlAnchorElement = document.create_element("a").ok()?.dyn_into().ok()?;
    a.set_href(&url);
    a.set_download(name);
    a.click();
    web_sys::Url::revoke_object_url(&url).ok()
}

/// Opens an imported file: refused before reading when it is too large, refused with the
/// engine's sentence when it is not a scenario Kafkascope can replay. The stage is unchanged then.
async fn import(sim: SimHandle, notice: Notice, file: web_sys::File) {
    if file.size() > MAX_SCENARIO_BYTES as f64 {
        let size = file.size() as u64;
        return notice.report(Some(format!(
            "This file could not be imported: it is {size} bytes, and Kafkascope opens scenarios of up to {MAX_SCENARIO_BYTES} bytes (1 MB). The stage is unchanged."
        )));
    }
    let text = match wasm_bindgen_futures::JsFuture::from(file.text()).await.ok().and_then(|t| t.as_string()) {
        Some(text) => text,
        None => return notice.report(Some("This file could not be read. The stage is unchanged.".into())),
    };
    match Scenario::from_json(&text).and_then(|s| sim.open(&s, s.at, Source::Opened).map(|()| s)) {
        Ok(s) => {
            notice.report(None);
            // Said in words: a file of a demo built on Fan-out looks like Fan-out at its start.
            let len = s.len();
            sim.tell(format!("Opened {} ('{}', {len} steps) at step {} of {len}. Reset goes back to its first step.", file.name(), s.name, s.at.min(len)));
        }
        Err(e) => notice.report(Some(format!("This file could not be imported: {e} The stage is unchanged."))),
    }
}

#[component]
pub fn SessionAdmin() -> impl IntoView {
    let sim = use_sim();
    let notice = use_notice();
    let commands_open = RwSignal::new(false);
    let export = move |_| {
        let (mut scenario, cursor, mut compact) = match sim.exportable() {
            Ok(it) => it,
            Err(why) => return notice.report(Some(why)),
        };
        // The step it is on goes along, so the file opens where it was saved.
        scenario.at = cursor;
        if cursor > 0 {
            compact = scenario.to_compact_json();
        }
        // Indented for reading, unless that alone takes it past what Import opens. (Indented from
        // the compact text: serde's pretty printer is a second serializer of every command.)
        let pretty = crate::format::reindent_json(&compact);
        download(&file_name(&scenario.name), if pretty.len() <= MAX_SCENARIO_BYTES { &pretty } else { &compact });
    };
    let on_file = move |ev: leptos::ev::Event| {
        let Some(input) = ev.target().and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok()) else { return };
        let Some(file) = input.files().and_then(|f| f.get(0)) else { return };
        input.set_value("");
        leptos::task::spawn_local(import(sim, notice, file));
    };
    let start_over = move |_| {
        persist::forget_session();
        notice.report(sim.load(Source::Scene(DEFAULT_SCENE)).err().map(|e| e.to_string()));
    };
    // A lecturer's own demo starts from nothing rather than carrying Fan-out's topic, stream and
    // groups: the same brokers and settings, no topic yet. (What was on the stage is set aside.)
    let start_empty = move |_| {
        let opened = SCENES[DEFAULT_SCENE].scenario().and_then(|fan_out| {
            let empty = Scenario {
                name: "My demo".into(),
                description: "An empty cluster of three brokers. In Edit: add a topic, a producer and consumer groups, then produce.".into(),
                setup: Vec::new(),
                steps: Vec::new(),
                chapters: Vec::new(),
                ..fan_out
            };
            sim.open(&empty, 0, Source::Opened)
        });
        notice.report(opened.err().map(|e| e.to_string()));
    };
    view! {
        <section class="panel-section" aria-labelledby="session-heading">
            <h2 id="session-heading">"Session"</h2>
            <div class="session-buttons">
                <button type="button" on:click=export>"Export"</button>
                // The input comes first: its focus ring is drawn on the label after it.
                <input id="import-file" class="visually-hidden" type="file" accept=".json,application/json" on:change=on_file/>
                <label class="file-button" for="import-file">"Import"</label>
                <button type="button" on:click=start_over>"Start over"</button>
                <button type="button" on:click=start_empty>"Start empty"</button>
                <button type="button" on:click=move |_| commands_open.set(true)>"Real commands"</button>
            </div>
            <p class="hint">"The session is kept in this browser. Start over goes back to Fan-out; Start empty builds your own demo from an empty cluster."</p>
        </section>
        <Modal open=commands_open on_close=Callback::new(move |_| commands_open.set(false)) labelledby="commands-title" class="commands">
            <Show when=move || commands_open.get()>
                <RealCommands close=Callback::new(move |_| commands_open.set(false))/>
            </Show>
        </Modal>
    }
}

/// The timeline up to the cursor as real commands, and each group as `--describe` prints it.
#[component]
fn RealCommands(close: Callback<()>) -> impl IntoView {
    let sim = use_sim();
    let text = move || {
        let (scenario, cursor) = sim.scenario();
        let script = cli::script(&scenario, cursor).map(|s| s.to_text()).unwrap_or_else(|e| e.to_string());
        let (consumers, groups): (Vec<String>, Vec<String>) = sim.with(|s| {
            (cli::consume_commands(s), cli::describe_groups(s).into_iter().map(|g| format!("$ {}{}", g.command, g.output)).collect())
        });
        let consumers = if consumers.is_empty() {
            String::new()
        } else {
            format!("# One console consumer per instance on the stage, each in its own terminal:\n{}\n\n", consumers.join("\n"))
        };
        format!("{script}\n{consumers}{}", groups.join("\n\n"))
    };
    view! {
        <h2 id="commands-title">"The same scenario as real Kafka commands"</h2>
        <p class="hint">"Run these against a real cluster: the Java client's partitioner puts every keyed record in the same partition as here."</p>
        <pre class="cli">{text}</pre>
        <button type="button" on:click=move |_| close.run(())>"Close"</button>
    }
}
