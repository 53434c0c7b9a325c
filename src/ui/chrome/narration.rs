//! The narration line: the latest step in words, announced to screen readers (ARIA live region).

use kafkascope_engine::partitioner::{PartitionChoice, Unhashed};
use kafkascope_engine::{Command, Election, Event, HeldFor, IsrShrinkReason, Partitioner, Setting};
use leptos::prelude::*;

use crate::format::key_in_sentence;
use crate::scene::event_name;
use crate::state::use_sim;
use crate::ui::chrome::command_told::command_told;

/// The offsets from the first to the last of `offsets`, in words: "offset 3", "offsets 3–5".
fn span(offsets: &[u64]) -> String {
    match offsets {
        [] => String::new(),
        [first, .., last] if first != last => format!("offsets {first}–{last}"),
        [one, ..] => format!("offset {one}"),
    }
}

/// One sentence per notable event of a step, at most three. `client_of` names a member by its
/// `client.id` (people know instances by it, not by their member id). A stopped broker's sentence
/// already says that its replicas leave every ISR, so the ISR shrinks it causes are not repeated:
/// the three sentences go to what is news (the elections).
pub fn narrate(events: &[Event], client_of: impl Fn(&str) -> String) -> Vec<String> {
    sentences(events, &client_of, false)
}

/// As [`narrate`], under a scripted step's caption. The caption introduces the step's own command
/// ("dc-3 goes dark too"), so the sentence of that command's event (a broker stopped or started,
/// a consumer crashed) would say it again and push out what followed from it (an election, a
/// loss) in a bar of two lines.
pub fn narrate_after_caption(events: &[Event], client_of: impl Fn(&str) -> String) -> Vec<String> {
    sentences(events, &client_of, true)
}

