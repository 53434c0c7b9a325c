//! The script set aside: a scene's or lesson's own steps that a step of the user's replaced.
//!
//! A history is a line, not a tree: a command applied while stepped back cuts off every step
//! after the cursor, as an editor's undo does. That is right for a user's own steps, but a
//! scenario's steps are a script someone wrote (a lecturer's demo, a lesson's later chapters),
//! and one click on Produce in the middle of it must not lose the rest of the lesson. So the
//! scenario's steps that a cut removes are kept here, with their captions and the chapters they
//! carried, and [`History::put_back`] replays them from where the user branched off: the user's
//! own steps after that point are then the ones that go.
//!
//! Only the scenario's steps ([`History::authored`]) are kept, and only one branch point: a
//! second cut earlier in the script joins the steps between the two points to what was kept. A
//! fold (see [`crate::history`]) forgets them, because the steps they follow are gone.

use crate::command::Command;
use crate::scenario::{Chapter, Scenario};

use super::History;

/// The steps of the loaded scenario that a user's step replaced.
#[derive(Debug, Clone, PartialEq)]
pub struct SetAside {
    /// The step the user branched off at: the script resumes after it.
    at: usize,
    commands: Vec<Command>,
    captions: Vec<Option<String>>,
    /// Every chapter the scenario had before the cut (the cut drops those that began after it).
    chapters: Vec<Chapter>,
}

impl SetAside {
    /// The step where the user's steps branched off the script.
    pub fn at(&self) -> usize {
        self.at
    }
    /// How many of the script's steps were set aside.
    pub fn len(&self) -> usize {
        self.commands.len()
    }
    pub fn is_empty(&self) -> bool {
        self.commands.is_empty()
    }
}

impl History {
    /// The scenario's steps that a step of the user's replaced, if any are kept.
    pub fn set_aside(&self) -> Option<&SetAside> {
        self.set_aside.as_ref()
    }

    /// Drops the set-aside steps: the user keeps their own branch for good.
    pub fn forget_set_aside(&mut self) {
        self.set_aside = None;
    }

    /// Called before a command is recorded at the cursor: keeps the scenario's steps it is about
    /// to cut off (joined to any kept by an earlier cut further on).
    pub(super) fn set_aside_before_cut(&mut self) {
        let cut = self.cursor;
        if cut >= self.authored {
            return;
        }
        let mut commands = self.commands[cut..self.authored].to_vec();
        let mut captions = self.captions[cut..self.authored].to_vec();
        let chapters = match self.set_aside.take() {
            Some(later) => {
                commands.extend(later.commands);
                captions.extend(later.captions);
                later.chapters
            }
            None => self.chapters.clone(),
        };
        self.set_aside = Some(SetAside { at: cut, commands, captions, chapters });
    }

    /// A saved session of a scenario, reopened: the scenario's steps from `at` on, where the
    /// session's own steps branched off it, are set aside as that branch set them aside before
    /// the reload (a saved copy holds only the branch), so its line still offers them back.
    /// Nothing is set aside when the session did not branch before the scenario's end.
    pub fn set_aside_script(&mut self, script: &Scenario, at: usize) {
        if at >= script.len() || at >= self.commands.len() {
            return;
        }
        let (commands, captions) = script.expanded_steps().skip(at).map(|(c, caption)| (c.clone(), caption.map(str::to_string))).unzip();
        self.set_aside = Some(SetAside { at, commands, captions, chapters: script.chapters.clone() });
    }

    /// Puts the set-aside steps back after the step they were cut at, in place of the user's
    /// steps from there on, and moves the cursor to that step: the next step forward is the
    /// script's. Returns `false` (and changes nothing) when nothing is set aside.
    pub fn put_back(&mut self) -> bool {
        let Some(kept) = self.set_aside.take() else { return false };
        self.seek(kept.at);
        self.commands.truncate(kept.at);
        self.captions.truncate(kept.at);
        for (command, caption) in kept.commands.into_iter().zip(kept.captions) {
            self.apply_with_caption(command, caption).expect("a scenario's steps replay as they did when it was loaded");
        }
        self.chapters = kept.chapters;
        self.authored = self.commands.len();
        self.seek(kept.at);
        true
    }
}
