//! The one source of truth: a reactive handle to the engine's history.
//!
//! Components get a [`SimHandle`] from context. They read the simulation through `with` inside
//! reactive closures and change it only through the methods here, which hand commands to the
//! engine (or move the history's cursor) and keep the events of the step just taken for the
//! narration and the animations.

use kafkascope_engine::scenario::MAX_SCENARIO_BYTES;
use kafkascope_engine::{ClusterView, Command, EngineError, Event, History, Scenario, ScenarioError, Simulation};
use leptos::prelude::*;

use crate::credit::Credit;
use crate::scene::{Source, DEFAULT_SCENE, SCENES};

/// The engine history, the events of the step the cursor just took, and what is loaded.
pub struct SimState {
    pub history: History,
    pub last_events: Vec<Event>,
    /// After a seek or a step back: the events of the step that led to the state shown, for the
    /// narration only (nothing is animated again).
    pub recalled: Vec<Event>,
    /// A sentence for the narration when there are no events to tell (a scene loaded, a seek).
    pub note: Option<String>,
    pub source: Source,
    /// The loaded scenario's name, kept for export and links.
    pub name: String,
    /// Counts every change of the state (a step, a seek, a scene), so the view can tell one
    /// step's animations from the next even when their events are alike.
    pub serial: u64,
    /// Counts loads (a scene, a lesson, a file, a link): what was posed before is gone.
    pub loads: u64,
    /// The timeline the last load or reset replaced while it held steps of the user's own, kept
    /// so that one click on a scene button or Reset loses nothing (see [`SimHandle::bring_back`]).
    pub replaced: Option<Box<SimState>>,
    /// Set on a timeline kept in [`SimState::replaced`] because a step the user took at this
    /// step, after stepping back, replaced its later steps (see [`SimHandle::apply`]): only the
    /// steps from here on are the ones kept, and its line counts those.
    pub cut_at: Option<usize>,
    /// Who did this timeline's Try-it tasks (see [`Credit`]): it goes where the timeline goes,
    /// kept aside or brought back, and a new load starts with none.
    pub credit: Credit,
}

impl SimState {
    /// The caption of the step the cursor is on, if the scenario has one.
    pub fn caption(&self) -> Option<&str> {
        self.history.caption()
    }

    /// Whether a lesson's chapter or Try it task begins on the step shown: where a skip stops and
    /// where Play pauses.
    pub fn page_begins(&self) -> bool {
        let cursor = self.history.cursor();
        self.history.chapters().iter().any(|c| c.first_step == cursor || c.try_it.as_ref().is_some_and(|t| t.step == cursor))
    }

    /// The steps that are the user's own: past what a built-in scene or lesson scripted, or every
    /// step of a file, a link or a session of their own, which no button loads again. Of a
    /// timeline kept by a cut, only those [`SimState::after_cut`]: the ones before it are still on
    /// the stage.
    fn own_steps(&self) -> &[Command] {
        if let Some(at) = self.cut_at {
            return self.after_cut(at);
        }
        let commands = self.history.commands();
        let scripted = if self.source.entry().is_some() { self.history.authored() } else { 0 };
        &commands[scripted.min(commands.len())..]
    }

    /// The steps a step taken at step `at` cuts off that the engine does not set aside itself:
    /// those past the loaded script's own ([`History::authored`]), taken by the user.
    fn after_cut(&self, at: usize) -> &[Command] {
        let commands = self.history.commands();
        &commands[self.history.authored().max(at).min(commands.len())..]
    }

    /// The user's own steps (see [`SimState::own_steps`]) told as a person would count them:
    /// what they did, and how much simulated time they let pass ("3 actions and 7.9 s of time",
    /// not "82 steps"); and whether that is plural.
    pub fn own_steps_told(&self) -> (String, bool) {
        let actions = self.own_actions();
        let ticks = self.own_steps().len() - actions;
        let told = crate::format::count(actions, "action");
        match ticks {
            0 => (told, actions != 1),
            _ => (format!("{told} and {} s of time", crate::format::seconds(ticks as u64 * self.history.current().clock().tick_ms())), true),
        }
    }

