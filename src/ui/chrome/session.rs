//! The session around the stage: which state the URL names, what a reload restores, links to
//! share, and the lesson menu.
//!
//! - On start the URL wins (a lesson step or a shared link), then the saved session, then the
//!   default scene. A lesson step reopens the saved session when it is that lesson, so the steps a
//!   student added in a Try-it task survive a reload; a saved copy of a scene or lesson that a
//!   newer build has reworded gives way to the shipped one, with a notice. A link or saved session
//!   that cannot be opened leaves the stage as it is and says why.
//! - In a lesson every step gets its own URL (pushed to the browser history, so Back and Forward
//!   step through it); elsewhere the fragment is cleared and the session is saved to the browser
//!   instead, at most once a second while playing.
//! - Embedded in slides (`?embed`), the page follows `postMessage` commands from the deck and
//!   reports every step back (see the README).

use std::time::Duration;

use kafkascope_engine::Scenario;
use leptos::prelude::*;
use wasm_bindgen::JsCast;

use crate::persist;
use crate::route::{self, Route};
use crate::scene::{lesson, Source, LESSONS};
use crate::state::{use_sim, SimHandle};
use crate::ui::chrome::notice::{use_notice, Notice};

fn location() -> Option<web_sys::Location> {
    web_sys::window().map(|w| w.location())
}

fn current_fragment() -> String {
    location().and_then(|l| l.hash().ok()).unwrap_or_default()
}

/// Replaces (or pushes) the URL fragment without reloading; `""` clears it.
fn set_fragment(fragment: &str, push: bool) {
    let Some(window) = web_sys::window() else { return };
    let Ok(history) = window.history() else { return };
    let path = location().and_then(|l| Some(format!("{}{}", l.pathname().ok()?, l.search().ok()?))).unwrap_or_default();
    let url = format!("{path}{fragment}");
    let _ = if push {
        history.push_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(&url))
    } else {
        history.replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(&url))
    };
}

/// Whether the page was asked to hide its chrome for an iframe (`?embed`).
pub fn embedded() -> bool {
    location().and_then(|l| l.search().ok()).is_some_and(|s| s.trim_start_matches('?').split('&').any(|p| p == "embed" || p.starts_with("embed=")))
}

/// Where to find the lessons, for a sentence about an address: the menu, or (embedded, where
/// there is no menu) their names.
fn lessons_are() -> String {
    if embedded() {
        format!("The lessons are {}.", LESSONS.iter().map(|l| l.slug).collect::<Vec<_>>().join(", "))
    } else {
        "Pick one from the Lessons menu.".to_string()
    }
}

/// Opens what a URL fragment names. Returns `false` when it opened nothing (then the saved
/// session is): it names nothing, or it cannot be followed, which it says. A refused address is
/// taken out of the address bar, so that a reload does not refuse it again and open the default
/// scene over the session it said it left unchanged.
fn open_route(sim: SimHandle, notice: Notice, fragment: &str) -> bool {
    let refused = |sentence: String| {
        notice.report(Some(sentence));
        set_fragment(&fragment_of(sim).unwrap_or_default(), false);
        false
    };
    match route::parse(fragment) {
        Route::Lesson { slug, step } => {
            let Some(index) = lesson(&slug) else {
                let named = if slug.is_empty() { "This address names no lesson.".to_string() } else { format!("There is no lesson '{slug}'.") };
                return refused(format!("{named} {}", lessons_are()));
            };
            // A new address: whatever was said about the last one no longer holds.
            notice.report(None);
            let loaded = sim.with_state_untracked(|s| s.source == Source::Lesson(index));
            if !loaded && !restore_lesson(sim, notice, index) {
                if let Err(e) = sim.load(Source::Lesson(index)) {
                    return refused(e.to_string());
                }
            }
            sim.seek(step);
            // A step past the end opens the last one, and says so (a number mistyped), unless a
            // sentence already says why: steps a student added that could not be restored.
            let (last, name) = sim.with_state_untracked(|s| (s.history.len(), s.name.clone()));
            if step > last && notice.0.with_untracked(Option::is_none) {
                notice.report(Some(format!("'{name}' has steps 0 to {last}: this is its last step.")));
            }
            true
        }
        Route::Link(payload) => {
            match Scenario::from_link_payload(&payload).and_then(|(scenario, cursor)| sim.open(&scenario, cursor, Source::Opened)) {
                Ok(()) => {
                    notice.report(None);
                    true
                }
                Err(e) => refused(format!("This link could not be opened: {e} The stage is unchanged.")),
            }
        }
        Route::BadStep { slug, step } => {
            let opened = open_route(sim, notice, &route::lesson(&slug, 0));
            if lesson(&slug).is_some() {
                notice.report(Some(format!("'{step}' is not a step of a lesson: steps are numbered 0, 1, 2, ... This is the lesson's first step.")));
            }
            opened
        }
        Route::Unknown(fragment) => {
            refused(format!("The address '{fragment}' names nothing here: a lesson's is #/lesson/<name>/<step>, a shared state's #/s/... {}", lessons_are()))
        }
        Route::None => false,
    }
}

