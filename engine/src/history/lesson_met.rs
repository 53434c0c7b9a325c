//! Where a lesson's own steps meet a "Try it" goal.
//!
//! A lesson poses a task, then often goes on to show the answer: its next steps do what the task
//! asks, and may undo it again (an idle consumer takes over once another one's session times
//! out). A student stepping through must hear that the lesson did it, and where, rather than
//! "Not yet" at a later step whose state no longer meets the goal.

use crate::goal::{Goal, Verdict};
use crate::history::History;

impl History {
    /// The first of the scenario's own steps after `posed` whose state meets `goal` (checked
    /// against the state at `posed`, as the task is), with the verdict there. Replays the steps
    /// once from `posed`; `None` if none of them meets it.
    pub fn first_authored_step_meeting(&self, posed: usize, goal: &Goal) -> Option<(usize, Verdict)> {
        let start = self.state_at(posed);
        let mut state = start.clone();
        let end = self.authored().min(self.commands().len());
        for (i, command) in self.commands().get(posed..end).unwrap_or_default().iter().enumerate() {
            state.apply(command.clone()).ok()?;
            let verdict = goal.check(&start, &state);
            if verdict.met {
                return Some((posed + i + 1, verdict));
            }
        }
        None
    }
}
