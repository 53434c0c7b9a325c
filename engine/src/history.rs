//! History: step back and forward through everything that happened, like an undo stack.
//!
//! A lecturer steps back to show a record again, or scrubs the timeline to any step. The history
//! keeps the list of applied commands and a cursor into it. Going to step `n` restores the nearest
//! snapshot at or before `n` and re-applies the commands after it; because the simulation is
//! deterministic (seeded RNG, simulated clock), re-applying gives the identical state. Applying a
//! new command while stepped back cuts off the future, as in an editor's undo.
//!
//! Limits, by design:
//! - **Memory**: one snapshot every [`SNAPSHOT_INTERVAL`] commands. Snapshots are cheap because
//!   partition logs are persistent vectors (`imbl`): a snapshot shares every unchanged record
//!   with the live state and costs O(topics + partitions + group members), not O(records). The
//!   commands themselves are kept in full (a produce command holds its key, value and headers).
//! - **Time**: a seek re-applies at most `SNAPSHOT_INTERVAL - 1` commands after a clone.
//! - **Not restored**: nothing outside the simulation (the view's animation state, the wall clock).
//! - Refused commands are not recorded: they changed nothing.

use crate::command::Command;
use crate::error::EngineError;
use crate::event::Event;
use crate::simulation::{SimConfig, Simulation};

/// Commands between snapshots.
pub const SNAPSHOT_INTERVAL: usize = 64;

#[derive(Debug, Clone)]
pub struct History {
    commands: Vec<Command>,
    /// `snapshots[i]` is the state after `i * SNAPSHOT_INTERVAL` commands.
    snapshots: Vec<Simulation>,
    cursor: usize,
    current: Simulation,
}

impl History {
    pub fn new(config: SimConfig) -> History {
        History::starting_from(Simulation::new(config))
    }

    /// A history whose step 0 is `initial` (a scene that was set up): stepping back stops there.
    pub fn starting_from(initial: Simulation) -> History {
        History { commands: Vec::new(), snapshots: vec![initial.clone()], cursor: 0, current: initial }
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

    /// Applies a command at the cursor, cutting off any steps after it. On `Err` nothing changes.
    pub fn apply(&mut self, command: Command) -> Result<Vec<Event>, EngineError> {
        let events = self.current.apply(command.clone())?;
        self.commands.truncate(self.cursor);
        self.snapshots.truncate(self.cursor / SNAPSHOT_INTERVAL + 1);
        self.commands.push(command);
        self.cursor += 1;
        if self.cursor % SNAPSHOT_INTERVAL == 0 {
            self.snapshots.push(self.current.clone());
        }
        Ok(events)
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
