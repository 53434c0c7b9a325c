//! The scenario as real Kafka commands: a student who replays the producer input on a real
//! cluster gets the partitions the engine showed, because keys hash with Kafka's murmur2.

use std::path::PathBuf;

use kafkascope_engine::cli::{self, ProduceBatch, ScriptStep};
use kafkascope_engine::partitioner::java_partition;
use kafkascope_engine::{Command, History, Scenario, Step};

fn scene(file: &str) -> Scenario {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../assets/scenes").join(file);
    Scenario::from_json(&std::fs::read_to_string(path).unwrap()).unwrap()
}

fn batches(script: &cli::Script) -> Vec<&ProduceBatch> {
    script.steps.iter().filter_map(|s| if let ScriptStep::Produce(b) = s { Some(b) } else { None }).collect()
}

/// Every keyed line of a tool's input hashes, with the partition count of its batch, to the
/// partition the engine put that record in; null-key records are noted as landing elsewhere.
fn check_batch(batch: &ProduceBatch) {
    let console = batch.console.as_ref().expect("console producer input");
    let lines: Vec<&str> = console.input.lines().collect();
    assert_eq!(lines.len(), batch.records.len(), "every record is expressed: {:?}", batch.notes);
    for (line, record) in lines.iter().zip(&batch.records) {
        let (key, value) = line.split_once(&console.separator).expect("a key separator on every line");
        assert_eq!(value.as_bytes(), record.value.as_deref().unwrap());
        if key == "<null>" {
            assert!(record.key.is_none());
            assert!(batch.notes.iter().any(|n| n.contains(&format!("offset {} of partition {}", record.offset, record.partition))), "{:?}", batch.notes);
        } else {
            assert_eq!(java_partition(key.as_bytes(), batch.partitions), record.partition, "key {key}");
        }
    }
    for run in &batch.kcat {
        assert!(run.command.contains("-X topic.partitioner=murmur2_random"), "{}", run.command);
        for line in run.input.lines() {
            if let Some((key, _)) = line.split_once(&run.separator).filter(|(k, _)| !k.is_empty()) {
                let record = batch.records.iter().find(|r| r.key.as_deref() == Some(key.as_bytes())).unwrap();
                assert_eq!(java_partition(key.as_bytes(), batch.partitions), record.partition);
            }
        }
    }
}

#[test]
fn the_key_ordering_scene_as_commands_lands_keys_where_the_engine_did() {
    let scenario = scene("key-ordering.json");
    let script = cli::script(&scenario, scenario.len()).unwrap();
    let text = script.to_text();
    assert!(text.contains("kafka-topics.sh --bootstrap-server localhost:9092 --create --topic profile-updated-event-topic --partitions 3 --replication-factor 1"), "{text}");
    assert!(text.contains("--alter --topic profile-updated-event-topic --partitions 6"), "{text}");
    let batches = batches(&script);
    assert_eq!(batches.iter().map(|b| b.partitions).collect::<Vec<_>>(), vec![3, 6], "records before and after the partitions were added");
    batches.iter().for_each(|b| check_batch(b));
    let moved = &batches[1].records[0];
    assert_eq!((moved.partition, java_partition(moved.key.as_deref().unwrap(), 6)), (3, 3));
    assert!(batches[0].console.as_ref().unwrap().command.contains("null.marker='<null>'"));
    println!("{text}");
}

#[test]
fn the_fan_out_scene_as_commands_lands_streamed_keys_where_the_engine_did() {
    let mut scenario = scene("fan-out.json");
    scenario.steps.push(Step { command: Command::Tick, caption: None, repeat: 100 });
    let script = cli::script(&scenario, scenario.len()).unwrap();
    let batches = batches(&script);
    assert_eq!(batches.len(), 1);
    assert_eq!(batches[0].records.len(), 20, "2 records/s for 10 s");
    check_batch(batches[0]);
    assert!(batches[0].notes.is_empty(), "random UUID keys all hash: {:?}", batches[0].notes);
    let mut history = History::from_scenario(&scenario).unwrap();
    history.seek(history.len());
    let described = cli::describe_groups(history.current());
    assert_eq!(described.len(), 3);
    let email = &described[0];
    assert_eq!(email.group, "email-notification-service");
    let header = email.output.lines().nth(1).unwrap();
    assert!(header.starts_with("GROUP                      TOPIC                        PARTITION  CURRENT-OFFSET  LOG-END-OFFSET  LAG"), "{header}");
    assert_eq!(email.output.lines().filter(|l| l.contains("/127.0.0.1")).count(), 3, "{}", email.output);
    for d in &described {
        println!("$ {}{}", d.command, d.output);
    }
    println!("{}", script.to_text().lines().take(8).collect::<Vec<_>>().join("\n"));
}

