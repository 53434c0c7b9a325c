//! The script set aside: a line above the narration when the user's own steps replaced the rest
//! of a scene or lesson (a Produce clicked in the middle of a demo, a "Try it" done before the
//! lesson's last chapter). It says how many of the script's steps wait, and offers them back:
//! nothing the lecturer prepared is lost to one click.
//!
//! The other way round too: a scene button, a lesson, a file or Reset replacing a timeline that
//! held steps of the user's own leaves a line offering those steps back; so does a step taken
//! after stepping back, which cuts off the user's own later steps (see `SimHandle::apply`).

use leptos::prelude::*;

use crate::state::use_sim;
use crate::ui::chrome::controls::focus_play;

/// What the line says: after which step, how many steps wait, and whose.
#[derive(Clone, PartialEq)]
struct Kept {
    at: usize,
    steps: usize,
    /// "lesson", "scene" or "demo" (see [`crate::state::SimState::script_kind`]).
    kind: &'static str,
    name: String,
}

#[component]
pub fn ScriptAside() -> impl IntoView {
    let sim = use_sim();
    // One line at a time: after "Show me" replaced an attempt (kept from this same load), its
    // line (bring back my steps) comes first; this one returns once that is settled. Steps kept
    // from an earlier load do not hold it back.
    // Where the task's own line offers Continue the lesson, that is the one way back.
    let offered = use_context::<crate::ui::chrome::lesson_bar::ContinueOffered>();
    let kept = Memo::new(move |_| {
        if offered.is_some_and(|o| o.0.get()) {
            return None;
        }
        sim.with_state(|s| {
            let k = s.history.set_aside().filter(|_| s.replaced.as_ref().is_none_or(|r| r.loads != s.loads))?;
            Some(Kept { at: k.at(), steps: k.len(), kind: s.script_kind(), name: s.name.clone() })
        })
    });
    let sentence = move || {
        kept.get().map(|k| {
            format!("Your steps after step {} replaced the {} left in “{}”.", k.at, crate::format::count(k.steps, "step"), k.name)
        })
    };
    let back = move || format!("Back to the {}", kept.with(|k| k.as_ref().map_or("scene", |k| k.kind)));
    view! {
        // The live region stays on the page, empty, so the line is announced when it comes
        // (one inserted together with its text is not).
        <div aria-live="polite"><Show when=move || kept.with(Option::is_some)>
            <div class="script-aside" role="group" aria-label="Set-aside steps">
                <p>{sentence}</p>
                <button type="button" class="small" on:click=move |_| { sim.put_back(); focus_play(); }>{back}</button>
                <button type="button" class="small" on:click=move |_| { sim.forget_set_aside(); focus_play(); }>"Keep my steps"</button>
            </div>
        </Show></div>
    }
}

/// The line offering back a timeline that a load or a reset replaced.
#[component]
pub fn ReplacedAside() -> impl IntoView {
    let sim = use_sim();
    let kept = Memo::new(move |_| sim.with_state(|s| s.replaced.as_ref().map(|old| (old.own_steps_told(), old.name.clone(), old.cut_at))));
    let sentence = move || {
        kept.get().map(|((steps, plural), name, cut)| {
            let were = if plural { "were" } else { "was" };
            match cut {
                Some(at) => format!("Your {steps} after step {at} in “{name}” {were} set aside by the step taken there."),
                None => format!("Your {steps} in “{name}” {were} set aside."),
            }
        })
    };
    let playback = expect_context::<crate::ui::chrome::controls::Playback>();
    view! {
        // The live region stays on the page, empty, so the line is announced when it comes
        // (one inserted together with its text is not).
        <div aria-live="polite"><Show when=move || kept.with(Option::is_some)>
            <div class="script-aside" role="group" aria-label="Replaced steps">
                <p>{sentence}</p>
                <button type="button" class="small" on:click=move |_| { playback.pause(); sim.bring_back(); focus_play(); }>"Bring back my steps"</button>
                <button type="button" class="small" on:click=move |_| { sim.forget_replaced(); focus_play(); }>"Dismiss"</button>
            </div>
        </Show></div>
    }
}