/// One body for every caller: `client_of` is taken as a trait object, so the narration and the
/// "worth telling" test share one copy of this long function in the wasm rather than one each.
fn sentences(events: &[Event], client_of: &dyn Fn(&str) -> String, captioned: bool) -> Vec<String> {
    let stopped: Vec<u32> = events.iter().filter_map(|e| if let Event::BrokerStopped { broker } = e { Some(*broker) } else { None }).collect();
    let mut out: Vec<String> = Vec::new();
    let mut appended = Vec::new();
    let mut produced = None;
    // (group, where its sentence goes in `out`, what it lost)
    // Sentences gathered from several events, one per group that lost records or member that
    // read: (who, what they did, where the sentence goes in `out`, the pieces).
    let mut grouped: Vec<(String, Gathered, usize, Vec<String>)> = Vec::new();
    let mut gather = |who: &str, what: Gathered, at: usize, piece: String| match grouped.iter_mut().find(|(w, k, _, _)| w == who && *k == what) {
        Some((_, _, _, pieces)) => pieces.push(piece),
        None => grouped.push((who.to_string(), what, at, vec![piece])),
    };
    // Records sent earlier that land now, by partition: (partition, where its sentence goes in
    // `appended`, offsets), one sentence each however many land (retries released together).
    let mut late: Vec<(u32, usize, Vec<u64>)> = Vec::new();
    // Failed sends: (where the sentence is in `out`, how many it tells), and the counted
    // sentences that replace it.
    let mut failures: Vec<(usize, usize)> = Vec::new();
    let mut failed_again: Vec<(usize, String)> = Vec::new();
    for event in events {
        let line = match event {
            Event::BrokerStopped { .. } | Event::BrokerStarted { .. } | Event::MemberCrashed { .. } if captioned => continue,
            Event::Produced { topic, choice, partitioner, .. } => {
                let how = match choice {
                    // A key whose spaces, quotes or emptiness the sentence would hide is quoted
                    // and spelled out (" user-42" hashes elsewhere than "user-42").
                    PartitionChoice::KeyHash(t) if t.null_key => "null key, hashed as zero bytes (librdkafka), to".to_string(),
                    PartitionChoice::KeyHash(t) => format!("key {} hashed to", key_in_sentence(&t.key_bytes, 8)),
                    PartitionChoice::Explicit { .. } => "sent explicitly to".to_string(),
                    PartitionChoice::RoundRobin { .. } if *partitioner == Partitioner::RoundRobin => {
                        "sent by RoundRobinPartitioner (keys ignored) to".to_string()
                    }
                    PartitionChoice::RoundRobin { .. } => "null key, round-robin to".to_string(),
                    // The partitioner is named unless the key's clause already said why keys
                    // are not hashed (partitioner.ignore.keys=true).
                    PartitionChoice::Sticky { unhashed, .. } => format!(
                        "{}, kept sticky{}, to",
                        match unhashed {
                            Unhashed::NullKey => "null key",
                            Unhashed::EmptyTakenForNull => "empty key, taken for null",
                            Unhashed::KeysIgnored => "key not hashed (partitioner.ignore.keys=true)",
                        },
                        match partitioner {
                            Partitioner::JavaDefault { ignore_keys: true } => String::new(),
                            p => format!(" by the {} partitioner", p.name()),
                        }
                    ),
                    PartitionChoice::Random { .. } => "sent at random to".to_string(),
                };
                produced = Some(format!("{} {how}", event_name(topic)));
                continue;
            }
            Event::Appended { partition, offset, .. } => {
                // No send in this step: a record sent earlier (a retry, or one waiting for the
                // in-sync replicas) lands now.
                // What was produced leads: reads in the same tick are of older records.
                match produced.take() {
                    Some(who) => appended.push(format!("{who} partition {partition}, appended at offset {offset}.")),
                    None => match late.iter_mut().find(|(p, _, _)| p == partition) {
                        Some((_, _, offsets)) => offsets.push(*offset),
                        None => late.push((*partition, appended.len(), vec![*offset])),
                    },
                }
                continue;
            }
            Event::SendHeld { partition, behind, why, .. } => {
                let who = produced.take().unwrap_or_else(|| "A record went to".to_string());
                appended.push(match (why, behind) {
                    (HeldFor::Leader, _) => format!("{who} partition {partition} and waits in the producer: the partition has no leader. It is sent when one is elected, or fails after delivery.timeout.ms."),
                    (HeldFor::InFlightLimit, _) => format!("{who} partition {partition} and waits in the producer: five earlier batches are unanswered, the most an idempotent producer has out (max.in.flight.requests.per.connection)."),
                    (HeldFor::Retry, Some(behind)) => format!("{who} partition {partition} and waits behind sequence {behind}, still to be sent again: an idempotent producer keeps a partition's order."),
                    (HeldFor::Retry, None) => format!("{who} partition {partition} and waits in the producer behind a record it will retry: a retry goes back to the front of the partition's queue."),
                });
                continue;
            }
            // One sentence per member, however many partitions it read: an instance that took
            // over two partitions is one story, and the rest of the step must not be cut.
            Event::Fetched { member_id, partition, offsets, .. } => {
                gather(&client_of(member_id), Gathered::Read, out.len(), format!("{} of partition {}", span(offsets), partition.partition));
                continue;
            }
            Event::Processed { member_id, partition, redelivered, from, to, .. } if *redelivered > 0 => format!(
                "{} processed {} of partition {} again: {} redelivered (at-least-once).",
                client_of(member_id), span(&[*from, to - 1]), partition.partition, redelivered
            ),
            // One sentence per group, however many partitions lost records: a crash of an
            // instance that owned two partitions is one story, and it must not be cut at three.
            Event::RecordsLost { group, partition, from, to } => {
                gather(group, Gathered::Lost, out.len(), format!("{} of partition {}", span(&[*from, to - 1]), partition.partition));
                continue;
            }
            Event::MemberCrashed { member_id, .. } => format!("{} crashed; its partitions wait for the session timeout.", client_of(member_id)),
            Event::MemberRemoved { group, member_id } => format!("{group} removed {}.", client_of(member_id)),
            Event::OffsetResetFailed { member_id, partition, out_of_range: None, .. } => format!(
                "{} has no committed offset for partition {} and auto.offset.reset=none: NoOffsetForPartitionException, so it does not read it.",
                client_of(member_id),
                partition.partition
            ),
            Event::OffsetResetFailed { member_id, partition, out_of_range: Some(from), .. } => format!(
                "{}'s offset {from} of partition {} is no longer in the log and auto.offset.reset=none: OffsetOutOfRangeException, so it does not read it.",
                client_of(member_id),
                partition.partition
            ),
            // A reset without an offset to replace is the ordinary start of a group: not news.
            Event::OffsetReset { member_id, partition, offset, policy, out_of_range: Some(from), .. } => {
                let (who, p, policy) = (client_of(member_id), partition.partition, policy.name());
                match offset.checked_sub(*from).filter(|&n| n > 0) {
                    Some(_) => format!("{who}'s offset {from} of partition {p} was deleted by retention: auto.offset.reset={policy} moves it to {offset}, and it never reads {}.", span(&[*from, offset - 1])),
                    None => format!("{who}'s offset {from} of partition {p} is past the log end (an election cut the log back): auto.offset.reset={policy} moves it to {offset}."),
                }
            }
            // One sentence per group: a member commits each partition it reads.
            Event::CommitRefused { group, member_id, .. } => {
                if out.iter().any(|l| l.contains(&format!(" failed: {group} is rebalancing"))) {
                    continue;
                }
                format!("{}'s commit failed: {group} is rebalancing (RebalanceInProgressException), so whoever owns those partitions next reads the records again.", client_of(member_id))
            }
            Event::RebalanceWaiting { group, waiting_for, cooperative, .. } => {
                let who = waiting_for.iter().map(|m| client_of(m)).collect::<Vec<_>>().join(", ");
                match cooperative {
                    true => format!("{group}'s rebalance waits for {who} to rejoin or time out; cooperative, the others keep their partitions and read on."),
                    false => format!("{group}'s rebalance waits for {who} to rejoin or time out; eager, every consumer gave up its partitions, so the group reads nothing."),
                }
            }
            Event::RebalanceDelayed { group, .. } => {
                format!("{group} waits group.initial.rebalance.delay.ms for more consumers before its first rebalance.")
            }
            Event::MemberClosed { member_id, .. } => format!(
                "{} shut down without leaving the group (static member): no rebalance; its partitions wait for it.",
                client_of(member_id)
            ),
            Event::BrokerStopped { broker } => format!("Broker {broker} stopped: its data center is dark and its replicas leave every ISR."),
            Event::BrokerStarted { broker } => format!("Broker {broker} is back: its replicas fetch what they missed, then rejoin the ISR."),
            Event::LeaderElected { topic, partition, leader, leader_epoch, election, lost, resent, committed_lost, .. } => {
                // A clean election keeps every committed record: what the old leader had beyond
                // the high watermark was never committed, so no acks=all send was acknowledged
                // for it, and its producer sends it again; an acks=1 send was acknowledged on the
                // leader's append, and nobody sends it again. An unclean election loses committed
                // records too.
                let lost = lost.as_ref().map_or(String::new(), |l| {
                    let (what, count) = (span(&[l.from, l.to.saturating_sub(1)]), l.to.saturating_sub(l.from));
                    let what = format!("{}{}", what[..1].to_uppercase(), &what[1..]);
                    let (is, it) = if count <= 1 { ("is", "it") } else { ("are", "them") };
                    match (election, *resent) {
                        (Election::Unclean, _) if *committed_lost > 0 => format!(" {what} the old leader had {is} lost, committed records among them."),
                        (_, 0) => format!(" {what}, never committed, {is} lost for good: no producer waits for {it} (acknowledged with acks=1, or sent with acks=0)."),
                        (_, n) if n >= count => format!(" {what}, never committed, {is} gone: a producer still waiting for acks=all sends {it} again."),
                        (_, n) => format!(" {what}, never committed, are gone: a producer still waiting for acks=all sends {n} of them again; the rest are lost for good."),
                    }
                });
                format!("{topic}-{partition}: broker {leader} leads now (leader epoch {leader_epoch}, {}).{lost}", election.describe())
            }
            Event::PartitionOffline { topic, partition, .. } => {
                format!("{topic}-{partition} is offline: no in-sync replica is running, so nothing can be written to it or read from it.")
            }
            Event::IsrShrunk { broker, reason: IsrShrinkReason::BrokerStopped, .. } if stopped.contains(broker) => continue,
            Event::IsrShrunk { topic, partition, broker, reason, .. } => format!("{topic}-{partition}: broker {broker} left the ISR ({}).", reason.describe()),
            Event::IsrExpanded { topic, partition, broker, .. } => format!("{topic}-{partition}: broker {broker} caught up and rejoined the ISR."),
            Event::ReplicaTruncated { topic, partition, broker, from, to } => format!(
                "{topic}-{partition}: broker {broker} truncated {}: not in the new leader's history.",
                span(&[*to, from.saturating_sub(1)])
            ),
            Event::AcknowledgementLost { producer, .. } => format!("The answer to {producer} was lost: it will retry after request.timeout.ms."),
            // Said with what happens next, as the card's "retrying" says it; sends that fail
            // alike in one step (a leader stopped under several) are one sentence.
            Event::SendFailed { producer, partition, error, retrying, .. } => {
                let what = format!("{}{}", error.describe(), if *retrying { " It retries after retry.backoff.ms." } else { "" });
                let sentence = |sends: &str| format!("{producer}'s {sends} to partition {partition}: {what}");
                match failures.iter_mut().find(|(at, _)| out[*at] == sentence("send")) {
                    Some((at, count)) => {
                        *count += 1;
                        failed_again.push((*at, sentence(&format!("{count} sends"))));
                        continue;
                    }
                    None => {
                        failures.push((out.len(), 1));
                        sentence("send")
                    }
                }
            }
            Event::DuplicateDropped { producer, offset, sequence, .. } => format!(
                "Idempotence: the leader already has {producer}'s sequence {sequence} at offset {offset}, so the retry was not written again."
            ),
            Event::DuplicateWritten { producer, first, second, .. } => format!(
                "Without idempotence {producer}'s retry was written twice: offsets {first} and {second} hold the same record."
            ),
            Event::StreamRefused { producer, reason } => format!("{producer}'s stream: {reason}"),
            Event::StaticMemberReplaced { group_instance_id, .. } => {
                format!("{group_instance_id} restarted and took over its partitions without a rebalance.")
            }
            // A removal and the rebalance it starts are one sentence, so that two groups losing
            // a member in one tick (two crashed instances timing out) both fit in three.
            Event::RebalanceStarted { group, reason: r, .. } => match out.last_mut().filter(|l| l.starts_with(&format!("{group} removed "))) {
                Some(removed) => {
                    removed.pop();
                    removed.push_str(&format!(" and rebalances: {}.", r.describe()));
                    continue;
                }
                None => format!("{group} rebalances: {}.", r.describe()),
            },
            Event::PartitionsAdded { topic, from, to } => {
                format!("{topic} grew from {from} to {to} partitions: hash % {to} now sends keys to new places.")
            }
            Event::TopicCreated { topic, partitions } => format!("Topic {topic} created with {}.", crate::format::count(*partitions as usize, "partition")),
            Event::SegmentsDeleted { topic, partition, deletion } => {
                format!("Retention deleted {} of {topic}-{partition}.", span(&[deletion.from, deletion.to.saturating_sub(1)]))
            }
            // Two reasons, told apart: a record whose key has a newer value, and a tombstone
            // whose delete.retention.ms has passed (it supersedes nothing: it is itself the newest).
            Event::Compacted { topic, partition, compaction } => {
                let (older, tombstones) = (compaction.superseded.len(), compaction.tombstones_removed.len());
                let mut removed = Vec::new();
                if older > 0 {
                    removed.push(format!("{} whose key has a newer value", crate::format::count(older, "older record")));
                }
                if tombstones > 0 {
                    removed.push(format!("{} past delete.retention.ms", crate::format::count(tombstones, "tombstone")));
                }
                if removed.is_empty() {
                    continue;
                }
                format!("Compaction removed {} from {topic}-{partition}.", removed.join(" and "))
            }
            _ => continue,
        };
        out.push(line);
    }
    // Before anything is inserted, while the places still hold.
    for (at, sentence) in failed_again {
        out[at] = sentence;
    }
    for (who, what, at, pieces) in grouped.into_iter().rev() {
        out.insert(at, match what {
            Gathered::Lost => format!("{who} lost {}: committed but never processed (at-most-once).", and_list(&pieces)),
            Gathered::Read => format!("{who} read {}.", and_list(&pieces)),
        });
    }
    for (partition, at, offsets) in late.into_iter().rev() {
        let sentence = match offsets.as_slice() {
            [one] => format!("A record sent earlier went to partition {partition}, appended at offset {one}."),
            [first, .., last] if last - first + 1 == offsets.len() as u64 => {
                format!("{} records sent earlier went to partition {partition}, appended at offsets {first}–{last}.", offsets.len())
            }
            many => format!(
                "{} records sent earlier went to partition {partition}, appended at offsets {}.",
                many.len(),
                many.iter().map(u64::to_string).collect::<Vec<_>>().join(", ")
            ),
        };
        appended.insert(at, sentence);
    }
    appended.extend(out);
    appended.truncate(3);
    appended
}

