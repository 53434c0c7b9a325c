//! Consumer services on the right of the stage: one box per consumer group (the SMS, Push and
//! Email notification microservices), holding its instances, with the group's lag and buttons to
//! add and remove an instance. The group's other settings are in the editing panel.

use kafkascope_engine::view::GroupView;
use kafkascope_engine::{Command, Simplification};
use leptos::prelude::*;

use crate::state::{use_sim, use_stage};
use crate::ui::panel::group_admin::group_memo;
use crate::ui::simplified::SimplifiedFolded;
use crate::ui::stage::instance_box::InstanceBox;

/// Records of group lag at which the lag bar is full.
const LAG_BAR_FULL: u64 = 50;

/// Every consumer group, in name order.
#[component]
pub fn ConsumerGroups() -> impl IntoView {
    let stage = use_stage();
    let names = Memo::new(move |_| stage.with(|v| v.groups.iter().map(|g| g.name.clone()).collect::<Vec<_>>()));
    let panel = expect_context::<crate::ui::panel::side_panel::PanelOpen>();
    // A new group from the stage: the panel opens with the focus in its Add group form, which is
    // below the fold of the panel (a lesson's Try it asks for a group; it was Edit, then scroll).
    let new_group = move |_| {
        panel.0.set(true);
        set_timeout(|| crate::ui::focus_on("#new-group-name"), std::time::Duration::ZERO);
    };
    view! {
        <section class="column consumers-column" aria-labelledby="consumers-heading">
            <div class="column-head">
                <h2 id="consumers-heading" class="column-heading">"Consumer groups"</h2>
                <button type="button" class="small" aria-label="New consumer group" title="New consumer group: the editing panel's Add group form"
                    on:click=new_group>"+ group"</button>
            </div>
            {move || {
                stage.with(|v| v.simplifications.iter().copied().filter(|s| *s != Simplification::MetadataRefreshSooner).collect::<Vec<_>>())
                    .into_iter()
                    .map(|s| view! { <p class="simplified">{s.sentence()}</p> })
                    .collect_view()
            }}
            <Show when=move || names.with(Vec::is_empty)>
                <p class="no-groups">"No consumer group reads yet. The records stay in the log all the same: Kafka keeps them whether anyone reads them or not. (+ group starts one.)"</p>
            </Show>
            <div class="groups" data-scroll-area="groups">
                <For each=move || names.get() key=|g| g.clone() children=move |g| view! { <GroupBox group=g/> }/>
            </div>
        </section>
    }
}

/// The topics a group reads, each once, in name order.
fn group_topics(g: &GroupView) -> Vec<String> {
    // Extending a set (not collecting one) compiles no extra sort.
    let mut distinct = std::collections::BTreeSet::new();
    distinct.extend(g.partitions.iter().map(|p| p.partition.topic.clone()));
    distinct.into_iter().collect()
}