    /// Whether the user's own steps hold anything of theirs besides time passing: a record, an
    /// instance, a crash. Ticks alone (Play on a stream, past a scene's end) are Play pressed
    /// again, so a load over them keeps nothing aside and offers nothing back.
    pub fn own_input(&self) -> bool {
        input(self.own_steps())
    }

    /// How many of the user's own steps are actions rather than time passing.
    fn own_actions(&self) -> usize {
        self.own_steps().iter().filter(|c| !matches!(c, Command::Tick)).count()
    }

    /// Keeps `before`, this timeline as it was before a step taken at step `at` cut it, in
    /// [`SimState::replaced`] (see [`SimHandle::apply`]), in front of what a load kept. One cut
    /// is kept per load: of an earlier one and this one, the one whose cut-off steps hold more
    /// of the user's actions (this one on a tie), so that stepping back again to redo an
    /// accidental click does not lose the real work the first click set aside.
    fn keep_cut(&mut self, before: History, at: usize) {
        let behind = self.replaced.take();
        let mut kept = self.kept(before, behind, Some(at));
        if let Some(earlier) = kept.replaced.take_if(|r| r.cut_at.is_some() && r.loads == self.loads) {
            if earlier.own_actions() > kept.own_actions() {
                self.replaced = Some(earlier);
                return;
            }
            kept.replaced = earlier.replaced;
        }
        self.replaced = Some(Box::new(kept));
    }

    /// `history`, a timeline of this load kept aside in front of `behind` (see
    /// [`SimState::replaced`]).
    fn kept(&self, history: History, behind: Option<Box<SimState>>, cut_at: Option<usize>) -> SimState {
        SimState { history, last_events: Vec::new(), recalled: Vec::new(), note: None, source: self.source, name: self.name.clone(), serial: self.serial, loads: self.loads, replaced: behind, cut_at, credit: self.credit.clone() }
    }

    /// What the loaded script is called in sentences: a lesson (it has chapters), a built-in
    /// scene, or a demo (a file, a link or a session of the user's own).
    pub fn script_kind(&self) -> &'static str {
        match (self.history.chapters().is_empty(), self.source.entry().is_some()) {
            (false, _) => "lesson",
            (true, true) => "scene",
            (true, false) => "demo",
        }
    }

    /// The command of the step that brought the cursor here (none at step 0).
    pub fn last_command(&self) -> Option<&Command> {
        self.history.cursor().checked_sub(1).and_then(|i| self.history.commands().get(i))
    }
}

/// The state (a newtype, so that it is provided and found in context unambiguously), and a count of what the user did (a command of theirs taken, a load): a form's
/// refusal is about the attempt before it, so forms clear it once the count moves (see
/// [`SimHandle::form_error`]). Play and the step keys do not count: an error must stay readable
/// while time runs.
#[derive(Clone, Copy)]
pub struct SimHandle(RwSignal<SimState>, RwSignal<u64>);

impl SimHandle {
    /// A handle on the default scene (fan-out).
    pub fn new() -> SimHandle {
        let entry = &SCENES[DEFAULT_SCENE];
        let (scenario, history) = entry.history().expect("the built-in scenes are checked by the tests");
        SimHandle(RwSignal::new(state_for(history, &scenario, Source::Scene(DEFAULT_SCENE))), RwSignal::new(0))
    }

    /// A handle on a prepared history (cursor wherever the history has it).
    pub fn from_history(history: History) -> SimHandle {
        SimHandle(RwSignal::new(SimState {
            history,
            last_events: Vec::new(),
            recalled: Vec::new(),
            note: None,
            source: Source::Opened,
            name: "Kafkascope session".into(),
            serial: 0,
            loads: 0,
            replaced: None,
            cut_at: None,
            credit: Credit::default(),
        }), RwSignal::new(0))
    }

    /// A form's error line: what the form's last attempt was refused for, until the user does
    /// something else that works (in any form) or loads a scene. Two errors from long-gone
    /// attempts side by side read as two problems now.
    pub fn form_error(&self) -> RwSignal<Option<String>> {
        let error = RwSignal::new(None);
        let acted = self.1;
        Effect::new(move |seen: Option<u64>| {
            let now = acted.get();
            if seen.is_some_and(|s| s != now) {
                error.set(None);
            }
            now
        });
        error
    }