/// What a quiet tick is waiting for, soonest first: a stopped consumer that still holds its
/// partitions (the coordinator notices only when `session.timeout.ms` passes without a
/// heartbeat), or new partitions a group reads only after its next metadata refresh.
fn quiet_wait(sim: &kafkascope_engine::Simulation) -> Option<String> {
    let now = sim.now_ms();
    // Every crashed consumer still waiting is named: two down in two groups are two stories.
    let sessions = down_and_when(sim.groups().values().flat_map(|g| sessions_left(g, now))).map(|(soonest, who, when)| {
        let says = match who.as_slice() {
            [one] => format!("{one} is down; its group notices when its session times out, in {}.", when[0]),
            _ => format!("{} are down; their groups notice when their sessions time out, in {}.", and_list(&who), and_list(&when)),
        };
        (soonest, says)
    });
    let refreshes = sim.groups().values().filter_map(|g| {
        let (topics, left) = sim.unnoticed_partitions(g)?;
        let says = format!("{} reads the new partitions of {} after its next metadata refresh, in {} s.", g.name, topics.join(", "), crate::format::seconds(left));
        Some((left, says))
    });
    sessions.into_iter().chain(refreshes).min().map(|(_, says)| says)
}

/// Commits on a step where nothing else is told: "sms-notification-service committed offset 2 of
/// partition 0." A committed offset is the next one the group reads after a crash or a
/// rebalance, so this is the moment that decides what a crash repeats or skips. Beside reads and
/// sends they are left out (every auto-commit would crowd the bar of two lines); the lag shows
/// them.
pub fn commits_told(events: &[Event]) -> Option<String> {
    let mut by_group: Vec<(&str, Vec<String>)> = Vec::new();
    for event in events {
        let Event::Committed { group, partition, offset, .. } = event else { continue };
        let piece = format!("offset {offset} of partition {}", partition.partition);
        match by_group.iter_mut().find(|(g, _)| g == group) {
            Some((_, pieces)) => pieces.push(piece),
            None => by_group.push((group, vec![piece])),
        }
    }
    let told: Vec<String> = by_group.iter().map(|(group, pieces)| format!("{group} committed {}.", and_list(pieces))).collect();
    (!told.is_empty()).then(|| told.join(" "))
}

