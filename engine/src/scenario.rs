//! Scenarios: a saved demo that replays to the same state everywhere.
//!
//! A scenario is the simulation's config (with its seed) plus the list of commands, in a versioned
//! JSON format. Because the engine is deterministic, replaying the commands rebuilds exactly the
//! state the author saw. Loading refuses malformed files and files from a newer version with a
//! sentence saying so, instead of guessing.

use serde::{Deserialize, Serialize};
use thiserror::Error;

use crate::command::Command;
use crate::error::EngineError;
use crate::history::History;
use crate::simulation::SimConfig;

/// The scenario format this build writes and reads.
pub const SCENARIO_VERSION: u32 = 1;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Scenario {
    pub version: u32,
    pub name: String,
    pub config: SimConfig,
    pub commands: Vec<Command>,
}

#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum ScenarioError {
    #[error("This scenario file is not valid: {0}")]
    Malformed(String),
    #[error("This scenario was saved by a newer Kafkascope (format {found}; this one reads up to {supported}). Update Kafkascope to open it.")]
    FutureVersion { found: u32, supported: u32 },
    #[error("Step {step} of the scenario was refused: {error}")]
    CommandFailed { step: usize, error: EngineError },
}

impl Scenario {
    pub fn new(name: &str, config: SimConfig, commands: Vec<Command>) -> Scenario {
        Scenario { version: SCENARIO_VERSION, name: name.to_string(), config, commands }
    }

    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(self).expect("scenarios always serialise")
    }

    /// Parses a scenario, checking the version before the rest of the content.
    pub fn from_json(text: &str) -> Result<Scenario, ScenarioError> {
        #[derive(Deserialize)]
        struct VersionOnly {
            version: u32,
        }
        let probe: VersionOnly = serde_json::from_str(text).map_err(|e| ScenarioError::Malformed(e.to_string()))?;
        if probe.version > SCENARIO_VERSION {
            return Err(ScenarioError::FutureVersion { found: probe.version, supported: SCENARIO_VERSION });
        }
        serde_json::from_str(text).map_err(|e| ScenarioError::Malformed(e.to_string()))
    }

    /// Replays every command into a fresh history.
    pub fn replay(&self) -> Result<History, ScenarioError> {
        let mut history = History::new(self.config);
        for (step, command) in self.commands.iter().enumerate() {
            history
                .apply(command.clone())
                .map_err(|error| ScenarioError::CommandFailed { step, error })?;
        }
        Ok(history)
    }
}
