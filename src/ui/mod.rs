//! Components, one per file, grouped by the area of the screen they draw:
//! - [`chrome`]: scenario buttons, playback, narration and the overlays around the stage;
//! - [`stage`]: the diagram itself, producers → Kafka cluster → consumer groups, and the records
//!   travelling between them;
//! - [`panel`]: the editing panel the lecturer opens when needed (produce settings, streams,
//!   topic and group administration).

pub mod app;
pub mod chrome;
pub mod choice_select;
pub mod disclosure;
pub mod modal;
pub mod palette;
pub mod panel;
pub mod simplified;
pub mod stage;

/// Puts the focus on the first element matching `selector`, when a button removed or emptied what
/// had it: focus that falls to the page leaves a keyboard user nowhere, with no ring on screen.
pub fn focus_on(selector: &str) {
    let found = web_sys::window().and_then(|w| w.document()).and_then(|d| d.query_selector(selector).ok().flatten());
    if let Some(element) = found.and_then(|e| wasm_bindgen::JsCast::dyn_into::<web_sys::HtmlElement>(e).ok()) {
        let _ = element.focus();
    }
}