/// A group's stopped members that still hold their partitions: how long until the coordinator
/// notices (their `session.timeout.ms` passes without a heartbeat), and their client.id.
pub fn sessions_left(g: &kafkascope_engine::consumer_group::ConsumerGroup, now: u64) -> impl Iterator<Item = (u64, &str)> {
    g.members.values().filter_map(move |m| Some((m.stopped_at_ms()?.saturating_add(g.config.session_timeout_ms).saturating_sub(now), m.client_id.as_str())))
}

/// Stopped members still holding their partitions, soonest first: the soonest wait, their
/// client.ids, and their waits as "4.9 s" (the same wait said once). `None` when nobody is down.
pub fn down_and_when<'a>(down: impl Iterator<Item = (u64, &'a str)>) -> Option<(u64, Vec<String>, Vec<String>)> {
    let mut down: Vec<(u64, &str)> = down.collect();
    down.sort_unstable();
    let soonest = down.first()?.0;
    let (who, mut when): (Vec<String>, Vec<String>) = down.iter().map(|(left, who)| (who.to_string(), format!("{} s", crate::format::seconds(*left)))).unzip();
    when.dedup();
    Some((soonest, who, when))
}

/// What a sentence gathered from several events tells.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Gathered {
    Lost,
    Read,
}

/// "a", "a and b", "a, b and c".
pub fn and_list(items: &[String]) -> String {
    match items {
        [] => String::new(),
        [one] => one.clone(),
        [first @ .., last] => format!("{} and {last}", first.join(", ")),
    }
}

