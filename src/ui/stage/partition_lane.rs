//! One partition as a lane: its newest offsets as cells, oldest at the left, the next free offset
//! (the log end offset) at the right, and under the cells where each consumer group stands.
//!
//! Every cell sits in a slot counted back from the log end offset. When a record is appended, all
//! slots shift by one and the cells glide left (a CSS transition on `transform`): the log visibly
//! scrolls. Only a few cells are drawn however long the log is; the overview bar shows where that
//! window sits between the log start offset and the log end offset.
//!
//! Markers under the cells, one per group: a solid badge where the group reads next (its
//! instance's *position*) and a hollow one at its *committed* offset, where a new owner would
//! resume; the two part when reads run ahead of commits. A line marks the high watermark: records
//! at or beyond it are not yet visible to consumers.

use kafkascope_engine::view::{PartitionView, RecordView};
use leptos::prelude::*;

use crate::format::key_on_lane;
use crate::state::use_stage;
use crate::ui::chrome::inspector::Selection;
use crate::ui::palette::with_partition;
use crate::ui::stage::recent::use_recent;
use crate::ui::stage::marks::Marks;
use crate::ui::stage::row_signals::RowSignals;

/// A lane's part of the stage snapshot.
fn lane_memo(topic: StoredValue<String>, partition: u32) -> Memo<Option<PartitionView>> {
    let stage = use_stage();
    Memo::new(move |_| {
        stage.with(|v| topic.with_value(|t| v.topics.iter().find(|x| &x.name == t)?.partitions.get(partition as usize).cloned()))
    })
}

/// The slot of `offset` when `cells` offsets before the log end offset `leo` are drawn; the
/// next free offset is slot `cells`. Offsets older than the window get negative slots.
pub fn slot(offset: u64, leo: u64, cells: usize) -> i64 {
    offset as i64 - leo as i64 + cells as i64
}

