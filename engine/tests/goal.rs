//! "Try it" goals refuse wrong answers with a sentence that says what is missing, and accept
//! right ones, on the lessons' own states.

use std::path::PathBuf;

use kafkascope_engine::{Bytes, Command, History, ProduceRequest, Scenario, TryIt};

fn lesson(file: &str) -> (Scenario, History) {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../assets/lessons").join(file);
    let scenario = Scenario::from_json(&std::fs::read_to_string(path).unwrap()).unwrap();
    let history = History::from_scenario(&scenario).unwrap();
    (scenario, history)
}

fn task(scenario: &Scenario, n: usize) -> TryIt {
    scenario.chapters.iter().filter_map(|c| c.try_it.clone()).nth(n).unwrap()
}

/// Applies `commands` at the task's step; returns (met, feedback).
fn attempt(history: &History, task: &TryIt, commands: Vec<Command>) -> (bool, String) {
    let mut h = history.clone();
    h.seek(task.step);
    let start = h.current().clone();
    for c in commands {
        h.apply(c).unwrap();
    }
    let verdict = task.goal.check(&start, h.current());
    (verdict.met, verdict.feedback)
}

fn produce(topic: &str, key: Option<&str>, value: Option<&str>, partition: Option<u32>) -> Command {
    let mut r = ProduceRequest::new("products-microservice", topic, key, "");
    r.value = value.map(|v| Bytes::copy_from_slice(v.as_bytes()));
    r.partition = partition;
    Command::Produce(r)
}

#[test]
fn a_key_that_hashes_elsewhere_gets_the_murmur2_arithmetic() {
    let (scenario, history) = lesson("partitions-and-keys.json");
    let t = task(&scenario, 0);
    let topic = "product-created-events-topic";
    let (met, feedback) = attempt(&history, &t, vec![produce(topic, Some("product-1"), Some("{}"), None)]);
    assert!(!met);
    assert_eq!(feedback, "Key \"product-1\" went to partition 0: toPositive(murmur2(key)) = 368172123, and 368172123 % 3 = 0. Try another key to reach partition 2.");
    let (met, feedback) = attempt(&history, &t, vec![produce(topic, Some("product-1"), Some("{}"), Some(2))]);
    assert!(!met, "an explicit partition is not the key's doing");
    assert!(feedback.contains("hashes to partition 0") && feedback.contains("placed by hand"), "{feedback}");
    // The right key sent to a named partition: the sentence is about the partition named (a
    // field left set from an earlier lesson), never "try another key" against arithmetic that says 2.
    let (met, feedback) = attempt(&history, &t, vec![produce(topic, Some("product-3"), Some("{}"), Some(0))]);
    assert!(!met);
    assert!(feedback.contains("hashes to partition 2") && feedback.contains("clear Partition to let the key decide"), "{feedback}");
    assert!(!feedback.contains("Try another key"), "{feedback}");
    let (met, feedback) = attempt(&history, &t, vec![produce(topic, Some("product-3"), Some("{}"), None)]);
    assert!(met, "{feedback}");
    // A key is data, quoted as the narration quotes it.
    assert!(feedback.starts_with("The record with key \"product-3\" is at offset"), "{feedback}");
    // librdkafka's crc32 puts "product-4" in partition 2 (murmur2 in 0): the task is the Java
    // client's, and the refusal says why.
    let Command::Produce(mut librdkafka) = produce(topic, Some("product-4"), Some("{}"), None) else { unreachable!() };
    librdkafka.partitioner = kafkascope_engine::Partitioner::Librdkafka(kafkascope_engine::partitioner::LibrdkafkaPartitioner::Consistent);
    let (met, feedback) = attempt(&history, &t, vec![Command::Produce(librdkafka)]);
    assert!(!met && feedback.contains("librdkafka's crc32 puts it there"), "{feedback}");
    assert!(feedback.contains("partition 2"), "{feedback}");
    let (met, feedback) = attempt(&history, &t, vec![]);
    assert!(!met && feedback.contains("No record has been produced"), "{feedback}");
    // The right partition by chance is not the key's doing: named by hand, or a partitioner that
    // ignores keys (its third record goes to partition 2, where murmur2 sends "product-3" too).
    let (met, feedback) = attempt(&history, &t, vec![produce(topic, Some("product-3"), Some("{}"), Some(2))]);
    assert!(!met && feedback.contains("named partition 2 itself"), "{feedback}");
    let round_robin = |_| {
        let Command::Produce(mut r) = produce(topic, Some("product-3"), Some("{}"), None) else { unreachable!() };
        r.partitioner = kafkascope_engine::Partitioner::RoundRobin;
        Command::Produce(r)
    };
    let (met, feedback) = attempt(&history, &t, (0..3).map(round_robin).collect());
    assert!(!met && feedback.starts_with("The key was not hashed: the producer's partitioner (RoundRobinPartitioner) put the record in partition 2"), "{feedback}");
}