/// A step's text shorter than this (all its sentences together) always fits the bar's two lines,
/// even with the editing panel open, so it is not measured.
const SURELY_FITS: usize = 100;

/// Whether the step shown has something to tell (a caption, a lesson's chapter or task starting
/// there, or an event the narration names), as opposed to a quiet tick: what "skip the quiet
/// steps" stops at, forward or back. A step reached by stepping back is judged by the events of
/// the step that led to it.
pub fn worth_telling(s: &crate::state::SimState) -> bool {
    let events = if s.last_events.is_empty() { &s.recalled } else { &s.last_events };
    marked(s)
        || events.iter().any(|e| matches!(e, Event::Committed { .. }))
        || !narrate(events, str::to_string).is_empty()
        || s.last_command().and_then(command_told).is_some()
}

/// Whether the step shown carries the scenario's own words: a caption, or a lesson's chapter or
/// task beginning there.
fn marked(s: &crate::state::SimState) -> bool {
    s.caption().is_some() || s.page_begins()
}

/// Ticks in a row from which a lesson lets time run: a second of simulated time or more.
const LESSON_WAIT: usize = 10;

/// Where a skip (a clicker's Page Down, a lesson's Next, Shift+arrows, `N`) stops: a step
/// [worth telling](worth_telling), except inside a lesson's own steps where the lesson lets time
/// run (a stream filling a lag, a session timeout, retention waiting: [`LESSON_WAIT`] ticks in a
/// row or more). There the records and reads of every tick are the background, and the stop is
/// the run's caption, a chapter or task beginning in it, or the lesson's end: a lesson is walked
/// by its beats, not by its hundreds of records. Short runs of ticks (a consumer reading three
/// records one by one) still stop at each.
pub fn worth_stopping_at(s: &crate::state::SimState) -> bool {
    let (cursor, authored) = (s.history.cursor(), s.history.authored());
    let ticks = s.history.commands();
    let is_tick = |i: usize| matches!(ticks.get(i), Some(Command::Tick));
    if s.history.chapters().is_empty() || cursor == 0 || cursor > authored || !is_tick(cursor - 1) {
        return worth_telling(s);
    }
    let first = (0..cursor - 1).rev().find(|&i| !is_tick(i)).map_or(0, |i| i + 1);
    let after = (cursor..ticks.len()).find(|&i| !is_tick(i)).unwrap_or(ticks.len());
    if after - first < LESSON_WAIT {
        return worth_telling(s);
    }
    marked(s) || cursor == authored
}

