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

/// The stage's signs, for someone new to Kafka: every one is on screen from the first step,
/// while the lessons explain some of them only later.
const SIGNS: [(&str, &str); 10] = [
    ("P0 ★B3", "Partition 0 of the topic, a log of its own; broker 3 leads it (★)."),
    ("a cell", "A record: its offset in the partition, then its key. Click it for the whole record."),
    ("next", "The log end offset: the offset the next record gets."),
    ("HW, yellow line", "High watermark: consumers read only the records left of it, those the in-sync replicas all have."),
    ("E under a cell", "A consumer group (its first letter): solid where it reads next, hollow at its committed offset."),
    ("lag · N left", "Records a group has not committed yet · records an instance has not read yet."),
    ("P1 ★2 on a broker", "The broker's replica of partition 1, ★ if it leads; 2 is its log end offset."),
    ("ISR", "In-sync replicas: those caught up with the leader. acks=all waits for all of them."),
    ("idempotent", "The producer numbers its records, so a send it retries is written once."),
    ("Simplified", "Where this simulation differs from Kafka, said beside what it simplifies."),
];

/// The button that opens the keyboard help.
#[component]
pub fn HelpButton() -> impl IntoView {
    let playback = expect_context::<Playback>();
    view! {
        <button type="button" class="help-button" aria-keyshortcuts="?" aria-label="Keys (?)" title="Keyboard shortcuts"
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