    /// Reads the current simulation (tracked: call inside a reactive closure).
    pub fn with<R>(&self, f: impl FnOnce(&Simulation) -> R) -> R {
        self.0.with(|s| f(s.history.current()))
    }

    /// Reads the current simulation without subscribing (for event handlers).
    pub fn with_untracked<R>(&self, f: impl FnOnce(&Simulation) -> R) -> R {
        self.0.with_untracked(|s| f(s.history.current()))
    }

    /// Reads the whole state, history included (tracked).
    pub fn with_state<R>(&self, f: impl FnOnce(&SimState) -> R) -> R {
        self.0.with(|s| f(s))
    }

    /// Reads the whole state without subscribing.
    pub fn with_state_untracked<R>(&self, f: impl FnOnce(&SimState) -> R) -> R {
        self.0.with_untracked(|s| f(s))
    }

    /// Applies a command as a new step, cutting off any steps after the cursor. On error
    /// nothing changes and the error is returned for the form that sent it to show.
    ///
    /// A step taken after stepping back starts a new timeline from there, as an editor's undo
    /// does. The steps it cuts off that are a scene's or lesson's own are set aside by the
    /// engine ([`History::set_aside`]); if the user's own input is among them (a record, a crash,
    /// not just time passing), the whole timeline as it was is kept too, in
    /// [`SimState::replaced`], and its line offers it back: one click on Produce while stepped
    /// back loses nothing. One such timeline is kept per load (see [`SimState::keep_cut`]), so
    /// a student clicking about keeps one spare timeline, not one per click.
    pub fn apply(&self, command: Command) -> Result<(), EngineError> {
        self.apply_keeping(command, true)
    }

    fn apply_keeping(&self, command: Command, keep_cut: bool) -> Result<(), EngineError> {
        let mut result = Ok(());
        self.0.update(|s| {
            let cut = s.history.cursor();
            let before = (keep_cut && input(s.after_cut(cut))).then(|| s.history.clone());
            match s.history.apply(command) {
                Ok(events) => {
                    s.last_events = events;
                    s.recalled.clear();
                    s.note = None;
                    s.serial += 1;
                    if let Some(history) = before {
                        s.keep_cut(history, cut);
                    }
                }
                Err(e) => result = Err(e),
            }
        });
        if result.is_ok() {
            self.1.update(|n| *n += 1);
        }
        result
    }

    /// Replays the next recorded step, or at the end of the timeline advances time one tick.
    pub fn step_forward(&self) {
        self.step_until(1, |_| true);
    }

    /// Steps forward (each step replays the next recorded one, or at the end advances time one
    /// tick) until the step just taken is `worth_telling` or `limit` steps were taken: the quiet
    /// ticks between two things that happen are passed in one keypress. Only the last step is
    /// shown and animated.
    ///
    /// Ticks past the recorded end are kept only if one of them is worth telling: a skip that
    /// finds nothing within `limit` steps adds no empty minute to the timeline, and says so.
    pub fn step_until(&self, limit: usize, worth_telling: impl Fn(&SimState) -> bool) {
        self.advance(limit, limit > 1, worth_telling);
    }

    /// One beat of Play: as [`SimHandle::step_until`], but every tick taken is kept (Play goes on
    /// where nothing happens, and must not copy the history at each beat to undo a fruitless
    /// skip).
    pub fn play_beat(&self, limit: usize, worth_telling: impl Fn(&SimState) -> bool) {
        self.advance(limit, false, worth_telling);
    }

