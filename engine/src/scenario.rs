//! Scenarios: a saved demo or lesson that replays to the same state everywhere.
//!
//! A scenario is versioned JSON holding:
//! - the simulation's `config` (with its seed): the cluster's fixed settings;
//! - `setup` commands: the cluster, topics and consumers the lecturer starts from (step 0);
//! - `steps`: what happens next, each a command with an optional caption (what the class should
//!   see once the step is taken) and an optional `repeat` (`{"command": "Tick", "repeat": 50}` is
//!   fifty steps, the caption on the last);
//! - `chapters`: a title, the step a chapter begins at, its text, and an optional "Try it" task
//!   ([`TryIt`]) the engine checks ([`crate::goal`]).
//!
//! Because the engine is deterministic, replaying setup and steps rebuilds exactly the state the
//! author saw; [`crate::History::from_scenario`] does that and [`crate::History::to_scenario`]
//! writes one back, setup included. Loading checks everything and refuses bad input with a
//! sentence ([`ScenarioError`]): over 1 MB, malformed or truncated JSON, unknown fields or
//! commands, a newer format, settings that would allocate absurdly or overflow the clock, chapters
//! past the end, and (on replay) a step the engine refuses, named by its number.
//!
//! Format 1 (`{"version": 1, "name", "config", "commands"}`) is still read: its commands become
//! uncaptioned steps.

use serde::{Deserialize, Serialize};
use thiserror::Error;

use crate::budget::{Limit, MAX_STEPS};
use crate::cluster::SimConfig;
use crate::command::Command;
use crate::error::EngineError;
use crate::goal::Goal;
use crate::history::History;

/// The scenario format this build writes; it reads this one and format 1.
pub const SCENARIO_VERSION: u32 = 2;

/// Largest scenario text accepted, from a file or (inflated) from a link: 1 MB.
pub const MAX_SCENARIO_BYTES: usize = 1_000_000;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Scenario {
    pub version: u32,
    pub name: String,
    /// What the scenario shows, for the narration at step 0.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub description: String,
    #[serde(default)]
    pub config: SimConfig,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub setup: Vec<Command>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub steps: Vec<Step>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub chapters: Vec<Chapter>,
    /// The step the timeline was on when it was exported: a file opens there, as a link does (a
    /// lecturer who saved a demo at step 26 finds it at step 26). 0, the start, is left out.
    #[serde(default, skip_serializing_if = "is_zero")]
    pub at: usize,
}

/// One scripted step: a command, what to say once it is taken, and how many times it repeats.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Step {
    pub command: Command,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub caption: Option<String>,
    /// The command is taken this many times in a row, one history step each; the caption belongs
    /// to the last.
    #[serde(default = "one", skip_serializing_if = "is_one")]
    pub repeat: u32,
}

fn one() -> u32 {
    1
}

fn is_zero(n: &usize) -> bool {
    *n == 0
}

fn is_one(n: &u32) -> bool {
    *n == 1
}

impl Step {
    pub fn new(command: Command, caption: Option<&str>) -> Step {
        Step { command, caption: caption.map(str::to_string), repeat: 1 }
    }
}

/// A part of a lesson: it begins when the history's cursor reaches `first_step` and lasts until
/// the next chapter begins.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Chapter {
    pub title: String,
    /// The cursor (number of steps taken) at which the chapter begins; 0 is the setup state.
    pub first_step: usize,
    #[serde(default)]
    pub text: String,
    /// What the narration says at the chapter's first step, in place of that step's caption. A
    /// chapter whose task is posed before the step that answers it opens on a quiet step (the
    /// chapter before it closes with its own caption one step earlier): without an opening the
    /// class would read "nothing sent or read" under the new chapter's title.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub opening: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub try_it: Option<TryIt>,
}

/// A task for the student, posed when the cursor reaches `step`. The student acts with ordinary
/// commands from there (which cuts off the rest of the recorded timeline, as any new command
/// does); [`Goal::check`] compares the state then with the state at `step`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TryIt {
    pub step: usize,
    pub task: String,
    pub goal: Goal,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub hint: String,
    /// One way to do it, for a "Show me" button and for the tests that prove each task can be
    /// done.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub solution: Vec<Command>,
}

