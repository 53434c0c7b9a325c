//! Consumer group administration: each group's assignor, commit mode and processing rate, its
//! lag table (Partition, Consumer, Position, Committed, HW, Lag: kafka-ui's columns, its "end
//! offset" named for what it is, the high watermark), and Delete group (once it has no
//! consumers, as Kafka requires).

use kafkascope_engine::view::GroupView;
use kafkascope_engine::{AssignorKind, Command, CommitMode, GroupConfig, OffsetReset};
use leptos::prelude::*;

use crate::state::{use_sim, use_stage};
use crate::ui::choice_select::ChoiceSelect;
use crate::ui::panel::{create_named, number_field, number_text, parse_count, topic_pick, TopicSelect};
use crate::ui::palette::with_partition;

/// Every group's settings, in name order, and a form to start a new group.
#[component]
pub fn GroupAdmin() -> impl IntoView {
    let stage = use_stage();
    let names = Memo::new(move |_| stage.with(|v| v.groups.iter().map(|g| g.name.clone()).collect::<Vec<_>>()));
    view! {
        <For each=move || names.get() key=|g| g.clone() children=move |g| view! { <GroupSettings group=g/> }/>
        <AddGroupForm/>
    }
}

/// "Add group": a consumer in a group that does not exist yet creates it, subscribed to a topic.
#[component]
fn AddGroupForm() -> impl IntoView {
    let sim = use_sim();
    let stage = use_stage();
    let name = RwSignal::new(String::new());
    let error = sim.form_error();
    // By default the topic the first producer writes to: a new group usually reads what is sent.
    let (picked, topic) = topic_pick(|v| v.producers.first().map(|p| p.topic.clone()));
    // auto.offset.reset for a group with nothing committed: Kafka's default reads only what is
    // sent from now on, which surprises anyone who expected the records already in the log.
    let earliest = RwSignal::new(false);
    // session.timeout.ms: how long a crashed consumer keeps its partitions. Kafka's 45 s is a
    // long wait in front of a class (the scenes use 6 s); empty keeps Kafka's default.
    let session = RwSignal::new(String::new());
    let session_field = number_field(move || session.get());
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let group = name.get_untracked().trim().to_string();
        if group.is_empty() {
            return error.set(Some("Type the new group's group.id, for example email-notification-service.".into()));
        }
        if stage.with_untracked(|v| v.groups.iter().any(|g| g.name == group)) {
            // Joining it would add a second consumer named like its first; its + button names instances.
            return error.set(Some(format!("Group '{group}' already exists: use the + button on its box to add a consumer to it.")));
        }
        let Some(topic) = topic.get_untracked() else {
            return error.set(Some("Create a topic first: a consumer must subscribe to one.".into()));
        };
        let default = GroupConfig::default();
        let session_timeout_ms = match session.get_untracked().trim() {
            "" => default.session_timeout_ms,
            t => match parse_count(t) {
                Some(ms) => u64::from(ms),
                None => return error.set(Some(format!("Type session.timeout.ms as a whole number of milliseconds, for example 6000, or leave it empty for Kafka's {}.", default.session_timeout_ms))),
            },
        };
        let short = group.split('-').next().filter(|s| !s.is_empty()).unwrap_or("consumer").to_string();
        let command = Command::AddConsumer { group: group.clone(), client_id: format!("{short}-1"), group_instance_id: None, topics: vec![topic] };
        // From the earliest offset: the group is created with that setting first (a consumer
        // joining a group that does not exist creates it with Kafka's defaults).
        let auto_offset_reset = if earliest.get_untracked() { OffsetReset::Earliest } else { default.auto_offset_reset };
        if auto_offset_reset != default.auto_offset_reset || session_timeout_ms != default.session_timeout_ms {
            let config = GroupConfig { auto_offset_reset, session_timeout_ms, ..default };
            if let Err(e) = sim.apply(Command::CreateGroup { group, config }) {
                return error.set(Some(e.to_string()));
            }
        }
        create_named(sim, command, name, error);
        if error.with_untracked(Option::is_none) {
            session.set(String::new());
        }
    };
    view! {
        <form class="panel-section add-group" aria-label="Add group" on:submit=submit on:input=move |_| error.set(None)>
            <label for="new-group-name">"New group.id"</label>
            <input id="new-group-name" type="text" spellcheck="false" autocomplete="off" bind:value=name/>
            <TopicSelect id="new-group-topic" label="Subscribes to" picked=picked topic=topic/>
            <label for="new-group-reset">"Starts at (auto.offset.reset)"</label>
            <select id="new-group-reset" prop:value=move || if earliest.get() { "earliest" } else { "latest" }
                on:change=move |ev| earliest.set(event_target_value(&ev) == "earliest")>
                <option value="latest">"latest: only records sent from now on (Kafka's default)"</option>
                <option value="earliest">"earliest: every record the log still holds"</option>
            </select>
            <label for="new-group-session">"session.timeout.ms (a crashed consumer keeps its partitions this long)"</label>
            <input id="new-group-session" type="number" min="1" step="1" placeholder="45000, Kafka's default" node_ref=session_field
                on:input=move |ev| session.set(number_text(&ev))/>
            <button type="submit">"Add group"</button>
            <p class="error" role="alert">{move || error.get()}</p>
        </form>
    }
}