    fn advance(&self, limit: usize, fruitless_undone: bool, worth_telling: impl Fn(&SimState) -> bool) {
        self.0.update(|s| {
            s.recalled.clear();
            s.note = None;
            let mut recorded_end = None;
            for taken in 0..limit {
                s.last_events = match s.history.step_forward() {
                    Some(events) => events,
                    None => {
                        // Kept aside only by a skip: a single step and Play always keep their
                        // ticks, and must not copy the history every time.
                        if recorded_end.is_none() && fruitless_undone {
                            recorded_end = Some((s.history.clone(), taken));
                        }
                        s.history.apply(Command::Tick).expect("a tick cannot fail")
                    }
                };
                if worth_telling(s) {
                    recorded_end = None;
                    break;
                }
            }
            if let Some((history, taken)) = recorded_end {
                let ms = (limit - taken) as u64 * s.history.current().clock().tick_ms();
                let seconds = if ms % 1000 == 0 { (ms / 1000).to_string() } else { crate::format::seconds(ms) };
                s.history = history;
                // No events: the note is the whole narration (see `Narration`).
                s.last_events.clear();
                let stays = if taken == 0 { "stays" } else { "stops" };
                s.note = Some(format!(
                    "Nothing happens in the next {seconds} s of simulated time: no record is sent, read or removed, so the timeline {stays} at step {}. Produce a record or start the stream to go on.",
                    s.history.cursor()
                ));
            }
            s.serial += 1;
        });
    }

    /// Says `sentence` in the narration in place of what the step shown says, until the next step.
    pub fn tell(&self, sentence: String) {
        self.0.update(|s| {
            s.recalled.clear();
            s.last_events.clear();
            s.note = Some(sentence);
        });
    }

    /// Goes back one step; the narration says where we are.
    pub fn step_back(&self) {
        self.step_back_until(1, |_| true);
    }

    /// Steps back until the step shown is `worth_telling` (judged by the events of the step that
    /// led to it) or `limit` steps were taken back, stopping at step 0: the way back over quiet
    /// ticks, as [`SimHandle::step_until`] is the way forward.
    pub fn step_back_until(&self, limit: usize, worth_telling: impl Fn(&SimState) -> bool) {
        self.0.update(|s| {
            if !s.history.can_step_back() {
                return;
            }
            for _ in 0..limit {
                if !s.history.can_step_back() {
                    break;
                }
                s.recalled = s.history.seek_recalling(s.history.cursor() - 1);
                s.last_events.clear();
                if worth_telling(s) {
                    break;
                }
            }
            s.serial += 1;
            s.note = Some(format!("Stepped back to step {} of {}.", s.history.cursor(), s.history.len()));
        });
    }

    /// "Show me": back to a task's step, then one way of doing it, noted as Show me's (see
    /// [`Credit`]; `chapter` is the step the task's chapter begins on). Steps of the user's own
    /// that this cuts off (their attempt) are kept, as a load keeps them, to be brought back.
    pub fn show_solution(&self, chapter: usize, step: usize, solution: Vec<Command>) {
        self.0.update(|s| {
            if s.own_input() {
                // What an earlier load kept stays behind the attempt, offered once it is settled.
                let earlier = s.replaced.take();
                s.replaced = Some(Box::new(s.kept(s.history.clone(), earlier, None)));
            }
            s.credit.show(chapter);
        });
        self.seek(step);
        // The attempt is kept whole above; its steps are not kept a second time as a cut.
        for command in solution {
            if self.apply_keeping(command, false).is_err() {
                break;
            }
        }
    }

    /// Moves to any recorded step (the timeline, a link, a lesson URL).
    pub fn seek(&self, step: usize) {
        self.0.update(|s| {
            s.recalled = s.history.seek_recalling(step);
            s.last_events.clear();
            s.serial += 1;
            s.note = Some(match s.history.caption() {
                Some(caption) => caption.to_string(),
                None if s.history.cursor() == 0 => s.history.description().to_string(),
                None => format!("Step {} of {}.", s.history.cursor(), s.history.len()),
            });
        });
    }

    /// Puts back the scene's or lesson's steps that the user's steps replaced, and waits at the
    /// step where they branched off; the narration says so.
    pub fn put_back(&self) {
        self.0.update(|s| {
            if s.history.put_back() {
                let at = s.history.cursor();
                s.recalled = s.history.seek_recalling(at);
                s.last_events.clear();
                s.serial += 1;
                let script = s.script_kind();
                s.note = Some(format!("Back on the {script} at step {at} of {}: step forward to go on.", s.history.len()));
            }
        });
    }