#[test]
fn a_tombstone_in_the_active_segment_is_explained() {
    let (scenario, history) = lesson("retention-and-compaction.json");
    let t = task(&scenario, 0);
    let topic = "profile-updated-event-topic";
    let anna = "4d763028-998d-4e7f-810c-f79a407c394a";
    let (met, feedback) = attempt(&history, &t, vec![Command::CleanLogs]);
    assert!(!met && feedback.contains("Send a tombstone"), "{feedback}");
    // Sent to the topic the Produce form had chosen: told where it went.
    let (met, feedback) = attempt(&history, &t, vec![produce("product-created-events-topic", Some(anna), None, None)]);
    assert!(!met && feedback == "Your tombstone went to 'product-created-events-topic': send it to 'profile-updated-event-topic' (Topic, in Edit (E)).", "{feedback}");
    let (met, feedback) = attempt(&history, &t, vec![produce(topic, Some(anna), None, None), Command::CleanLogs]);
    assert!(!met && feedback.contains("active segment"), "{feedback}");
    let (met, feedback) = attempt(&history, &t, vec![produce(topic, Some(anna), None, None), produce(topic, Some("x"), Some(&"y".repeat(40)), None)]);
    assert!(!met && feedback.contains("press Clean now") && feedback.contains("min.cleanable.dirty.ratio = 0.5"), "{feedback}");
}

#[test]
fn losing_a_record_needs_the_crash_between_commit_and_processing() {
    let (scenario, history) = lesson("offsets-and-commits.json");
    let t = task(&scenario, 0);
    let topic = "product-created-events-topic";
    let key = "4d763028-998d-4e7f-810c-f79a407c394a";
    let too_late = vec![produce(topic, Some(key), Some("{}"), None), Command::Tick, Command::Tick, Command::Tick, Command::CrashConsumer { group: "sms-notification-service".into(), member_id: "sms-1".into() }];
    let (met, feedback) = attempt(&history, &t, too_late);
    assert!(!met && feedback.contains("after it committed its batch and before it processed it"), "{feedback}");
    let switched = vec![Command::SetCommitMode { group: "sms-notification-service".into(), mode: kafkascope_engine::CommitMode::ProcessThenCommit }];
    let (_, feedback) = attempt(&history, &t, switched);
    assert!(feedback.contains("only \"commit, then process (at-most-once)\" can lose a record"), "{feedback}");
    // Met: the count agrees with its noun ("lost 1 record", "lost 2 records").
    let (met, feedback) = attempt(&history, &t, t.solution.clone());
    let n: u64 = feedback.split("lost ").nth(1).and_then(|rest| rest.split(' ').next()).and_then(|n| n.parse().ok()).expect("a count");
    let noun = if n == 1 { "record," } else { "records," };
    assert!(met && feedback.contains(&format!("lost {n} {noun}")), "{feedback}");
}

#[test]
fn fan_out_and_idle_consumers_say_what_is_missing() {
    let (scenario, history) = lesson("fan-out.json");
    let t = task(&scenario, 0);
    let (met, feedback) = attempt(&history, &t, vec![produce("product-created-events-topic", Some("k"), Some("{}"), None)]);
    assert!(!met && feedback.contains("no consumer group named 'email-notification-service'"), "{feedback}");
    // A record sent before a group that begins at `latest` existed is never read by it, though
    // the group moves past it: only a record sent once every group exists counts.
    let Command::CreateGroup { group, mut config } = t.solution[0].clone() else { panic!("the solution creates the group first") };
    config.auto_offset_reset = kafkascope_engine::OffsetReset::Latest;
    let mut late = vec![produce("product-created-events-topic", Some("iphone-15"), Some("{}"), None), Command::CreateGroup { group, config }, t.solution[1].clone()];
    late.extend(std::iter::repeat_n(Command::Tick, 40));
    let (met, feedback) = attempt(&history, &t, late.clone());
    assert!(!met && feedback.contains("'email-notification-service' began at the end of partition") && feedback.contains("never reads that record"), "{feedback}");
    late.push(produce("product-created-events-topic", Some("pixel-8"), Some("{}"), None));
    late.extend(std::iter::repeat_n(Command::Tick, 40));
    let (met, feedback) = attempt(&history, &t, late);
    assert!(met && feedback.contains("processed the new record:"), "{feedback}");
    let (scenario, history) = lesson("scaling-a-group.json");
    let t = task(&scenario, 0);
    let (met, feedback) = attempt(&history, &t, vec![Command::Tick]);
    assert!(!met && feedback.contains("All 3 running consumers") && feedback.contains("3 partitions"), "{feedback}");
}