#[test]
fn a_key_holding_every_separator_is_said_to_be_inexpressible() {
    let json = r#"{"version": 2, "name": "odd keys", "setup": [{"CreateTopic": {"name": "t", "partitions": 2, "config": {}}}],
      "steps": [{"command": {"Produce": {"producer": "p", "topic": "t", "key": "|:#;~^=@%!+*", "value": "v"}}},
                {"command": {"Produce": {"producer": "p", "topic": "t", "key": "k", "value": "two\nlines"}}}]}"#;
    let scenario = Scenario::from_json(json).unwrap();
    let script = cli::script(&scenario, 2).unwrap();
    let batch = batches(&script)[0];
    assert!(batch.console.is_none());
    assert!(batch.notes.iter().any(|n| n.contains("cannot tell key from value")), "{:?}", batch.notes);
}

#[test]
fn an_idle_consumer_has_no_row_and_an_empty_group_says_so() {
    let json = r#"{"version": 2, "name": "idle", "config": {"group_initial_rebalance_delay_ms": 0},
      "setup": [{"CreateTopic": {"name": "t", "partitions": 1, "config": {}}},
                {"AddConsumer": {"group": "g", "client_id": "g-1", "group_instance_id": null, "topics": ["t"]}},
                {"AddConsumer": {"group": "g", "client_id": "g-2", "group_instance_id": null, "topics": ["t"]}},
                {"CreateGroup": {"group": "empty", "config": {}}}]}"#;
    let history = History::from_scenario(&Scenario::from_json(json).unwrap()).unwrap();
    let g = cli::describe_group(history.current(), "g").unwrap();
    assert_eq!(g.output.lines().filter(|l| l.starts_with("g ")).count(), 1, "{}", g.output);
    assert!(g.output.contains(" -               -               g-1") || g.output.contains("g-1"), "{}", g.output);
    let empty = cli::describe_group(history.current(), "empty").unwrap();
    assert_eq!(empty.output, "\nConsumer group 'empty' has no active members.\n");
}

/// A replay behaves as the stage did only if the topic and the producer are configured alike:
/// `min.insync.replicas` on the topic (the outage scene's NotEnoughReplicas), the producer's
/// `acks` (the acks=1 scene's loss), and `--describe` lists the same configs `--create` set.
#[test]
fn topic_and_producer_settings_go_into_the_commands() {
    let outage = scene("data-center-outage.json");
    let text = cli::script(&outage, outage.len()).unwrap().to_text();
    assert!(text.contains("--replication-factor 3 --config min.insync.replicas=2"), "{text}");
    for line in text.lines().filter(|l| l.starts_with("kafka-console-producer.sh")) {
        assert!(!line.contains("acks="), "acks=all is the console producer's default: {line}");
    }
    let acks_one = scene("acks-1-loses-data.json");
    let text = cli::script(&acks_one, acks_one.len()).unwrap().to_text();
    let producers: Vec<&str> = text.lines().filter(|l| l.starts_with("kafka-console-producer.sh") || l.starts_with("kcat -P")).collect();
    assert!(!producers.is_empty(), "{text}");
    for line in producers {
        assert!(line.contains("--producer-property acks=1") || line.contains(" -X acks=1"), "{line}");
    }

    let json = r#"{"version": 2, "name": "kept", "setup": [{"CreateTopic": {"name": "t", "partitions": 1, "config": {"retention_ms": 20000, "min_insync_replicas": 1, "unclean_leader_election_enable": true}}}]}"#;
    let scenario = Scenario::from_json(json).unwrap();
    let create = cli::script(&scenario, 0).unwrap().to_text();
    assert!(create.contains("--config unclean.leader.election.enable=true --config retention.ms=20000"), "{create}");
    let history = History::from_scenario(&scenario).unwrap();
    let described = &history.current().view(8).describe[0];
    assert_eq!(described.configs, vec!["unclean.leader.election.enable=true", "retention.ms=20000"]);
}