/// Whether a saved scenario may stand for `source`: anything not built in may; a built-in scene or
/// lesson only while the saved copy is it as shipped plus steps taken on the stage (a newer build
/// may have reworded it, and then the shipped text wins).
fn still_current(scenario: &Scenario, source: Source) -> bool {
    source.entry().is_none_or(|entry| entry.scenario().is_ok_and(|shipped| scenario.extends(&shipped)))
}

/// A reload of a lesson step: the session saved in this browser, if it is this lesson, holds the
/// steps a student added in its Try-it tasks, which the lesson's own file does not.
fn restore_lesson(sim: SimHandle, notice: Notice, index: usize) -> bool {
    let Some((payload, key)) = persist::saved_session() else { return false };
    let source = Source::Lesson(index);
    if Source::from_key(key.as_deref()) != source {
        return false;
    }
    let Ok((scenario, _)) = Scenario::from_link_payload(&payload) else { return false };
    if !still_current(&scenario, source) {
        notice.report(Some(changed_since_saved(&scenario.name)));
        return false;
    }
    let opened = sim.open(&scenario, 0, source).is_ok();
    if opened {
        sim.restore_credit(persist::saved_credit());
    }
    opened
}

fn changed_since_saved(name: &str) -> String {
    format!("'{name}' has changed since this browser saved your session, so it opens as it now ships; what you added to it is gone.")
}

fn restore_saved(sim: SimHandle, notice: Notice) {
    let Some((payload, key)) = persist::saved_session() else { return };
    let source = Source::from_key(key.as_deref());
    let opened = Scenario::from_link_payload(&payload).and_then(|(scenario, cursor)| {
        if still_current(&scenario, source) {
            sim.open(&scenario, cursor, source)?;
            sim.restore_credit(persist::saved_credit());
            set_aside_saved_script(sim, &scenario, source);
            return Ok(());
        }
        sim.load(source)?;
        sim.seek(cursor);
        notice.report(Some(changed_since_saved(&scenario.name)));
        Ok(())
    });
    if let Err(e) = opened {
        persist::forget_session();
        notice.report(Some(format!("The saved session could not be restored: {e} It was discarded.")));
        return;
    }
    // Steps a load set aside before the reload are offered back as they were (unless what they
    // were taken in has since been reworded).
    let Some((payload, key)) = persist::saved_replaced() else { return };
    let source = Source::from_key(key.as_deref());
    if let Some((scenario, cursor)) = Scenario::from_link_payload(&payload).ok().filter(|(s, _)| still_current(s, source)) {
        let _ = sim.keep_aside(&scenario, cursor, source);
    }
}

/// The script the restored session's own steps cut, if it was not a built-in one (a built-in
/// scene's or lesson's is its shipped file, see `opened_history`): offered back again, provided
/// the session still begins as the script did up to the cut.
fn set_aside_saved_script(sim: SimHandle, restored: &Scenario, source: Source) {
    if source.entry().is_some() {
        return;
    }
    let script = persist::saved_script().and_then(|p| Scenario::from_link_payload(&p).ok());
    if let Some((script, at)) = script.filter(|(script, at)| restored.shared_steps(script) >= *at) {
        sim.set_aside_from(&script, at);
    }
}

/// The URL fragment the current state should have, if it has one of its own. A lesson played on
/// until its oldest steps were folded away has none: its step numbers no longer count from the
/// lesson's start, and the link would open another step.
fn fragment_of(sim: SimHandle) -> Option<String> {
    sim.with_state(|s| match s.source {
        Source::Lesson(i) if s.history.folded() == 0 => Some(route::lesson(LESSONS[i].slug, s.history.cursor())),
        _ => None,
    })
}


