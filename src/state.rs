//! The one source of truth: a reactive handle to the engine's history.
//!
//! Components get a [`SimHandle`] from context. They read the simulation through `with` inside
//! reactive closures and change it only by [`SimHandle::apply`], which hands a command to the
//! engine and keeps the events of the latest step for narration and animation.

use kafkascope_engine::{Command, EngineError, Event, History, Simulation};
use leptos::prelude::*;

use crate::scene;

/// The engine history plus the events of the step the cursor is on.
pub struct SimState {
    pub history: History,
    pub last_events: Vec<Event>,
}

/// Newtype over the signal so it can be provided and found in context unambiguously.
#[derive(Clone, Copy)]
pub struct SimHandle(RwSignal<SimState>);

impl SimHandle {
    /// A handle on the default scene.
    pub fn new() -> SimHandle {
        let history = History::starting_from(scene::build(scene::default_scene()));
        SimHandle(RwSignal::new(SimState { history, last_events: Vec::new() }))
    }

    /// Reads the current simulation (tracked: call inside a reactive closure).
    pub fn with<R>(&self, f: impl FnOnce(&Simulation) -> R) -> R {
        self.0.with(|s| f(s.history.current()))
    }

    /// Reads the whole state, history included (tracked).
    pub fn with_state<R>(&self, f: impl FnOnce(&SimState) -> R) -> R {
        self.0.with(|s| f(s))
    }

    /// Applies a command as a new step. On error nothing changes and the error is returned for
    /// the form that sent the command to show.
    pub fn apply(&self, command: Command) -> Result<(), EngineError> {
        let mut result = Ok(());
        self.0.update(|s| match s.history.apply(command) {
            Ok(events) => s.last_events = events,
            Err(e) => result = Err(e),
        });
        result
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
