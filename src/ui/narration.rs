//! The narration line: the latest step in words, announced to screen readers.

use kafkascope_engine::Event;
use leptos::prelude::*;

use crate::format::{bytes_as_text, short};
use crate::state::use_sim;

/// One sentence for the events of a step.
pub fn narrate(events: &[Event]) -> String {
    let mut key = None;
    for event in events {
        match event {
            Event::Produced { choice, .. } => {
                key = Some(match choice {
                    kafkascope_engine::partitioner::PartitionChoice::KeyHash(t) => {
                        format!("key {} hashed to partition {}", short(&bytes_as_text(Some(&t.key_bytes)), 8), t.partition)
                    }
                    other => format!("null key sent to partition {}", other.partition()),
                });
            }
            Event::Appended { partition, offset, .. } => {
                let how = key.take().unwrap_or_else(|| format!("partition {partition}"));
                return format!("ProductCreatedEvent {how}, appended at offset {offset}.");
            }
            _ => {}
        }
    }
    "Ready. Type a key and press Produce.".to_string()
}

#[component]
pub fn Narration() -> impl IntoView {
    let sim = use_sim();
    let text = move || sim.with_state(|s| narrate(&s.last_events));
    view! { <p class="narration" role="status" aria-live="polite">{text}</p> }
}
