//! History: step back and forward through everything that happened, like an undo stack.
//!
//! A lecturer steps back to show a record again, or scrubs the timeline to any step. The history
//! keeps the list of applied commands and a cursor into it. Going to step `n` restores the nearest
//! snapshot at or before `n` and re-applies the commands after it; because the simulation is
//! deterministic (seeded RNG, simulated clock), re-applying gives the identical state. Applying a
//! new command while stepped back cuts off the future, as in an editor's undo.
//!
//! Limits, by design:
//! - **Length**: at most [`MAX_STEPS`] steps are kept. Past that (a stream playing for about three
//!   minutes at top speed, ten steps a second), the oldest [`FOLD_STEPS`] are folded into the base snapshot: the
//!   timeline then starts later, says how many steps were folded ([`History::folded`]), and can no
//!   longer be exported or linked, because the setup that built its new start is gone.
//! - **Memory**: one snapshot every [`SNAPSHOT_INTERVAL`] commands, so at most
//!   `MAX_STEPS / SNAPSHOT_INTERVAL + 1` snapshots. Snapshots are cheap because partition logs are
//!   persistent vectors (`imbl`): a snapshot shares every unchanged record with the live state and
//!   costs O(topics + partitions + group members), not O(records), plus the records that retention
//!   or compaction removed since (the snapshot still holds them). The commands themselves are kept
//!   in full (a produce command holds its key, value and headers). So the memory is bounded by what
//!   retention keeps plus what the last [`MAX_STEPS`] steps added: at 50 records/s on six
//!   partitions with three replicas each, about 6 KB a step, 12 MB in all.
//! - **Time**: a seek re-applies at most `SNAPSHOT_INTERVAL - 1` commands after a clone.
//! - **Not restored**: nothing outside the simulation (the view's animation state, the wall clock).
//! - Refused commands are not recorded: they changed nothing.
//!
//! **Scenarios.** A history remembers how its step 0 was reached (the config and the setup
//! commands) and a caption per step, so [`History::to_scenario`] writes a scenario that replays to
//! the same state at every step, and [`History::from_scenario`] builds one back (setup applied as
//! step 0, the steps recorded, the cursor at 0). A history made by [`History::starting_from`] a
//! prepared simulation does not know that simulation's setup and cannot be exported faithfully
//! ([`History::is_exportable`]).

use crate::budget::Budget;
use crate::command::Command;
use crate::error::EngineError;
use crate::event::Event;
use crate::scenario::{command_name, Chapter, Scenario, ScenarioError, Step, SCENARIO_VERSION};
use crate::simulation::{SimConfig, Simulation};

mod lesson_met;
mod set_aside;
pub use set_aside::SetAside;

/// Commands between snapshots.
pub const SNAPSHOT_INTERVAL: usize = 64;
/// Most steps a history keeps before it folds the oldest into its base.
pub const MAX_STEPS: usize = 2_000;
/// Steps folded at a time: whole snapshot intervals, so snapshots stay aligned.
pub const FOLD_STEPS: usize = SNAPSHOT_INTERVAL * 8;

#[derive(Debug, Clone)]
pub struct History {
    /// The commands that built step 0 from a fresh simulation; `None` when unknown.
    setup: Option<Vec<Command>>,
    /// The scenario's description and chapters, kept for export.
    description: String,
    chapters: Vec<Chapter>,
    commands: Vec<Command>,
    /// `captions[i]`: what to say once step `i` is taken (when the cursor is `i + 1`).
    captions: Vec<Option<String>>,
    /// `snapshots[i]` is the state after `i * SNAPSHOT_INTERVAL` commands.
    snapshots: Vec<Simulation>,
    cursor: usize,
    current: Simulation,
    /// Steps folded into the base snapshot (see the module docs).
    folded: usize,
    /// How many of the first steps came with the loaded scenario and are still on the timeline
    /// (see [`History::authored`]).
    authored: usize,
    /// The scenario's steps that a user's step cut off, kept to be put back.
    set_aside: Option<SetAside>,
}

impl History {
    pub fn new(config: SimConfig) -> History {
        let mut history = History::starting_from(Simulation::new(config));
        history.setup = Some(Vec::new());
        history
    }

    /// A history whose step 0 is `initial` (a scene that was set up): stepping back stops there.
    /// Its setup is unknown, so it cannot be exported; prefer [`History::from_scenario`].
    pub fn starting_from(initial: Simulation) -> History {
        History {
            setup: None,
            description: String::new(),
            chapters: Vec::new(),
            commands: Vec::new(),
            captions: Vec::new(),
            snapshots: vec![initial.clone()],
            cursor: 0,
            current: initial,
            folded: 0,
            authored: 0,
            set_aside: None,
        }
    }

    /// How many of the oldest steps were folded into the base (0 until the history outgrew
    /// [`MAX_STEPS`]).
    pub fn folded(&self) -> usize {
        self.folded
    }