#[component]
fn GroupBox(group: String) -> impl IntoView {
    let sim = use_sim();
    let stage = use_stage();
    let name = StoredValue::new(group.clone());
    let view_of = group_memo(name);
    let error = sim.form_error();
    let run = move |command: Command| error.set(sim.apply(command).err().map(|e| e.to_string()));
    let members = Memo::new(move |_| view_of.with(|g| g.as_ref().map(|g| g.members.iter().map(|m| m.member_id.clone()).collect::<Vec<_>>()).unwrap_or_default()));
    let add = move |_| {
        let Some((client_id, topics)) = view_of.with_untracked(|g| g.as_ref().map(|g| (g.next_client_id.clone(), group_topics(g)))) else { return };
        let topics = if topics.is_empty() { stage.with_untracked(|v| v.topics.iter().take(1).map(|t| t.name.clone()).collect()) } else { topics };
        run(Command::AddConsumer { group: name.get_value(), client_id, group_instance_id: None, topics });
    };
    // The newest running instance: the one "−" removes (none: the button is disabled).
    // Named as a command names it (see GroupView::member_name).
    let last_running = Memo::new(move |_| {
        view_of.with(|g| {
            let g = g.as_ref()?;
            g.members.iter().rev().find(|m| m.state.is_running()).map(|m| g.member_name(&m.member_id))
        })
    });
    let remove = move |_| {
        match last_running.get_untracked() {
            Some(member_id) => run(Command::RemoveConsumer { group: name.get_value(), member_id }),
            // Crashed or shut-down consumers are not "−"'s to remove: their sessions end them.
            None => {
                let stopped = view_of.with_untracked(|g| g.as_ref().is_some_and(|g| !g.members.is_empty()));
                let then = if stopped { "; the stopped ones leave when their sessions time out" } else { "" };
                error.set(Some(format!("Group '{}' has no running consumers to remove{then}.", name.get_value())));
            }
        }
    };
    let waiting = move || {
        view_of.with(|g| {
            let g = g.as_ref()?;
            let who = &g.rebalance_waiting_for;
            let others = if g.assignor.is_cooperative() { "the others read on" } else { "nobody reads" };
            (!who.is_empty()).then(|| format!("Its rebalance waits for {} to rejoin: {others}.", who.join(", ")))
        })
    };
    // New partitions the group has not noticed yet: it reads them after its next metadata refresh.
    // One short line on the wall (every group says it at once when a topic grows); the topic is
    // for screen readers, the narration names it.
    let stale = Memo::new(move |_| {
        view_of.with(|g| {
            let g = g.as_ref()?;
            let wait = g.metadata_refresh_in_ms?;
            Some((g.stale_metadata.join(", "), crate::format::seconds(wait)))
        })
    });
    // A crashed instance keeps its partitions until its session times out: a countdown on the
    // card, as the metadata refresh has, so the class knows what the wait is for (the narration
    // says it only on a tick where nothing else happens).
    let session = Memo::new(move |_| {
        sim.with(|s| {
            use crate::ui::chrome::narration::{and_list, down_and_when, sessions_left};
            let g = name.with_value(|n| s.groups().get(n))?;
            let (_, who, when) = down_and_when(sessions_left(g, s.now_ms()))?;
            Some(match who.as_slice() {
                [one] => format!("{one}'s session times out in {}; then the group rebalances without it.", when[0]),
                _ => format!("The sessions of {} time out in {}; the group rebalances without them.", and_list(&who), and_list(&when)),
            })
        })
    });
    let shortcut = Signal::derive(move || {
        stage.with(|v| v.simplifications.iter().filter(|s| **s == Simplification::MetadataRefreshSooner).copied().collect::<Vec<_>>())
    });
    let badge = move || view_of.with(|g| g.as_ref().map(|g| g.badge.clone()).unwrap_or_default());
    let lag = move || view_of.with(|g| g.as_ref().and_then(|g| g.total_lag));
    let lag_text = move || lag().map_or("group lag — nothing committed yet".to_string(), |l| format!("group lag {l}"));
    // Once the group has committed somewhere, partitions holding records it never committed are
    // left out of the sum (the tool prints "-" for them): say which, or the sum looks complete.
    let uncommitted = Memo::new(move |_| {
        view_of.with(|g| {
            let g = g.as_ref().filter(|g| g.total_lag.is_some())?;
            let open: Vec<u32> = g.partitions.iter().filter(|p| p.committed.is_none() && p.end_offset > 0).map(|p| p.partition.partition).collect();
            match open.len() {
                0 => None,
                1..=3 => Some(format!("no commit: {}", open.iter().map(|p| format!("P{p}")).collect::<Vec<_>>().join(" "))),
                n => Some(format!("no commit on {n} partitions")),
            }
        })
    });
    // With more than one topic on the stage, which this group reads (its chips say only "P0").
    let reads = Memo::new(move |_| {
        let several = stage.with(|v| v.topics.len() > 1);
        view_of.with(|g| {
            let topics = group_topics(g.as_ref()?);
            (several && !topics.is_empty()).then(|| format!("reads {}", topics.join(", ")))
        })
    });
    // Duplicates and losses after a crash (at-least-once, at-most-once) on the card itself,
    // once there are any: the lesson narrates them once, the card keeps the count.
    // "never processed" rather than "lost": the records are still in the log, the group skipped
    // them.
    let mishaps = Memo::new(move |_| view_of.with(|g| g.as_ref()?.delivery.filter(|d| d.redelivered + d.lost + d.skipped > 0)));
    // The bar fills at LAG_BAR_FULL records: enough to see lag build up and drain.
    let lag_scale = move || {
        let thousandths = (lag().unwrap_or(0) * 1000 / LAG_BAR_FULL).min(1000);
        format!("scaleX({}.{:03})", thousandths / 1000, thousandths % 1000)
    };
    view! {
        <section class="service group" aria-label=group.clone() data-anchor=format!("group:{group}")>
            <header class="group-header">
                <span class="badge" title="this group's marker on the lanes">{badge}</span>
                <h3 class="service-name" title=group.clone()>{group.clone()}</h3>
                <span class="group-buttons">
                    <button type="button" class="small" aria-label=format!("Add consumer to {group}") title="Add consumer" on:click=add>"+"</button>
                    // aria-disabled: disabled under the focus, its last consumer removed, it would
                    // drop the focus to the page.
                    <button type="button" class="small" aria-label=format!("Remove consumer from {group}") title="Remove consumer" on:click=remove
                        aria-disabled=move || last_running.with(Option::is_none).to_string()>"−"</button>
                </span>
            </header>
            {move || reads.get().map(|line| view! { <p class="group-topics">{line}</p> })}
            <div class="group-lag" title="group lag: high watermark minus committed offset, summed over its partitions">
                <span>{lag_text}</span>
                <span class="no-commit" hidden=move || uncommitted.with(Option::is_none)
                    title="records here were never committed: their lag is unknown, and whoever owns them next starts from auto.offset.reset">
                    {move || uncommitted.get().unwrap_or_default()}
                </span>
                <span class="lag-bar" aria-hidden="true"><span style=("transform", lag_scale)></span></span>
            </div>
            {move || mishaps.get().map(|d| {
                let twice = (d.redelivered > 0).then(|| format!("{} processed twice", d.redelivered));
                let unread: Vec<String> = [(d.lost, "never processed"), (d.skipped, "deleted unread")].into_iter().filter(|&(n, _)| n > 0).map(|(n, what)| format!("{n} {what}")).collect();
                let between = (twice.is_some() && !unread.is_empty()).then_some(" · ");
                view! {
                    <p class="group-mishaps" title="processed twice: records a crash made the group process again (at-least-once); never processed: records committed before a crash stopped their processing, which no instance of the group will read again (at-most-once); deleted unread: offsets auto.offset.reset moved the group past because retention deleted them before it read them">
                        {twice}{between}<span class="skipped">{unread.join(" · ")}</span>
                    </p>
                }
            })}
            <div class="rebalance-waiting" role="note" hidden=move || waiting().is_none()>
                <p>{waiting}</p>
                <p class="simplified">{Simplification::RebalanceTimeoutFixed.sentence()}</p>
            </div>
            <p class="session-note" role="note" hidden=move || session.with(Option::is_none)>{session}</p>
            <div class="metadata-note" role="note" hidden=move || stale.with(Option::is_none)>
                {move || stale.get().map(|(topics, wait)| view! {
                    <p>"New partitions"<span class="visually-hidden">{format!(" of {topics}")}</span>{format!(" unread until its metadata refresh, in {wait} s.")}</p>
                })}
                <SimplifiedFolded list=shortcut/>
            </div>
            <ul class="instances" aria-label=format!("Instances of {group}")>
                <For each=move || members.get() key=|id| id.clone() children=move |id| view! {
                    <InstanceBox group=name.get_value() member_id=id run=Callback::new(run)/>
                }/>
            </ul>
            // Its last consumer removed, a group still has its offsets and its lag: say how to read on.
            {move || members.with(Vec::is_empty).then(|| view! { <p class="group-empty">"No consumer in this group: + starts one."</p> })}
            <p class="error" role="alert">{move || error.get()}</p>
        </section>
    }
}