#[test]
fn ordering_by_key_refuses_null_keys_and_a_split_key_is_recognised() {
    let (scenario, history) = lesson("key-ordering.json");
    let t = task(&scenario, 0);
    let topic = "profile-updated-event-topic";
    let null_keys = ["Sergei", "Serjei", "Sergey"].map(|n| produce(topic, None, Some(n), None)).to_vec();
    let (met, feedback) = attempt(&history, &t, null_keys);
    assert!(!met && feedback.contains("No record with key"), "{feedback}");
    let split = task(&scenario, 1);
    let (met, feedback) = attempt(&history, &split, vec![produce(topic, Some("16b77e26-6aac-4da5-bd17-ca1caeb91461"), Some("Sergei"), None)]);
    assert!(!met && feedback.contains("still hashes there (1380467487 % 3 = 0)"), "{feedback}");
    // Half done: the count changed, the user's update not sent again yet.
    let (met, feedback) = attempt(&history, &split, vec![Command::AddPartitions { topic: topic.into(), total: 6 }]);
    assert!(!met && feedback.contains("but with 6 partitions it now hashes to partition 3: send an update"), "{feedback}");
}

#[test]
fn a_leader_election_is_recognised_and_a_stopped_follower_is_not_one() {
    let (scenario, history) = lesson("replicas-and-data-centers.json");
    let t = task(&scenario, 0);
    let start = history.state_at(t.step);
    let leader = start.topic("product-created-events-topic").unwrap().leader(0).unwrap();
    let follower = (1..=3).find(|&b| b != leader).unwrap();
    let (met, feedback) = attempt(&history, &t, vec![Command::StopBroker { broker: follower }, Command::Tick]);
    assert!(!met && feedback.contains(&format!("Broker {leader} still leads partition 0")), "{feedback}");
    let (met, feedback) = attempt(&history, &t, vec![Command::StopBroker { broker: leader }]);
    assert!(met && feedback.contains(&format!("instead of broker {leader}")) && feedback.contains("leader epoch 1"), "{feedback}");
    // Every broker down: no leader to name, and the sentence says how to get one back.
    let all = (1..=3).map(|broker| Command::StopBroker { broker }).collect();
    let (met, feedback) = attempt(&history, &t, all);
    assert!(!met && feedback.contains("Partition 0 has no leader"), "{feedback}");
}

/// Scaling a group: the lesson adds the idle consumer itself, then a crashed one's session times
/// out and the idle one takes over, so at the lesson's end the goal is no longer met. The step
/// where the lesson met it is found, and a task the lesson never does is not credited.
#[test]
fn the_step_where_a_lesson_met_its_own_task_is_found_even_when_a_later_step_undoes_it() {
    let (scenario, history) = lesson("scaling-a-group.json");
    let t = task(&scenario, 0);
    let (at, verdict) = history.first_authored_step_meeting(t.step, &t.goal).expect("the lesson adds an idle consumer");
    assert!(verdict.met, "{}", verdict.feedback);
    assert!(at > t.step && at < history.authored(), "met at {at}, between the task's step {} and the end {}", t.step, history.authored());
    let before = {
        let mut h = history.clone();
        h.seek(at - 1);
        t.goal.check(&history.state_at(t.step), h.current()).met
    };
    assert!(!before, "step {at} is the first that meets it");
    let mut end = history.clone();
    end.seek(history.authored());
    assert!(!t.goal.check(&history.state_at(t.step), end.current()).met, "the idle consumer has taken over by the end");

    let (scenario, history) = lesson("events-and-messages.json");
    let t = task(&scenario, 0);
    assert_eq!(history.first_authored_step_meeting(t.step, &t.goal).map(|(n, _)| n), None, "the student's own task");
}

#[test]
fn an_event_is_keyed_by_the_id_it_carries() {
    let (scenario, history) = lesson("events-and-messages.json");
    let t = task(&scenario, 0);
    let topic = "product-created-events-topic";
    let (met, feedback) = attempt(&history, &t, vec![produce(topic, Some("hello"), Some(r#"{"productId": "abc-999"}"#), None)]);
    assert!(!met && feedback.contains("key is 'hello', but its value's \"productId\" is 'abc-999'"), "{feedback}");
    let (met, feedback) = attempt(&history, &t, vec![produce(topic, Some("abc-999"), Some("productId=abc-999"), None)]);
    assert!(!met && feedback.contains("not a JSON object"), "{feedback}");
    let (met, feedback) = attempt(&history, &t, vec![produce(topic, Some("abc-999"), Some(r#"{"productId": "abc-999", "title": "Pixel 9"}"#), None)]);
    assert!(met, "{feedback}");
}
