//! The cluster's brokers, one per data center, with the partitions each one leads.

use leptos::prelude::*;

use crate::state::use_sim;
use crate::ui::palette::partition_style;

#[component]
pub fn Brokers() -> impl IntoView {
    let sim = use_sim();
    let rows = move || {
        sim.with(|s| {
            s.brokers()
                .iter()
                .map(|b| {
                    let led: Vec<(String, u32)> = s
                        .topics()
                        .values()
                        .flat_map(|t| t.leaders.iter().enumerate().filter(|(_, l)| **l == b.id).map(move |(p, _)| (t.name.clone(), p as u32)))
                        .collect();
                    (b.id, b.rack.clone(), led)
                })
                .collect::<Vec<_>>()
        })
    };
    view! {
        <ul class="brokers" aria-label="Brokers">
            {move || rows().into_iter().map(|(id, rack, led)| view! {
                <li class="broker">
                    <span class="broker-name">{format!("Broker {id}")}</span>
                    <span class="muted">{format!("· data center {rack}")}</span>
                    <span class="broker-leads">
                        {led.into_iter().map(|(topic, p)| view! {
                            <span class="chip" title=format!("leader of {topic}-{p}") style=partition_style(p)>{format!("P{p}")}</span>
                        }).collect_view()}
                    </span>
                </li>
            }).collect_view()}
        </ul>
    }
}