    /// Notes that the student met the task of the chapter that begins at step `chapter` on steps
    /// of their own (see [`Credit`]); a task already noted changes nothing, so an effect may call
    /// this whenever it sees the goal met.
    pub fn credit_solved(&self, chapter: usize) {
        if self.0.with_untracked(|s| !s.credit.solved.contains(&chapter)) {
            self.0.update(|s| {
                s.credit.solve(chapter);
            });
        }
    }

    /// After a reload: the credit saved with the session just restored.
    pub fn restore_credit(&self, credit: Credit) {
        self.0.update(|s| s.credit = credit);
    }

    /// Keeps the user's steps for good: what was set aside is dropped.
    pub fn forget_set_aside(&self) {
        self.0.update(|s| s.history.forget_set_aside());
    }

    /// Loads a built-in scene or lesson from scratch.
    pub fn load(&self, source: Source) -> Result<(), ScenarioError> {
        let entry = source.entry().expect("scenes and lessons are built in");
        let (scenario, history) = entry.history()?;
        self.replace(history, &scenario, source, 0);
        Ok(())
    }

    /// Opens a scenario (a file, a link, a saved session) at `cursor`. On error nothing changes.
    pub fn open(&self, scenario: &Scenario, cursor: usize, source: Source) -> Result<(), ScenarioError> {
        let history = opened_history(scenario, source)?;
        self.replace(history, scenario, source, cursor);
        Ok(())
    }

    /// Puts a saved timeline back where a load had set it aside, behind the one on the stage, with
    /// its line offering it back: a reload after a scene button loses nothing either.
    pub fn keep_aside(&self, scenario: &Scenario, cursor: usize, source: Source) -> Result<(), ScenarioError> {
        let mut history = opened_history(scenario, source)?;
        history.seek(cursor);
        // Kept by an earlier load than the one on the stage (not a "Show me" of this one), or by
        // a step taken at its cursor: then the two timelines agree up to it.
        self.0.update(|s| {
            let cut = s.source == source && cursor < history.len() && s.history.commands().get(..cursor) == history.commands().get(..cursor);
            let loads = if cut { s.loads } else { 0 };
            s.replaced = Some(Box::new(SimState { cut_at: cut.then_some(cursor), loads, ..state_for(history, scenario, source) }));
        });
        Ok(())
    }

    /// Loads a new timeline. The one it replaces is kept aside if the user had taken steps of
    /// their own on it, beyond letting time pass (else whatever was kept aside before stays).
    fn replace(&self, mut history: History, scenario: &Scenario, source: Source, cursor: usize) {
        self.1.update(|n| *n += 1);
        let recalled = history.seek_recalling(cursor);
        self.0.update(|s| {
            let (serial, loads) = (s.serial + 1, s.loads + 1);
            let fresh = SimState { serial, loads, recalled, ..state_for(history, scenario, source) };
            let mut old = std::mem::replace(s, fresh);
            s.replaced = if old.own_input() { Some(Box::new(SimState { replaced: None, ..old })) } else { old.replaced.take() };
        });
    }

    /// Brings back the timeline a load or a reset replaced, at the step it was on (one a cut
    /// kept, at its end); the narration says so. What was loaded instead is dropped (its button
    /// loads it again).
    ///
    /// A timeline kept by a cut (see [`SimHandle::apply`]) changes places with the one on the
    /// stage instead: the steps taken since the cut are kept in its stead, offered back by the
    /// same line, so the user can go between the two branches.
    pub fn bring_back(&self) {
        self.0.update(|s| {
            let Some(mut old) = s.replaced.take() else { return };
            // A timeline kept by a cut waits at the cut, and the steps it keeps come after it: it
            // comes back at their end, at what they came to (at the cut, a task they did read
            // "Your turn" as if bringing them back had done nothing).
            if old.cut_at.is_some() {
                let end = old.history.len();
                old.history.seek(end);
            }
            let (serial, loads) = (s.serial + 1, s.loads + 1);
            let (at, len) = (old.history.cursor(), old.history.len());
            let note = Some(format!("Back to your steps in {}, at step {at} of {len}.", old.name));
            let cut = old.cut_at.take();
            let behind = old.replaced.take();
            let current = std::mem::replace(s, SimState { serial, loads, note, last_events: Vec::new(), recalled: Vec::new(), ..*old });
            s.replaced = match cut {
                Some(at) if input(current.after_cut(at)) => {
                    let mut history = current.history;
                    history.seek(at);
                    Some(Box::new(SimState { history, loads, replaced: behind, cut_at: Some(at), ..current }))
                }
                _ => behind,
            };
        });
    }

