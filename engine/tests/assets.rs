//! The shipped scenarios: every JSON file under `assets/` opens and replays to its end, every
//! lesson has a "Try it" task that its starting state does not already satisfy and that its
//! solution satisfies, and the three presets still do what their captions say.

use std::path::PathBuf;

use kafkascope_engine::{Command, Event, History, Scenario, TopicPartition};

fn assets(dir: &str) -> Vec<(String, Scenario)> {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../assets").join(dir);
    let mut files: Vec<PathBuf> = std::fs::read_dir(&root).unwrap().map(|e| e.unwrap().path()).filter(|p| p.extension().is_some_and(|e| e == "json")).collect();
    files.sort();
    files
        .into_iter()
        .map(|path| {
            let name = path.file_name().unwrap().to_string_lossy().to_string();
            let text = std::fs::read_to_string(&path).unwrap();
            let scenario = Scenario::from_json(&text).unwrap_or_else(|e| panic!("{name}: {e}"));
            (name, scenario)
        })
        .collect()
}

fn open(name: &str, scenario: &Scenario) -> History {
    History::from_scenario(scenario).unwrap_or_else(|e| panic!("{name}: {e}"))
}

#[test]
fn every_scenario_file_replays_to_its_end() {
    let all: Vec<_> = assets("lessons").into_iter().chain(assets("scenes")).collect();
    assert_eq!(all.len(), 14, "9 lessons and 5 scenes");
    for (name, scenario) in all {
        let mut history = open(&name, &scenario);
        history.seek(history.len());
        assert_eq!(history.cursor(), scenario.len(), "{name}");
        assert!(!scenario.description.is_empty(), "{name} has no description");
        let exported = history.to_scenario(&scenario.name);
        assert_eq!(exported.chapters, scenario.chapters, "{name}: chapters survive an export");
    }
}

#[test]
fn every_lesson_has_chapters_and_reachable_try_it_tasks() {
    for (name, scenario) in assets("lessons") {
        assert!(scenario.chapters.len() >= 2, "{name}");
        let history = open(&name, &scenario);
        let tasks: Vec<_> = scenario.chapters.iter().filter_map(|c| c.try_it.as_ref()).collect();
        assert!(!tasks.is_empty(), "{name} has no Try it");
        for task in tasks {
            let start = history.state_at(task.step);
            let before = task.goal.check(&start, &start);
            assert!(!before.met, "{name}: '{}' is met before the student acts: {}", task.task, before.feedback);
            let mut idle = history.clone();
            idle.seek(task.step);
            (0..5).for_each(|_| drop(idle.apply(Command::Tick)));
            let waited = task.goal.check(&start, idle.current());
            assert!(!waited.met && waited.feedback.ends_with('.'), "{name}: '{}' is met by waiting half a second: {}", task.task, waited.feedback);
            let mut attempt = history.clone();
            attempt.seek(task.step);
            for (i, command) in task.solution.iter().enumerate() {
                attempt.apply(command.clone()).unwrap_or_else(|e| panic!("{name}: solution step {i} of '{}': {e}", task.task));
            }
            let after = task.goal.check(&start, attempt.current());
            assert!(after.met, "{name}: the solution of '{}' does not meet it: {}", task.task, after.feedback);
        }
    }
}

