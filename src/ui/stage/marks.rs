//! Where each consumer group stands on a partition, drawn under the lane's cells: a solid badge
//! at the offset the group reads next (its instance's *position*) and a hollow one at its
//! *committed* offset, where a new owner of the partition would resume. Reads run ahead of
//! commits, so the two part; a crash between them is what makes a record processed twice.
//!
//! Badges on one slot stand side by side. Where more stand on a slot than it is wide (four groups
//! caught up with the log end), they reach left under the older cells, pushing the badges there
//! left too, rather than right into the lane's "start, HW, end" or onto each other.

use kafkascope_engine::view::{GroupMark, PartitionView};
use leptos::prelude::*;

use crate::ui::stage::partition_lane::slot;

/// A badge's place: its slot (an offset older than the drawn cells is pinned to the first) and
/// its rank among the badges on that slot. `shift` moves the slot's badges left of the slot's own
/// start where they would not fit before the next slot's badges (or the lane's end): each term
/// `(a, b)` is `a` slot widths less `b` badge steps, and the shift is the least of them and 0.
/// Slot widths are the stylesheet's to know, so the sum is left to CSS.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Place {
    pub slot: i64,
    pub rank: usize,
    pub shift: Vec<(i64, usize)>,
}

impl Place {
    /// The shift as a CSS length: `100%` is the slot's width, `--step` a badge's.
    pub fn shift_css(&self) -> String {
        let terms: String = self.shift.iter().map(|(a, b)| format!(", calc({a} * 100% - {b} * var(--step))")).collect();
        format!("min(0px{terms})")
    }
}

/// One group's two badges. The committed one is left out where it would sit on the position's
/// own slot (the same offset, or both behind the drawn cells): two badges there smear into one,
/// so the solid badge is drawn on a hollow one instead.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Badges {
    pub position: Option<Place>,
    pub committed: Option<Place>,
}

/// The badges of every group in `marks` (in its order), ranked per slot in group order, a
/// group's position before its commit.
pub fn pack(marks: &[GroupMark], leo: u64, cells: usize) -> Vec<Badges> {
    let at = |offset: u64| slot(offset, leo, cells).max(0);
    let mut badges: Vec<Badges> = marks
        .iter()
        .map(|m| {
            let position = m.position.map(|o| Place { slot: at(o), ..Place::default() });
            let committed = m.committed.filter(|c| Some(*c) != m.position && Some(at(*c)) != position.as_ref().map(|p| p.slot));
            Badges { position, committed: committed.map(|o| Place { slot: at(o), ..Place::default() }) }
        })
        .collect();
    // Badges per slot (slots run from 0 to `cells`, the next free offset's).
    let mut on = vec![0usize; cells + 1];
    for b in badges.iter_mut() {
        for place in [&mut b.position, &mut b.committed].into_iter().flatten() {
            place.slot = place.slot.min(cells as i64);
            place.rank = on[place.slot as usize];
            on[place.slot as usize] += 1;
        }
    }
    // From the right: a slot's badges end by the next slot's start and by the next badges' start,
    // whichever is further left; they start at their slot or as far left as that needs.
    let mut starts = vec![Vec::new(); cells + 1];
    let mut limit: Vec<(i64, usize)> = Vec::new();
    for (slot, &count) in on.iter().enumerate().rev().filter(|(_, &n)| n > 0) {
        let slot = slot as i64;
        limit.push((slot + 1, 0));
        let mut start: Vec<(i64, usize)> = limit.iter().map(|&(a, b)| (a, b + count)).collect();
        // A term is of no use where another is never greater: as few slots and more steps.
        let useful = |&(a, b): &(i64, usize)| !start.iter().any(|&(x, y)| (x, y) != (a, b) && x <= a && y >= b);
        start = start.iter().copied().filter(useful).collect();
        start.dedup();
        starts[slot as usize] = start.iter().map(|&(a, b)| (a - slot, b)).collect();
        limit = start;
        limit.push((slot, 0));
    }
    for b in badges.iter_mut() {
        for place in [&mut b.position, &mut b.committed].into_iter().flatten() {
            place.shift = starts[place.slot as usize].clone();
        }
    }
    badges
}

/// The groups' markers under the lane, one pair per group, keyed by group so they glide.
#[component]
pub fn Marks(lane: Memo<Option<PartitionView>>, leo: Memo<u64>, #[prop(into)] cells: Signal<usize>) -> impl IntoView {
    let groups = move || lane.with(|l| l.as_ref().map(|l| l.marks.iter().map(|m| m.group.clone()).collect::<Vec<_>>()).unwrap_or_default());
    let packed = Memo::new(move |_| lane.with(|l| l.as_ref().map(|l| pack(&l.marks, leo.get(), cells.get())).unwrap_or_default()));
    view! {
        <div class="marks" aria-hidden="true">
            <For each=groups key=|g| g.clone() children=move |g| view! { <GroupMarks lane=lane group=g leo=leo cells=cells packed=packed/> }/>
        </div>
    }
}