    /// Replays a scenario: config checked, setup applied as step 0, every step recorded with its
    /// caption, cursor back at 0. A refused command stops it with the number of the step; so
    /// does passing the replay budget ([`crate::budget`]).
    pub fn from_scenario(scenario: &Scenario) -> Result<History, ScenarioError> {
        scenario.check()?;
        let mut budget = Budget::default();
        let mut sim = Simulation::new(scenario.config);
        for (index, command) in scenario.setup.iter().enumerate() {
            let too_much = |limit| ScenarioError::TooMuchWork { at: format!("Setup command {}", index + 1), limit };
            budget.before(&sim, command).map_err(too_much)?;
            let events = sim.apply(command.clone()).map_err(|error| ScenarioError::SetupFailed { index, command: command_name(command), error })?;
            budget.charge(&sim, command, &events).map_err(too_much)?;
        }
        let mut history = History::starting_from(sim);
        history.setup = Some(scenario.setup.clone());
        history.description.clone_from(&scenario.description);
        history.chapters.clone_from(&scenario.chapters);
        for (step, (command, caption)) in scenario.expanded_steps().enumerate() {
            let too_much = |limit| ScenarioError::TooMuchWork { at: format!("Step {}", step + 1), limit };
            budget.before(&history.current, command).map_err(too_much)?;
            let events = history
                .apply_with_caption(command.clone(), caption.map(str::to_string))
                .map_err(|error| ScenarioError::CommandFailed { step, command: command_name(command), error })?;
            budget.charge(&history.current, command, &events).map_err(too_much)?;
        }
        history.authored = history.commands.len();
        history.seek(0);
        Ok(history)
    }

    /// How many of the first steps are the loaded scenario's own: all of them after
    /// [`History::from_scenario`], fewer once a step is taken before its end (the later ones are
    /// cut), none for a history built by hand. A lesson poses a "Try it" task and then often goes
    /// on to show the answer; a goal met while the cursor is within these steps was met by the
    /// lesson, not by the student.
    pub fn authored(&self) -> usize {
        self.authored
    }

    /// Counts only the first `steps` as the scenario's own: a saved session is the lesson plus
    /// a student's work, and only the part it shares with the lesson as shipped was authored
    /// (see [`Scenario::shared_steps`]).
    pub fn limit_authored(&mut self, steps: usize) {
        self.authored = self.authored.min(steps);
    }

    /// The scenario that rebuilds this history: config, setup, every recorded step with its
    /// caption (runs of the same uncaptioned command folded into `repeat`), and the chapters and
    /// tasks that still fall inside the timeline.
    pub fn to_scenario(&self, name: &str) -> Scenario {
        let mut steps: Vec<Step> = Vec::new();
        for (command, caption) in self.commands.iter().zip(&self.captions) {
            match steps.last_mut() {
                Some(last) if last.caption.is_none() && last.command == *command && last.repeat < u32::MAX => {
                    last.repeat += 1;
                    last.caption.clone_from(caption);
                }
                _ => steps.push(Step { command: command.clone(), caption: caption.clone(), repeat: 1 }),
            }
        }
        let len = self.commands.len();
        let chapters = self
            .chapters
            .iter()
            .filter(|c| c.first_step <= len)
            .map(|c| Chapter { try_it: c.try_it.clone().filter(|t| t.step <= len), ..c.clone() })
            .collect();
        Scenario {
            version: SCENARIO_VERSION,
            name: name.to_string(),
            description: self.description.clone(),
            config: *self.snapshots[0].config(),
            setup: self.setup.clone().unwrap_or_default(),
            steps,
            chapters,
            at: 0,
        }
    }

    /// Whether [`History::to_scenario`] rebuilds this history (false for a history started from a
    /// prepared simulation whose setup it does not know).
    pub fn is_exportable(&self) -> bool {
        self.setup.is_some()
    }

    /// The scenario's description (the narration at step 0), if it was built from one.
    pub fn description(&self) -> &str {
        &self.description
    }

    /// The scenario's chapters, if it was built from one.
    pub fn chapters(&self) -> &[Chapter] {
        &self.chapters
    }

    /// The caption of the step just taken (the step before the cursor), if it has one; see
    /// [`History::caption_at`].
    pub fn caption(&self) -> Option<&str> {
        self.caption_at(self.cursor)
    }

    /// The caption recorded for the step that brings the cursor to `cursor`, or the opening of a
    /// chapter that begins there (it speaks for that step: see [`Chapter::opening`]).
    pub fn caption_at(&self, cursor: usize) -> Option<&str> {
        // Of two chapters on one step, the later is the one on screen.
        let opening = self.chapters.iter().rev().find(|c| c.first_step == cursor && cursor > 0).and_then(|c| c.opening.as_deref());
        opening.or_else(|| cursor.checked_sub(1).and_then(|i| self.captions.get(i)?.as_deref()))
    }

    /// The state at `step` (clamped to the timeline), leaving this history's cursor where it is;
    /// for a "Try it" goal, the state when its task was posed.
    pub fn state_at(&self, step: usize) -> Simulation {
        let mut copy = self.clone();
        copy.seek(step);
        copy.current
    }

