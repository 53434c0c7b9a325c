//! Step back and forward, seeking, cutting off the future, and scenario files.

mod common;

use common::*;
use kafkascope_engine::scenario::SCENARIO_VERSION;
use kafkascope_engine::{Command, History, ProduceRequest, Scenario, ScenarioError, SimConfig, TopicConfig};

fn produce_cmd(key: &str) -> Command {
    Command::Produce(ProduceRequest::new("p", TOPIC, Some(key), "v"))
}

fn history_with(n: usize) -> (History, Vec<String>) {
    let mut history = History::new(SimConfig::default());
    let mut prints = vec![history.current().fingerprint()];
    history.apply(Command::CreateTopic { name: TOPIC.into(), partitions: 3, config: TopicConfig::default() }).unwrap();
    prints.push(history.current().fingerprint());
    for i in 1..n {
        let command = if i % 3 == 0 { Command::Tick } else { produce_cmd(&format!("k{i}")) };
        history.apply(command).unwrap();
        prints.push(history.current().fingerprint());
    }
    (history, prints)
}

#[test]
fn step_back_removes_the_last_step_and_step_forward_restores_it() {
    let (mut history, prints) = history_with(10);
    assert_eq!(history.cursor(), 10);
    assert!(history.step_back());
    assert_eq!(history.current().fingerprint(), prints[9]);
    history.step_forward().unwrap();
    assert_eq!(history.current().fingerprint(), prints[10]);
    assert!(history.step_forward().is_none(), "nothing after the end");
}

#[test]
fn seek_reaches_every_step_across_snapshots() {
    let (mut history, prints) = history_with(300);
    for step in [0, 1, 63, 64, 65, 200, 128, 299, 300, 5] {
        history.seek(step);
        assert_eq!(history.current().fingerprint(), prints[step], "step {step}");
    }
}

/// A state reached by a seek can be narrated with the events its step had when first taken.
#[test]
fn seek_recalling_returns_the_events_of_the_step_that_led_there() {
    let mut history = History::new(SimConfig::default());
    let mut taken = vec![Vec::new()];
    taken.push(history.apply(Command::CreateTopic { name: TOPIC.into(), partitions: 3, config: TopicConfig::default() }).unwrap());
    for i in 1..140 {
        let command = if i % 3 == 0 { Command::Tick } else { produce_cmd(&format!("k{i}")) };
        taken.push(history.apply(command).unwrap());
    }
    for step in [140, 65, 64, 63, 1, 0, 2, 139, 7, 500] {
        let recalled = history.seek_recalling(step);
        let step = step.min(140);
        assert_eq!(history.cursor(), step);
        assert_eq!(recalled, taken[step], "step {step}");
    }
    assert!(!taken[2].is_empty(), "a produce has events to recall");
}

#[test]
fn a_new_command_after_stepping_back_cuts_off_the_future() {
    let (mut history, _) = history_with(100);
    history.seek(70);
    history.apply(produce_cmd("new")).unwrap();
    assert_eq!((history.cursor(), history.len()), (71, 71));
    assert!(!history.can_step_forward());
    history.seek(0);
    history.seek(71);
    assert_eq!(history.current().commands_applied(), 71);
}

#[test]
fn a_refused_command_is_not_recorded() {
    let (mut history, prints) = history_with(5);
    assert!(history.apply(Command::AddPartitions { topic: TOPIC.into(), total: 1 }).is_err());
    assert_eq!(history.len(), 5);
    assert_eq!(history.current().fingerprint(), prints[5]);
}

#[test]
fn scenario_round_trips_through_json_and_replays_identically() {
    let (history, prints) = history_with(50);
    let scenario = Scenario::new("demo", SimConfig::default(), history.commands().to_vec());
    let loaded = Scenario::from_json(&scenario.to_json()).unwrap();
    assert_eq!(loaded, scenario);
    assert_eq!(loaded.replay().unwrap().current().fingerprint(), prints[50]);
}

