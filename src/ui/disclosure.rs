//! A `<details>` that opens over the page (the Lessons menu, a column's "Simplified" note): it
//! covers controls while open, so it closes again when the user presses anywhere else or Escape,
//! and Escape gives the focus back to its summary.

use leptos::prelude::*;
use wasm_bindgen::JsCast;

/// Closes the disclosure `details` when a press lands outside it. For the component's lifetime.
pub fn close_on_press_outside(details: NodeRef<leptos::html::Details>) {
    let outside = window_event_listener(leptos::ev::pointerdown, move |ev| {
        let Some(open) = details.get_untracked().filter(|d| d.has_attribute("open")) else { return };
        let target = ev.target().and_then(|t| t.dyn_into::<web_sys::Node>().ok());
        if !target.is_some_and(|t| open.contains(Some(&t))) {
            let _ = open.remove_attribute("open");
        }
    });
    on_cleanup(move || outside.remove());
}

/// The disclosure's `keydown`: Escape closes it, the focus back on its summary, and goes no
/// further (the page's Escape would close the editing panel too).
pub fn close_on_escape(ev: web_sys::KeyboardEvent) {
    if ev.key() != "Escape" {
        return;
    }
    let Some(details) = ev.current_target().and_then(|t| t.dyn_into::<web_sys::HtmlElement>().ok()) else { return };
    if !details.has_attribute("open") {
        return;
    }
    let _ = details.remove_attribute("open");
    if let Some(summary) = details.query_selector("summary").ok().flatten().and_then(|s| s.dyn_into::<web_sys::HtmlElement>().ok()) {
        let _ = summary.focus();
    }
    ev.stop_propagation();
}
