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

#[component]
pub fn SidePanel() -> impl IntoView {
    let open = expect_context::<PanelOpen>();
    view! {
        <aside id="edit-panel" class="side-panel" aria-label="Editing panel" hidden=move || !open.0.get()>
            <ProduceSettings/>
            <StreamSettings/>
            <TopicAdmin/>
            <GroupAdmin/>
            <SessionAdmin/>
        </aside>
    }
}
