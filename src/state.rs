//! The one source of truth: a reactive handle to the engine's history.
//!
//! Components get a [`SimHandle`] from context. They read the simulation through `with` inside
//! reactive closures and change it only through the methods here, which hand commands to the
//! engine (or move the history's cursor) and keep the events of the step just taken for the
//! narration and the animations.

use std::collections::BTreeMap;

use kafkascope_engine::{ClusterView, Command, EngineError, Event, History, Simulation};
use leptos::prelude::*;

use crate::scene::{self, Preset};

/// The engine history, the events of the step the cursor just took, and which scene is loaded.
pub struct SimState {
    pub history: History,
    pub last_events: Vec<Event>,
    /// A sentence for the narration when there are no events to tell (a scene loaded, a seek).
    pub note: Option<String>,
    pub preset: Preset,
    /// The scene's captions by step number (see [`scene::Step::Say`]).
    pub captions: BTreeMap<usize, &'static str>,
    /// Counts every change of the state (a step, a seek, a scene), so the view can tell one
    /// step's animations from the next even when their events are alike.
    pub serial: u64,
}

impl SimState {
    /// The caption of the step the cursor is on, if the scene has one.
    pub fn caption(&self) -> Option<&'static str> {
        self.captions.get(&self.history.cursor()).copied()
    }
}

/// Newtype over the signal so it can be provided and found in context unambiguously.
#[derive(Clone, Copy)]
pub struct SimHandle(RwSignal<SimState>);

impl SimHandle {
    /// A handle on the default scene (fan-out).
    pub fn new() -> SimHandle {
        SimHandle(RwSignal::new(loaded(Preset::FanOut)))
    }

    /// A handle on a prepared history (cursor wherever the history has it).
    pub fn from_history(history: History) -> SimHandle {
        SimHandle(RwSignal::new(SimState { history, last_events: Vec::new(), note: None, preset: Preset::FanOut, captions: BTreeMap::new(), serial: 0 }))
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

    /// Applies a command as a new step, cutting off any steps after the cursor. On error
    /// nothing changes and the error is returned for the form that sent it to show.
    pub fn apply(&self, command: Command) -> Result<(), EngineError> {
        let mut result = Ok(());
        self.0.update(|s| match s.history.apply(command) {
            Ok(events) => {
                s.last_events = events;
                s.note = None;
                s.serial += 1;
                // The scripted future was cut off; so were its captions.
                let cursor = s.history.cursor();
                s.captions.retain(|&step, _| step < cursor);
            }
            Err(e) => result = Err(e),
        });
        result
    }

    /// Replays the next recorded step, or at the end of the timeline advances time one tick.
    pub fn step_forward(&self) {
        self.0.update(|s| {
            let events = match s.history.step_forward() {
                Some(events) => events,
                None => s.history.apply(Command::Tick).expect("a tick cannot fail"),
            };
            s.last_events = events;
            s.note = None;
            s.serial += 1;
        });
    }

    /// Goes back one step; the narration says where we are.
    pub fn step_back(&self) {
        self.0.update(|s| {
            if s.history.step_back() {
                s.last_events.clear();
                s.serial += 1;
                s.note = Some(format!("Stepped back to step {} of {}.", s.history.cursor(), s.history.len()));
            }
        });
    }

    /// Moves to any recorded step (the timeline).
    pub fn seek(&self, step: usize) {
        self.0.update(|s| {
            s.history.seek(step);
            s.last_events.clear();
            s.serial += 1;
            s.note = Some(format!("Step {} of {}.", s.history.cursor(), s.history.len()));
        });
    }

    /// Loads a preset scene from scratch.
    pub fn load(&self, preset: Preset) {
        let serial = self.0.with_untracked(|s| s.serial) + 1;
        self.0.set(SimState { serial, ..loaded(preset) });
    }

    /// Starts the current scene over.
    pub fn reset(&self) {
        let preset = self.0.with_untracked(|s| s.preset);
        self.load(preset);
    }
}

fn loaded(preset: Preset) -> SimState {
    let built = scene::build(preset);
    SimState {
        history: built.history,
        captions: built.captions,
        last_events: Vec::new(),
        note: Some(preset.intro().to_string()),
        preset,
        serial: 0,
    }
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