    /// The state at the cursor.
    pub fn current(&self) -> &Simulation {
        &self.current
    }
    /// The step the cursor is at: commands applied to reach the current state.
    pub fn cursor(&self) -> usize {
        self.cursor
    }
    /// Number of recorded steps (the end of the timeline).
    pub fn len(&self) -> usize {
        self.commands.len()
    }
    pub fn is_empty(&self) -> bool {
        self.commands.is_empty()
    }
    pub fn commands(&self) -> &[Command] {
        &self.commands
    }
    pub fn can_step_back(&self) -> bool {
        self.cursor > 0
    }
    pub fn can_step_forward(&self) -> bool {
        self.cursor < self.commands.len()
    }

    /// Applies a command at the cursor, cutting off any steps after it (and their captions, and
    /// the chapters that began after the cut: their steps no longer exist). The scenario's own
    /// steps among them are set aside ([`History::set_aside`]). On `Err` nothing changes.
    ///
    /// A task of a chapter that has begun, but posed at a step after the cut, is posed at the cut
    /// instead: a student who starts on the exercise a step early, while still reading the
    /// chapter, is judged from where they began rather than never told anything.
    pub fn apply(&mut self, command: Command) -> Result<Vec<Event>, EngineError> {
        self.apply_with_caption(command, None)
    }

    /// As [`History::apply`], recording what to say once the step is taken.
    pub fn apply_with_caption(&mut self, command: Command, caption: Option<String>) -> Result<Vec<Event>, EngineError> {
        let events = self.current.apply(command.clone())?;
        if self.cursor < self.commands.len() {
            self.set_aside_before_cut();
            let cut = self.cursor;
            self.chapters.retain(|c| c.first_step <= cut);
            for chapter in &mut self.chapters {
                if let Some(task) = chapter.try_it.as_mut() {
                    task.step = task.step.min(cut);
                }
            }
        }
        self.authored = self.authored.min(self.cursor);
        self.commands.truncate(self.cursor);
        self.captions.truncate(self.cursor);
        self.snapshots.truncate(self.cursor / SNAPSHOT_INTERVAL + 1);
        self.commands.push(command);
        self.captions.push(caption);
        self.cursor += 1;
        if self.cursor % SNAPSHOT_INTERVAL == 0 {
            self.snapshots.push(self.current.clone());
        }
        if self.commands.len() > MAX_STEPS && self.cursor > FOLD_STEPS {
            self.fold();
        }
        Ok(events)
    }

    /// Folds the oldest [`FOLD_STEPS`] steps into the base snapshot: the state after them becomes
    /// step 0. The setup that built it is gone, so the history is no longer exportable.
    fn fold(&mut self) {
        self.commands.drain(..FOLD_STEPS);
        self.captions.drain(..FOLD_STEPS);
        self.snapshots.drain(..FOLD_STEPS / SNAPSHOT_INTERVAL);
        self.cursor -= FOLD_STEPS;
        self.folded += FOLD_STEPS;
        self.authored = self.authored.saturating_sub(FOLD_STEPS);
        self.setup = None;
        self.set_aside = None;
        self.chapters.retain(|c| c.first_step >= FOLD_STEPS);
        for chapter in &mut self.chapters {
            chapter.first_step -= FOLD_STEPS;
            chapter.try_it = chapter.try_it.take().filter(|t| t.step >= FOLD_STEPS).map(|mut t| {
                t.step -= FOLD_STEPS;
                t
            });
        }
    }

    /// Re-applies the next recorded command; returns its events, or `None` at the end.
    pub fn step_forward(&mut self) -> Option<Vec<Event>> {
        let command = self.commands.get(self.cursor)?.clone();
        let events = self.current.apply(command).expect("recorded commands replay without error");
        self.cursor += 1;
        Some(events)
    }

    /// Goes back one step; `false` at the start.
    pub fn step_back(&mut self) -> bool {
        if self.cursor == 0 {
            return false;
        }
        self.seek(self.cursor - 1);
        true
    }

    /// Moves to `step` as [`History::seek`] does, and returns the events of the step that led
    /// there (none at step 0): a state reached by a link or by stepping back can be told as it
    /// was when first taken. It costs what a seek costs: the last command is replayed either way.
    pub fn seek_recalling(&mut self, step: usize) -> Vec<Event> {
        let step = step.min(self.commands.len());
        if step == 0 {
            self.seek(0);
            return Vec::new();
        }
        self.seek(step - 1);
        self.step_forward().unwrap_or_default()
    }

    /// Moves the cursor to `step` (clamped to the recorded range) and rebuilds that state.
    pub fn seek(&mut self, step: usize) {
        let step = step.min(self.commands.len());
        if step == self.cursor {
            return;
        }
        let from_snapshot = step / SNAPSHOT_INTERVAL;
        let replay_from = if step > self.cursor && self.cursor / SNAPSHOT_INTERVAL == from_snapshot {
            self.cursor
        } else {
            self.current = self.snapshots[from_snapshot].clone();
            from_snapshot * SNAPSHOT_INTERVAL
        };
        for command in &self.commands[replay_from..step] {
            self.current.apply(command.clone()).expect("recorded commands replay without error");
        }
        self.cursor = step;
    }
}

