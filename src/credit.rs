//! Who did a lesson's "Try it" tasks: the student, on steps of their own, or "Show me".
//!
//! The stage cannot always tell by looking. "Continue the lesson" puts the lesson's own steps
//! back over the student's, so the steps that did the task are gone; and Show me's steps meet the
//! goal exactly as the student's would. So the credit is written down as it is earned, kept with
//! the timeline it was earned on (a new load starts with none), and saved with the session: a
//! reload must neither forget a task the student did nor hand them one Show me did.

/// The tasks of one loaded lesson that the student did and that Show me did, each named by the
/// step its chapter begins on: a task the student begins early in its chapter moves to the step
/// where they began (see `History::apply`), and moves back when the lesson's steps are put
/// back, while its chapter stays where it was.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Credit {
    /// Met on the student's own steps (or, for a task of letting time pass, the lesson's ticks).
    pub solved: Vec<usize>,
    /// Done by "Show me", whose steps are never the student's.
    pub showed: Vec<usize>,
}

impl Credit {
    /// Notes that the student met the task of the chapter beginning at step `chapter`; `false`
    /// if that was known.
    pub fn solve(&mut self, chapter: usize) -> bool {
        note(&mut self.solved, chapter)
    }

    /// Notes that Show me did the task of the chapter beginning at step `chapter`; `false` if
    /// that was known.
    pub fn show(&mut self, chapter: usize) -> bool {
        note(&mut self.showed, chapter)
    }

    pub fn is_empty(&self) -> bool {
        self.solved.is_empty() && self.showed.is_empty()
    }

    /// The saved form, beside the session: `solved:5,14;showed:21`.
    pub fn to_saved(&self) -> String {
        let list = |steps: &[usize]| steps.iter().map(usize::to_string).collect::<Vec<_>>().join(",");
        format!("solved:{};showed:{}", list(&self.solved), list(&self.showed))
    }

    /// Reads [`Credit::to_saved`]'s form. What cannot be read is left out rather than refused:
    /// credit is a courtesy, and a damaged copy must not stand in the way of the session.
    pub fn from_saved(saved: &str) -> Credit {
        let mut credit = Credit::default();
        for part in saved.split(';') {
            let Some((name, steps)) = part.split_once(':') else { continue };
            let list = match name {
                "solved" => &mut credit.solved,
                "showed" => &mut credit.showed,
                _ => continue,
            };
            for step in steps.split(',').filter_map(|s| s.trim().parse::<usize>().ok()) {
                note(list, step);
            }
        }
        credit
    }
}

fn note(list: &mut Vec<usize>, step: usize) -> bool {
    let new = !list.contains(&step);
    if new {
        list.push(step);
    }
    new
}

#[cfg(test)]
mod tests {
    use super::Credit;
    use wasm_bindgen_test::wasm_bindgen_test;

    #[wasm_bindgen_test]
    fn saved_credit_reads_back_as_it_was() {
        let mut credit = Credit::default();
        assert!(credit.solve(71));
        assert!(credit.solve(5));
        assert!(!credit.solve(71), "a task is credited once");
        assert!(credit.show(21));
        let saved = credit.to_saved();
        assert_eq!(saved, "solved:71,5;showed:21");
        assert_eq!(Credit::from_saved(&saved), credit);
        assert!(Credit::from_saved(&Credit::default().to_saved()).is_empty());
    }

    #[wasm_bindgen_test]
    fn a_damaged_copy_keeps_what_can_be_read() {
        let credit = Credit::from_saved("solved:3,x,3,-1, 9;shown:4;showed;showed:12;garbage");
        assert_eq!(credit.solved, vec![3, 9]);
        assert_eq!(credit.showed, vec![12]);
    }
}
