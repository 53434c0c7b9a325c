//! Everything is checked when a scenario is opened, and each refusal is a sentence that says what
//! is wrong: size, JSON, unknown fields and commands, versions, absurd settings, chapters, steps
//! the engine refuses (named by number) and scenarios that ask for too much work.

use kafkascope_engine::scenario::{MAX_SCENARIO_BYTES, SCENARIO_VERSION};
use kafkascope_engine::{History, Scenario, ScenarioError};

/// A valid scenario with `steps` inserted as JSON.
fn with_steps(steps: &str) -> String {
    format!(
        r#"{{"version": 2, "name": "t", "config": {{"group_initial_rebalance_delay_ms": 0}},
        "setup": [{{"CreateTopic": {{"name": "orders", "partitions": 3, "config": {{}}}}}},
                  {{"AddConsumer": {{"group": "g", "client_id": "g-1", "group_instance_id": null, "topics": ["orders"]}}}}],
        "steps": [{steps}]}}"#
    )
}

fn open(text: &str) -> Result<History, ScenarioError> {
    History::from_scenario(&Scenario::from_json(text)?)
}

fn refused(text: &str) -> ScenarioError {
    let err = open(text).expect_err("must be refused");
    let sentence = err.to_string();
    assert!(sentence.len() > 20 && sentence.ends_with(['.', '?']), "not a sentence: {sentence}");
    err
}

