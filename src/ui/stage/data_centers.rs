//! The cluster's three data centers, each with its broker and the partitions that broker leads.

use leptos::prelude::*;

use crate::state::use_stage;
use crate::ui::palette::with_partition;

#[component]
pub fn DataCenters() -> impl IntoView {
    let stage = use_stage();
    let brokers = Memo::new(move |_| stage.with(|v| v.brokers.clone()));
    view! {
        <ul class="data-centers" aria-label="Brokers">
            {move || brokers.get().into_iter().map(|b| view! {
                <li class="data-center">
                    <span class="dc-name">{format!("data center {}", b.rack)}</span>
                    <span class="broker-name">{format!("Broker {}", b.id)}</span>
                    <span class="broker-leads" aria-label=format!("Broker {} leads", b.id)>
                        {b.leads.into_iter().map(|tp| view! {
                            <span class=with_partition("chip", tp.partition) title=format!("leader of {tp}")>{format!("P{}", tp.partition)}</span>
                        }).collect_view()}
                    </span>
                </li>
            }).collect_view()}
        </ul>
    }
}