#[component]
pub fn PartitionLane(topic: String, partition: u32, #[prop(into)] cells: Signal<usize>, #[prop(into)] gists: Signal<bool>) -> impl IntoView {
    let name = StoredValue::new(topic.clone());
    let lane = lane_memo(name, partition);
    // Replicas holding records the leader lacks (an old leader's unreplicated appends), drawn
    // under the lane at their offsets until the replica truncates them.
    let ghosts = Memo::new(move |_| {
        lane.with(|l| {
            l.as_ref().map_or(Vec::new(), |l| {
                l.replication.replicas.iter().filter(|r| !r.diverged.is_empty()).map(|r| (r.broker, r.diverged.clone())).collect::<Vec<_>>()
            })
        })
    });
    let log_end = Memo::new(move |_| lane.with(|l| l.as_ref().map_or(0, |l| l.log_end_offset)));
    // The track's right end: the log end offset, or past it while a ghost row holds records
    // beyond it, so those stay under their offsets' slots and the next slot moves left for them.
    let leo = Memo::new(move |_| ghosts.with(|g| g.iter().filter_map(|(_, records)| records.last()).map(|r| r.offset + 1).fold(log_end.get(), u64::max)));
    // A memo, not a closure read by the list: a render effect that reads `leo` and then `lane`
    // (which `leo` derives from) misses a change to `lane` that leaves `leo` equal (Leptos 0.8's
    // effects check their sources in order, and the first check updates `lane` without marking
    // the effect). Retention deleting the oldest records is such a change: the end offset stays,
    // and the deleted cells stayed drawn. A memo re-checks itself after each source.
    // Each drawn record with its value's gist, worked out once here for the lane and its cell.
    let drawn = Memo::new(move |_| {
        lane.with(|l| {
            let Some(l) = l.as_ref() else { return Vec::new() };
            let from = leo.get().saturating_sub(cells.get() as u64);
            l.window.iter().filter(|r| r.offset >= from).map(|r| (r.clone(), crate::format::value_gist(r.value.as_deref(), r.key.as_deref()))).collect::<Vec<_>>()
        })
    });
    let leader = move || lane.with(|l| l.as_ref().and_then(|l| l.leader)).map_or("offline".to_string(), |b| format!("★B{b}"));
    let isr = move || {
        lane.with(|l| {
            let r = &l.as_ref()?.replication;
            let ids = r.isr.iter().map(u32::to_string).collect::<Vec<_>>().join(",");
            Some(format!("leader epoch {} · ISR {ids}", r.leader_epoch))
        })
        .unwrap_or_default()
    };
    let hw = Memo::new(move |_| lane.with(|l| l.as_ref().map_or(0, |l| l.high_watermark)));
    let recent = use_recent();
    // The drawn records that carry the last send's key: marked with a band along their top, so a
    // key's records read as one group in their one partition (and, once the partition count
    // changed, in the new one too).
    let stage = use_stage();
    let same_key = Memo::new(move |_| {
        let key = stage.with(|v| v.last_send.as_ref().filter(|s| name.with_value(|t| &s.topic == t)).and_then(|s| s.key.clone()));
        key.map_or(Vec::new(), |key| lane.with(|l| l.as_ref().map_or(Vec::new(), |l| l.window.iter().filter(|r| r.key.as_ref() == Some(&key)).map(|r| r.offset).collect())))
    });
    let flags = RowSignals::new(
        move || {
            (hw.get(), name.with_value(|t| recent.with(|r| r.appended_to(t, partition))), same_key.get())
        },
        |(hw, appended, same): &(u64, Vec<u64>, Vec<u64>), offset: &u64| CellFlags { fresh: appended.contains(offset), uncommitted: hw <= offset, same_key: same.contains(offset) },
    );
    // Offsets the step's election lost: the next slot hands them out again.
    let lost = Memo::new(move |_| name.with_value(|t| recent.with(|r| r.lost_on(t, partition))));
    // Lost for good where no producer waits for them (acks=1 acknowledged them, acks=0 never
    // answers); a producer still waiting for acks=all sends its records again.
    let all_resent = move || lost.with(|l| l.as_ref().is_some_and(|l| l.resent == l.to - l.from));
    let slot_title = move || match lost.get() {
        None => "The next record is appended here: the log end offset".to_string(),
        Some(l) => {
            let (what, one) = if l.to - l.from == 1 { (format!("Offset {}", l.from), true) } else { (format!("Offsets {}–{}", l.from, l.to - 1), false) };
            let (was, it, reuses) = if one { ("was", "it", "the next record reuses it") } else { ("were", "them", "the next records reuse them") };
            let fate = match l.resent {
                0 => format!("no producer waits for {it} (acknowledged with acks=1, or sent with acks=0), so {it} {} lost for good", if one { "is" } else { "are" }),
                n if n == l.to - l.from => format!("the producer still waiting for acks=all sends {it} again"),
                n => format!("a producer still waiting for acks=all sends {n} of them again; the rest are lost for good"),
            };
            format!("{what} {was} only on the old leader, never committed: the new leader lacks {it}, {reuses}, and {fate}")
        }
    };
    let segments = Memo::new(move |_| lane.with(|l| l.as_ref().map(|l| l.segment_starts.clone()).unwrap_or_default()));
    let offsets = Memo::new(move |_| lane.with(|l| l.as_ref().map_or((0, 0, 0, 0), |l| (l.log_start_offset, l.high_watermark, l.log_end_offset, l.stored))));
    let summary = move || {
        let (start, hw, end, _) = offsets.get();
        format!("log start offset {start}, high watermark {hw}, log end offset {end}")
    };
    let older = move || {
        let (start, _, end, _) = offsets.get();
        end.saturating_sub(cells.get() as u64).saturating_sub(start)
    };
    let start_visible = move || older() == 0 && offsets.get().0 > 0;
    let window_share = move || {
        let (start, _, end, _) = offsets.get();
        crate::format::percent(cells.get() as u64, end - start)
    };
    let label = format!("Partition {partition} of {topic}");
    view! {
        <section class=with_partition("lane", partition) class:segmented=move || segments.with(|s| !s.is_empty()) data-partition=partition>
            <div class="lane-head">
                <span class="lane-title">{format!("P{partition}")}</span>
                <span class="lane-leader" title=move || format!("the broker leading this partition; {}", isr())>{leader}</span>
            </div>
            <div class="lane-track" class:gists=gists style=("--slots", move || (cells.get() + 1).to_string()) style=("--leo", move || leo.get().to_string())
                data-anchor=format!("lane:{topic}:{partition}") data-cells=move || cells.get().to_string() data-leo=move || leo.get().to_string()>
                <ol role="list" aria-label=label class="cells">
                    // Keyed by the record, not its offset alone: an offset a lost leader's record
                    // held is reused by the next one (acks=1), and seeking across that must not
                    // keep the old record's cell.
                    <For each=move || drawn.get() key=|(r, _): &(RecordView, Option<String>)| (r.offset, r.timestamp_ms, r.key.clone(), r.value.clone()) children=move |(r, gist)| view! {
                        <Cell topic=name.get_value() partition=partition record=r gist=gist flags=flags/>
                    }/>
                </ol>
                <div class="slot next-slot" class:lost=move || lost.with(Option::is_some) && !all_resent() class:resent=all_resent style=("--slot", move || slot(log_end.get(), leo.get(), cells.get()).to_string()) title=slot_title>
                    <span class="cell-offset" style=("--digits", move || digits(log_end.get()))>{move || log_end.get()}</span>
                    <span class="cell-key">{move || if all_resent() { "retry" } else if lost.with(Option::is_some) { "lost" } else { "next" }}</span>
                </div>
                <div class="slot hw-line" aria-hidden="true" title="high watermark: consumers read only below it"
                    style=("--slot", move || slot(offsets.get().1, leo.get(), cells.get()).to_string())>
                    <span>"HW"</span>
                </div>
                // Segment boundaries: a dashed line where a segment file begins; the last, the
                // active segment, says so (compaction never cleans it; retention deletes it only once all of it expired).
                {move || {
                    let (leo, cells) = (leo.get(), cells.get());
                    let starts = segments.get();
                    let active = starts.last().copied();
                    starts.into_iter().filter(|&s| slot(s, leo, cells) >= 0).map(|s| {
                        let is_active = Some(s) == active;
                        let title = if is_active { format!("the active segment begins at offset {s}: it takes the appends; compaction never cleans it, and retention deletes it only once all of it expired") } else { format!("a segment begins at offset {s}: retention deletes whole segments, and compaction rewrites closed ones") };
                        view! { <div class="slot seg-line" class:active=is_active aria-hidden="true" title=title style=("--slot", slot(s, leo, cells).to_string())></div> }
                    }).collect_view()
                }}
                <Show when=start_visible>
                    <div class="slot start-line" aria-hidden="true" title="log start offset: older records were deleted"
                        style=("--slot", move || slot(offsets.get().0, leo.get(), cells.get()).to_string())></div>
                </Show>
                <Marks lane=lane leo=leo cells=cells/>
            </div>
            <p class="lane-offsets" title=summary aria-label=summary>
                <span>{move || format!("start {}", offsets.get().0)}</span>
                <span>{move || format!("HW {}", offsets.get().1)}</span>
                <span>{move || format!("end {}", offsets.get().2)}</span>
            </p>
            <div class="lane-overview" aria-hidden="true">
                <div class="lane-window" style=("width", move || format!("{}%", window_share()))></div>
            </div>
            {move || ghosts.get().into_iter().map(|(broker, records)| view! { <Ghosts broker=broker records=records leo=leo cells=cells/> }).collect_view()}
        </section>
    }
}