/// Wires the URL, the saved session and the embedding API to the simulation. Renders nothing.
#[component]
pub fn SessionKeeper() -> impl IntoView {
    let sim = use_sim();
    let notice = use_notice();
    let playback = expect_context::<crate::ui::chrome::controls::Playback>();
    if !open_route(sim, notice, &current_fragment()) {
        restore_saved(sim, notice);
    }
    // Back, Forward, a typed URL or a clicked lesson link: a lesson opens paused, on its first
    // caption, as a scene button does (Play went on into it and ran past its opening).
    let hash = window_event_listener(leptos::ev::hashchange, move |_| {
        let fragment = current_fragment();
        if Some(&fragment) != fragment_of(sim).as_ref() {
            playback.pause();
            open_route(sim, notice, &fragment);
        }
    });
    on_cleanup(move || hash.remove());
    // The fragment follows lesson steps; other states clear it and are saved instead.
    Effect::new(move |_| match fragment_of(sim) {
        Some(fragment) if fragment != current_fragment() => set_fragment(&fragment, true),
        Some(_) => {}
        None if !current_fragment().is_empty() => set_fragment("", false),
        None => {}
    });
    autosave(sim, notice);
    embedding(sim);
}

/// Saves the session after each change, at most once a second (and once more after the last),
/// and at once when the page goes away: a reload right after a step keeps it. A session grown
/// past what a saved copy holds keeps the last copy that fit, and says so once.
fn autosave(sim: SimHandle, notice: Notice) {
    let last_saved = StoredValue::new(0.0_f64);
    let pending = StoredValue::new(false);
    let told_too_large = StoredValue::new(false);
    // What was set aside changes only with a load, a "Show me" or its own buttons: it is written
    // again only then.
    let replaced_saved = StoredValue::new(None);
    // And what a step of the user's cut from a script: only when that changes.
    let script_saved = StoredValue::new(None);
    let save = move || {
        let replaced = sim.with_state_untracked(|s| s.replaced.as_ref().map(|r| (r.serial, r.loads, r.history.len(), r.history.cursor())));
        if replaced != replaced_saved.get_value() {
            replaced_saved.set_value(replaced);
            let kept = sim.replaced_payload();
            persist::save_replaced(kept.as_ref().map(|(payload, source)| (payload.as_str(), source.as_deref())));
        }
        let script = sim.with_state_untracked(|s| (s.loads, s.history.set_aside().map(|k| (k.at(), k.len()))));
        if Some(script) != script_saved.get_value() {
            script_saved.set_value(Some(script));
            persist::save_script(sim.script_payload().as_deref());
        }
        pending.set_value(false);
        last_saved.set_value(js_sys::Date::now());
        match sim.exportable() {
            Ok((_, cursor, json)) => {
                told_too_large.set_value(false);
                let source = sim.with_state_untracked(|s| s.source.key());
                persist::save_session(&Scenario::link_payload_of(&json, cursor), source.as_deref());
                sim.with_state_untracked(|s| persist::save_credit(&s.credit));
            }
            // Folded timelines are not saved either, and say so when exported.
            Err(why) if sim.not_exportable().is_none() && !told_too_large.get_value() => {
                told_too_large.set_value(true);
                notice.report(Some(why));
            }
            Err(_) => {}
        }
    };
    Effect::new(move |_| {
        sim.with_state(|s| s.serial);
        if js_sys::Date::now() - last_saved.get_value() >= 1000.0 {
            save();
        } else if !pending.get_value() {
            pending.set_value(true);
            set_timeout(move || if pending.get_value() { save() }, Duration::from_millis(1000));
        }
    });
    let leaving = window_event_listener_untyped("pagehide", move |_| {
        if pending.get_value() {
            save();
        }
    });
    // Another tab of this browser saved its session over this one's (each tab keeps its own
    // timeline, and a reload opens the last one saved). This tab's, if it holds anything of the
    // user's, goes where a load's set-aside timeline goes, so a reload in either tab offers it
    // back; this tab's next save takes that place back for what it set aside itself (and the
    // other tab, hearing of that save, then keeps its own there).
    let other_tab = window_event_listener(leptos::ev::storage, move |ev: web_sys::StorageEvent| {
        if ev.key().as_deref() != Some(persist::SESSION_KEY) || !sim.with_state_untracked(|s| s.own_input()) {
            return;
        }
        let Some((payload, source)) = sim.saved_copy() else { return };
        persist::save_replaced(Some((&payload, source.as_deref())));
        replaced_saved.set_value(Some((u64::MAX, u64::MAX, usize::MAX, usize::MAX)));
        notice.report(Some("Another Kafkascope tab saved its session in this browser, so a reload opens that one; this tab's steps are kept aside, and a reload offers them back.".into()));
    });
    on_cleanup(move || {
        leaving.remove();
        other_tab.remove();
    });
}