/// A student who acts while still reading a chapter, before the step that poses its task, is
/// judged from where they began: the task moves to that step, and its solution still meets it
/// from there ("Show me" plays it there).
#[test]
fn a_task_begun_early_in_its_chapter_is_posed_where_the_student_began_and_still_solvable() {
    let mut checked = 0;
    for (name, scenario) in assets("lessons") {
        let history = open(&name, &scenario);
        for chapter in &scenario.chapters {
            let Some(task) = chapter.try_it.as_ref() else { continue };
            for early in chapter.first_step..task.step {
                let mut attempt = history.clone();
                attempt.seek(early);
                for (i, command) in task.solution.iter().enumerate() {
                    attempt.apply(command.clone()).unwrap_or_else(|e| panic!("{name}: solution step {i} of '{}' from step {early}: {e}", task.task));
                }
                let posed: Vec<usize> = attempt.chapters().iter().filter(|c| c.title == chapter.title).filter_map(|c| c.try_it.as_ref().map(|t| t.step)).collect();
                assert_eq!(posed, vec![early], "{name}: '{}' begun at step {early}", task.task);
                let start = history.state_at(early);
                assert!(!task.goal.check(&start, &start).met, "{name}: '{}' is met at step {early} before the student acts", task.task);
                let after = task.goal.check(&start, attempt.current());
                assert!(after.met, "{name}: the solution of '{}' played from step {early} does not meet it: {}", task.task, after.feedback);
                checked += 1;
            }
        }
    }
    // key-ordering's first task (chapter from step 0, posed at 7) and partitions-and-keys' (4, 5).
    assert_eq!(checked, 8);
}

fn scene(file: &str) -> (Scenario, History) {
    let (name, scenario) = assets("scenes").into_iter().find(|(n, _)| n == file).unwrap();
    let history = open(&name, &scenario);
    (scenario, history)
}

#[test]
fn the_key_ordering_scene_keeps_the_user_in_partition_0_then_moves_it_to_3() {
    let (scenario, mut history) = scene("key-ordering.json");
    assert_eq!(scenario.name, "Key ordering demo");
    history.seek(3);
    let topic = history.current().topic("profile-updated-event-topic").unwrap();
    assert_eq!(topic.partitions[0].len(), 3, "all three updates in partition 0");
    history.seek(history.len());
    let topic = history.current().topic("profile-updated-event-topic").unwrap();
    assert_eq!(topic.partitions[3].len(), 1, "the key moved to partition 3 of 6");
    let member = history.current().group("sms-notification-service").unwrap().members.values().next().unwrap();
    assert_eq!(member.assigned.len(), 6, "the consumer reads all six partitions at the end");
}

#[test]
fn the_fan_out_scene_streams_two_records_a_second_to_three_groups() {
    let (scenario, history) = scene("fan-out.json");
    assert_eq!((scenario.name.as_str(), history.len()), ("Fan-out", 0));
    let mut sim = history.current().clone();
    assert_eq!(sim.producer("products-microservice").unwrap().stream.rate_per_sec, 2);
    for _ in 0..100 {
        sim.step();
    }
    let produced: u64 = sim.topic("product-created-events-topic").unwrap().partitions.iter().map(|l| l.log_end_offset()).sum();
    assert_eq!(produced, 20, "2 records/s for 10 s");
    let email = sim.group("email-notification-service").unwrap();
    assert!(email.total_lag(sim.topics()) > 0, "the slow email group lags");
    assert!(sim.group("sms-notification-service").unwrap().stats.processed >= 15);
}

#[test]
fn the_consumer_crash_scene_crashes_busy_instances_and_shows_both_guarantees() {
    let (_, mut history) = scene("consumer-crash.json");
    let crashes: Vec<usize> = (0..history.len()).filter(|&i| matches!(history.commands()[i], Command::CrashConsumer { .. })).collect();
    assert_eq!(crashes.len(), 2);
    for &i in &crashes {
        history.seek(i);
        let Command::CrashConsumer { group, member_id } = &history.commands()[i] else { unreachable!() };
        let g = history.current().group(group).unwrap();
        let member = g.members.values().find(|m| &m.client_id == member_id).unwrap();
        assert!(member.batch.is_some(), "{member_id} of {group} is in the middle of a batch when it crashes");
    }
    history.seek(history.len());
    let sim = history.current();
    assert!(sim.group("email-notification-service").unwrap().stats.redelivered > 0, "at-least-once");
    assert!(sim.group("sms-notification-service").unwrap().stats.lost > 0, "at-most-once");
    let _ = (Event::TimeAdvanced { tick: 0, now_ms: 0 }, TopicPartition::new("t", 0));
}

