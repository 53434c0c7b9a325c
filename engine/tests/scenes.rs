//! The two replication scenes of the stage, as command lists the UI can copy
//! (`/work/notes/replication.md` has them with their captions), and what each step must show.



use kafkascope_engine::{
    Acks, AssignorKind, Command, CommitMode, Election, Event, GroupConfig, KeyPattern, OffsetRange, OffsetReset, ProduceRequest,
    ProducerConfig, SimConfig, Simulation, Stream, TopicConfig,
};

const PRODUCT_TOPIC: &str = "product-created-events-topic";
const PRODUCTS_SERVICE: &str = "products-microservice";
const PRODUCT_TEMPLATE: &str = r#"{"productId": "{key}", "title": "iPhone 15", "price": 1129, "quantity": 19}"#;
const SMS: &str = "sms-notification-service";

/// One scripted step, as the UI's scenes write them.
#[derive(Clone)]
enum Step {
    Run(Command),
    Say(&'static str),
}

/// The UI's `scene_config()`.
fn scene_config() -> SimConfig {
    SimConfig { group_initial_rebalance_delay_ms: 0, metadata_max_age_ms: 5_000, ..SimConfig::default() }
}

fn sms_group() -> Vec<Command> {
    let config = GroupConfig {
        assignor: AssignorKind::Range,
        commit_mode: CommitMode::AutoCommit,
        auto_offset_reset: OffsetReset::Earliest,
        session_timeout_ms: 6_000,
        auto_commit_interval_ms: 1_000,
        max_poll_records: 1,
        processing_rate: None,
    };
    vec![
        Command::CreateGroup { group: SMS.into(), config },
        Command::AddConsumer { group: SMS.into(), client_id: "sms-1".into(), group_instance_id: None, topics: vec![PRODUCT_TOPIC.into()] },
    ]
}

fn ticks(n: usize) -> impl Iterator<Item = Step> {
    std::iter::repeat_n(Step::Run(Command::Tick), n)
}

/// "Data center outage": RF 3, min ISR 2, acks=all, Products streaming 2 records/s.
fn outage_scene() -> (Vec<Command>, Vec<Step>) {
    let config = TopicConfig { replication_factor: Some(3), min_insync_replicas: 2, ..TopicConfig::default() };
    let mut setup = vec![
        Command::CreateTopic { name: PRODUCT_TOPIC.into(), partitions: 3, config },
        Command::StartProducer { client_id: PRODUCTS_SERVICE.into(), topic: PRODUCT_TOPIC.into() },
        Command::ConfigureProducer { producer: PRODUCTS_SERVICE.into(), config: ProducerConfig { acks: Acks::All, enable_idempotence: true } },
        Command::SetStream {
            producer: PRODUCTS_SERVICE.into(),
            stream: Stream { rate_per_sec: 2, keys: KeyPattern::RandomUuids, value_template: PRODUCT_TEMPLATE.into(), ..Stream::default() },
        },
    ];
    setup.extend(sms_group());
    let mut script: Vec<Step> = ticks(10).collect();
    script.push(Step::Say("Each partition has three replicas, one per data center, all in sync (Isr: three brokers). acks=all waits for every one of them."));
    script.push(Step::Run(Command::StopBroker { broker: 2 }));
    script.push(Step::Say("dc-2 goes dark. Broker 2 leaves every ISR, and the partition it led gets a new leader from its ISR."));
    script.extend(ticks(20));
    script.push(Step::Say("Two in-sync replicas still meet min.insync.replicas=2: acks=all sends are acknowledged and the consumer keeps reading."));
    script.push(Step::Run(Command::StopBroker { broker: 3 }));
    script.push(Step::Say("dc-3 goes dark too. Every ISR is down to broker 1 alone, below min.insync.replicas=2."));
    script.extend(ticks(10));
    script.push(Step::Say("The leader refuses acks=all sends with NotEnoughReplicas: nothing is written, so nothing acknowledged can be lost."));
    script.push(Step::Run(Command::StartBroker { broker: 2 }));
    script.push(Step::Run(Command::StartBroker { broker: 3 }));
    script.push(Step::Say("Both data centers are back. Their replicas fetch what they missed from the leaders..."));
    script.extend(ticks(2));
    script.push(Step::Say("...and rejoin the ISR once they reach the high watermark: every ISR is full again. Leaders stay where they moved."));
    script.extend(ticks(8));
    script.push(Step::Run(Command::ElectPreferredLeaders));
    script.push(Step::Say("A preferred leader election moves each partition's leadership back to its first replica."));
    script.extend(ticks(2));
    script.push(Step::Say("A record the new leader had not copied yet is gone: the old leader drops it as it follows, and the unanswered acks=all producer sends it again. Nothing is lost."));
    (setup, script)
}

fn acks_1_send(key: &str) -> Command {
    let request = ProduceRequest::new(PRODUCTS_SERVICE, PRODUCT_TOPIC, Some(key), &PRODUCT_TEMPLATE.replace("{key}", key));
    Command::Produce(request.with_config(ProducerConfig { acks: Acks::One, enable_idempotence: false }))
}

/// The broker that leads the one partition of the "acks=1 loses data" scene with the scenes'
/// seed: the test below checks it.
const SCENE_B_LEADER: u32 = 3;

/// "acks=1 loses data": one partition, RF 3, acks=1.
fn acks_1_scene() -> (Vec<Command>, Vec<Step>) {
    let config = TopicConfig { replication_factor: Some(3), ..TopicConfig::default() };
    let mut setup = vec![
        Command::CreateTopic { name: PRODUCT_TOPIC.into(), partitions: 1, config },
        Command::StartProducer { client_id: PRODUCTS_SERVICE.into(), topic: PRODUCT_TOPIC.into() },
        Command::ConfigureProducer { producer: PRODUCTS_SERVICE.into(), config: ProducerConfig { acks: Acks::One, enable_idempotence: false } },
    ];
    setup.extend(sms_group());
    let mut script = vec![Step::Run(acks_1_send("product-1"))];
    script.extend(ticks(3));
    script.push(Step::Say("Committed: all three replicas have offset 0, and the high watermark is 1, so the consumer read it."));
    script.push(Step::Run(acks_1_send("product-2")));
    script.push(Step::Say("acks=1: the leader appended offset 1 and acknowledged it at once. No follower has fetched it yet: it is above the high watermark."));
    script.push(Step::Run(Command::StopBroker { broker: SCENE_B_LEADER }));
    script.push(Step::Say("The leader's data center goes dark before a follower copied offset 1. An in-sync follower becomes leader without it: the acknowledged record is lost."));
    // Each caption comes with the step that does what it says, not a few ticks later.
    script.push(Step::Run(acks_1_send("product-3")));
    script.push(Step::Say("The new leader writes the next record at offset 1: the same offset now holds a different record."));
    script.extend(ticks(3));
    script.push(Step::Run(Command::StartBroker { broker: SCENE_B_LEADER }));
    script.extend(ticks(2));
    script.push(Step::Say("The old leader returns. Its leader epoch 0 ended at offset 1 on the new leader, so it truncates its own offset 1; next it copies the new record and rejoins the ISR."));
    script.extend(ticks(1));
    (setup, script)
}

/// Applies the setup, then the script step by step, handing each step's events (with the
/// caption that follows it) to `check`.
fn play(scene: (Vec<Command>, Vec<Step>), mut check: impl FnMut(&Simulation, &[Event], &str)) -> Simulation {
    let (setup, script) = scene;
    let mut sim = Simulation::new(scene_config());
    for command in setup {
        sim.apply(command).expect("setup commands are valid");
    }
    let mut events = Vec::new();
    for step in script {
        match step {
            Step::Run(command) => events.extend(sim.apply(command).expect("script commands are valid")),
            Step::Say(caption) => check(&sim, &std::mem::take(&mut events), caption),
        }
    }
    sim
}

fn isrs(sim: &Simulation) -> Vec<Vec<u32>> {
    sim.topic(PRODUCT_TOPIC).unwrap().replication.iter().map(|r| r.isr.clone()).collect()
}

#[test]
fn data_center_outage_scene() {
    let mut caption = 0;
    let sim = play(outage_scene(), |sim, events, text| {
        caption += 1;
        let topic = sim.topic(PRODUCT_TOPIC).unwrap();
        let acked = events.iter().filter(|e| matches!(e, Event::Acknowledged { .. })).count();
        let refused: Vec<&String> = events.iter().filter_map(|e| if let Event::StreamRefused { reason, .. } = e { Some(reason) } else { None }).collect();
        let read = events.iter().filter(|e| matches!(e, Event::Fetched { .. })).count();
        match caption {
            1 => {
                assert!(isrs(sim).iter().all(|isr| isr.len() == 3), "{text}: {:?}", isrs(sim));
                assert!(acked > 0, "{text}");
            }
            2 => {
                let moved = events.iter().filter(|e| matches!(e, Event::LeaderElected { previous: Some(2), election: Election::Clean, leader_epoch: 1, .. })).count();
                assert_eq!(moved, 1, "{text}: {events:?}");
                assert!(!topic.leaders.contains(&2), "{text}");
                assert!(isrs(sim).iter().all(|isr| isr.len() == 2 && !isr.contains(&2)), "{text}");
            }
            3 => {
                assert!(acked > 0 && read > 0 && refused.is_empty(), "{text}: acked {acked}, read {read}, refused {refused:?}");
            }
            4 => assert!(isrs(sim).iter().all(|isr| *isr == vec![1]), "{text}: {:?}", isrs(sim)),
            5 => {
                assert!(!refused.is_empty() && refused.iter().all(|r| r.starts_with("NotEnoughReplicasException:")), "{text}: {refused:?}");
                let mut sim = sim.clone();
                let manual = sim.apply(Command::Produce(ProduceRequest::new(PRODUCTS_SERVICE, PRODUCT_TOPIC, Some("k"), "v"))).unwrap_err();
                assert!(manual.to_string().starts_with("NotEnoughReplicasException:"), "{manual}");
            }
            6 => assert!(events.iter().any(|e| matches!(e, Event::BrokerStarted { broker: 3 })), "{text}"),
            7 => {
                assert!(isrs(sim).iter().all(|isr| isr.len() == 3), "{text}: {:?}", isrs(sim));
                for p in 0..3 {
                    // The stream goes on, so followers may be a fetch behind the leader's LEO,
                    // but every replica has everything committed.
                    let hw = topic.partitions[p as usize].high_watermark();
                    let leos: Vec<u64> = [1, 2, 3].iter().map(|&b| topic.replica_log(p, b).unwrap().log_end_offset()).collect();
                    assert!(leos.iter().all(|&l| l >= hw), "{text}: partition {p} HW {hw}, LEOs {leos:?}");
                }
                assert!(refused.is_empty(), "{text}: {refused:?}");
            }
            8 => {
                for (p, replicas) in topic.replicas.iter().enumerate() {
                    assert_eq!(topic.leader(p as u32), Some(replicas[0]), "{text}");
                }
            }
            9 => {
                let truncated: Vec<u32> = events.iter().filter_map(|e| if let Event::ReplicaTruncated { partition, .. } = e { Some(*partition) } else { None }).collect();
                let retried: Vec<u32> = events.iter().filter_map(|e| if let Event::Retried { partition, .. } = e { Some(*partition) } else { None }).collect();
                assert!(!truncated.is_empty(), "{text}: {events:?}");
                assert!(truncated.iter().all(|p| retried.contains(p)), "{text}: truncated {truncated:?}, retried {retried:?}");
            }
            _ => unreachable!(),
        }
    });
    assert_eq!(caption, 9);
    for line in sim.describe_topics()[0].lines().iter().skip(1) {
        let isr = line.rsplit("Isr: ").next().unwrap();
        assert_eq!(isr.split(',').count(), 3, "{line}");
    }
}

#[test]
fn acks_1_loses_data_scene() {
    let mut caption = 0;
    let mut acknowledged_lost_record = false;
    let sim = play(acks_1_scene(), |sim, events, text| {
        caption += 1;
        let topic = sim.topic(PRODUCT_TOPIC).unwrap();
        let values = |broker: u32| -> Vec<String> {
            topic.replica_log(0, broker).unwrap().records().map(|r| String::from_utf8_lossy(r.key.as_deref().unwrap()).into_owned()).collect()
        };
        // What the stage is given to draw of each replica's records the leader lacks.
        let diverged = |broker: u32| -> Vec<(u64, String)> {
            let view = sim.view(8);
            let replicas = &view.topics[0].partitions[0].replication.replicas;
            let replica = replicas.iter().find(|r| r.broker == broker).unwrap();
            replica.diverged.iter().map(|r| (r.offset, String::from_utf8_lossy(r.key.as_deref().unwrap()).into_owned())).collect()
        };
        if caption < 3 {
            assert!((1..=3).all(|b| diverged(b).is_empty()), "{text}: before the election every replica agrees with the leader");
        }
        match caption {
            1 => {
                assert_eq!(topic.replicas[0][0], SCENE_B_LEADER, "the scene stops partition 0's leader");
                assert_eq!(topic.partitions[0].high_watermark(), 1, "{text}");
                assert!(events.iter().any(|e| matches!(e, Event::Fetched { offsets, .. } if *offsets == vec![0])), "{text}");
            }
            2 => {
                acknowledged_lost_record = events.iter().any(|e| matches!(e, Event::Acknowledged { offset: 1, acks: Acks::One, .. }));
                assert!(acknowledged_lost_record, "{text}: {events:?}");
                assert_eq!((topic.partitions[0].high_watermark(), topic.partitions[0].log_end_offset()), (1, 2), "{text}");
            }
            3 => {
                let lost = events.iter().find_map(|e| if let Event::LeaderElected { lost, election: Election::Clean, resent, .. } = e { Some((*lost, *resent)) } else { None });
                assert_eq!(lost, Some((Some(OffsetRange { from: 1, to: 2 }), 0)), "{text}: acknowledged with acks=1, so nobody sends it again: {events:?}");
                let leader = topic.leader(0).unwrap();
                assert_eq!(values(leader), vec!["product-1"], "{text}");
                assert_eq!(diverged(SCENE_B_LEADER), vec![(1, "product-2".to_string())], "{text}: the old leader's acknowledged record, which the new leader lacks");
                assert!(diverged(leader).is_empty());
            }
            4 => {
                let leader = topic.leader(0).unwrap();
                // The caption comes with the send itself, not after the ticks that follow it.
                assert!(events.iter().any(|e| matches!(e, Event::Appended { offset: 1, .. })), "{text}: the step that writes it: {events:?}");
                assert!(!events.iter().any(|e| matches!(e, Event::TimeAdvanced { .. })), "{text}: no tick since the send: {events:?}");
                assert_eq!(values(leader), vec!["product-1", "product-3"], "{text}");
                assert_eq!(values(SCENE_B_LEADER), vec!["product-1", "product-2"], "{text}: the stopped broker still has it");
                assert_eq!(diverged(SCENE_B_LEADER), vec![(1, "product-2".to_string())], "{text}: a different record at the same offset");
            }
            5 => {
                let read_new = events.iter().any(|e| matches!(e, Event::Fetched { offsets, .. } if offsets.contains(&1)));
                assert!(read_new, "{text}: the consumer reads the new offset 1 (product-3); it never saw product-2");
                // The caption comes with the step that truncates (the last tick before it).
                let last_tick = events.iter().rposition(|e| matches!(e, Event::TimeAdvanced { .. })).unwrap();
                assert!(
                    events[last_tick..].iter().any(|e| matches!(e, Event::ReplicaTruncated { broker: SCENE_B_LEADER, from: 2, to: 1, .. })),
                    "{text}: the truncation is in the captioned step itself: {events:?}"
                );
            }
            _ => unreachable!(),
        }
    });
    assert_eq!(caption, 5);
    assert!(acknowledged_lost_record);
    // One tick after the caption the old leader has the new record and is back in the ISR.
    let topic = sim.topic(PRODUCT_TOPIC).unwrap();
    let keys: Vec<String> = topic.replica_log(0, SCENE_B_LEADER).unwrap().records().map(|r| String::from_utf8_lossy(r.key.as_deref().unwrap()).into_owned()).collect();
    assert_eq!(keys, vec!["product-1", "product-3"]);
    assert!(topic.replication[0].isr.contains(&SCENE_B_LEADER));
    let view = sim.view(8);
    assert!(view.topics[0].partitions[0].replication.replicas.iter().all(|r| r.diverged.is_empty()), "truncated, the old leader agrees again");
}
