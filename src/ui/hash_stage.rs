//! The hash stage: the real partitioning math for the latest record, step by step.

use kafkascope_engine::partitioner::{HashAlgorithm, PartitionChoice};
use kafkascope_engine::Event;
use leptos::prelude::*;

use crate::format::{bytes_as_text, hex, short};
use crate::scene::event_name;
use crate::state::use_sim;
use crate::ui::palette::partition_style;

/// The lines of math shown for one partition choice.
pub fn explain(choice: &PartitionChoice) -> Vec<String> {
    match choice {
        PartitionChoice::KeyHash(t) => {
            let name = match t.algorithm {
                HashAlgorithm::Murmur2 => "murmur2",
                HashAlgorithm::Crc32 => "crc32",
                HashAlgorithm::Fnv1a => "fnv1a",
            };
            let mut lines = vec![
                format!("key \"{}\"", short(&bytes_as_text(Some(&t.key_bytes)), 40)),
                format!("UTF-8 bytes: {}", short(&hex(&t.key_bytes), 48)),
                format!("{name}(bytes) = {}", t.raw_hash),
            ];
            if t.algorithm == HashAlgorithm::Murmur2 {
                lines.push(format!("{} & 0x7fffffff = {}", t.raw_hash, t.positive));
            }
            lines.push(format!("{} % {} = partition {}", t.positive, t.num_partitions, t.partition));
            lines
        }
        PartitionChoice::Sticky { partition, switched } => vec![
            "null key: nothing to hash".to_string(),
            if *switched {
                format!("sticky partitioner picked partition {partition} at random")
            } else {
                format!("batch not full yet: stays on sticky partition {partition}")
            },
        ],
        PartitionChoice::Explicit { partition } => vec![format!("explicit partition {partition}: no hashing")],
        PartitionChoice::RoundRobin { partition, counter } => vec![format!("round-robin counter {counter} → partition {partition}")],
        PartitionChoice::Random { partition } => vec![format!("random partition {partition}")],
    }
}

#[component]
pub fn HashStage() -> impl IntoView {
    let sim = use_sim();
    // The latest send stays on screen while time passes; stepping back shows the one before.
    let latest = move || {
        sim.with(|s| {
            let send = s.last_send()?;
            let record = s.log(&send.topic, send.partition)?.get(send.offset)?;
            let what = format!(
                "{} · key {} · value {}",
                event_name(&send.topic),
                short(&bytes_as_text(record.key.as_deref()), 12),
                short(&bytes_as_text(record.value.as_deref()), 40)
            );
            Some((what, explain(&send.choice)))
        })
    };
    // The record token re-mounts (and so re-animates) on every produce.
    let token = move || {
        sim.with_state(|s| {
            s.last_events.iter().find_map(|e| match e {
                Event::Appended { partition, offset, .. } => Some((*partition, *offset)),
                _ => None,
            })
        })
    };
    view! {
        <section class="hash-stage" aria-label="Hash stage">
            <h3>"Partitioner"</h3>
            {move || token().map(|(p, o)| view! {
                <p class="flight" style=partition_style(p)>
                    {format!("record → partition {p}, offset {o}")}
                </p>
            })}
            {move || match latest() {
                Some((what, lines)) => view! {
                    <p class="sent">{what}</p>
                    <ol class="math">{lines.into_iter().map(|l| view! { <li>{l}</li> }).collect_view()}</ol>
                }.into_any(),
                None => view! { <p class="muted">"toPositive(murmur2(key)) % partitions: produce a record to see it."</p> }.into_any(),
            }}
        </section>
    }
}
