//! The hash stage: the real partitioning math of the latest record, as a left-to-right pipeline
//! from the key's bytes to the partition. Every number comes from the engine's trace of the send.

use kafkascope_engine::partitioner::{HashAlgorithm, PartitionChoice, Unhashed};
use kafkascope_engine::{Partitioner, Setting};
use leptos::prelude::*;

use crate::format::{bytes_as_text, hex, short};
use crate::scene::event_name;
use crate::state::use_stage;
use crate::ui::palette::with_partition;
use crate::ui::simplified::SimplifiedFolded;

/// The steps of math shown for one partition choice, first to last, in the words of the client
/// whose partitioner made it.
pub fn explain(choice: &PartitionChoice, partitioner: Partitioner) -> Vec<String> {
    match choice {
        PartitionChoice::KeyHash(t) => {
            let name = t.algorithm.name();
            let mut lines = vec![
                if t.null_key { "null key: librdkafka hashes it as zero bytes".to_string() } else if t.key_bytes.is_empty() { "key \"\" (empty, not null)".to_string() } else {
                    let text = bytes_as_text(Some(&t.key_bytes));
                    format!("key \"{}\"", short(&crate::format::key_spelled_out(&text).unwrap_or(text), 12))
                },
                format!("UTF-8 bytes ({}): {}", t.key_bytes.len(), short(&hex(&t.key_bytes), 11)),
                format!("{name}(bytes) = {}", t.raw_hash),
            ];
            if t.algorithm == HashAlgorithm::Murmur2 {
                lines.push(format!("& 0x7fffffff = {}", t.positive));
            }
            lines.push(format!("% {} = partition {}", t.num_partitions, t.partition));
            lines
        }
        PartitionChoice::Sticky { partition, switched, unhashed } => vec![
            match unhashed {
                Unhashed::KeysIgnored => "partitioner.ignore.keys=true: the key is not hashed",
                Unhashed::EmptyTakenForNull => "key \"\" (empty): consistent_random treats it as null",
                Unhashed::NullKey => "null key: nothing to hash",
            }
            .to_string(),
            sticky_step(*partition, *switched, partitioner),
        ],
        PartitionChoice::Explicit { partition } => vec![format!("explicit partition {partition}: no hashing")],
        PartitionChoice::RoundRobin { partition, counter, of } => {
            let mut lines = vec![
                match partitioner {
                    Partitioner::RoundRobin => "RoundRobinPartitioner ignores keys",
                    _ => "null key: round-robin (Java up to 2.3)",
                }
                .to_string(),
                format!("counter = {counter}"),
            ];
            // Java's counter is an int: past 2^31 it turns negative, and the sign bit is cleared.
            if *counter < 0 {
                lines.push(format!("& 0x7fffffff = {}", kafkascope_engine::partitioner::to_positive(*counter)));
            }
            lines.push(format!("% {of} = partition {partition}"));
            lines
        }
        PartitionChoice::Random { partition } => vec![format!("librdkafka random: partition {partition}")],
    }
}

/// Why a keyless record stayed on, or moved off, its sticky partition: Java clients switch when
/// a batch is full (`batch.size`), librdkafka when `sticky.partitioning.linger.ms` has passed.
fn sticky_step(partition: u32, switched: bool, partitioner: Partitioner) -> String {
    match (partitioner, switched) {
        (Partitioner::Librdkafka(_), true) => format!("partition {partition} picked at random, kept for sticky.partitioning.linger.ms"),
        (Partitioner::Librdkafka(_), false) => format!("within sticky.partitioning.linger.ms: stays on partition {partition}"),
        (Partitioner::JavaSticky, true) => format!("new batch: a different partition, {partition}, picked at random"),
        (_, true) => format!("new batch: partition {partition} picked at random"),
        (_, false) => format!("batch not full yet (batch.size): stays on partition {partition}"),
    }
}

#[component]
pub fn HashStage() -> impl IntoView {
    let stage = use_stage();
    // The latest send stays on screen while time passes; stepping back shows the one before.
    let latest = Memo::new(move |_| stage.with(|v| v.last_send.clone()));
    view! {
        <section class="hash-stage" aria-label="Hash stage" data-anchor="hash">
            // The last record sent, not the one in the Key field above: that one's partition is
            // in the line under the field, which says "next send" so that a class does not read
            // the two as one calculation. The heading says so too: while a stream runs, a key
            // sent by hand gives way to the stream's next record within a tick.
            <h3 class="column-heading">"Partitioner"<span class="heading-aside">" · last send"</span></h3>
            {move || match latest.get() {
                Some(send) => {
                    let what = format!(
                        "{} · key {} · value {}",
                        event_name(&send.topic),
                        short(&crate::format::key_on_lane(send.key.as_deref()), 12),
                        short(&bytes_as_text(send.value.as_deref()), 40)
                    );
                    let record = format!("{} → partition {}, offset {}", event_name(&send.topic), send.partition, send.offset);
                    let lines = explain(&send.choice, send.partitioner);
                    let last = lines.len() - 1;
                    view! {
                        <p class="sent" title=what.clone()>{record}</p>
                        <p class="visually-hidden">{what}</p>
                        <p class="muted partitioner-name">{send.partitioner.name()}</p>
                        <ol class="math">
                            {lines.into_iter().enumerate().map(|(i, l)| {
                                let class = if i == last { with_partition("result", send.partition) } else { String::new() };
                                view! { <li class=class>{l}</li> }
                            }).collect_view()}
                        </ol>
                        // Folded: the column is narrow, and the math must stay in view above it.
                        <SimplifiedFolded list=send.simplifications.clone()/>
                    }.into_any()
                }
                None => view! {
                    // A line break allowed after "toPositive(": in the narrow column beside the
                    // editing panel the formula broke mid-name ("mur" / "mur2").
                    <p class="sent muted idle">"toPositive("<wbr/>"murmur2(key bytes)) % partitions: produce a record to see the math."</p>
                }.into_any(),
            }}
        </section>
    }
}