fn events_of(name: &str) -> Vec<Event> {
    let (_, scenario) = assets("scenes").into_iter().find(|(n, _)| n == name).expect(name);
    let mut history = open(name, &scenario);
    let mut events = Vec::new();
    while let Some(step) = history.step_forward() {
        events.extend(step);
    }
    events
}

#[test]
fn the_outage_scene_moves_leaders_refuses_acks_all_below_min_isr_and_heals() {
    let (_, scenario) = assets("scenes").into_iter().find(|(n, _)| n == "data-center-outage.json").unwrap();
    let events = events_of("data-center-outage.json");
    assert!(events.iter().any(|e| matches!(e, Event::LeaderElected { previous: Some(2), .. })), "a partition led by broker 2 got a new leader");
    assert!(events.iter().any(|e| matches!(e, Event::StreamRefused { reason, .. } if reason.starts_with("NotEnoughReplicasException:"))));
    let mut history = open("outage", &scenario);
    history.seek(history.len());
    let view = history.current().view(8);
    for p in &view.topics[0].partitions {
        assert_eq!(p.replication.isr.len(), 3, "every ISR is full again: partition {}", p.partition);
    }
    // Each refusal is counted on the producer, and the count stays after the outage.
    let refusals = events.iter().filter(|e| matches!(e, Event::StreamRefused { .. })).count() as u64;
    assert!(refusals > 0);
    assert_eq!(view.producers.iter().map(|p| p.refused).sum::<u64>(), refusals);
}

/// Played on past its end, the outage scene keeps replicating: its preferred election moved
/// partition 2 off broker 1 while a record there was uncommitted, and broker 3 then stopped
/// copying for good (its high watermark stayed at 2 and sms-1 read nothing more from it).
#[test]
fn the_outage_scene_keeps_every_partition_moving_after_its_preferred_election() {
    let (_, scenario) = assets("scenes").into_iter().find(|(n, _)| n == "data-center-outage.json").unwrap();
    let mut history = open("outage", &scenario);
    history.seek(history.len());
    let at_end: Vec<u64> = history.current().topics().values().next().unwrap().partitions.iter().map(|p| p.high_watermark()).collect();
    for _ in 0..200 {
        history.apply(Command::Tick).unwrap();
    }
    let topic = history.current().topics().values().next().unwrap();
    for (p, log) in topic.partitions.iter().enumerate() {
        assert!(log.high_watermark() > at_end[p] + 3, "partition {p}: HW {} after 20 s, {} at the scene's end", log.high_watermark(), at_end[p]);
        assert_eq!(topic.replication[p].isr.len(), 3, "partition {p}: ISR {:?}", topic.replication[p].isr);
    }
}

#[test]
fn the_acks_1_scene_loses_an_acknowledged_record_and_the_old_leader_truncates_it() {
    let events = events_of("acks-1-loses-data.json");
    assert!(events.iter().any(|e| matches!(e, Event::Acknowledged { offset: 1, .. })));
    assert!(events.iter().any(|e| matches!(e, Event::LeaderElected { lost: Some(_), .. })), "the election names the lost offsets");
    assert!(events.iter().any(|e| matches!(e, Event::ReplicaTruncated { broker: 3, from: 2, to: 1, .. })));
}