/// Simulated time a line of something that happened stays on screen, dimmed, while Play passes
/// quiet ticks after it.
const HOLD_MS: u64 = 3_000;

/// What the bar says: its sentences; whether they are held over from an earlier step; whether
/// they are only about where we are (a note; never held); and the simulated time of the last
/// thing that happened that they tell.
#[derive(Clone, PartialEq)]
struct Told {
    lines: Vec<String>,
    held: bool,
    note_only: bool,
    since: u64,
    /// Told while playing.
    playing: bool,
    /// Said to screen readers first on the step where Play stops ("Paused at step 40 of 90."):
    /// while playing they hear nothing, so they learn it stopped and where.
    paused: Option<String>,
}

#[component]
pub fn Narration() -> impl IntoView {
    let sim = use_sim();
    let playback = expect_context::<crate::ui::chrome::controls::Playback>();
    // This step in sentences: the scene's caption first when it has one, then what happened; and
    // whether they are held over from an earlier step. While playing, a tick where nothing
    // happens and nothing is awaited keeps the last thing that did happen on screen (and dimmed)
    // rather than flashing "nothing sent or read" several times a second; paused, every step
    // says what it is.
    //
    // A line held over must be about something that happened: "Stepped back to step 25" held
    // while Play goes on through 26, 27, 28 says where we no longer are. So whether the lines
    // are about where we are (a note, or a step recalled by a seek) goes along, and those are
    // not held. Nor is a line held for long: past HOLD_MS of simulated time with nothing new
    // (Play running on after a scene's end, a long wait) the bar says since when nothing
    // happened, rather than a caption from minutes ago.
    let told = Memo::new(move |prev: Option<&Told>| {
        let playing = playback.playing.get();
        let mut note_only = false;
        let mut since = 0;
        let mut paused = None;
        let lines = sim.with_state(|s| {
            if !playing && prev.is_some_and(|p| p.playing) {
                paused = Some(format!("Paused at step {} of {}.", s.history.cursor(), s.history.len()));
            }
            let sim = s.history.current();
            since = sim.now_ms();
            // A state reached by a seek or a step back is told by the events of its step, after
            // where we are ("Step 5 of 69."): nothing happened just now, it happened then.
            let recalled = s.last_events.is_empty();
            note_only = recalled;
            let events = if recalled { &s.recalled } else { &s.last_events };
            // A note with no step's events to go with it (a scene just loaded, a skip that found
            // nothing) is all there is to say, even on a captioned step.
            if let Some(note) = s.note.as_ref().filter(|_| events.is_empty()) {
                return Some(vec![note.clone()]);
            }
            let client_of = |id: &str| sim.client_id_of(id).unwrap_or(id).to_string();
            let caption = s.caption();
            let mut lines = if caption.is_some() { narrate_after_caption(events, client_of) } else { narrate(events, client_of) };
            // A commit alone: said, with what a quiet tick would wait for or else what a commit means.
            if let Some(commits) = commits_told(events).filter(|_| lines.is_empty()) {
                let after = quiet_wait(sim).unwrap_or_else(|| "A committed offset is where the group reads on after a crash or a rebalance.".to_string());
                lines.push(format!("{commits} {after}"));
            }
            if let Some(caption) = caption {
                lines.truncate(2);
                lines.insert(0, caption.to_string());
            } else if let Some(note) = s.note.as_ref().filter(|_| recalled && !lines.is_empty()) {
                lines.truncate(2);
                lines.insert(0, note.clone());
            }
            if lines.is_empty() {
                // Simulated time as the toolbar's clock says it.
                let at = |ms: u64| crate::format::seconds(ms - sim.config().start_time_ms);
                lines.push(match (&s.note, s.last_events.first()) {
                    (Some(note), _) => {
                        note_only = true;
                        note.clone()
                    }
                    (None, Some(Event::TimeAdvanced { now_ms, .. })) => match quiet_wait(sim) {
                        Some(wait) => format!("t = {} s: nothing sent or read. {wait}", at(*now_ms)),
                        None if playing && prev.is_some_and(|p| !p.note_only) => {
                            let last = prev.map_or(*now_ms, |p| p.since);
                            if now_ms - last < HOLD_MS {
                                return None;
                            }
                            since = last;
                            format!("t = {} s: nothing sent or read since t = {} s.", at(*now_ms), at(last))
                        }
                        None if playing => "Playing: nothing sent or read yet.".to_string(),
                        // A scene's or lesson's last step, where a skip stops: say where we are.
                        None if s.history.cursor() == s.history.authored() && s.history.cursor() == s.history.len() => {
                            format!("End of “{}”. Nothing more is sent or read in its steps: step on to let time pass, or produce a record.", s.name)
                        }
                        // About where we are, like a note: Play does not hold it.
                        None => {
                            note_only = true;
                            format!("t = {} s: nothing sent or read.", at(*now_ms))
                        }
                    },
                    // A step whose events have no sentence of their own (a setting changed): told
                    // from its command.
                    _ => s.last_command().and_then(command_told).unwrap_or_else(|| "Ready.".to_string()),
                });
            }
            Some(lines)
        });
        match (lines, prev) {
            (Some(lines), _) => Told { lines, held: false, note_only, since, playing, paused },
            (None, Some(p)) => Told { lines: p.lines.clone(), held: true, note_only: false, since: p.since, playing, paused },
            (None, None) => Told { lines: vec![String::new()], held: true, note_only: false, since, playing, paused },
        }
    });
    let sentences = Memo::new(move |_| told.with(|t| t.lines.clone()));
    // The bar is two lines tall (it never changes height, so the stage never jumps). When a step's
    // sentences need more, the type tightens first (nothing is lost), then the last sentences give
    // way on screen; screen readers hear them all.
    let shown = RwSignal::new(usize::MAX);
    let squeeze = RwSignal::new(Squeeze::None);
    let bar = NodeRef::<leptos::html::P>::new();
    // Each new text starts a fitting of its own; one still running for an older text stops.
    let fitting = StoredValue::new(0_u32);
    // The bar narrows when the editing panel opens and its type grows in the projector theme: the
    // same text is fitted again (it ran onto a third line, cut by the bottom of the page).
    let panel = use_context::<crate::ui::panel::side_panel::PanelOpen>();
    let theme = use_context::<crate::ui::chrome::session::Theme>();
    Effect::new(move |_| {
        if let Some(p) = panel {
            p.0.track();
        }
        if let Some(t) = theme {
            t.0.track();
        }
        let long = sentences.with(|lines| lines.iter().map(String::len).sum::<usize>() > SURELY_FITS);
        fitting.update_value(|g| *g = g.wrapping_add(1));
        shown.set(usize::MAX);
        squeeze.set(Squeeze::None);
        if long {
            fit(Fitting { bar, shown, squeeze, sentences, fitting, generation: fitting.get_value() });
        }
    });
    let full = move || sentences.with(|lines| lines.join(" "));
    let spoken = move || match told.with(|t| t.paused.clone()) {
        Some(paused) => format!("{paused} {}", full()),
        None => full(),
    };
    let visible = move || {
        let n = shown.get();
        sentences.with(|lines| lines[..n.min(lines.len())].join(" "))
    };
    // While playing, steps come several times a second: the region stays silent for screen
    // readers and speaks again once playback pauses or a step is taken by hand.
    let live = move || if playback.playing.get() { "off" } else { "polite" };
    view! {
        <div class="narration">
            <p class="visually-hidden" role="status" aria-live=live>{spoken}</p>
            <p class="narration-text" class:tight=move || squeeze.get() != Squeeze::None class:clamped=move || squeeze.get() == Squeeze::Clamped class:held=move || told.with(|t| t.held) aria-hidden="true" node_ref=bar
                title=move || (squeeze.get() != Squeeze::None).then(full)>{visible}</p>
        </div>
    }
}

