//! Producer services on the left of the stage, the partitioner's math, and the quick produce: a
//! key and Produce. The hash stage sits here because the partitioner runs in the producer
//! client: the broker receives a record already addressed to its partition.

use kafkascope_engine::view::ProducerView;
use kafkascope_engine::acknowledgement::SendState;
use kafkascope_engine::{Command, Partitioner, Setting, Simplification};
use leptos::prelude::*;

use crate::state::{use_sim, use_stage};
use crate::ui::panel::produce_draft::{use_draft, Destination};
use crate::ui::simplified::SimplifiedFolded;
use crate::ui::stage::hash_stage::HashStage;

/// Every producer service, then the quick produce.
#[component]
pub fn ProducerColumn() -> impl IntoView {
    let stage = use_stage();
    let ids = Memo::new(move |_| stage.with(|v| v.producers.iter().map(|p| p.client_id.clone()).collect::<Vec<_>>()));
    view! {
        <section class="column producer-column" aria-labelledby="producers-heading">
            // The producers' "Simplified" note shares the heading's row, as the brokers' does: at
            // the column's foot it was the line a 720 px projector cut in half.
            <div class="column-head">
                <h2 id="producers-heading" class="column-heading">"Producers"</h2>
                <SimplifiedFolded list=Signal::derive(|| vec![Simplification::ProducerBatches])/>
            </div>
            <For each=move || ids.get() key=|id| id.clone() children=move |id| view! { <ProducerBox client_id=id/> }/>
            // The flow reads downwards: a key typed here, its hash below, the partition beside.
            <QuickProduce/>
            <HashStage/>
        </section>
    }
}

/// What a producer's stream does, in a few words.
fn stream_summary(p: &ProducerView) -> String {
    if p.stream.rate_per_sec == 0 {
        "stream off".to_string()
    } else {
        format!("streams {}/s", p.stream.rate_per_sec)
    }
}

#[component]
fn ProducerBox(client_id: String) -> impl IntoView {
    let stage = use_stage();
    let id = StoredValue::new(client_id.clone());
    let producer = Memo::new(move |_| stage.with(|v| id.with_value(|id| v.producers.iter().find(|p| &p.client_id == id).cloned())));
    let streaming = move || producer.get().is_some_and(|p| p.stream.rate_per_sec > 0);
    // Sends waiting for their acknowledgement (the title says what each waits for).
    let waiting = Memo::new(move |_| {
        stage.with(|v| id.with_value(|id| v.producer_sessions.iter().find(|s| &s.client_id == id).map(|s| s.in_flight.iter().map(|f| f.state).collect::<Vec<_>>()).unwrap_or_default()))
    });
    let retrying = move || waiting.with(|w| w.iter().any(|s| matches!(s, SendState::Backoff { .. })));
    let no_leader = move || waiting.with(|w| w.contains(&SendState::NoLeader));
    view! {
        <article class="service producer" class:streaming=streaming aria-label=format!("Producer {client_id}") data-anchor=format!("producer:{client_id}")>
            <h3 class="service-name" title=client_id.clone()>{client_id.clone()}</h3>
            {move || producer.get().map(|p| view! {
                <p class="service-line secondary destination">{format!("→ {}", p.topic)}</p>
                <p class="service-line stream">{stream_summary(&p)}</p>
                {(p.stream.rate_per_sec > 0).then(|| view! { <p class="service-line muted secondary">{format!("keys: {}", p.stream.keys.name())}</p> })}
                // A stream's own partitioner, once it is not the Java default the math box assumes.
                {(p.stream.rate_per_sec > 0 && p.stream.partitioner != Partitioner::default())
                    .then(|| view! { <p class="service-line muted secondary">{p.stream.partitioner.name()}</p> })}
                <p class="service-line secondary">{format!("acks={}{} · sent\u{a0}{}", p.config.acks.name(), if p.config.enable_idempotence { " · idempotent" } else { "" }, p.sent)}</p>
            })}
            // One line for the sends that are not simply done, so a card with refusals does not
            // push the partitioner's last line out of a 720 px column.
            <p class="service-line sends">
                // Refused sends stay counted on the card: the narration tells each refusal once.
                {move || producer.get().filter(|p| p.refused > 0).map(|p| view! {
                    <span class="refused" title="streamed records the partition's leader refused and nothing was written: NotEnoughReplicas (fewer in-sync replicas than min.insync.replicas, with acks=all)">{format!("{} refused", p.refused)}</span>
                })}
                // The line keeps its place while empty, so the card (and Key, Produce and the
                // partitioner below it) does not jump on every send.
                // A send the leader refused (NotEnoughReplicas) waits to be retried, and one for a
                // partition without a leader waits for one: said on the card for as long as it
                // waits, not only in the narration.
                <span class="in-flight" class:idle=move || waiting.with(Vec::is_empty) class:retrying=move || retrying() || no_leader() title=move || waiting.with(|w| w.iter().map(SendState::describe).collect::<Vec<_>>().join("; "))>
                    {move || format!("{} in flight{}", waiting.with(Vec::len), if no_leader() { " · no leader" } else if retrying() { " · retrying" } else { "" })}
                </span>
            </p>
        </article>
    }
}

/// How long typing in the Key field pauses before a screen reader is told where the key lands.
const TYPING_PAUSE: std::time::Duration = std::time::Duration::from_millis(700);