/// The consumers too: one console consumer per instance on the stage, in its group, with its
/// client id, reset and assignor, so `--describe` on a real cluster lists the same members.
#[test]
fn every_instance_is_a_console_consumer_in_its_group() {
    for file in ["fan-out.json", "consumer-crash.json"] {
        let scenario = scene(file);
        let mut history = History::from_scenario(&scenario).unwrap();
        history.seek(history.len());
        let sim = history.current();
        let lines = cli::consume_commands(sim);
        let members: Vec<_> = sim.groups().values().flat_map(|g| g.members.values().map(move |m| (g, m))).collect();
        assert!(!members.is_empty(), "{file}");
        assert_eq!(lines.len(), members.len(), "{file}: {lines:#?}");
        for (g, m) in members {
            let line = lines.iter().find(|l| l.contains(&format!("--group {} ", g.name)) && l.contains(&format!("client.id={} ", m.client_id))).unwrap_or_else(|| panic!("{file}: no line for {}", m.client_id));
            assert!(line.starts_with("kafka-console-consumer.sh --bootstrap-server localhost:9092 --topic "), "{line}");
            let earliest = g.config.auto_offset_reset == kafkascope_engine::OffsetReset::Earliest;
            assert_eq!(line.contains("--from-beginning"), earliest, "{line}");
            assert_eq!(line.contains("partition.assignment.strategy="), g.config.assignor != kafkascope_engine::AssignorKind::Range, "{line}");
        }
    }
    let outage = scene("data-center-outage.json");
    let text = cli::script(&outage, outage.len()).unwrap().to_text();
    assert!(text.contains("# --replication-factor 3 needs a cluster of at least 3 brokers"), "{text}");
    assert!(text.contains("\nkafka-leader-election.sh --bootstrap-server localhost:9092 --election-type PREFERRED --all-topic-partitions\n"), "the scene's preferred election: {text}");
}

/// What the script sends is what the stage's logs hold: a record a new leader lacked and the
/// producer sent again is listed once (it was listed twice), records written after being held
/// behind that retry are listed (two were missing), and a record lost for good under acks=1 is
/// left out with a note.
#[test]
fn the_script_sends_each_record_the_logs_hold_once() {
    for file in ["data-center-outage.json", "acks-1-loses-data.json"] {
        let scenario = scene(file);
        let script = cli::script(&scenario, scenario.len()).unwrap();
        let mut history = History::from_scenario(&scenario).unwrap();
        history.seek(history.len());
        let sim = history.current();
        let mut held: Vec<(u32, u64, Vec<u8>)> = Vec::new();
        for (name, topic) in sim.topics() {
            for p in 0..topic.partition_count() {
                let log = sim.log(name, p).unwrap();
                held.extend(log.records().map(|r| (p, r.offset, r.key.as_deref().unwrap_or_default().to_vec())));
            }
        }
        let mut sent: Vec<(u32, u64, Vec<u8>)> =
            batches(&script).iter().flat_map(|b| b.records.iter().map(|r| (r.partition, r.offset, r.key.as_deref().unwrap_or_default().to_vec()))).collect();
        held.sort();
        sent.sort();
        assert!(!held.is_empty(), "{file}");
        assert_eq!(sent, held, "{file}: {}", script.to_text());
    }
    let acks_one = scene("acks-1-loses-data.json");
    let text = cli::script(&acks_one, acks_one.len()).unwrap().to_text();
    assert!(text.contains("was lost when the partition's leader changed (acks=1), so it is left out"), "{text}");
}

#[test]
fn a_null_key_librdkafka_hashed_as_zero_bytes_is_noted_as_landing_elsewhere() {
    // librdkafka's murmur2 partitioner hashes a null key as zero bytes (partition 2 of 3 here); a
    // console producer's null key is not hashed at all.
    let json = r#"{"version": 2, "name": "null keys", "setup": [{"CreateTopic": {"name": "t", "partitions": 3, "config": {}}}],
      "steps": [{"command": {"Produce": {"producer": "p", "topic": "t", "key": null, "value": "v", "partitioner": {"Librdkafka": "Murmur2"}}}}]}"#;
    let scenario = Scenario::from_json(json).unwrap();
    let script = cli::script(&scenario, 2).unwrap();
    let batch = batches(&script)[0];
    assert!(batch.notes.iter().any(|n| n.contains("murmur2 hash of a null key as zero bytes")), "{:?}", batch.notes);
}
