//! A modal dialog (the keyboard help, the record inspector, the real commands), drawn with the
//! browser's own `<dialog>`: while it is open the page behind it is inert, so Tab stays inside
//! it; it takes focus when it opens; Escape closes it; and focus goes back to the control that
//! opened it, so a keyboard user carries on where they were.

use leptos::prelude::*;
use wasm_bindgen::JsCast;

/// A dialog shown while `open` is true; `on_close` is told when it closes itself (Escape).
#[component]
pub fn Modal(
    #[prop(into)] open: Signal<bool>,
    on_close: Callback<()>,
    /// The ids of the headings that name the dialog (space-separated, as aria-labelledby takes them).
    labelledby: &'static str,
    /// Extra classes for the card (`commands` is wider).
    #[prop(optional)]
    class: &'static str,
    children: ChildrenFn,
) -> impl IntoView {
    let dialog = NodeRef::<leptos::html::Dialog>::new();
    let opener = StoredValue::new_local(None::<web_sys::HtmlElement>);
    Effect::new(move |_| {
        let Some(element) = dialog.get() else { return };
        let shown = open.get();
        if shown && !element.open() {
            let active = document().active_element().and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok());
            opener.set_value(active);
            let _ = element.show_modal();
            // The browser focuses the first control; a dialog can name another (`autofocus` would
            // do it, but an embedding page's frame refuses it, with a console error).
            if let Some(first) = element.query_selector("[data-initial-focus]").ok().flatten().and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok()) {
                let _ = first.focus();
                // Focusing a control at the foot of a dialog taller than the window scrolled it
                // there: a short window opened the help on its last lines.
                element.set_scroll_top(0);
            }
        } else if !shown && element.open() {
            element.close();
        }
    });
    // Closed by Escape, by its own button or from outside: the same way back.
    let closed = move |_| {
        on_close.run(());
        if let Some(opener) = opener.get_value().filter(|o| o.is_connected()) {
            let _ = opener.focus();
        }
    };
    view! {
        <dialog node_ref=dialog class=format!("overlay-card {class}") aria-labelledby=labelledby on:close=closed>
            {children()}
        </dialog>
    }
}