/// A saved lesson session is reopened on a lesson's URL only when it is the lesson as shipped plus
/// what a student did on the stage; a lesson whose text changed since the save must not be
/// replaced by the stale copy.
#[test]
fn a_saved_lesson_session_extends_its_lesson_only_while_the_lesson_is_unchanged() {
    for (name, lesson) in assets("lessons") {
        assert!(lesson.extends(&lesson), "{name}");
        let mut history = open(&name, &lesson);
        history.seek(history.len());
        let topic = history.current().topics().keys().next().cloned().unwrap_or_else(|| panic!("{name} has a topic"));
        let produce = Command::Produce(kafkascope_engine::ProduceRequest::new("console-producer", &topic, Some("student-key"), "hello"));
        history.apply(produce.clone()).unwrap_or_else(|e| panic!("{name}: {e}"));
        let saved = history.to_scenario(&lesson.name);
        assert!(saved.extends(&lesson), "{name}: a produced record at the end");

        // A branch: back to the middle, then a step of one's own (the later steps are dropped).
        let mut branched = open(&name, &lesson);
        branched.seek(lesson.len() / 2);
        branched.apply(produce.clone()).unwrap_or_else(|e| panic!("{name}: {e}"));
        assert!(branched.to_scenario(&lesson.name).extends(&lesson), "{name}: a branch from step {}", lesson.len() / 2);

        // The lesson as a newer build ships it: a caption reworded, a chapter retold, a setup changed.
        let mut reworded = lesson.clone();
        let captioned = reworded.steps.iter_mut().find(|s| s.caption.is_some()).unwrap_or_else(|| panic!("{name} has captions"));
        captioned.caption = Some("Reworded.".into());
        assert!(!saved.extends(&reworded), "{name}: a reworded caption");
        let mut retold = lesson.clone();
        retold.chapters[0].text.push_str(" More.");
        assert!(!saved.extends(&retold), "{name}: a retold chapter");
        let mut resetup = lesson.clone();
        resetup.setup.pop();
        assert!(!saved.extends(&resetup), "{name}: a changed setup");
    }
}

/// A saved session that branched off a lesson, reopened after a reload, still has the lesson's
/// remaining steps set aside, and putting them back gives the lesson as shipped (a reload used to
/// leave the student on a one-chapter copy, with no way back but loading another lesson).
#[test]
fn a_reopened_branch_of_a_lesson_keeps_the_rest_of_the_lesson_set_aside() {
    for (name, lesson) in assets("lessons") {
        let at = lesson.len() / 2;
        let mut branched = open(&name, &lesson);
        branched.seek(at);
        let topic = branched.current().topics().keys().next().cloned().unwrap();
        branched.apply(Command::Produce(kafkascope_engine::ProduceRequest::new("console-producer", &topic, Some("student-key"), "hello"))).unwrap();
        let saved = branched.to_scenario(&lesson.name);
        let mut reopened = open(&name, &saved);
        let shared = saved.shared_steps(&lesson);
        assert_eq!(shared, at, "{name}");
        reopened.limit_authored(shared);
        reopened.set_aside_script(&lesson, shared);
        let kept = reopened.set_aside().unwrap_or_else(|| panic!("{name}: nothing set aside"));
        assert_eq!((kept.at(), kept.len()), (at, lesson.len() - at), "{name}");
        assert!(reopened.put_back(), "{name}");
        assert_eq!(reopened.to_scenario(&lesson.name).expanded_steps().count(), lesson.len(), "{name}");
        assert_eq!(reopened.chapters(), &lesson.chapters[..], "{name}: every chapter is back");
        // A session that runs on past the lesson's end did not branch: nothing to set aside.
        let mut past_end = open(&name, &lesson);
        past_end.seek(past_end.len());
        past_end.apply(Command::Tick).unwrap();
        let mut whole = open(&name, &past_end.to_scenario(&lesson.name));
        whole.set_aside_script(&lesson, past_end.to_scenario(&lesson.name).shared_steps(&lesson));
        assert!(whole.set_aside().is_none(), "{name}");
    }
}

/// Every `{…}` a lesson or scene puts in front of the class (chapter texts, captions, tasks and
/// hints) is JSON a student could paste: the course teaches that a value is JSON, so an example
/// that is not JSON teaches the wrong thing.
#[test]
fn json_shown_in_lesson_and_scene_text_is_json() {
    let mut checked = 0;
    for (name, scenario) in assets("lessons").into_iter().chain(assets("scenes")) {
        let chapters = scenario.chapters.iter().flat_map(|c| [Some(&c.text), c.try_it.as_ref().map(|t| &t.task), c.try_it.as_ref().map(|t| &t.hint)]);
        let captions = scenario.steps.iter().map(|s| s.caption.as_ref());
        for text in chapters.chain(captions).flatten().chain([&scenario.description]) {
            for snippet in braced(text) {
                checked += 1;
                if let Err(e) = serde_json::from_str::<serde_json::Value>(snippet) {
                    panic!("{name}: {snippet} is not JSON ({e})");
                }
            }
        }
    }
    assert!(checked >= 1, "lesson 1 shows a JSON value; the scan found none");
}