#[test]
fn a_valid_scenario_opens_at_step_0() {
    let history = open(&with_steps(r#"{"command": {"Produce": {"producer": "p", "topic": "orders", "key": "k", "value": "v"}}, "caption": "sent"}"#)).unwrap();
    assert_eq!((history.cursor(), history.len()), (0, 1));
}

#[test]
fn oversized_truncated_and_non_json_input_is_refused() {
    let big = format!(r#"{{"version": 2, "name": "{}"}}"#, "x".repeat(MAX_SCENARIO_BYTES));
    assert!(matches!(refused(&big), ScenarioError::TooLarge { .. }));
    let valid = with_steps("");
    let err = refused(&valid[..valid.len() / 2]);
    assert!(matches!(err, ScenarioError::Truncated { .. }), "{err:?}");
    assert!(err.to_string().contains("cut off"));
    assert!(matches!(refused("<html>hello</html>"), ScenarioError::NotJson(_)));
    // An empty file is not a cut-off one: nothing to copy again.
    for empty in ["", " \n"] {
        assert!(matches!(refused(empty), ScenarioError::Empty), "{empty:?}");
    }
    let seq = refused("[1, 2, 3]");
    assert!(matches!(seq, ScenarioError::Malformed(_)), "{seq:?}");
    assert!(matches!(refused(r#"{"name": "no version"}"#), ScenarioError::NoVersion));
    assert!(matches!(refused(r#"{"version": 0, "name": "x"}"#), ScenarioError::UnknownVersion { found: 0 }));
    let future = refused(&format!(r#"{{"version": {}, "name": "x", "anything": "goes"}}"#, SCENARIO_VERSION + 1));
    assert!(matches!(future, ScenarioError::FutureVersion { .. }));
}

#[test]
fn unknown_fields_and_commands_are_named() {
    let field = refused(&with_steps(r#"{"command": "Tick", "captoin": "typo"}"#));
    assert!(field.to_string().contains("captoin"), "{field}");
    let command = refused(&with_steps(r#"{"command": "Explode"}"#));
    assert!(command.to_string().contains("Explode"), "{command}");
    let nested = refused(&with_steps(r#"{"command": {"CreateTopic": {"name": "t2", "partitions": 1, "config": {"retention_hours": 1}}}}"#));
    assert!(nested.to_string().contains("retention_hours"), "{nested}");
    let top = refused(r#"{"version": 2, "name": "x", "extra": 1}"#);
    assert!(top.to_string().contains("extra"), "{top}");
}

#[test]
fn absurd_cluster_settings_are_refused_before_anything_is_built() {
    for (config, name) in [
        (r#"{"brokers": 4000000000}"#, "brokers"),
        (r#"{"start_time_ms": 18446744073709551000}"#, "start_time_ms"),
        (r#"{"tick_ms": 0}"#, "tick_ms"),
        (r#"{"tick_ms": 86400000}"#, "tick_ms"),
        (r#"{"sticky_linger_ms": 18446744073709551615}"#, "sticky.partitioning.linger.ms"),
        (r#"{"group_initial_rebalance_delay_ms": 18446744073709551615}"#, "group.initial.rebalance.delay.ms"),
        (r#"{"leader_imbalance_check_interval_ms": 18446744073709551615}"#, "leader.imbalance.check.interval.seconds"),
        (r#"{"retry_backoff_ms": 18446744073709551615}"#, "retry.backoff.ms"),
    ] {
        let err = refused(&format!(r#"{{"version": 2, "name": "x", "config": {config}}}"#));
        assert!(matches!(err, ScenarioError::InvalidConfig(_)), "{config}: {err:?}");
        assert!(err.to_string().contains(name), "{err}");
    }
    let negative = refused(r#"{"version": 2, "name": "x", "config": {"brokers": -3}}"#);
    assert!(matches!(negative, ScenarioError::Malformed(_)), "{negative:?}");
}

#[test]
fn a_step_about_a_missing_topic_or_member_is_named_by_its_number() {
    let topic = refused(&with_steps(r#"{"command": "Tick"}, {"command": {"Produce": {"producer": "p", "topic": "nope", "key": null, "value": "v"}}}"#));
    assert!(matches!(topic, ScenarioError::CommandFailed { step: 1, .. }), "{topic:?}");
    assert!(topic.to_string().starts_with("Step 2 (Produce)") && topic.to_string().contains("'nope'"), "{topic}");
    let member = refused(&with_steps(r#"{"command": {"CrashConsumer": {"group": "g", "member_id": "g-7"}}}"#));
    assert!(member.to_string().starts_with("Step 1 (CrashConsumer)") && member.to_string().contains("no consumer 'g-7'"), "{member}");
    let setup = refused(r#"{"version": 2, "name": "x", "setup": [{"AddPartitions": {"topic": "none", "total": 4}}]}"#);
    assert!(setup.to_string().starts_with("Setup command 1 (AddPartitions)"), "{setup}");
}

#[test]
fn repeats_chapters_and_step_counts_are_checked() {
    assert!(matches!(refused(&with_steps(r#"{"command": "Tick", "repeat": 0}"#)), ScenarioError::ZeroRepeat { step: 0, .. }));
    let many = refused(&with_steps(r#"{"command": "Tick", "repeat": 4000000000}"#));
    assert!(matches!(many, ScenarioError::TooManySteps { .. }), "{many:?}");
    let late = with_steps(r#"{"command": "Tick", "repeat": 3}"#).replace(
        r#""steps""#,
        r#""chapters": [{"title": "Later", "first_step": 9, "text": ""}], "steps""#,
    );
    let chapter = refused(&late);
    assert!(chapter.to_string().contains("'Later'") && chapter.to_string().contains("only 3 steps"), "{chapter}");
    // An opening replaces the caption of the step a chapter opens on; at step 0 there is none,
    // only the description.
    let opening = |first_step: usize| {
        with_steps(r#"{"command": "Tick", "repeat": 3}"#).replace(
            r#""steps""#,
            &format!(r#""chapters": [{{"title": "First", "first_step": {first_step}, "text": "", "opening": "Here we are."}}], "steps""#),
        )
    };
    let empty = refused(&opening(2).replace("Here we are.", " "));
    assert!(empty.to_string().contains("empty opening"), "{empty}");
    let at_start = refused(&opening(0));
    assert!(at_start.to_string().contains("'First'") && at_start.to_string().contains("begins at step 0"), "{at_start}");
    assert_eq!(open(&opening(2)).expect("an opening past step 0 loads").chapters()[0].opening.as_deref(), Some("Here we are."));
}

#[test]
fn a_scenario_that_asks_for_too_much_work_is_stopped_with_a_sentence() {
    let topics: Vec<String> = (0..3)
        .map(|i| format!(r#"{{"command": {{"CreateTopic": {{"name": "t{i}", "partitions": 1000, "config": {{}}}}}}}}"#))
        .collect();
    let err = refused(&with_steps(&topics.join(",")));
    assert!(matches!(err, ScenarioError::TooMuchWork { .. }), "{err:?}");
    assert!(err.to_string().contains("partitions"), "{err}");
    let stream = with_steps(
        r#"{"command": {"StartProducer": {"client_id": "p", "topic": "orders"}}},
           {"command": {"SetStream": {"producer": "p", "stream": {"rate_per_sec": 10000}}}},
           {"command": "Tick", "repeat": 500}"#,
    );
    let err = refused(&stream);
    assert!(err.to_string().contains("records"), "{err}");
}

/// Valid commands that ask for too much: many groups reading many partitions, many producers
/// streaming flat out, a compacted topic cleaned every tick. Each is stopped with a sentence
/// within a fraction of a second (a few seconds at most on a loaded machine), while the fan-out
/// preset played for almost three hours still opens.
#[test]
fn hostile_but_valid_scenarios_are_stopped_quickly_and_long_honest_ones_open() {
    use kafkascope_engine::{CleanupPolicy, Command, KeyPattern, SimConfig, Step, Stream, TopicConfig};
    use std::time::{Duration, Instant};
    let base = |setup: Vec<Command>, ticks: u32, config: SimConfig| {
        let mut s = Scenario::new("hostile", config, vec![]);
        s.setup = setup;
        s.steps.push(Step { command: Command::Tick, caption: None, repeat: ticks });
        s
    };
    let instant = SimConfig { group_initial_rebalance_delay_ms: 0, retention_check_interval_ms: 1, tick_ms: 1_000, ..SimConfig::default() };
    let consumer = |g: usize, topics: Vec<String>| Command::AddConsumer { group: format!("g{g}"), client_id: "c".into(), group_instance_id: None, topics };
    let many_groups = {
        let mut setup: Vec<Command> = (0..4).map(|t| Command::CreateTopic { name: format!("t{t}"), partitions: 256, config: TopicConfig::default() }).collect();
        setup.extend((0..256).map(|i| consumer(i % 64, (0..4).map(|t| format!("t{t}")).collect())));
        base(setup, 1_000, instant)
    };
    let streams = |producers: usize, cleanup_policy| {
        let mut setup = vec![Command::CreateTopic { name: "t".into(), partitions: 8, config: TopicConfig { cleanup_policy, segment_bytes: 100, ..TopicConfig::default() } }];
        for p in 0..producers {
            setup.push(Command::StartProducer { client_id: format!("p{p}"), topic: "t".into() });
            let stream = Stream { rate_per_sec: 10_000, keys: KeyPattern::UserIds, user_ids: 1_000, ..Stream::default() };
            setup.push(Command::SetStream { producer: format!("p{p}"), stream });
        }
        setup.extend((0..3).map(|g| consumer(g, vec!["t".into()])));
        base(setup, 2_000, instant)
    };
    for scenario in [many_groups, streams(64, CleanupPolicy::Delete), streams(1, CleanupPolicy::Compact)] {
        let start = Instant::now();
        let err = History::from_scenario(&scenario).expect_err("too much work");
        assert!(matches!(err, ScenarioError::TooMuchWork { .. }), "{err:?}");
        assert!(start.elapsed() < Duration::from_secs(5), "{err} took {:?}", start.elapsed());
    }
    let text = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../assets/scenes/fan-out.json")).unwrap();
    let mut fan_out = Scenario::from_json(&text).unwrap();
    fan_out.steps.push(Step { command: Command::Tick, caption: None, repeat: 99_000 });
    assert!(History::from_scenario(&fan_out).is_ok(), "2 h 45 min of the fan-out preset opens");
}