/// A group's part of the stage snapshot, or `None` once the group is gone (a scene change).
pub fn group_memo(group: StoredValue<String>) -> Memo<Option<GroupView>> {
    let stage = use_stage();
    Memo::new(move |_| stage.with(|v| group.with_value(|g| v.groups.iter().find(|x| &x.name == g).cloned())))
}

fn dash(n: Option<u64>) -> String {
    n.map_or("—".to_string(), |n| n.to_string())
}

#[component]
fn GroupSettings(group: String) -> impl IntoView {
    let sim = use_sim();
    let name = StoredValue::new(group.clone());
    let view_of = group_memo(name);
    let error = sim.form_error();
    let run = move |command: Command| error.set(sim.apply(command).err().map(|e| e.to_string()));
    let assignor = Signal::derive(move || view_of.get().map(|g| g.assignor).unwrap_or_default());
    let mode = Signal::derive(move || view_of.get().map(|g| g.commit_mode).unwrap_or_default());
    let rate = move || view_of.get().and_then(|g| g.processing_rate).map(|r| r.to_string()).unwrap_or_default();
    let rows = move || view_of.get().map(|g| g.partitions).unwrap_or_default();
    let stats = move || {
        view_of.get().and_then(|g| g.delivery).map(|d| format!("processed {} · redelivered {} · lost {} · deleted unread {}", d.processed, d.redelivered, d.lost, d.skipped))
    };
    let rate_id = format!("processing-rate-{group}");
    view! {
        <section class="panel-section group-settings" aria-label=format!("Settings of {group}")>
            <h2>{group.clone()}</h2>
            <div class="group-controls">
                <ChoiceSelect label="Assignor" current=assignor
                    on_pick=Callback::new(move |assignor: AssignorKind| run(Command::SetAssignor { group: name.get_value(), assignor }))/>
                <ChoiceSelect label="Commit mode" current=mode
                    on_pick=Callback::new(move |mode: CommitMode| run(Command::SetCommitMode { group: name.get_value(), mode }))/>
            </div>
            {move || view_of.get().map(|g| g.simplifications).unwrap_or_default().into_iter().map(|s| view! { <p class="simplified">{s.sentence()}</p> }).collect_view()}
            <div class="field-row">
                <label for=rate_id.clone()>"Processing rate (records/s per instance)"</label>
                <input id=rate_id type="number" min="0" placeholder="as fast as it polls" prop:value=rate
                    on:change=move |ev| {
                        let text = number_text(&ev);
                        let rate = match text.trim() {
                            "" => None,
                            t => match parse_count(t) {
                                Some(r) => Some(r),
                                None => return error.set(Some("Type a whole number of records per second, or leave it empty.".into())),
                            },
                        };
                        run(Command::SetProcessingRate { group: name.get_value(), rate });
                    }/>
            </div>
            <table class="lag">
                <caption>{format!("Lag of {group}")}</caption>
                <thead><tr><th>"Partition"</th><th>"Consumer"</th><th>"Position"</th><th>"Committed"</th><th><abbr title="high watermark: the end a consumer can read to (kafka-consumer-groups.sh prints it as LOG-END-OFFSET)">"HW"</abbr></th><th>"Lag"</th></tr></thead>
                <tbody>
                    {move || rows().into_iter().map(|r| view! {
                        <tr>
                            <td><span class=with_partition("chip", r.partition.partition) title=r.partition.to_string()>{format!("P{}", r.partition.partition)}</span></td>
                            <td>{r.owner.unwrap_or_else(|| "—".to_string())}</td>
                            <td>{dash(r.position)}</td>
                            <td>{dash(r.committed)}</td>
                            <td>{r.end_offset}</td>
                            <td>{dash(r.lag)}</td>
                        </tr>
                    }).collect_view()}
                </tbody>
            </table>
            <p class="stats">{stats}</p>
            // Kafka deletes only an empty group: the refusal says to remove its consumers first.
            <button type="button" class="small" on:click=move |_| {
                run(Command::DeleteGroup { group: name.get_value() });
                // Gone with its settings: the focus goes on to the form for a new group.
                if error.with_untracked(Option::is_none) {
                    crate::ui::focus_on("#new-group-name");
                }
            }>"Delete group"</button>
            <p class="error" role="alert">{move || error.get()}</p>
        </section>
    }
}
