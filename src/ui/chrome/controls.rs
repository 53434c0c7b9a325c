//! Playback: Play/Pause, Step back/forward, Reset, Speed and the Timeline, plus the keyboard.
//!
//! Keys (ignored while typing in a field): Space or `.` play/pause, Right/Left step one step,
//! PageDown/PageUp (what presenter clickers send), Shift+Right/Left or `N` skip the quiet steps to
//! the next (previous) thing that happens, `+`/`-` speed, `E` editing panel, `H` hide it, `B` blank
//! the screen, `F` full screen, `P` projector theme, `?` help, Escape closes the blank, a dialog,
//! then the editing panel. Playing steps forward on a timer; at the end of the recorded timeline
//! each step advances simulated time by one tick.

use std::time::Duration;

use leptos::ev;
use leptos::prelude::*;

use crate::state::use_sim;
use crate::ui::chrome::narration::worth_stopping_at;

/// Most steps one "skip the quiet steps" key passes (a minute of simulated time at 100 ms a
/// tick), so a timeline where nothing more happens does not run on forever.
pub const QUIET_STEPS: usize = 600;

/// Forward to the next step with something to tell, passing over quiet ticks: a lecturer's
/// clicker, Shift+Right, `N` and a lesson's Next (which also passes over a lesson's long waits:
/// see [`worth_stopping_at`]). Inside the recorded timeline it stops at its end at the latest (a
/// lesson's last step is a place to stop); past the end it ticks on, at most [`QUIET_STEPS`]
/// ticks, and keeps them only if one is worth telling.
pub fn skip_forward(sim: crate::state::SimHandle) {
    let left = sim.with_state_untracked(|s| s.history.len().saturating_sub(s.history.cursor()));
    let limit = if left > 0 { left.min(QUIET_STEPS) } else { QUIET_STEPS };
    sim.step_until(limit, worth_stopping_at);
}

/// Back to the previous step with something to tell (or step 0).
pub fn skip_back(sim: crate::state::SimHandle) {
    sim.step_back_until(QUIET_STEPS, worth_stopping_at);
}

/// Most quiet ticks one beat of Play passes: where nothing is sent, read or removed (a session
/// timeout running out, retention waiting), time runs ten times as fast, and stops at once for
/// the next thing that happens. A second of simulated time: Play at 2/s never runs more than
/// twice as fast as the clock on the wall.
pub const PLAY_BEAT: usize = 10;

/// The focus onto Play, for a button that takes itself or its line away: where a lecturer goes on.
pub fn focus_play() {
    crate::ui::focus_on(".controls .play");
}

/// Steps per second at the slowest and fastest speed.
pub const SPEEDS: std::ops::RangeInclusive<u32> = 1..=10;

/// What a speed means: Play takes this many steps a second, passing quiet ticks up to
/// [`PLAY_BEAT`] at a time.
fn steps_a_second(speed: u32) -> String {
    format!("{} a second", crate::format::count(speed as usize, "step"))
}

/// Playback state shared by the controls, the keyboard and the presets.
#[derive(Clone, Copy)]
pub struct Playback {
    pub playing: RwSignal<bool>,
    /// Steps per second.
    pub speed: RwSignal<u32>,
    pub help_open: RwSignal<bool>,
    /// The screen is blanked (presenter key `B`).
    pub blank: RwSignal<bool>,
    /// The single-character keys act (N, `.`, +, −, E, H, B, F, P, ?). Speech input types words as
    /// keystrokes, so they can be turned off in the help (WCAG 2.1.4); the arrows, Page Up and
    /// Down, Space and Esc go on working.
    pub letter_keys: RwSignal<bool>,
}

impl Playback {
    pub fn new() -> Playback {
        Playback {
            playing: RwSignal::new(false),
            speed: RwSignal::new(2),
            help_open: RwSignal::new(false),
            blank: RwSignal::new(false),
            letter_keys: RwSignal::new(crate::persist::letter_keys()),
        }
    }
    pub fn pause(&self) {
        self.playing.set(false);
    }
    pub fn toggle(&self) {
        self.playing.update(|p| *p = !*p);
    }
    pub fn faster(&self) {
        self.speed.update(|s| *s = (*s + 1).min(*SPEEDS.end()));
    }
    pub fn slower(&self) {
        self.speed.update(|s| *s = s.saturating_sub(1).max(*SPEEDS.start()));
    }
}

impl Default for Playback {
    fn default() -> Self {
        Playback::new()
    }
}