    /// Drops the replaced timeline for good.
    pub fn forget_replaced(&self) {
        // One at a time: steps an earlier load kept, behind a "Show me" attempt, come up next.
        self.0.update(|s| s.replaced = s.replaced.take().and_then(|r| r.replaced));
    }

    /// Starts the loaded scene or lesson over; an opened scenario goes back to its first step.
    pub fn reset(&self) {
        let source = self.0.with_untracked(|s| s.source);
        if source.entry().is_some() {
            let _ = self.load(source);
        } else {
            self.seek(0);
        }
    }

    /// Why the timeline cannot be exported, linked or saved, if it cannot: its oldest steps were
    /// folded away (or it was built from a prepared state), so no scenario rebuilds it.
    pub fn not_exportable(&self) -> Option<&'static str> {
        let exportable = self.0.with_untracked(|s| s.history.is_exportable());
        (!exportable).then_some(
            "The earliest steps of this timeline were folded away to keep memory bounded, so it can no longer be exported, linked or saved. Reset or pick a scene to start a new one.",
        )
    }

    /// The loaded timeline as a scenario, with its compact JSON, if a link, a file and the saved
    /// session can hold it; else why not, in a sentence for the notice line (see
    /// [`SimState::exportable`]).
    pub fn exportable(&self) -> Result<(Scenario, usize, String), String> {
        if let Some(why) = self.not_exportable() {
            return Err(why.to_string());
        }
        self.0.with_untracked(SimState::exportable)
    }

    /// The timeline a load set aside, as a link payload and the key of its source, for the saved
    /// session to keep beside the one on the stage; `None` when nothing is set aside or it cannot
    /// be saved (folded, or past 1 MB).
    pub fn replaced_payload(&self) -> Option<(String, Option<String>)> {
        self.0.with_untracked(|s| s.replaced.as_deref()?.saved_copy())
    }

    /// The timeline on the stage in the form [`SimHandle::replaced_payload`] gives, for another
    /// tab's save to leave it kept aside; `None` when it cannot be saved.
    pub fn saved_copy(&self) -> Option<(String, Option<String>)> {
        self.0.with_untracked(SimState::saved_copy)
    }

    /// The script a step of the user's cut, if it is not a built-in scene's or lesson's (their
    /// shipped file is the script, see [`opened_history`]), as a link payload whose cursor is
    /// where the cut was: the saved session keeps it so that a reload still offers it back.
    /// `None` when nothing is set aside or the script cannot be saved (folded, or past 1 MB).
    pub fn script_payload(&self) -> Option<String> {
        self.0.with_untracked(|s| {
            if s.source.entry().is_some() {
                return None;
            }
            let at = s.history.set_aside()?.at();
            let mut script = s.history.clone();
            script.put_back();
            let (_, json) = exportable(&script, &s.name).ok()?;
            Some(Scenario::link_payload_of(&json, at))
        })
    }

    /// After a reload, sets aside the steps of `script` after step `at` that the restored
    /// session's own steps had replaced, as before the reload: its line offers them back.
    pub fn set_aside_from(&self, script: &Scenario, at: usize) {
        self.0.update(|s| {
            s.history.limit_authored(at);
            s.history.set_aside_script(script, at);
        });
    }

    /// The loaded timeline as a scenario (for export, links and saving).
    pub fn scenario(&self) -> (Scenario, usize) {
        self.0.with_untracked(|s| (s.history.to_scenario(&s.name), s.history.cursor()))
    }
}