/// Key and Produce, always on stage; the rest of the record is set in the editing panel.
#[component]
fn QuickProduce() -> impl IntoView {
    let sim = use_sim();
    let stage = use_stage();
    let draft = use_draft();
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        stage.with_untracked(|v| draft.produce(sim, v));
    };
    // A load clears a partition named in the form, and a scene or lesson that sends keyed
    // records puts its first key in the field when it loads
    // (a key its partitioner placed):
    // in the key-ordering demo, Produce sends one more update of the same user, and the hint
    // says before it goes that it lands where the others did (no UUID to type in front of a
    // class). A scene without keys leaves the field as it was.
    let loads = Memo::new(move |_| sim.with_state(|s| s.loads));
    Effect::new(move |_| {
        // Read, not only tracked: a memo nobody has read is never computed, so it would never
        // notice a load.
        let _load = loads.get();
        let key = sim.with_state_untracked(|s| {
            // A reload restores the key last typed (kept with the draft), not the session's first.
            if s.source == crate::scene::Source::Restored {
                return None;
            }
            let own = &s.history.commands()[..s.history.authored().min(s.history.len())];
            own.iter().find_map(|c| match c {
                // Only a key the partitioner placed: one sent to a named partition (the topics
                // lesson's first records, all in partition 0) would land elsewhere when sent again.
                Command::Produce(r) if r.partition.is_none() => r.key.as_ref().and_then(|k| std::str::from_utf8(k).ok()).filter(|k| !k.is_empty()).map(str::to_string),
                _ => None,
            })
        });
        if let Some(key) = key {
            draft.key.set(key);
        }
        // A partition named for one lesson's task must not place the next lesson's records
        // unseen (its "let the key decide" task would refuse every key).
        draft.partition.set(String::new());
    });
    // Where a typed record would go: one reading a tick for the hint, its short form and its colour.
    let destination = Memo::new(move |_| stage.with(|v| draft.destination(v)));
    let hint = Memo::new(move |_| {
        let to = destination.get();
        stage.with(|v| match to {
            // Step 0 of a demo that creates its topic later: not a to-do for the class to read.
            Destination::NoTopic if sim.with_state(|s| s.history.commands()[s.history.cursor()..].iter().any(|c| matches!(c, Command::CreateTopic { .. }))) => {
                "No topic yet: a later step of this timeline creates one.".to_string()
            }
            Destination::NoTopic => "No topic yet: add one in Edit → Topics (Add topic).".to_string(),
            // "next", because the partitioner box below shows the last send's math. The topic
            // is named once there is a choice (the producer's card names the only one).
            to if v.topics.len() > 1 => format!("next send, to {}: {}", draft.topic_in(v), to.hint()),
            to => format!("next send: {}", to.hint()),
        })
    });
    let refused = Memo::new(move |_| destination.with(Destination::refused));
    let short = Memo::new(move |_| destination.with(Destination::short));
    // Screen readers hear where the key lands once typing in the field pauses (not a partition
    // per keystroke, nor a key a scene put there), and a send that would be refused at once,
    // whatever made it so (a partition named in the editing panel, a topic gone).
    let said = RwSignal::new(String::new());
    let typed = StoredValue::new(0_u32);
    let typing = move |_| {
        typed.update_value(|n| *n = n.wrapping_add(1));
        let now = typed.get_value();
        set_timeout(move || if typed.try_get_value() == Some(now) { said.set(hint.get_untracked()) }, TYPING_PAUSE);
    };
    Effect::new(move |was: Option<bool>| {
        let now = refused.get();
        if now && was == Some(false) {
            said.set(hint.get_untracked());
        }
        now
    });
    view! {
        <form class="quick-produce produce-form" aria-label="Produce a record" on:submit=submit data-anchor="producer:console-producer">
            // Where the column is short the hint's line gives way, and this says where the key
            // lands beside the label, on a line the column has anyway.
            <div class="key-row">
                <label for="produce-key">"Key"</label>
                {move || short.get().map(|(to, partition)| view! {
                    <span class="key-dest" aria-hidden="true">"next → "<span class=partition.map_or("picked".to_string(), |p| crate::ui::palette::with_partition("chip", p))>{to}</span></span>
                })}
            </div>
            // A one-line field turns a pasted key's line breaks into spaces (or drops them), so
            // the key hashed is not the key copied: say so rather than send another key silently.
            <input id="produce-key" type="text" spellcheck="false" autocomplete="off" aria-describedby="produce-key-hint" bind:value=draft.key on:input=typing
                on:paste=move |ev: leptos::ev::ClipboardEvent| {
                    if ev.clipboard_data().and_then(|d| d.get_data("text").ok()).is_some_and(|t| t.contains(['\n', '\r'])) {
                        draft.error.set(Some("The pasted key's line breaks became spaces: it is not the key you copied.".into()));
                    }
                }/>
            <div class="quick-buttons">
                <button type="button" on:click=move |_| draft.new_product()>"New UUID"</button>
                <button type="submit" class="primary">"Produce"</button>
            </div>
            // Where this key will land, before anything is sent. The field is described by it.
            <p class="hint" id="produce-key-hint" class:warning=refused>{hint}</p>
            <p class="visually-hidden" aria-live="polite">{said}</p>
            <p class="error" role="alert">{move || draft.error.get()}</p>
        </form>
    }
}
