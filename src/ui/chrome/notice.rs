//! The notice line: what went wrong when a link, a file or a saved session could not be opened,
//! in the engine's sentence, and that the stage kept its state. Announced to screen readers.

use leptos::prelude::*;

#[derive(Clone, Copy)]
pub struct Notice(pub RwSignal<Option<String>>);

impl Notice {
    pub fn new() -> Notice {
        Notice(RwSignal::new(None))
    }
    /// Shows a problem (or clears the line with `None`).
    pub fn report(&self, problem: Option<String>) {
        self.0.set(problem);
    }
}

impl Default for Notice {
    fn default() -> Self {
        Notice::new()
    }
}

pub fn use_notice() -> Notice {
    expect_context::<Notice>()
}

#[component]
pub fn NoticeLine() -> impl IntoView {
    let notice = use_notice();
    view! {
        <div class="notice" role="alert" hidden=move || notice.0.with(Option::is_none)>
            <p>{move || notice.0.get()}</p>
            <button type="button" class="small" on:click=move |_| { notice.report(None); crate::ui::chrome::controls::focus_play(); }>"Dismiss"</button>
        </div>
    }
}