impl SimState {
    /// This timeline as a scenario with its compact JSON, if a link, a file and the saved session
    /// can hold it. Records of 300 KB each are accepted one by one, and four of them made a
    /// session no link, file or reload could open again.
    fn exportable(&self) -> Result<(Scenario, usize, String), String> {
        let (scenario, json) = exportable(&self.history, &self.name)?;
        Ok((scenario, self.history.cursor(), json))
    }

    /// This timeline as the saved session keeps it: a link payload at its step, and the key of
    /// its source; `None` when it cannot be saved (folded, or past 1 MB).
    fn saved_copy(&self) -> Option<(String, Option<String>)> {
        let (_, cursor, json) = self.exportable().ok()?;
        Some((Scenario::link_payload_of(&json, cursor), self.source.key()))
    }
}

/// A timeline as a scenario named `name`, with its compact JSON, if a link, a file and the saved
/// session can hold it (see [`SimState::exportable`]).
fn exportable(history: &History, name: &str) -> Result<(Scenario, String), String> {
    if !history.is_exportable() {
        return Err("This timeline's earliest steps were folded away.".into());
    }
    let scenario = history.to_scenario(name);
    let json = scenario.to_compact_json();
    if json.len() > MAX_SCENARIO_BYTES {
        return Err(format!(
            "This session has grown to {} KB, more than the 1 MB that a link, a file or this browser's saved copy holds (large record values add up), so it is no longer saved: a reload brings back the last copy that fit. Step back before the large records to go on from there, or Start over.",
            json.len() / 1000
        ));
    }
    Ok((scenario, json))
}

/// A scenario's timeline as it opens for `source`: in a saved session of a built-in scene or
/// lesson only the steps it shares with the one as shipped are the script's own, the rest are the
/// user's (and the script's remaining steps wait, set aside).
fn opened_history(scenario: &Scenario, source: Source) -> Result<History, ScenarioError> {
    let mut history = History::from_scenario(scenario)?;
    if let Some(Ok(shipped)) = source.entry().map(|entry| entry.scenario()) {
        let shared = scenario.shared_steps(&shipped);
        history.limit_authored(shared);
        history.set_aside_script(&shipped, shared);
    }
    Ok(history)
}

/// Whether `steps` hold anything of the user's besides time passing (see
/// [`SimState::own_input`]).
fn input(steps: &[Command]) -> bool {
    steps.iter().any(|c| !matches!(c, Command::Tick))
}

/// The state for a history just loaded, its cursor wherever it was put.
fn state_for(history: History, scenario: &Scenario, source: Source) -> SimState {
    let note = match (history.cursor(), history.caption()) {
        (0, _) => Some(scenario.description.clone()).filter(|d| !d.is_empty()),
        (_, Some(caption)) => Some(caption.to_string()),
        (step, None) => Some(format!("Step {step} of {}.", history.len())),
    };
    SimState { history, last_events: Vec::new(), recalled: Vec::new(), note, source, name: scenario.name.clone(), serial: 0, loads: 0, replaced: None, cut_at: None, credit: Credit::default() }
}

impl Default for SimHandle {
    fn default() -> Self {
        SimHandle::new()
    }
}

/// The handle provided by [`crate::App`].
pub fn use_sim() -> SimHandle {
    expect_context::<SimHandle>()
}

/// Newest offsets the engine puts in each lane's window; dense layouts draw fewer of them.
pub const WINDOW: usize = 8;

/// The snapshot the stage draws ([`kafkascope_engine::view`]), recomputed once per change of the
/// simulation. Components select their part of it through their own memos, so a change that
/// leaves a lane's part equal does not touch that lane.
#[derive(Clone, Copy)]
pub struct StageView(pub Memo<ClusterView>);

impl StageView {
    pub fn new(sim: SimHandle) -> StageView {
        StageView(Memo::new(move |_| sim.with(|s| s.view(WINDOW))))
    }
}

/// The stage snapshot provided by [`crate::App`].
pub fn use_stage() -> Memo<ClusterView> {
    expect_context::<StageView>().0
}
