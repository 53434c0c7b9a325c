//! Scenario presets: one button per course example.

use leptos::prelude::*;

use crate::scene::Preset;
use crate::state::use_sim;
use crate::ui::chrome::controls::Playback;

#[component]
pub fn Presets() -> impl IntoView {
    let sim = use_sim();
    let playback = expect_context::<Playback>();
    view! {
        <nav class="presets" aria-label="Scenarios">
            {Preset::ALL
                .into_iter()
                .map(|preset| {
                    let active = move || sim.with_state(|s| s.preset == preset);
                    view! {
                        <button type="button" aria-pressed=move || active().to_string() on:click=move |_| {
                            playback.pause();
                            sim.load(preset);
                        }>{preset.name()}</button>
                    }
                })
                .collect_view()}
        </nav>
    }
}