/// Where one group stands: a solid badge at its position, a hollow one at its committed offset
/// when that differs, and a solid badge on a hollow one when they coincide.
#[component]
fn GroupMarks(lane: Memo<Option<PartitionView>>, group: String, leo: Memo<u64>, #[prop(into)] cells: Signal<usize>, packed: Memo<Vec<Badges>>) -> impl IntoView {
    let mark = Memo::new(move |_| {
        lane.with(|l| {
            let marks = &l.as_ref()?.marks;
            let i = marks.iter().position(|m| m.group == group)?;
            Some((marks[i].clone(), packed.with(|p| p.get(i).cloned().unwrap_or_default())))
        })
    });
    // An offset older than the drawn cells (a slow group far behind) is pinned to the first slot
    // and says which offset it is, with an arrow pointing at the older records off to the left.
    let behind = move |offset: Option<u64>| offset.is_some_and(|o| slot(o, leo.get(), cells.get()) < 0);
    let position = move || mark.get().and_then(|(m, _)| m.position);
    let committed = move || mark.get().and_then(|(m, b)| m.committed.filter(|_| b.committed.is_some()));
    let folded_commit = move || mark.get().and_then(|(m, b)| m.committed.filter(|_| b.committed.is_none()));
    let committed_title = move || folded_commit().map_or(String::new(), |c| format!(", committed {c}"));
    let badge = move || mark.get().map(|(m, _)| m.badge).unwrap_or_default();
    let who = move || mark.get().map(|(m, _)| m.group).unwrap_or_default();
    let place = move |which: fn(Badges) -> Option<Place>| Memo::new(move |_| mark.get().and_then(|(_, b)| which(b)).unwrap_or_default());
    let (at, at_commit) = (place(|b| b.position), place(|b| b.committed));
    view! {
        <span class="slot mark position" class:behind=move || behind(position()) class:on-commit=move || folded_commit().is_some() hidden=move || position().is_none()
            style=("--slot", move || at.with(|p| p.slot.to_string())) style=("--rank", move || at.with(|p| p.rank.to_string())) style=("--shift", move || at.with(Place::shift_css))
            title=move || format!("{} reads offset {} next{}", who(), position().unwrap_or_default(), committed_title())>
            <span class="badge">{badge}<span class="behind-offset">{move || format!("◂{}", position().unwrap_or_default())}</span></span>
        </span>
        <span class="slot mark committed" class:behind=move || behind(committed()) hidden=move || committed().is_none()
            style=("--slot", move || at_commit.with(|p| p.slot.to_string())) style=("--rank", move || at_commit.with(|p| p.rank.to_string())) style=("--shift", move || at_commit.with(Place::shift_css))
            title=move || format!("{} committed offset {}", who(), committed().unwrap_or_default())>
            <span class="badge">{badge}<span class="behind-offset">{move || format!("◂{}", committed().unwrap_or_default())}</span></span>
        </span>
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use wasm_bindgen_test::wasm_bindgen_test;

    fn mark(group: &str, committed: Option<u64>, position: Option<u64>) -> GroupMark {
        GroupMark { group: group.into(), badge: group[..1].to_uppercase(), committed, position }
    }

    #[wasm_bindgen_test]
    fn badges_are_ranked_per_slot_and_a_commit_on_its_position_folds() {
        // Eight cells drawn before the log end 10: offset 10 is slot 8, offset 2 slot 0.
        let marks = [
            mark("audit", Some(10), Some(10)),
            mark("billing", Some(9), Some(10)),
            mark("email", Some(0), Some(1)),
            mark("fraud", None, Some(10)),
        ];
        let b = pack(&marks, 10, 8);
        let at = |b: &Option<Place>| b.as_ref().map(|p| (p.slot, p.rank));
        assert_eq!((at(&b[0].position), at(&b[0].committed)), (Some((8, 0)), None), "a commit at the position folds into it");
        assert_eq!((at(&b[1].position), at(&b[1].committed)), (Some((8, 1)), Some((7, 0))));
        // Both of email's offsets are behind the window, pinned to slot 0: one badge.
        assert_eq!((at(&b[2].position), at(&b[2].committed)), (Some((0, 0)), None));
        assert_eq!(at(&b[3].position), Some((8, 2)));
        // Slot 8's three badges end by its right edge: 1 slot less 3 steps from its start. Slot
        // 7's one ends by that too, or by its own right edge: 1 slot less 1 step.
        let shift = |b: &Option<Place>| {
            let mut terms = b.as_ref().map(|p| p.shift.clone()).unwrap_or_default();
            terms.sort();
            terms
        };
        assert_eq!(shift(&b[0].position), vec![(1, 3)]);
        assert_eq!(shift(&b[1].committed), vec![(1, 1), (2, 4)]);
        assert_eq!(b[1].committed.as_ref().unwrap().shift_css(), "min(0px, calc(2 * 100% - 4 * var(--step)), calc(1 * 100% - 1 * var(--step)))");
        // Slot 0 is far from the crowd: its one badge's terms are all further right than its start
        // once its slot is wider than a step.
        assert_eq!(shift(&b[2].position), vec![(1, 1), (8, 2), (9, 5)]);
    }
}