/// Keys the page should leave alone: typing in a text field, a list or the editing panel's
/// forms; Space on a checkbox; the arrows, Home and End on a slider (a presenter's Page Up and
/// Down still step); and Space on a button in the editing panel or a dialog, or on any button
/// while the focus came with Tab (`tabbed`: since the last press of a mouse or finger), which
/// presses it. Space on a button clicked with the mouse plays or pauses, as the help says: a
/// lecturer who clicked a scene and then pressed Space would otherwise load the scene again.
/// (The browser's own `:focus-visible` cannot tell them apart: any key pressed after the click
/// turns the ring on.)
fn belongs_to_target(ev: &web_sys::KeyboardEvent, tabbed: bool) -> bool {
    let Some(element) = ev.target().and_then(|t| wasm_bindgen::JsCast::dyn_into::<web_sys::Element>(t).ok()) else { return false };
    let key = ev.key();
    match element.tag_name().as_str() {
        "TEXTAREA" | "SELECT" => true,
        "INPUT" => match element.get_attribute("type").unwrap_or_default().as_str() {
            "range" => matches!(key.as_str(), "ArrowLeft" | "ArrowRight" | "ArrowUp" | "ArrowDown" | "Home" | "End"),
            "checkbox" | "radio" | "file" => key == " ",
            // A one-line field has no pages: a clicker's Page Up and Down still step the stage
            // after a key typed and sent with Enter.
            "" | "text" => !matches!(key.as_str(), "PageDown" | "PageUp"),
            _ => true,
        },
        "BUTTON" | "SUMMARY" => {
            key == " " && (tabbed || element.closest(".side-panel, dialog").ok().flatten().is_some())
        }
        _ => false,
    }
}

/// Full screen on, or off again (presenter key `F`).
fn toggle_fullscreen() {
    let Some(document) = web_sys::window().and_then(|w| w.document()) else { return };
    if document.fullscreen_element().is_some() {
        document.exit_fullscreen();
    } else if let Some(root) = document.document_element() {
        let _ = root.request_fullscreen();
    }
}

/// Whether Play stops here: under a lesson, where a chapter or a task begins, and at the
/// lesson's own end, so that a class does not play on past the page it is meant to read (the
/// retention chapter's deletion, then the next chapter, went by in one run).
fn turns_a_page(s: &crate::state::SimState) -> bool {
    !s.history.chapters().is_empty() && (s.history.cursor() == s.history.authored() || s.page_begins())
}

