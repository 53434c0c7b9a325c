//! The page: producer on the left, the Kafka cluster's topic in the middle, narration on top.

use leptos::prelude::*;

use crate::scene::PRODUCT_TOPIC;
use crate::state::SimHandle;
use crate::ui::hash_stage::HashStage;
use crate::ui::narration::Narration;
use crate::ui::produce_form::ProduceForm;
use crate::ui::topic_view::TopicView;

#[component]
pub fn App() -> impl IntoView {
    provide_context(SimHandle::new());
    view! {
        <header class="masthead">
            <h1>"Kafkascope"</h1>
            <p class="tagline">"Keys are hashed into partitions; each partition is an append-only log."</p>
        </header>
        <Narration/>
        <main class="stage">
            <section class="column producer-column" aria-labelledby="producer-heading">
                <h2 id="producer-heading">"Products microservice"</h2>
                <ProduceForm topic=PRODUCT_TOPIC/>
            </section>
            <section class="column cluster-column" aria-labelledby="cluster-heading">
                <h2 id="cluster-heading">"Kafka cluster"</h2>
                <HashStage/>
                <TopicView topic=PRODUCT_TOPIC/>
            </section>
        </main>
    }
}