/// The outermost `{ … }` spans of a text, braces balanced.
fn braced(text: &str) -> Vec<&str> {
    let (mut out, mut depth, mut start) = (Vec::new(), 0_usize, 0);
    for (i, c) in text.char_indices() {
        match c {
            '{' => {
                if depth == 0 {
                    start = i;
                }
                depth += 1;
            }
            '}' if depth > 0 => {
                depth -= 1;
                if depth == 0 {
                    out.push(&text[start..=i]);
                }
            }
            _ => {}
        }
    }
    out
}

/// The chapter on screen agrees with the picture: a step whose caption ends one chapter's story
/// is told under that chapter's title, and a step that shows the next chapter's subject under
/// the next one's. (A chapter that opens with a "Try it" task begins at the task's step, where the
/// student acts; every other chapter begins with its own first picture.)
#[test]
fn each_chapter_is_on_screen_for_the_steps_that_show_its_subject() {
    let lessons = assets("lessons");
    let cases = [
        ("events-and-messages.json", 12, "A Kafka message", "its timestamp is 1000 ms"),
        ("events-and-messages.json", 13, "Keys and values are bytes", "null key"),
        ("fan-out.json", 11, "Publish, subscribe", "Reading removed nothing"),
        ("key-ordering.json", 7, "Same key, same partition", "in the order they were written"),
        ("key-ordering.json", 13, "Without a key", "Across partitions there is no order"),
        ("partitions-and-keys.json", 3, "The key decides", "murmur2("),
        ("partitions-and-keys.json", 4, "No key, empty key", "A null key"),
        ("replicas-and-data-centers.json", 10, "Leaders and followers", "The followers fetch them"),
        ("replicas-and-data-centers.json", 19, "Committed records and the high watermark", "The high watermark follows the slowest"),
        ("replicas-and-data-centers.json", 52, "Below min.insync.replicas", "NotEnoughReplicas"),
        ("retention-and-compaction.json", 252, "Retention deletes by time", "retention deleted both segments"),
        ("scaling-a-group.json", 100, "One consumer falls behind", "its lag grows"),
        ("scaling-a-group.json", 101, "Parallel reads", "email-2 joins"),
        ("scaling-a-group.json", 401, "Parallel reads", "the lag shrinks"),
        ("topics-and-offsets.json", 3, "Append only", "offsets 0, 1 and 2"),
        ("topics-and-offsets.json", 4, "Offsets count per partition", "partition 1 also gets offset 0"),
        ("topics-and-offsets.json", 5, "Immutable", "events are immutable"),
    ];
    for (file, step, title, caption) in cases {
        let (_, scenario) = lessons.iter().find(|(name, _)| name == file).unwrap();
        let history = open(file, scenario);
        let shown = scenario.chapters.iter().rev().find(|c| c.first_step <= step).map(|c| c.title.as_str());
        assert_eq!(shown, Some(title), "{file}, step {step}");
        let said = history.caption_at(step).unwrap_or_default();
        assert!(said.contains(caption), "{file}, step {step} says: {said}");
    }
}