#[test]
fn malformed_and_future_scenarios_are_refused_with_a_reason() {
    assert!(matches!(Scenario::from_json("{not json"), Err(ScenarioError::NotJson(_))));
    assert!(matches!(Scenario::from_json(r#"{"version": 1}"#), Err(ScenarioError::Malformed(_))));
    let future = format!(r#"{{"version": {}, "name": "x", "config": {{}}, "commands": []}}"#, SCENARIO_VERSION + 1);
    let err = Scenario::from_json(&future).unwrap_err();
    assert!(matches!(err, ScenarioError::FutureVersion { .. }));
    assert!(err.to_string().contains("newer Kafkascope"));
}

#[test]
fn a_scenario_with_a_bad_step_says_which() {
    let scenario = Scenario::new("bad", SimConfig::default(), vec![produce_cmd("k")]);
    let err = scenario.replay().unwrap_err();
    assert!(matches!(err, ScenarioError::CommandFailed { step: 0, .. }));
    assert!(err.to_string().contains("no topic named"));
    assert!(err.to_string().starts_with("Step 1 (Produce)"), "{err}");
}

/// A history built from a scenario with setup, exported and built again, has the identical state
/// at every step; today's presets applied their setup outside the history, so they could not.
#[test]
fn an_exported_history_replays_its_setup_and_every_step() {
    let setup = vec![Command::CreateTopic { name: TOPIC.into(), partitions: 3, config: TopicConfig::default() }];
    let mut scenario = Scenario::new("with setup", SimConfig::default(), vec![produce_cmd("a"), Command::Tick, Command::Tick, produce_cmd("b")]);
    scenario.setup = setup;
    scenario.steps[1].caption = Some("one tick".into());
    let mut history = History::from_scenario(&scenario).unwrap();
    assert_eq!((history.cursor(), history.len()), (0, 4));
    history.seek(2);
    assert_eq!(history.caption(), Some("one tick"));
    history.apply(produce_cmd("new")).unwrap();
    let exported = history.to_scenario("exported");
    let json = exported.to_json();
    let mut rebuilt = History::from_scenario(&Scenario::from_json(&json).unwrap()).unwrap();
    for step in 0..=history.len() {
        history.seek(step);
        rebuilt.seek(step);
        assert_eq!(rebuilt.current().fingerprint(), history.current().fingerprint(), "step {step}");
        assert_eq!(rebuilt.caption(), history.caption(), "caption at {step}");
    }
}

#[test]
fn runs_of_one_command_fold_into_repeat_and_unfold_again() {
    let mut history = History::new(SimConfig::default());
    for _ in 0..50 {
        history.apply(Command::Tick).unwrap();
    }
    history.apply_with_caption(Command::Tick, Some("after 5.1 s".into())).unwrap();
    let scenario = history.to_scenario("ticks");
    assert_eq!(scenario.steps.len(), 1);
    assert_eq!((scenario.steps[0].repeat, scenario.steps[0].caption.as_deref()), (51, Some("after 5.1 s")));
    assert!(scenario.to_json().contains("\"repeat\": 51"));
    let rebuilt = History::from_scenario(&scenario).unwrap();
    assert_eq!((rebuilt.len(), rebuilt.caption_at(51), rebuilt.caption_at(50)), (51, Some("after 5.1 s"), None));
}

#[test]
fn format_1_files_are_still_read() {
    let v1 = r#"{"version": 1, "name": "old", "config": {"seed": 7}, "commands": [
        {"CreateTopic": {"name": "orders", "partitions": 2, "config": {}}},
        {"Produce": {"producer": "p", "topic": "orders", "key": [107], "value": [118]}}]}"#;
    let scenario = Scenario::from_json(v1).unwrap();
    assert_eq!((scenario.name.as_str(), scenario.config.seed, scenario.len()), ("old", 7, 2));
    let history = scenario.replay().unwrap();
    assert_eq!(history.current().log("orders", 0).unwrap().len() + history.current().log("orders", 1).unwrap().len(), 1);
}

#[test]
fn a_new_step_before_the_end_cuts_off_the_chapters_that_began_later_and_poses_a_begun_chapters_task_at_the_cut() {
    use kafkascope_engine::{Chapter, Scenario, TryIt};
    let mut scenario = Scenario::new("lesson", kafkascope_engine::SimConfig::default(), vec![Command::Tick; 6]);
    let task = |step| TryIt { step, task: "t".into(), goal: kafkascope_engine::Goal::LagZero { group: "g".into() }, hint: String::new(), solution: vec![] };
    scenario.chapters = vec![
        Chapter { title: "one".into(), first_step: 0, text: String::new(), opening: None, try_it: Some(task(2)) },
        Chapter { title: "two".into(), first_step: 2, text: String::new(), opening: None, try_it: Some(task(4)) },
        Chapter { title: "three".into(), first_step: 5, text: String::new(), opening: None, try_it: None },
    ];
    let mut history = History::from_scenario(&scenario).unwrap();
    history.seek(3);
    history.apply(Command::CleanLogs).unwrap();
    let kept: Vec<(&str, Option<usize>)> = history.chapters().iter().map(|c| (c.title.as_str(), c.try_it.as_ref().map(|t| t.step))).collect();
    // Chapter two had begun (step 2) and would have posed its task at step 4: the step taken at
    // 3 is the student's start on it.
    assert_eq!(kept, vec![("one", Some(2)), ("two", Some(3))]);
    // At the end of the timeline nothing is cut.
    history.apply(Command::Tick).unwrap();
    assert_eq!(history.chapters().len(), 2);
}

#[test]
fn the_scenarios_own_steps_are_told_from_steps_taken_by_hand() {
    let scenario = Scenario::new("lesson", SimConfig::default(), vec![Command::Tick; 6]);
    let mut history = History::from_scenario(&scenario).unwrap();
    assert_eq!(history.authored(), 6, "every loaded step is the scenario's own");
    history.seek(6);
    history.apply(Command::CleanLogs).unwrap();
    assert_eq!((history.authored(), history.len()), (6, 7), "a step added at the end leaves the lesson's steps as they were");
    history.seek(3);
    assert_eq!(history.authored(), 6, "moving the cursor changes nothing");
    history.apply(Command::CleanLogs).unwrap();
    assert_eq!(history.authored(), 3, "a step taken at step 3 cuts the lesson's steps after it");
    assert_eq!(History::new(SimConfig::default()).authored(), 0);

    // A saved session: the lesson's first three steps, then the student's own.
    let saved = history.to_scenario("lesson");
    assert_eq!(saved.shared_steps(&scenario), 3);
    assert_eq!(scenario.shared_steps(&scenario), 6);
    let mut restored = History::from_scenario(&saved).unwrap();
    assert_eq!(restored.authored(), 4, "loaded as a file, all of it is the file's own");
    restored.limit_authored(saved.shared_steps(&scenario));
    assert_eq!(restored.authored(), 3);
    restored.limit_authored(5);
    assert_eq!(restored.authored(), 3, "a limit never adds steps");

    // Folding the oldest steps away shifts the count with them.
    use kafkascope_engine::history::{FOLD_STEPS, MAX_STEPS};
    let mut long = History::from_scenario(&Scenario::new("long", SimConfig::default(), vec![Command::Tick; MAX_STEPS])).unwrap();
    long.seek(MAX_STEPS);
    long.apply(Command::Tick).unwrap();
    assert_eq!(long.folded(), FOLD_STEPS);
    assert_eq!(long.authored(), MAX_STEPS - FOLD_STEPS);
}

#[test]
fn a_history_past_its_limit_folds_the_oldest_steps_into_its_base_and_stays_exact() {
    use kafkascope_engine::history::{FOLD_STEPS, MAX_STEPS};
    use kafkascope_engine::Simulation;
    let mut sim = Simulation::new(SimConfig::default());
    sim.apply(Command::CreateTopic { name: "t".into(), partitions: 2, config: TopicConfig::default() }).unwrap();
    let mut history = History::starting_from(sim.clone());
    let mut twin = sim;
    let total = MAX_STEPS + FOLD_STEPS + 7;
    for i in 0..total {
        let command = if i % 3 == 0 { Command::Produce(ProduceRequest::new("p", "t", Some(&format!("k{i}")), "v")) } else { Command::Tick };
        history.apply(command.clone()).unwrap();
        twin.apply(command).unwrap();
    }
    assert!(history.folded() > 0 && history.folded() % FOLD_STEPS == 0);
    assert!(history.len() <= MAX_STEPS);
    assert_eq!(history.folded() + history.len(), total);
    assert_eq!(history.current().fingerprint(), twin.fingerprint());
    assert!(!history.is_exportable(), "the setup of the new start is gone");
    // Step 0 is now the state after the folded steps; seeking anywhere stays exact.
    history.seek(0);
    let mut replay = Simulation::new(SimConfig::default());
    replay.apply(Command::CreateTopic { name: "t".into(), partitions: 2, config: TopicConfig::default() }).unwrap();
    for i in 0..history.folded() {
        let command = if i % 3 == 0 { Command::Produce(ProduceRequest::new("p", "t", Some(&format!("k{i}")), "v")) } else { Command::Tick };
        replay.apply(command).unwrap();
    }
    assert_eq!(history.current().fingerprint(), replay.fingerprint());
    history.seek(history.len());
    assert_eq!(history.current().fingerprint(), twin.fingerprint());
}

/// A lesson of 150 produce-and-tick steps with a caption on step 100 and three chapters.
fn scripted_lesson() -> Scenario {
    use kafkascope_engine::{Chapter, Step};
    let mut scenario = Scenario::new("lesson", SimConfig::default(), Vec::new());
    scenario.setup = vec![Command::CreateTopic { name: TOPIC.into(), partitions: 3, config: TopicConfig::default() }];
    scenario.steps = (0..150)
        .map(|i| Step { command: if i % 2 == 0 { produce_cmd(&format!("script-{i}")) } else { Command::Tick }, caption: (i == 99).then(|| "step 100".to_string()), repeat: 1 })
        .collect();
    let chapter = |title: &str, first_step| Chapter { title: title.into(), first_step, text: String::new(), opening: None, try_it: None };
    scenario.chapters = vec![chapter("one", 0), chapter("two", 40), chapter("three", 120)];
    scenario
}

#[test]
fn a_step_taken_inside_a_script_sets_the_rest_aside_and_put_back_replays_it_exactly() {
    let scenario = scripted_lesson();
    let mut history = History::from_scenario(&scenario).unwrap();
    let prints: Vec<String> = (0..=150).map(|step| history.state_at(step).fingerprint()).collect();
    assert!(history.set_aside().is_none() && !history.put_back(), "nothing is set aside after a load");

    history.seek(30);
    history.apply(produce_cmd("mine")).unwrap();
    history.apply(Command::Tick).unwrap();
    let kept = history.set_aside().expect("the script's steps after 30 are kept");
    assert_eq!((kept.at(), kept.len()), (30, 120));
    assert_eq!((history.len(), history.authored(), history.chapters().len()), (32, 30, 1));

    assert!(history.put_back());
    assert!(history.set_aside().is_none());
    assert_eq!((history.cursor(), history.len(), history.authored()), (30, 150, 150), "the cursor waits where the user branched off");
    assert_eq!(history.chapters(), scenario.chapters.as_slice());
    assert_eq!(history.caption_at(100), Some("step 100"));
    assert!(history.commands().iter().all(|c| *c != produce_cmd("mine")), "the user's steps made way for the script");
    for step in [0, 30, 31, 64, 100, 128, 150] {
        history.seek(step);
        assert_eq!(history.current().fingerprint(), prints[step], "step {step} is as the lesson built it");
    }
    assert_eq!(history.to_scenario("lesson"), scenario, "it exports as the lesson again");
}

#[test]
fn a_second_cut_earlier_in_the_script_joins_what_was_set_aside_and_a_users_own_steps_are_not_kept() {
    let scenario = scripted_lesson();
    let mut history = History::from_scenario(&scenario).unwrap();
    history.seek(100);
    history.apply(Command::Tick).unwrap();
    // Back into the user's own branch and a different step there: still only the script is kept.
    history.seek(100);
    history.apply(Command::CleanLogs).unwrap();
    assert_eq!(history.set_aside().map(|k| (k.at(), k.len())), Some((100, 50)));
    // Further back, inside the script: the steps from 20 to 100 join the 50 kept.
    history.seek(20);
    history.apply(produce_cmd("again")).unwrap();
    assert_eq!(history.set_aside().map(|k| (k.at(), k.len())), Some((20, 130)));
    assert!(history.put_back());
    assert_eq!(history.to_scenario("lesson"), scenario);

    // A user's own timeline has no script to keep; forgetting drops what was kept.
    let (mut own, _) = history_with(10);
    own.seek(4);
    own.apply(Command::Tick).unwrap();
    assert!(own.set_aside().is_none());
    history.seek(5);
    history.apply(Command::Tick).unwrap();
    history.forget_set_aside();
    assert!(!history.put_back());
    assert_eq!(history.len(), 6);
}