/// Embedded in a slide deck: commands arrive by `postMessage`, every step is reported back.
///
/// Messages in: `{type: "next"}`, `{type: "previous"}`, `{type: "goto", step: N}`,
/// `{type: "load", lesson: "<slug>", step?: N}`. Messages out, to the parent window:
/// `{type: "stepchanged", step, steps, lesson}`, and `{type: "error", message}` for a load refused.
fn embedding(sim: SimHandle) {
    let notice = use_notice();
    let messages = window_event_listener(leptos::ev::message, move |ev: web_sys::MessageEvent| {
        let data = ev.data();
        let field = |name: &str| js_sys::Reflect::get(&data, &name.into()).ok();
        let kind = field("type").and_then(|v| v.as_string()).unwrap_or_default();
        let step = field("step").and_then(|v| v.as_f64()).filter(|n| *n >= 0.0).map(|n| n as usize);
        match kind.as_str() {
            "next" => sim.step_forward(),
            "previous" => sim.step_back(),
            "goto" => sim.seek(step.unwrap_or(0)),
            "load" => {
                let slug = field("lesson").and_then(|v| v.as_string()).unwrap_or_default();
                open_route(sim, notice, &route::lesson(&slug, step.unwrap_or(0)));
                // The deck hears of a refusal too, not only the slide.
                if let Some(problem) = notice.0.get_untracked() {
                    let message = js_sys::Object::new();
                    let _ = js_sys::Reflect::set(&message, &"type".into(), &"error".into());
                    let _ = js_sys::Reflect::set(&message, &"message".into(), &problem.into());
                    post_to_parent(&message);
                }
            }
            _ => {}
        }
    });
    on_cleanup(move || messages.remove());
    Effect::new(move |_| {
        let (step, steps, lesson) = sim.with_state(|s| {
            let lesson = match s.source {
                Source::Lesson(i) => Some(LESSONS[i].slug),
                _ => None,
            };
            (s.history.cursor(), s.history.len(), lesson)
        });
        let message = js_sys::Object::new();
        let set = |k: &str, v: wasm_bindgen::JsValue| {
            let _ = js_sys::Reflect::set(&message, &k.into(), &v);
        };
        set("type", "stepchanged".into());
        set("step", (step as f64).into());
        set("steps", (steps as f64).into());
        set("lesson", lesson.map_or(wasm_bindgen::JsValue::NULL, Into::into));
        post_to_parent(&message);
    });
}

/// Sends a message to the page that frames this one, if one does.
fn post_to_parent(message: &js_sys::Object) {
    let Some(window) = web_sys::window() else { return };
    let Ok(Some(parent)) = window.parent() else { return };
    if parent != window {
        let _ = parent.post_message(message, "*");
    }
}

/// "Copy link": the URL of this exact state, copied to the clipboard and shown to copy by hand.
/// The clipboard exists only on a secure page (https or localhost): a page served over plain http
/// on a lecture hall's network has none, and its link is then there to copy by hand, selected
/// for Ctrl+C. The link is of the state when it was made: the box names that step, so a link
/// made while playing does not pass for one of the step on the stage now.
#[component]
pub fn CopyLink() -> impl IntoView {
    let sim = use_sim();
    let link = RwSignal::new(None::<(String, usize)>);
    let copied = RwSignal::new(false);
    let notice = use_notice();
    let field = NodeRef::<leptos::html::Input>::new();
    let button = NodeRef::<leptos::html::Button>::new();
    Effect::new(move |_| {
        if let Some(input) = field.get() {
            let _ = input.focus();
        }
    });
    let copy = move |_| {
        let (_, cursor, json) = match sim.exportable() {
            Ok(it) => it,
            Err(why) => return notice.report(Some(why)),
        };
        let Some(l) = location() else { return };
        let base = format!("{}{}{}", l.origin().unwrap_or_default(), l.pathname().unwrap_or_default(), l.search().unwrap_or_default());
        let url = format!("{base}{}", route::link(&Scenario::link_payload_of(&json, cursor)));
        copied.set(false);
        if let Some(window) = web_sys::window().filter(web_sys::Window::is_secure_context) {
            let done = wasm_bindgen_futures::JsFuture::from(window.navigator().clipboard().write_text(&url));
            leptos::task::spawn_local(async move { copied.set(done.await.is_ok()) });
        }
        link.set(Some((url, cursor)));
    };
    let close = move || {
        link.set(None);
        if let Some(b) = button.get_untracked() {
            let _ = b.focus();
        }
    };
    // Open, it covers the "+ group" buttons below it: a press anywhere else puts it away (the
    // focus goes where that press puts it). Its own button copies again.
    let popover = NodeRef::<leptos::html::Div>::new();
    let outside = window_event_listener(leptos::ev::pointerdown, move |ev| {
        let Some(open) = popover.get_untracked().filter(|_| link.with_untracked(Option::is_some)) else { return };
        let target = ev.target().and_then(|t| t.dyn_into::<web_sys::Node>().ok());
        let inside = |node: &web_sys::Node| open.contains(Some(node)) || button.get_untracked().is_some_and(|b| b.contains(Some(node)));
        if !target.as_ref().is_some_and(inside) {
            link.set(None);
        }
    });
    on_cleanup(move || outside.remove());
    view! {
        <button type="button" node_ref=button on:click=copy>"Copy link"</button>
        <Show when=move || link.with(Option::is_some)>
            <div class="link-popover" node_ref=popover role="dialog" aria-label="Link to this state"
                on:keydown=move |ev| if ev.key() == "Escape" { ev.prevent_default(); close(); }>
                <label for="state-link">{move || {
                    let step = link.with(|l| l.as_ref().map_or(0, |l| l.1));
                    format!("Link to step {step} ({})", if copied.get() { "copied" } else { "select it and copy it: Ctrl+C" })
                }}</label>
                <input id="state-link" type="text" readonly node_ref=field value=link.get_untracked().map(|l| l.0).unwrap_or_default()
                    on:focus=move |ev| {
                        if let Some(input) = ev.target().and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok()) {
                            input.select();
                        }
                    }/>
                <button type="button" class="small" on:click=move |_| close()>"Close"</button>
            </div>
        </Show>
    }
}

