//! The help overlay (`?`): what the stage's signs mean, and the keyboard shortcuts.

use leptos::prelude::*;

use crate::ui::chrome::controls::Playback;
use crate::ui::modal::Modal;

const KEYS: [(&str, &str); 13] = [
    ("Space or .", "Play / Pause"),
    ("→", "Step forward one step"),
    ("Page Down, Shift+→ or N", "Skip the quiet steps: forward to the next thing that happens (a clicker's next)"),
    ("←", "Step back one step"),
    ("Page Up or Shift+←", "Back over the quiet steps, to the previous thing that happened"),
    ("+", "Faster"),
    ("−", "Slower"),
    ("E", "Open or close the editing panel"),
    ("H", "Hide the editing panel"),
    ("B", "Blank the screen (B or Esc shows it again)"),
    ("F", "Full screen on or off"),
    ("P", "Projector theme on or off: light and high contrast"),
    ("?", "Show or hide this help; Esc closes"),
];

/// The stage's signs, for someone new to Kafka, one line each: the lessons explain some of
/// them only later, and some (striped cells, lost records) show only when brokers fail.
const SIGNS: [(&str, &str); 14] = [
    ("P0 ★B3", "Partition 0 of the topic, a log of its own; broker 3 leads it (★)."),
    ("a cell", "A record: its offset, then its key. Click it for the whole record."),
    ("striped cell", "Not yet on every in-sync replica: no consumer reads it yet."),
    ("start · end, next", "The oldest offset kept · the log end offset, the next record's."),
    ("HW, yellow line", "High watermark: consumers read only the records left of it, those every in-sync replica has."),
    ("E under a cell", "A group (its first letter): solid where it reads next, hollow at its committed offset."),
    ("read 3 4", "The offsets an instance read last, in their partition's colour; hollow: not processed yet."),
    ("lag · N left", "Not yet committed by the group · not yet read by the instance."),
    ("P1 ★2 on a broker", "Its replica of partition 1 (★: the leader), log end offset 2."),
    ("ISR", "In-sync replicas, caught up with the leader; acks=all waits for them."),
    ("lost · retry", "A new leader lacks its old leader's last records: lost for good, or sent again (retry)."),
    ("not on leader", "The old leader's copy of them, under the lane: it drops them once it catches up."),
    ("idempotent", "The producer numbers records: a retried send is written once."),
    ("Simplified", "Where this simulation differs from Kafka, said where it does."),
];

/// The button that opens the help: the stage's signs, then the keyboard shortcuts.
#[component]
pub fn HelpButton() -> impl IntoView {
    let playback = expect_context::<Playback>();
    view! {
        <button type="button" class="help-button" aria-keyshortcuts="?" aria-label="Help (?)" title="Help: how to read the stage, and the keyboard shortcuts"
            on:click=move |_| playback.help_open.set(true)>"?"</button>
    }
}

/// The blanked screen (presenter key `B`): black, until `B`, Esc or a click.
#[component]
pub fn Blank() -> impl IntoView {
    let playback = expect_context::<Playback>();
    view! {
        <Show when=move || playback.blank.get()>
            <div class="blank" role="dialog" aria-label="Screen blanked: press B to show it again" on:click=move |_| playback.blank.set(false)></div>
        </Show>
    }
}

#[component]
pub fn HelpOverlay() -> impl IntoView {
    let playback = expect_context::<Playback>();
    view! {
        <Modal open=playback.help_open on_close=Callback::new(move |_| playback.help_open.set(false)) labelledby="help-signs help-title" class="help">
            <div class="help-columns">
                <section>
                    <h2 id="help-signs">"Reading the stage"</h2>
                    <dl class="keys signs">
                        {SIGNS.iter().map(|(sign, what)| view! { <dt>{*sign}</dt><dd>{*what}</dd> }).collect_view()}
                    </dl>
                </section>
                <section>
                    <h2 id="help-title">"Keyboard shortcuts"</h2>
                    <dl class="keys">
                        {KEYS.iter().map(|(k, what)| view! { <dt><kbd>{*k}</kbd></dt><dd>{*what}</dd> }).collect_view()}
                    </dl>
                </section>
            </div>
            // Speech input types words as keystrokes: a dictated "be" would blank the screen.
            <label class="check">
                <input type="checkbox" prop:checked=move || playback.letter_keys.get()
                    on:change=move |ev| {
                        let on = event_target_checked(&ev);
                        playback.letter_keys.set(on);
                        crate::persist::save_letter_keys(on);
                    }/>
                "Single-character keys (N . + − E H B F P ?); off for speech input: the arrows, Page Up and Down, Space and Esc still work"
            </label>
            // The dialog opens on Close (Enter or Space closes it again), not on the checkbox.
            <button type="button" data-initial-focus on:click=move |_| playback.help_open.set(false)>"Close"</button>
        </Modal>
    }
}
