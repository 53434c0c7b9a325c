//! The page: a header (scenarios, editing panel, help), playback controls, the stage (producers
//! → Kafka cluster → consumer groups) filling the rest of the screen, and the narration below it
//! like a subtitle. The editing panel opens at the right and the stage makes room for it.

use leptos::prelude::*;

use crate::state::{SimHandle, StageView};
use crate::ui::chrome::controls::{Controls, Playback};
use crate::ui::chrome::help::{Blank, HelpButton, HelpOverlay};
use crate::ui::chrome::lesson_bar::LessonBar;
use crate::ui::chrome::session::{embedded, CopyLink, LessonMenu, SessionKeeper, Theme, ThemeToggle};
use crate::ui::chrome::inspector::{Inspector, Selection};
use crate::ui::chrome::narration::Narration;
use crate::ui::chrome::notice::{Notice, NoticeLine};
use crate::ui::chrome::presets::Presets;
use crate::ui::chrome::script_aside::{ReplacedAside, ScriptAside};
use crate::ui::panel::produce_draft::ProduceDraft;
use crate::ui::panel::side_panel::{PanelOpen, PanelToggle, SidePanel};
use crate::ui::stage::consumer_groups::ConsumerGroups;
use crate::ui::stage::data_centers::DataCenters;
use crate::ui::stage::flight::FlightLayer;
use crate::ui::stage::producers::ProducerColumn;
use crate::ui::stage::recent::RecentActivity;
use crate::ui::stage::topic_view::Topics;

/// Steps this short or shorter play without gliding (see `.app.fast` in the style sheet).
pub const FAST_STEP_MS: u32 = 200;

/// The app on the default scene.
#[component]
pub fn App() -> impl IntoView {
    view! { <Shell sim=SimHandle::new()/> }
}

/// The whole page around a given simulation handle (tests mount it on prepared histories).
#[component]
pub fn Shell(sim: SimHandle) -> impl IntoView {
    provide_context(sim);
    provide_context(StageView::new(sim));
    provide_context(RecentActivity::new(sim));
    provide_context(Selection::default());
    provide_context(ProduceDraft::new());
    provide_context(Notice::new());
    provide_context(crate::ui::chrome::lesson_bar::ContinueOffered::default());
    let panel = PanelOpen(RwSignal::new(false));
    provide_context(panel);
    let theme = Theme::new();
    provide_context(theme);
    let embed = embedded();
    let playback = Playback::new();
    provide_context(playback);
    // Animations last a share of one step at the current speed, so a record finishes moving
    // before the next tick moves it again (the view interpolates between engine ticks).
    let step_ms = Signal::derive(move || 1000 / playback.speed.get().max(1));
    let step_length = move || format!("{}ms", step_ms.get());
    view! {
        <div class="app" class:panel-open=move || panel.0.get() class:fast=move || step_ms.get() <= FAST_STEP_MS
            class:projector=move || theme.0.get() class:embedded=embed style=("--step-ms", step_length)>
            <SessionKeeper/>
            <header class="masthead">
                <h1>"Kafkascope"</h1>
                <LessonMenu/>
                <Presets/>
                <div class="masthead-actions">
                    <PanelToggle/>
                </div>
            </header>
            <Controls>
                <div class="controls-actions">
                    <CopyLink/>
                    <ThemeToggle/>
                    <HelpButton/>
                </div>
            </Controls>
            <main class="stage">
                <ProducerColumn/>
                <section class="column cluster-column" aria-labelledby="cluster-heading">
                    <h2 id="cluster-heading" class="column-heading">"Kafka cluster"</h2>
                    <DataCenters/>
                    <Topics/>
                </section>
                <ConsumerGroups/>
            </main>
            <SidePanel/>
            <div class="bottom">
                <NoticeLine/>
                <ScriptAside/>
                <ReplacedAside/>
                <LessonBar/>
                <Narration/>
            </div>
            <FlightLayer step_ms=step_ms/>
            <Inspector/>
            <HelpOverlay/>
            <Blank/>
        </div>
    }
}