/// The lesson menu: every lesson as a link to its first step.
#[component]
pub fn LessonMenu() -> impl IntoView {
    let sim = use_sim();
    let menu = NodeRef::<leptos::html::Details>::new();
    // A click anywhere else closes it too: open, it covers Play and the speed.
    crate::ui::disclosure::close_on_press_outside(menu);
    view! {
        // Escape closes the menu and so does leaving it with Tab: an open menu would hide the
        // controls the focus moves on to.
        <details class="lesson-menu" node_ref=menu
            on:keydown=crate::ui::disclosure::close_on_escape
            on:focusout=move |ev: web_sys::FocusEvent| {
                let Some(details) = ev.current_target().and_then(|t| t.dyn_into::<web_sys::Element>().ok()) else { return };
                let into = ev.related_target().and_then(|t| t.dyn_into::<web_sys::Node>().ok());
                if into.is_some_and(|node| !details.contains(Some(&node))) {
                    let _ = details.remove_attribute("open");
                }
            }>
            <summary>"Lessons"</summary>
            <nav aria-label="Lessons">
                <ol>
                    {LESSONS.iter().enumerate().map(|(i, l)| {
                        let current = move || sim.with_state(|s| s.source == Source::Lesson(i));
                        view! {
                            <li>
                                <a href=route::lesson(l.slug, 0) aria-current=move || current().then_some("page")
                                    on:click=move |ev| {
                                        // Close the menu once a lesson is picked, the focus back on its
                                        // summary (the link it was on is hidden now).
                                        if let Some(details) = ev.target().and_then(|t| t.dyn_into::<web_sys::Element>().ok()).and_then(|e| e.closest("details").ok().flatten()) {
                                            let _ = details.remove_attribute("open");
                                            crate::ui::focus_on(".lesson-menu summary");
                                        }
                                    }>{l.title}</a>
                            </li>
                        }
                    }).collect_view()}
                </ol>
            </nav>
        </details>
    }
}

/// The projector theme: light and high contrast; remembered by the browser.
#[derive(Clone, Copy)]
pub struct Theme(pub RwSignal<bool>);

impl Theme {
    pub fn new() -> Theme {
        Theme(RwSignal::new(persist::projector_theme()))
    }
    pub fn toggle(&self) {
        self.0.update(|on| *on = !*on);
        persist::save_projector_theme(self.0.get_untracked());
    }
}

impl Default for Theme {
    fn default() -> Self {
        Theme::new()
    }
}

#[component]
pub fn ThemeToggle() -> impl IntoView {
    let theme = expect_context::<Theme>();
    view! {
        <button type="button" aria-label="Projector theme" aria-keyshortcuts="P" title="Projector theme (P): light and high contrast, for washed-out projectors"
            aria-pressed=move || theme.0.get().to_string() on:click=move |_| theme.toggle()>"Projector"</button>
    }
}