#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum ScenarioError {
    #[error("This scenario is {bytes} bytes; Kafkascope opens scenarios of up to {max} bytes (1 MB). Is it the right file?")]
    TooLarge { bytes: usize, max: usize },
    #[error("This scenario ends too early (line {line}, column {column}): the file or link was cut off. Copy it again in full.")]
    Truncated { line: usize, column: usize },
    #[error("This is empty: there is no scenario in it. Export one from Kafkascope (Edit, then Export) and open that.")]
    Empty,
    #[error("This is not valid JSON, so not a Kafkascope scenario: {0}.")]
    NotJson(String),
    #[error("This is not a Kafkascope scenario: it has no \"version\" number.")]
    NoVersion,
    #[error("This scenario cannot be read: {0}. Check the spelling of its commands and fields, or export it again.")]
    Malformed(String),
    #[error("This scenario says it is format {found}, which no Kafkascope ever wrote.")]
    UnknownVersion { found: u32 },
    #[error("This scenario was saved by a newer Kafkascope (format {found}; this one reads up to {supported}). Update Kafkascope to open it.")]
    FutureVersion { found: u32, supported: u32 },
    #[error("The scenario's cluster settings are refused: {0}")]
    InvalidConfig(EngineError),
    #[error("Step {number} of the scenario says repeat {repeat}; a step repeats at least once.", number = .step + 1)]
    ZeroRepeat { step: usize, repeat: u32 },
    #[error("This scenario has {steps} steps; Kafkascope replays at most {max}. Shorten it.")]
    TooManySteps { steps: u64, max: u64 },
    #[error("Chapter {number} ('{title}') {problem}", number = .chapter + 1)]
    InvalidChapter { chapter: usize, title: String, problem: String },
    #[error("Setup command {number} ({command}) of the scenario was refused: {error}", number = .index + 1)]
    SetupFailed { index: usize, command: String, error: EngineError },
    #[error("Step {number} ({command}) of the scenario was refused: {error}", number = .step + 1)]
    CommandFailed { step: usize, command: String, error: EngineError },
    #[error("{at} of the scenario goes past what Kafkascope replays from a file or link: {limit}. Shorten the scenario.")]
    TooMuchWork { at: String, limit: Limit },
    #[error("This link is not a Kafkascope link: {0}. Copy it again in full.")]
    BadLink(String),
    #[error("This link is damaged: {0}. Copy it again in full.")]
    DamagedLink(String),
    #[error("This link unpacks to more than 1 MB, more than any scenario Kafkascope opens, so it stopped unpacking. Is it the right link?")]
    LinkTooLarge,
    #[error("This link points at step {cursor}, but its scenario has only {steps} steps.")]
    CursorOutOfRange { cursor: usize, steps: usize },
}

/// Format 1: config and one list of commands.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ScenarioV1 {
    #[allow(dead_code)]
    version: u32,
    name: String,
    #[serde(default)]
    config: SimConfig,
    #[serde(default)]
    commands: Vec<Command>,
}