/// How hard the bar presses a long text into its two lines.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Squeeze {
    None,
    /// Smaller type.
    Tight,
    /// Smaller type, and the one sentence left ends in "…" at the end of the second line.
    Clamped,
}

/// One text being fitted to the bar.
#[derive(Clone, Copy)]
struct Fitting {
    bar: NodeRef<leptos::html::P>,
    shown: RwSignal<usize>,
    squeeze: RwSignal<Squeeze>,
    sentences: Memo<Vec<String>>,
    fitting: StoredValue<u32>,
    generation: u32,
}

/// After the next layout, while the text overflows the bar: first tightens the type, then drops
/// the last sentence shown, one frame at a time. The first sentence (the caption, or the main
/// event) always stays; if even it runs past two lines, the bar ends it with an ellipsis.
fn fit(f: Fitting) {
    request_animation_frame(move || {
        if f.fitting.try_get_value() != Some(f.generation) {
            return;
        }
        let Some(el) = f.bar.get_untracked() else { return };
        if el.scroll_height() <= el.client_height() + 1 {
            return;
        }
        let n = f.shown.get_untracked().min(f.sentences.with_untracked(Vec::len));
        if f.squeeze.get_untracked() == Squeeze::None {
            f.squeeze.set(Squeeze::Tight);
        } else if n > 1 {
            f.shown.set(n - 1);
        } else {
            // Clamping changes what the bar measures, so it comes last and ends the fitting.
            return f.squeeze.set(Squeeze::Clamped);
        }
        fit(f);
    });
}