/// One replica's records that the leader does not hold, each at its offset's slot under the
/// lane: the old leader's acknowledged `acks=1` write after the election, beside the different
/// record the new leader put at the same offset. Dashed and red: it is on no leader, and the
/// replica truncates it once it fetches from the new one.
#[component]
fn Ghosts(broker: u32, records: Vec<RecordView>, leo: Memo<u64>, #[prop(into)] cells: Signal<usize>) -> impl IntoView {
    let label = format!("Records only on broker {broker}, not on the leader");
    view! {
        <span class="ghost-broker" title=format!("broker {broker}'s copy of this partition")>{format!("B{broker}")}</span>
        <div class="ghost-track" style=("--slots", move || (cells.get() + 1).to_string())>
            <ol role="list" aria-label=label class="cells">
                {records.into_iter().map(|r| {
                    let key = key_on_lane(r.key.as_deref());
                    let title = format!("Offset {} on broker {broker} only, key {key}: the leader holds no such record there. Broker {broker} truncates it when it next fetches from the leader.", r.offset);
                    let label = format!("Offset {}, key {key}", r.offset);
                    // Cut like a cell's key, its end kept: "pro…2" beside the leader's "pro…3".
                    let key_view = cell_key(&key, r.key.is_none());
                    view! {
                        <li class="slot ghost" style=("--slot", move || slot(r.offset, leo.get(), cells.get()).to_string()) title=title aria-label=label>
                            <span class="cell-offset" style=("--digits", digits(r.offset))>{r.offset}</span>
                            {key_view}
                        </li>
                    }
                }).collect_view()}
            </ol>
        </div>
        <span class="ghost-note">"not on leader"</span>
    }
}