/// The playback toolbar; `children` are extra actions at its right end.
#[component]
pub fn Controls(children: Children) -> impl IntoView {
    let sim = use_sim();
    let playback = expect_context::<Playback>();
    let selection = expect_context::<crate::ui::chrome::inspector::Selection>().0;
    let panel = expect_context::<crate::ui::panel::side_panel::PanelOpen>();
    let theme = use_context::<crate::ui::chrome::session::Theme>();
    let notice = crate::ui::chrome::notice::use_notice();
    let timer = StoredValue::new(None::<IntervalHandle>);
    Effect::new(move |_| {
        if let Some(handle) = timer.get_value() {
            handle.clear();
        }
        let period = Duration::from_millis(1000 / u64::from(playback.speed.get().max(1)));
        let beat = move || {
            sim.play_beat(PLAY_BEAT, crate::ui::chrome::narration::worth_telling);
            if sim.with_state_untracked(turns_a_page) {
                playback.pause();
            }
        };
        let handle = playback.playing.get().then(|| set_interval_with_handle(beat, period).ok()).flatten();
        timer.set_value(handle);
    });
    on_cleanup(move || {
        if let Some(handle) = timer.get_value() {
            handle.clear();
        }
    });
    let tabbed = StoredValue::new(false);
    let pointer = window_event_listener(ev::pointerdown, move |_| tabbed.set_value(false));
    on_cleanup(move || pointer.remove());
    let keys = window_event_listener(ev::keydown, move |ev| {
        if ev.ctrl_key() || ev.meta_key() || ev.alt_key() {
            return;
        }
        let key = ev.key();
        if key == "Tab" {
            tabbed.set_value(true);
        }
        // A blanked screen shows nothing, so nothing else happens behind it either.
        if playback.blank.get_untracked() && !matches!(key.as_str(), "b" | "B" | "Escape") {
            ev.prevent_default();
            return;
        }
        // Any open dialog (the help, the inspector, the real commands) covers the stage.
        let dialog = document().query_selector("dialog[open]").ok().flatten().is_some();
        if key == "Escape" {
            // One thing at a time: the blank, a dialog (it closes itself), a notice (it covers
            // part of the stage), then the panel.
            let covered = playback.blank.get_untracked() || dialog;
            let noticed = !covered && notice.0.with_untracked(Option::is_some);
            playback.help_open.set(false);
            playback.blank.set(false);
            selection.set(None);
            if noticed {
                notice.report(None);
            }
            if !covered && !noticed && panel.0.get_untracked() && !ev.default_prevented() {
                panel.0.set(false);
            }
            return;
        }
        // Behind a dialog the stage stands still: its keys are the dialog's own.
        if dialog || belongs_to_target(&ev, tabbed.get_value()) {
            return;
        }
        if key.chars().count() == 1 && key != " " && !playback.letter_keys.get_untracked() {
            return;
        }
        if matches!(key.as_str(), "ArrowRight" | "ArrowLeft" | "PageDown" | "PageUp" | "n" | "N") {
            playback.pause();
        }
        match key.as_str() {
            " " | "." => playback.toggle(),
            // A clicker's Page Down passes over quiet ticks: a lesson waiting 35 s for retention
            // is one click, not 350. The arrows alone take one step.
            "PageDown" | "n" | "N" => skip_forward(sim),
            "ArrowRight" if ev.shift_key() => skip_forward(sim),
            "ArrowRight" => sim.step_forward(),
            "PageUp" => skip_back(sim),
            "ArrowLeft" if ev.shift_key() => skip_back(sim),
            "ArrowLeft" => sim.step_back(),
            "+" | "=" => playback.faster(),
            "-" | "_" => playback.slower(),
            "?" => playback.help_open.update(|o| *o = !*o),
            "e" | "E" => panel.toggle(),
            "h" | "H" => panel.0.set(false),
            "b" | "B" => playback.blank.update(|b| *b = !*b),
            "f" | "F" => toggle_fullscreen(),
            "p" | "P" => match theme {
                Some(theme) => theme.toggle(),
                None => return,
            },
            _ => return,
        }
        ev.prevent_default();
    });
    on_cleanup(move || keys.remove());

    let cursor = move || sim.with_state(|s| s.history.cursor());
    let length = move || sim.with_state(|s| s.history.len());
    let clock = move || sim.with(|s| format!("t = {} s", crate::format::seconds(s.now_ms() - s.config().start_time_ms)));
    view! {
        <div class="controls" role="toolbar" aria-label="Playback">
            <button type="button" class="play" on:click=move |_| playback.toggle()>
                {move || if playback.playing.get() { "Pause" } else { "Play" }}
            </button>
            // aria-disabled rather than disabled: a button that disables itself under the focus
            // would drop the focus to the page.
            // A step by hand takes over from Play: a lecturer who steps back to say something again
            // is not carried on at once.
            <button type="button" on:click=move |_| { playback.pause(); sim.step_back(); } aria-disabled=move || (!sim.with_state(|s| s.history.can_step_back())).to_string()>"Step back"</button>
            <button type="button" on:click=move |_| { playback.pause(); sim.step_forward(); }>"Step forward"</button>
            <button type="button" on:click=move |_| { playback.pause(); sim.reset(); } title="Back to the first step: a scene or lesson from its step 0 (steps of your own can be brought back), your own session at step 0">"Reset"</button>
            // "2/s" on screen (the toolbar has no room to spare at 1280 px): steps, not records, a
            // second, as the title and a screen reader say.
            <label class="slider" title=move || format!("{}; quiet ticks pass ten at a time", steps_a_second(playback.speed.get()))>
                "Speed"
                <input type="range" min=*SPEEDS.start() max=*SPEEDS.end() prop:value=move || playback.speed.get()
                    aria-valuetext=move || steps_a_second(playback.speed.get())
                    on:input=move |ev| playback.speed.set(event_target_value(&ev).parse().unwrap_or(2))/>
                <span class="slider-value" aria-hidden="true">{move || format!("{}/s", playback.speed.get())}</span>
            </label>
            <label class="slider timeline">
                "Timeline"
                <input type="range" min="0" max=length prop:value=cursor
                    on:input=move |ev| { playback.pause(); sim.seek(event_target_value(&ev).parse().unwrap_or(0)); }/>
                // The step is as wide as the timeline's length: the slider keeps its width while
                // the count grows from 9 to 10 to 100 during Play.
                // Room for the step to grow to the length's digits (the words take about 5.5ch), set
                // right: the gap stays left of the words, not inside "step   4 / 72". From a
                // thousand steps on the count drops its "step", so the slider keeps room to drag
                // (the label says Timeline, and a screen reader hears the slider's value).
                <span class="slider-value step-count" style:min-width=move || {
                    let digits = length().to_string().len();
                    format!("{}ch", 2 * digits + if digits < 4 { 6 } else { 2 })
                }>
                    {move || if length() < 1000 { format!("step {} / {}", cursor(), length()) } else { format!("{} / {}", cursor(), length()) }}
                </span>
                // Short on screen (the toolbar has no room to spare at 1280 px), said in full.
                <span class="slider-value folded" hidden=move || sim.with_state(|s| s.history.folded() == 0)
                    title=move || sim.with_state(|s| format!("{} earlier steps were folded into the timeline's start to keep memory bounded", s.history.folded()))
                    aria-label=move || sim.with_state(|s| format!("{} earlier steps folded", s.history.folded()))>
                    {move || sim.with_state(|s| format!("+{}", s.history.folded()))}
                </span>
            </label>
            <span class="clock">{clock}</span>
            {children()}
        </div>
    }
}
