//! The lesson bar: the chapter the class is in, its text, progress through the lesson with
//! Previous and Next, and the chapter's "Try it" task with the engine's verdict.
//!
//! It appears whenever the loaded scenario has chapters (a built-in lesson, or a lesson file that
//! was imported or shared). A task is posed once the cursor reaches its step and stays until the
//! next chapter begins; the goal is checked
//! against the state when it was posed, on every change, so the feedback follows what the
//! student does. "Show me" goes back to the task's step and plays one way of doing it. A lesson
//! often goes on to show the answer itself: a goal met on the lesson's own steps is credited to
//! the lesson, with a way back to the task's step.

use kafkascope_engine::scenario::{Chapter, TryIt};
use kafkascope_engine::{Command, Simulation};
use leptos::prelude::*;

use crate::scene::{Source, LESSONS};
use crate::state::use_sim;
use crate::ui::chrome::controls::{skip_back, skip_forward};

/// Whether the lesson bar offers "Continue the lesson" now: the set-aside line, which would offer
/// the same steps back a second time, stands down (its line cut the last lane at 1280×720).
#[derive(Clone, Copy, Default)]
pub struct ContinueOffered(pub RwSignal<bool>);

/// The chapter the cursor is in: the last one that has begun.
fn chapter_at(chapters: &[Chapter], cursor: usize) -> Option<(usize, Chapter)> {
    chapters.iter().enumerate().rev().find(|(_, c)| c.first_step <= cursor).map(|(i, c)| (i, c.clone()))
}

#[component]
pub fn LessonBar() -> impl IntoView {
    let sim = use_sim();
    let playback = expect_context::<crate::ui::chrome::controls::Playback>();
    let chapter = Memo::new(move |_| sim.with_state(|s| chapter_at(s.history.chapters(), s.history.cursor()).map(|(i, c)| (i, s.history.chapters().len(), c))));
    let progress = move || sim.with_state(|s| (s.history.cursor(), s.history.len()));
    // The latest task posed so far, until a chapter that begins after it starts: a later chapter
    // is about something else. (A student's own steps cut the chapters after them, so their
    // task stays with them.) With it, the step its chapter begins on: the task's name in the
    // credit (a task begun early moves to where the student began, its chapter does not).
    let task = Memo::new(move |_| {
        sim.with_state(|s| {
            let cursor = s.history.cursor();
            let chapters = s.history.chapters();
            let posed = chapters.iter().filter_map(|c| c.try_it.clone().map(|t| (c.first_step, t)));
            let latest = posed.filter(|(_, t)| t.step <= cursor).max_by_key(|(_, t)| t.step);
            latest.filter(|(_, t)| !chapters.iter().any(|c| c.first_step > t.step && c.first_step <= cursor))
        })
    });
    // At a lesson's end (its last step, none of its steps set aside), the way on to the next one
    // in the course: the address the Lessons menu would open.
    // After the last lesson, the course's end is said instead.
    let next_lesson = move || {
        sim.with_state(|s| {
            let Source::Lesson(i) = s.source else { return None };
            let done = s.history.cursor() >= s.history.len() && s.history.set_aside().is_none();
            done.then(|| LESSONS.get(i + 1).map(|next| (crate::route::lesson(next.slug, 0), next.title)))
        })
    };
    view! {
        <Show when=move || chapter.with(Option::is_some)>
            <section class="lesson-bar" aria-label="Lesson">
                <div class="lesson-head">
                    <p class="lesson-title">{move || sim.with_state(|s| s.name.clone())}</p>
                    <h2 class="chapter-title">{move || chapter.get().map(|(i, n, c)| format!("Chapter {} of {n}: {}", i + 1, c.title))}</h2>
                    <div class="lesson-progress">
                        // Previous and Next pass over the quiet ticks (a lesson waiting 35 s for
                        // retention is one Next, not 350), and Next stops at the lesson's end.
                        <button type="button" class="small" on:click=move |_| { playback.pause(); skip_back(sim) }
                            title="Back to the previous step that tells something"
                            aria-disabled=move || (progress().0 == 0).to_string()>"Previous"</button>
                        <progress aria-label="Lesson progress" max=move || progress().1.max(1) value=move || progress().0></progress>
                        <span class="slider-value">{move || format!("step {} of {}", progress().0, progress().1)}</span>
                        <button type="button" class="small" on:click=move |_| { playback.pause(); let (c, n) = progress(); if c < n { skip_forward(sim) } }
                            title="On to the next step that tells something"
                            aria-disabled=move || { let (c, n) = progress(); (c >= n).to_string() }>"Next"</button>
                        {move || next_lesson().map(|next| match next {
                            Some((href, title)) => view! {
                                <a class="next-lesson" href=href title=format!("Next lesson: {title}")>{format!("Lesson {} →", title.split('.').next().unwrap_or_default())}</a>
                            }.into_any(),
                            None => view! { <span class="course-end">"End of the course"</span> }.into_any(),
                        })}
                    </div>
                </div>
                <p class="chapter-text">{move || chapter.get().map(|(_, _, c)| c.text)}</p>
                {move || task.get().map(|(chapter, t)| view! { <TryItBox task=t chapter=chapter/> })}
            </section>
        </Show>
    }
}

