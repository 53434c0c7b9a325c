//! The page: presets and playback on top, then producer | Kafka cluster | consumer groups.

use leptos::prelude::*;

use crate::state::SimHandle;
use crate::ui::brokers::Brokers;
use crate::ui::consumers::ConsumerGroups;
use crate::ui::controls::{Controls, Playback};
use crate::ui::hash_stage::HashStage;
use crate::ui::help::HelpOverlay;
use crate::ui::inspector::{Inspector, Selection};
use crate::ui::narration::Narration;
use crate::ui::presets::Presets;
use crate::ui::produce_form::ProduceForm;
use crate::ui::topic_controls::AddTopicForm;
use crate::ui::topic_view::Topics;

/// The app on the default scene.
#[component]
pub fn App() -> impl IntoView {
    view! { <Shell sim=SimHandle::new()/> }
}

/// The whole page around a given simulation handle (tests mount it on prepared histories).
#[component]
pub fn Shell(sim: SimHandle) -> impl IntoView {
    provide_context(sim);
    provide_context(Selection::default());
    let playback = Playback::new();
    provide_context(playback);
    // Animations last a fraction of one step at the current speed, so a record finishes moving
    // before the next tick moves it again (the view interpolates between engine ticks).
    let step_ms = move || format!("--step-ms: {}ms", 1000 / playback.speed.get().max(1));
    view! {
        <div class="app" style=step_ms>
        <header class="masthead">
            <h1>"Kafkascope"</h1>
            <Presets/>
        </header>
        <Controls/>
        <Narration/>
        <main class="stage">
            <section class="column producer-column" aria-labelledby="producer-heading">
                <ProduceForm/>
            </section>
            <section class="column cluster-column" aria-labelledby="cluster-heading">
                <h2 id="cluster-heading">"Kafka cluster"</h2>
                <Brokers/>
                <p class="simplified">"one replica per partition, so high watermark = log end offset"</p>
                <HashStage/>
                <Topics/>
                <AddTopicForm/>
            </section>
            <section class="column consumers-column" aria-labelledby="consumers-heading">
                <h2 id="consumers-heading">"Consumer groups"</h2>
                <ConsumerGroups/>
            </section>
        </main>
        <Inspector/>
        <HelpOverlay/>
        </div>
    }
}