/// What a cell shows besides its record, which changes while the cell stays on screen.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
struct CellFlags {
    /// Appended by the step just taken.
    fresh: bool,
    /// At or above the high watermark: on the leader, but not yet on every in-sync replica.
    uncommitted: bool,
    /// Its key is the last send's.
    same_key: bool,
}

/// A key as a cell (or an old leader's record under the lane) draws it: a head CSS cuts and its
/// end ([`crate::format::key_tail`]), the null key in italics.
fn cell_key(key: &str, no_key: bool) -> impl IntoView {
    let (head, tail) = crate::format::key_tail(key);
    let (head, tail) = (head.to_string(), tail.to_string());
    view! {
        <span class="cell-key" class:no-key=no_key aria-hidden="true"><span class="key-head" class:tailed=!tail.is_empty() style:--tail=tail.len().to_string()>{head}</span><span class="key-tail">{tail}</span></span>
    }
}

/// How many digits an offset has, for its type to fit the cell (`--digits` in the stylesheet).
fn digits(offset: u64) -> String {
    offset.checked_ilog10().map_or(1, |d| d + 1).to_string()
}

/// One record's cell; keyed by the record (its offset, which never changes for it), so it glides as the log grows.
///
/// The cell's slot is worked out by CSS from its own `--offset` and the track's `--leo` and
/// `--slots`, and its flags come from its own signal (see [`RowSignals`]): nothing in a cell
/// subscribes to lane-wide state, so a cell scrolled off leaves nothing behind.
#[component]
fn Cell(topic: String, partition: u32, record: RecordView, gist: Option<String>, flags: RowSignals<(u64, Vec<u64>, Vec<u64>), u64, CellFlags>) -> impl IntoView {
    let selection = expect_context::<Selection>().0;
    let offset = record.offset;
    let flags = flags.register(offset);
    let key = key_on_lane(record.key.as_deref());
    let no_key = record.key.is_none();
    let label = format!("Offset {offset}, key {key}");
    let key_view = cell_key(&key, no_key);
    let uncommitted = move || flags.get().uncommitted;
    view! {
        <li class="slot cell" class:tombstone=record.is_tombstone() class:fresh=move || flags.get().fresh aria-label=label.clone()
            class:uncommitted=uncommitted class:same-key=move || flags.get().same_key
            aria-description=move || uncommitted().then_some("not yet committed: above the high watermark, consumers cannot read it yet")
            style=("--offset", offset.to_string())>
            <button type="button" class="cell-button" on:click=move |_| selection.set(Some((topic.clone(), partition, offset)))>
                // The name is one sentence; the eye gets the offset and the key in two pieces (a
                // name built from the pieces would read "offset 0 , key product- 1").
                <span class="visually-hidden">{format!("Inspect offset {offset}, key {key}")}</span>
                <span class="cell-offset" aria-hidden="true" style=("--digits", digits(offset))>{offset}</span>
                {key_view}
                {gist.map(|g| view! { <span class="cell-gist" aria-hidden="true">{g}</span> })}
            </button>
        </li>
    }
}