/// A task, its hint, and whether the state now meets it. `chapter` is the step its chapter
/// begins on, which names the task in the credit (see `Credit`).
#[component]
fn TryItBox(task: TryIt, chapter: usize) -> impl IntoView {
    let sim = use_sim();
    let step = task.step;
    // Counts loads; it changes only when something else is loaded, so the memos below that read
    // it replay the timeline once per load rather than at every step.
    // (Read with `get` where it is a source: `track` alone never computes a memo, so it would
    // never change.)
    let loads = Memo::new(move |_| sim.with_state(|s| s.loads));
    // The state when the task was posed (the timeline up to the task's step only changes when
    // something else is loaded).
    // (A simulation has no equality: every rerun is news, and reruns come only with a load.)
    let start = Memo::new_with_compare(
        move |_| {
            let _load = loads.get();
            sim.with_state_untracked(|s| s.history.state_at(step))
        },
        |_, _| true,
    );
    let goal = StoredValue::new(task.goal.clone());
    let verdict = Memo::new(move |_| start.with(|start: &Simulation| sim.with(|now| goal.with_value(|g| g.check(start, now)))));
    // Where the lesson's own steps first meet the goal (once per load): a later step of the
    // lesson may undo it, and must still credit the lesson rather than say "Not yet".
    let lesson_met = Memo::new(move |_| {
        let _load = loads.get();
        goal.with_value(|g| sim.with_state_untracked(|s| s.history.first_authored_step_meeting(step, g)))
    });
    let on_lesson = move || sim.with_state(|s| s.history.cursor() <= s.history.authored());
    // Whether the goal was already met where the student's own steps branched off the lesson
    // (past the task): then those steps did not do it, whatever they were (a crash clicked after
    // the lesson had shown the answer was credited as the student's). Worked out again only when
    // the branch point moves.
    let branch = Memo::new(move |_| sim.with_state(|s| s.history.authored()));
    let met_at_branch = Memo::new(move |_| {
        let at = branch.get();
        at > step && start.with(|start: &Simulation| goal.with_value(|g| g.check(start, &sim.with_state_untracked(|s| s.history.state_at(at))).met))
    });
    // Met now: a memo of its own, so that what depends on it alone is worked out when it changes,
    // not at every step.
    let met = Memo::new(move |_| verdict.with(|v| v.met));
    // Whether the lesson's own steps between the task and the student's branch did part of the
    // task: the student's steps, played from the task's step instead, do not meet it (at
    // key-ordering 15 the lesson had added the partitions, and one record sent was "Done"). Worked
    // out when the goal comes to be met or the branch moves. Time the lesson let pass is no help
    // (the student could have let it pass too), and past 1,000 steps of their own (Play left
    // running) the student is given the benefit of the doubt.
    let helped = Memo::new(move |_| {
        let at = branch.get();
        met.get()
            && at > step
            && start.with(|start: &Simulation| {
                sim.with_state_untracked(|s| {
                    let lesson_acted = s.history.commands().get(step..at).is_some_and(|between| between.iter().any(|c| !matches!(c, Command::Tick)));
                    let own = s.history.commands().get(at..s.history.cursor()).unwrap_or_default();
                    let mut alone = start.clone();
                    lesson_acted && own.len() <= 1000 && !(own.iter().all(|c| alone.apply(c.clone()).is_ok()) && goal.with_value(|g| g.check(start, &alone).met))
                })
            })
    });
    // What the lesson did, said at a step of the lesson past the one that did it: `(step, what)`.
    let done_earlier = move || {
        let cursor = sim.with_state(|s| s.history.cursor());
        lesson_met.with(|m| m.as_ref().filter(|(at, _)| *at <= cursor).map(|(at, v)| (*at, v.feedback.clone())))
    };
    // A task done by letting time pass (its solution is ticks: wait for retention) is done by
    // stepping along the lesson's own ticks too: those steps are the student's doing.
    let waiting = !task.solution.is_empty() && task.solution.iter().all(|c| matches!(c, Command::Tick));
    // Met while the cursor is still on the lesson's own steps: the lesson went on to show the
    // answer, and the student has not done it yet.
    let shown = Memo::new(move |_| !waiting && (on_lesson() || met_at_branch.get() || helped.get()) && (verdict.with(|v| v.met) || done_earlier().is_some()));
    // Nothing done yet: on the task's own step, or further on along the lesson's own steps (a
    // lecturer pressing Next), where "Not yet" in warning yellow would read as a mistake nobody made.
    let untried = move || !shown.get() && !verdict.with(|v| v.met) && ((on_lesson() && !waiting) || sim.with_state(|s| s.history.cursor() == step));
    let solution = StoredValue::new(task.solution.clone());
    // Show me's steps are not the student's doing: while they follow the task's step on the
    // timeline, the goal they meet is Show me's. (Who did what is kept in the state, not in this
    // box, which is built again when the chapter leaves the screen and comes back, and is saved
    // with the session: see `Credit`.)
    let by_show_me = move || {
        sim.with_state(|s| s.credit.showed.contains(&chapter))
            && solution.with_value(|answer| sim.with_state(|s| s.history.commands().get(step..).is_some_and(|after| after.starts_with(answer))))
    };
    // Met by the student (on steps of their own, or the lesson's ticks of a waiting task): kept,
    // so that Continue the lesson does not forget who did it.
    let done_by_you = move || verdict.with(|v| v.met) && !shown.get() && !by_show_me();
    Effect::new(move |_| {
        if done_by_you() {
            sim.credit_solved(chapter);
        }
    });
    // Done before, on the student's own steps, and back on the lesson's now (a new attempt of
    // theirs is judged afresh, not covered by the old "Done").
    let solved_before = move || !done_by_you() && on_lesson() && sim.with_state(|s| s.credit.solved.contains(&chapter));
    // The lesson's remaining steps set aside by the steps that did the task (the student's, or
    // Show me's): the way on.
    let can_continue = move || (done_by_you() || (verdict.with(|v| v.met) && by_show_me())) && sim.with_state(|s| s.history.set_aside().is_some());
    if let Some(offered) = use_context::<ContinueOffered>() {
        Effect::new(move |_| offered.0.set(can_continue()));
        on_cleanup(move || offered.0.set(false));
    }
    let show_me = move |_| sim.show_solution(chapter, step, solution.get_value());
    // The verdict is one folded line when the lesson is credited (and no earlier Done of the
    // student's covers it).
    let one_line = move || shown.get() && !solved_before();
    let unfolded = RwSignal::new(false);
    let unfold = move || {
        if shown.get_untracked() {
            unfolded.update(|u| *u = !*u);
        }
    };
    let hint = task.hint.clone();
    view! {
        <div class="try-it" role="group" aria-label="Try it">
            <p class="task"><strong>"Try it: "</strong>{task.task.clone()}</p>
            {(!hint.is_empty()).then(|| view! { <details class="hint"><summary>"Hint"</summary><p>{hint.clone()}</p></details> })}
            // Credited to the lesson, the line leads with what to do (the step number first: with
            // the hint open only some 50 characters show) and gives the rest one line: the stage
            // and the narration are showing what the lesson did. All of it is the title, screen
            // readers hear it all, and a click, a tap or Enter unfolds it (a touch screen has no
            // title).
            <p class="verdict" role="status" class:met=move || done_by_you() || solved_before() class:untried=move || (untried() || by_show_me()) && !solved_before()
                class:shown=one_line class:unfolded=move || unfolded.get()
                tabindex=move || one_line().then_some("0")
                on:click=move |_| unfold()
                on:keydown=move |ev| if ev.key() == "Enter" { unfold() }
                title=move || shown.get().then(|| if verdict.with(|v| v.met) { verdict.with(|v| v.feedback.clone()) } else { done_earlier().map(|(_, what)| what).unwrap_or_default() })>
                {move || {
                    let v = verdict.get();
                    // On the task's own step nothing has been done yet: "Not yet: no record has
                    // been produced" under a step that just produced one reads as a contradiction.
                    let posed_now = sim.with_state(|s| s.history.cursor() == step);
                    match (v.met, shown.get()) {
                        (true, false) if by_show_me() => format!("Show me did it: {}", v.feedback),
                        (true, false) => format!("Done: {}", v.feedback),
                        _ if solved_before() => "Done: you did it on steps of your own.".to_string(),
                        (true, true) if helped.get() && !on_lesson() && !met_at_branch.get() => {
                            format!("Go back to step {step}: the lesson's steps after it did part of this, not you yet. {}", v.feedback)
                        }
                        (true, true) => format!("Go back to step {step}: the lesson's steps did it, not you yet. {}", v.feedback),
                        (false, true) => match done_earlier() {
                            Some((at, what)) => format!("Go back to step {step}: the lesson's steps did it at step {at}, not you yet. {what}"),
                            None => format!("Not yet: {}", v.feedback),
                        },
                        _ if posed_now => "Your turn: do it on the stage, and this line checks every step you take.".to_string(),
                        _ if untried() => format!("Your turn: go back to step {step} and do it on the stage."),
                        _ => format!("Not yet: {}", v.feedback),
                    }
                }}
            </p>
            <Show when=move || !solved_before() && (shown.get() || (untried() && sim.with_state(|s| s.history.cursor() != step)))>
                <button type="button" class="small" on:click=move |_| sim.seek(step)>{format!("Back to step {step}")}</button>
            </Show>
            <Show when=can_continue>
                <button type="button" class="small primary" on:click=move |_| sim.put_back()
                    title="Your steps did the task: put the lesson's own steps back, from the step where yours began">"Continue the lesson"</button>
            </Show>
            {(!task.solution.is_empty()).then(|| view! { <button type="button" class="small" on:click=show_me>"Show me"</button> })}
        </div>
    }
}