/// A caption at the end of a run of ticks is shown on the run's last step, so it must come with
/// the step where what it tells happens (retention deleting segments, a rebalance, a replica
/// truncating or rejoining), or the one right after it: a caption ten ticks late tells the class
/// about a picture they saw change ten clicks ago, under steps narrated as "nothing sent or read".
#[test]
fn a_caption_on_a_run_of_ticks_comes_with_the_step_that_does_what_it_tells() {
    let headline = |e: &Event| {
        matches!(
            e,
            Event::SegmentsDeleted { .. } | Event::RebalanceCompleted { .. } | Event::MemberRemoved { .. } | Event::ReplicaTruncated { .. } | Event::IsrExpanded { .. } | Event::Compacted { .. }
        )
    };
    for (name, scenario) in assets("lessons").into_iter().chain(assets("scenes")) {
        let mut history = open(&name, &scenario);
        let mut end = 0;
        for step in &scenario.steps {
            let run = step.repeat.max(1) as usize;
            let start = end;
            end += run;
            let ticks = matches!(step.command, Command::Tick);
            let Some(caption) = step.caption.as_ref().filter(|_| ticks && run > 1) else { continue };
            history.seek(start);
            let last_headline = (start + 1..=end).fold(None, |last, at| {
                let events = history.step_forward().expect("inside the timeline");
                if events.iter().any(headline) { Some(at) } else { last }
            });
            if let Some(at) = last_headline {
                assert!(end - at <= 1, "{name}: \"{caption}\" is shown at step {end}, but what it tells happened at step {at}");
            }
        }
    }
}

/// A chapter's opening is said in place of the caption of the step it opens on, so it speaks
/// for that state: each claim in one is checked here against the state it opens on.
#[test]
fn each_chapter_opening_says_what_its_first_step_shows() {
    let lessons = assets("lessons");
    let with_openings: Vec<(&str, &str)> = lessons
        .iter()
        .flat_map(|(file, s)| s.chapters.iter().filter(|c| c.opening.is_some()).map(move |c| (file.as_str(), c.title.as_str())))
        .collect();
    assert_eq!(
        with_openings,
        [("key-ordering.json", "Adding partitions"), ("replicas-and-data-centers.json", "A data center goes dark"), ("scaling-a-group.json", "Idle consumers")],
        "every opening is checked below"
    );
    let at = |file: &str, title: &str| {
        let (_, scenario) = lessons.iter().find(|(name, _)| name == file).unwrap();
        let chapter = scenario.chapters.iter().find(|c| c.title == title).unwrap();
        let mut history = open(file, scenario);
        history.seek(chapter.first_step);
        assert_eq!(history.caption(), chapter.opening.as_deref(), "{file}: the opening is said at step {}", chapter.first_step);
        history
    };

    // "Every update sent with the user's key is in partition 0, in the order written: toPositive(murmur2(key)) % 3 is 0."
    let history = at("key-ordering.json", "Adding partitions");
    let topic = history.current().topic("profile-updated-event-topic").unwrap();
    let key = b"16b77e26-6aac-4da5-bd17-ca1caeb91461";
    let holding: Vec<usize> = topic.partitions.iter().enumerate().filter(|(_, log)| log.records().any(|r| r.key.as_deref() == Some(&key[..]))).map(|(p, _)| p).collect();
    assert_eq!((holding, topic.partitions.len()), (vec![0], 3));
    let partitioner = kafkascope_engine::partitioner::to_positive(kafkascope_engine::partitioner::murmur2(key)) % 3;
    assert_eq!(partitioner, 0);

    // "Every partition has a leader and two in-sync followers, one in each other data center."
    let history = at("replicas-and-data-centers.json", "A data center goes dark");
    let sim = history.current();
    let rack = |id: u32| sim.brokers().iter().find(|b| b.id == id).map(|b| b.rack.clone()).unwrap();
    for (p, r) in sim.topics().values().next().unwrap().replication.iter().enumerate() {
        let leader = r.leader.unwrap_or_else(|| panic!("partition {p} has a leader"));
        let mut racks: Vec<String> = r.isr.iter().map(|&b| rack(b)).collect();
        racks.sort();
        racks.dedup();
        assert!(r.isr.contains(&leader) && r.isr.len() == 3 && racks.len() == 3, "partition {p}: leader {leader}, ISR {:?}", r.isr);
    }

    // "Three instances for three partitions: each instance reads one partition."
    let history = at("scaling-a-group.json", "Idle consumers");
    let group = history.current().group("email-notification-service").unwrap();
    let owned: Vec<usize> = group.members.values().map(|m| m.assigned.len()).collect();
    assert_eq!(owned, [1, 1, 1]);
}
