//! The editing panel beside the stage. Closed by default so the class sees the whole diagram;
//! the lecturer opens it with its button or `E`, and the stage makes room for it.

use leptos::prelude::*;

use crate::ui::panel::group_admin::GroupAdmin;
use crate::ui::panel::produce_settings::ProduceSettings;
use crate::ui::panel::session_admin::SessionAdmin;
use crate::ui::panel::stream_settings::StreamSettings;
use crate::ui::panel::topic_admin::TopicAdmin;

/// Whether the editing panel is open; shared by its toggle button, the `E` key and the layout.
#[derive(Clone, Copy)]
pub struct PanelOpen(pub RwSignal<bool>);

impl PanelOpen {
    pub fn toggle(&self) {
        self.0.update(|open| *open = !*open);
    }
}

/// The button that opens and closes the panel (`aria-expanded` tells screen readers its state).
#[component]
pub fn PanelToggle() -> impl IntoView {
    let open = expect_context::<PanelOpen>();
    view! {
        <button type="button" class="panel-toggle" aria-controls="edit-panel" aria-keyshortcuts="E"
            aria-expanded=move || open.0.get().to_string() on:click=move |_| open.toggle()>
            "Edit"
        </button>
    }
}

/// Keyboard focus follows the panel: onto the panel when it opens (it comes last in the page,
/// thirty Tabs away; one Tab from there is its first field), and back to the Edit button when it
/// closes with the focus inside (which would otherwise fall to the page). The panel itself, not
/// its first field: a presenter's Page Down and arrows kept working after E only from there (a
/// focused select swallows them, or worse, takes Page Down as a new topic).
#[component]
pub fn SidePanel() -> impl IntoView {
    let open = expect_context::<PanelOpen>();
    let panel = NodeRef::<leptos::html::Aside>::new();
    Effect::new(move |was_open: Option<bool>| {
        let now_open = open.0.get();
        let Some(aside) = panel.get() else { return now_open };
        let document = document();
        match (was_open, now_open) {
            // It opens at its top, Record to produce (a lesson's task asks for its fields),
            // wherever it was scrolled to before; "+ group" then moves on to Add group.
            (Some(false), true) => {
                aside.set_scroll_top(0);
                let _ = aside.focus();
            }
            (Some(true), false) => {
                let inside = document.active_element().is_none_or(|a| aside.contains(Some(&a)) || document.body().is_some_and(|b| a == *b.as_ref()));
                if inside {
                    if let Some(toggle) = document.query_selector(".panel-toggle").ok().flatten() {
                        let _ = wasm_bindgen::JsCast::unchecked_into::<web_sys::HtmlElement>(toggle).focus();
                    }
                }
            }
            _ => {}
        }
        now_open
    });
    view! {
        <aside id="edit-panel" class="side-panel" aria-label="Editing panel" tabindex="-1" node_ref=panel hidden=move || !open.0.get()>
            <ProduceSettings/>
            <StreamSettings/>
            <TopicAdmin/>
            <GroupAdmin/>
            <SessionAdmin/>
        </aside>
    }
}
