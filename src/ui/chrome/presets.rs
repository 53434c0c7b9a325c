//! The sandbox scenes: one button per course example.

use leptos::prelude::*;

use crate::scene::{Source, SCENES};
use crate::state::use_sim;
use crate::ui::chrome::controls::Playback;
use crate::ui::chrome::notice::use_notice;

#[component]
pub fn Presets() -> impl IntoView {
    let sim = use_sim();
    let playback = expect_context::<Playback>();
    let notice = use_notice();
    view! {
        <nav class="presets" aria-label="Scenarios">
            {SCENES
                .iter()
                .enumerate()
                .map(|(i, entry)| {
                    let active = move || sim.with_state(|s| s.source == Source::Scene(i));
                    view! {
                        <button type="button" aria-pressed=move || active().to_string() on:click=move |_| {
                            playback.pause();
                            notice.report(sim.load(Source::Scene(i)).err().map(|e| e.to_string()));
                        }>{entry.title}</button>
                    }
                })
                .collect_view()}
        </nav>
    }
}