impl Scenario {
    /// A scenario whose commands are all uncaptioned steps after an empty setup.
    pub fn new(name: &str, config: SimConfig, commands: Vec<Command>) -> Scenario {
        let steps = commands.into_iter().map(|c| Step::new(c, None)).collect();
        Scenario { version: SCENARIO_VERSION, name: name.to_string(), description: String::new(), config, setup: Vec::new(), steps, chapters: Vec::new(), at: 0 }
    }

    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(self).unwrap_or_default()
    }

    /// The shortest JSON form (for links).
    pub fn to_compact_json(&self) -> String {
        serde_json::to_string(self).unwrap_or_default()
    }

    /// Parses and checks a scenario (see the module docs). It does not replay it: build a
    /// [`History`] with [`History::from_scenario`] for that, which also checks every step.
    pub fn from_json(text: &str) -> Result<Scenario, ScenarioError> {
        if text.len() > MAX_SCENARIO_BYTES {
            return Err(ScenarioError::TooLarge { bytes: text.len(), max: MAX_SCENARIO_BYTES });
        }
        if text.trim().is_empty() {
            return Err(ScenarioError::Empty);
        }
        let probe: serde_json::Value = serde_json::from_str(text).map_err(json_error)?;
        let Some(object) = probe.as_object() else {
            return Err(ScenarioError::Malformed("a scenario is a JSON object ({ ... }), and this is not one".into()));
        };
        let version = match object.get("version") {
            None => None,
            Some(v) => Some(v.as_u64().and_then(|v| u32::try_from(v).ok()).ok_or_else(|| {
                ScenarioError::Malformed(format!("its \"version\" must be a whole number, and it is {v}"))
            })?),
        };
        let scenario = match version {
            None => return Err(ScenarioError::NoVersion),
            Some(0) => return Err(ScenarioError::UnknownVersion { found: 0 }),
            Some(1) => {
                let v1: ScenarioV1 = serde_json::from_str(text).map_err(json_error)?;
                Scenario { name: v1.name, ..Scenario::new("", v1.config, v1.commands) }
            }
            Some(SCENARIO_VERSION) => serde_json::from_str(text).map_err(json_error)?,
            Some(found) => return Err(ScenarioError::FutureVersion { found, supported: SCENARIO_VERSION }),
        };
        scenario.check()?;
        Ok(scenario)
    }

    /// Checks everything that can be checked without replaying: the config's bounds, repeats,
    /// the number of steps, and that chapters and tasks point inside the timeline, in order.
    pub fn check(&self) -> Result<(), ScenarioError> {
        self.config.validate().map_err(ScenarioError::InvalidConfig)?;
        if let Some((step, s)) = self.steps.iter().enumerate().find(|(_, s)| s.repeat == 0) {
            return Err(ScenarioError::ZeroRepeat { step, repeat: s.repeat });
        }
        let total = self.setup.len() as u64 + self.steps.iter().map(|s| u64::from(s.repeat)).sum::<u64>();
        if total > MAX_STEPS as u64 {
            return Err(ScenarioError::TooManySteps { steps: total, max: MAX_STEPS as u64 });
        }
        self.check_chapters(self.len())
    }

    fn check_chapters(&self, len: usize) -> Result<(), ScenarioError> {
        let mut previous = 0;
        for (chapter, c) in self.chapters.iter().enumerate() {
            let problem = if c.first_step > len {
                Some(format!("begins at step {}, but the scenario has only {len} steps.", c.first_step))
            } else if c.first_step < previous {
                Some(format!("begins at step {}, before the chapter ahead of it (step {previous}): list chapters in order.", c.first_step))
            } else if c.opening.is_some() && c.first_step == 0 {
                Some("has an opening, but begins at step 0, where the scenario's description is said: put it in the description.".to_string())
            } else if c.opening.as_deref().is_some_and(|o| o.trim().is_empty()) {
                Some("has an empty opening: write what the chapter opens on, or leave the opening out.".to_string())
            } else {
                c.try_it.as_ref().filter(|t| t.step > len).map(|t| format!("poses its task at step {}, but the scenario has only {len} steps.", t.step))
            };
            if let Some(problem) = problem {
                return Err(ScenarioError::InvalidChapter { chapter, title: c.title.clone(), problem });
            }
            previous = c.first_step;
        }
        Ok(())
    }

    /// Number of history steps after the setup (repeats expanded).
    pub fn len(&self) -> usize {
        self.steps.iter().map(|s| s.repeat as usize).sum()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The steps as the history takes them: each repeat expanded, the caption on the last copy.
    pub fn expanded_steps(&self) -> impl Iterator<Item = (&Command, Option<&str>)> + '_ {
        self.steps.iter().flat_map(|s| {
            (1..=s.repeat).map(move |i| (&s.command, if i == s.repeat { s.caption.as_deref() } else { None }))
        })
    }

    /// Whether this scenario is `base` plus steps someone took by hand: the same settings, setup,
    /// description and chapters, and every step that differs from `base` (or runs past its end)
    /// uncaptioned, as steps taken on the stage are. A saved session of a lesson passes when it
    /// holds a student's Try-it work, and fails when the lesson's own text has changed since it
    /// was saved (a newer build), where the lesson as shipped must win.
    pub fn extends(&self, base: &Scenario) -> bool {
        let same_frame = self.config == base.config && self.setup == base.setup && self.description == base.description;
        // A branch taken early drops the chapters after it (see `History::to_scenario`).
        let same_chapters = self
            .chapters
            .iter()
            .all(|c| base.chapters.iter().any(|b| b.title == c.title && b.text == c.text && b.first_step == c.first_step));
        let mut scripted = base.expanded_steps();
        same_frame && same_chapters && self.expanded_steps().all(|step| scripted.next() == Some(step) || step.1.is_none())
    }

    /// How many first steps this scenario has in common with `base`, counted after `repeat` is
    /// expanded: for a saved session of a lesson, the steps that are still the lesson's own.
    pub fn shared_steps(&self, base: &Scenario) -> usize {
        self.expanded_steps().zip(base.expanded_steps()).take_while(|(mine, theirs)| mine == theirs).count()
    }

    /// The chapter the cursor is in, if any.
    pub fn chapter_at(&self, cursor: usize) -> Option<&Chapter> {
        self.chapters.iter().rev().find(|c| c.first_step <= cursor)
    }

    /// Builds the history at its end (cursor after the last step).
    pub fn replay(&self) -> Result<History, ScenarioError> {
        let mut history = History::from_scenario(self)?;
        history.seek(history.len());
        Ok(history)
    }
}

/// A command's name, for error sentences: `CrashConsumer`, `Tick`. Read off the command's
/// compact JSON (`"Tick"` or `{"CrashConsumer":{...}}`), the serializer scenarios use anyway: a
/// serializer into a `serde_json::Value` would be one more copy of every command's code.
pub(crate) fn command_name(command: &Command) -> String {
    let json = serde_json::to_string(command).unwrap_or_default();
    json.trim_start_matches(['{', '"']).split('"').next().unwrap_or_default().to_string()
}

fn json_error(error: serde_json::Error) -> ScenarioError {
    use serde_json::error::Category;
    match error.classify() {
        Category::Eof => ScenarioError::Truncated { line: error.line(), column: error.column() },
        Category::Syntax | Category::Io => ScenarioError::NotJson(error.to_string()),
        Category::Data => ScenarioError::Malformed(error.to_string()),
    }
}
