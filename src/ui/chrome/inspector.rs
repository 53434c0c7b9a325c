//! The record inspector: everything Kafka stores about one record.

use kafkascope_engine::{Record, Simplification};
use leptos::prelude::*;

use crate::format::{bytes_as_text, hex, iso_time, key_as_text, key_on_lane, pretty_value};
use crate::state::use_sim;
use crate::ui::modal::Modal;

/// Which record is open: (topic, partition, offset), a record's permanent address.
#[derive(Clone, Copy)]
pub struct Selection(pub RwSignal<Option<(String, u32, u64)>>);

impl Default for Selection {
    fn default() -> Self {
        Selection(RwSignal::new(None))
    }
}

#[component]
pub fn Inspector() -> impl IntoView {
    let sim = use_sim();
    let selection = expect_context::<Selection>().0;
    let record = move || {
        let (topic, partition, offset) = selection.get()?;
        sim.with(|s| {
            let record = s.log(&topic, partition)?.get(offset)?.clone();
            Some((topic, record, s.now_ms()))
        })
    };
    view! {
        <Modal open=Signal::derive(move || selection.with(Option::is_some)) on_close=Callback::new(move |_| selection.set(None)) labelledby="inspector-title" class="inspector">
            {move || record().map(|(topic, r, now)| view! {
                <h2 id="inspector-title">{format!("Record {}-{} @ offset {}", topic, r.partition, r.offset)}</h2>
                <RecordFields record=r now_ms=now/>
            })}
            <button type="button" on:click=move |_| selection.set(None)>"Close"</button>
        </Modal>
    }
}

#[component]
fn RecordFields(record: Record, now_ms: u64) -> impl IntoView {
    let age = crate::format::seconds(now_ms.saturating_sub(record.timestamp_ms));
    let headers = record.headers.clone();
    view! {
        <dl class="fields">
            <dt>"Offset"</dt><dd>{record.offset}</dd>
            <dt>"Partition"</dt><dd>{record.partition}</dd>
            <dt>"Timestamp"</dt>
            <dd>{format!("{} ({} s ago, {})", iso_time(record.timestamp_ms), age, record.timestamp_type.config_name())}</dd>
            <dt>"Key"</dt>
            <dd>
                // As it is, beside its bytes; but a key with quotes in it is spelled out, or the
                // key "null" (six characters) would read as the key null (four).
                <span class="mono">{match record.key.as_deref() {
                    quoted @ Some(k) if k.contains(&b'"') => key_on_lane(quoted),
                    key => key_as_text(key),
                }}</span>
                {record.key.as_ref().map(|k| view! { <span class="hex">{format!("hex: {}", hex(k))}</span> })}
            </dd>
            <dt>"Value"</dt><dd><pre class="value">{pretty_value(record.value.as_deref())}</pre></dd>
            <dt>"Headers"</dt>
            <dd>
                {if headers.is_empty() { "none".into_any() } else {
                    view! { <ol class="headers">{headers.into_iter().map(|h| view! {
                        <li><span class="mono">{h.key}</span>": "<span class="mono">{bytes_as_text(h.value.as_deref())}</span></li>
                    }).collect_view()}</ol> }.into_any()
                }}
            </dd>
            <dt>"Size"</dt>
            <dd>
                {format!("{} bytes (key + value + headers) ", record.size_bytes())}
                <span class="simplified">{Simplification::RecordSizeWithoutFraming.sentence()}</span>
            </dd>
        </dl>
    }
}
