//! Scenes: the course's examples as engine commands.
//!
//! A scene has *setup* commands (the cluster, topics and consumers the lecturer starts from) and
//! *script* commands (what happens next). The script is recorded into the history and the cursor
//! put back at the start, so Play or Step forward walks through it and the timeline shows it all.

use std::collections::BTreeMap;

use kafkascope_engine::{
    AssignorKind, Bytes, Command, CommitMode, GroupConfig, History, KeyPattern, OffsetReset, Partitioner, ProduceRequest,
    SimConfig, Simulation, Stream, TopicConfig,
};

/// The topic of the default scene.
pub const PRODUCT_TOPIC: &str = "product-created-events-topic";
/// The topic of the key ordering demo.
pub const PROFILE_TOPIC: &str = "profile-updated-event-topic";
/// Who produces `ProductCreatedEvent`s.
pub const PRODUCTS_SERVICE: &str = "products-microservice";
/// Who produces profile updates in the ordering demo.
pub const PROFILE_SERVICE: &str = "profile-service";
/// The user whose first name changes in the ordering demo (the course's key).
pub const DEMO_USER: &str = "16b77e26-6aac-4da5-bd17-ca1caeb91461";

/// The three presets, by their button names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Preset {
    FanOut,
    KeyOrdering,
    ConsumerCrash,
}

impl Preset {
    pub const ALL: [Preset; 3] = [Preset::KeyOrdering, Preset::FanOut, Preset::ConsumerCrash];

    pub fn name(self) -> &'static str {
        match self {
            Preset::FanOut => "Fan-out",
            Preset::KeyOrdering => "Key ordering demo",
            Preset::ConsumerCrash => "Consumer crash",
        }
    }

    /// What the lecturer is about to show, for the narration line.
    pub fn intro(self) -> &'static str {
        match self {
            Preset::FanOut => "Fan-out: Products publishes 2 records/s; SMS, Push and Email each read every record, their instances splitting the partitions. Email is slow: watch its lag. Press Play.",
            Preset::KeyOrdering => "Key ordering demo: one user's three name changes share a key. Press Step forward to follow them.",
            Preset::ConsumerCrash => "Consumer crash: email commits after processing (at-least-once), SMS commits before (at-most-once). Step forward to crash both.",
        }
    }

    /// (setup, script)
    pub fn commands(self) -> (Vec<Command>, Vec<Step>) {
        match self {
            Preset::FanOut => (fan_out_setup(), Vec::new()),
            Preset::KeyOrdering => key_ordering(),
            Preset::ConsumerCrash => consumer_crash(),
        }
    }
}

/// One scripted step. Member ids are assigned by the simulated coordinator, so a crash is
/// scripted by what it should hit and resolved against the state at that moment.
#[derive(Debug, Clone)]
pub enum Step {
    Run(Command),
    /// Crash the first live instance of the group that is in the middle of a batch.
    CrashBusyInstance(&'static str),
    /// A caption for the step recorded just before: what the lecturer wants the class to see.
    Say(&'static str),
}

/// A scene ready to play: its history (cursor at 0) and the captions of its scripted steps,
/// indexed by the step number they belong to.
pub struct BuiltScene {
    pub history: History,
    pub captions: BTreeMap<usize, &'static str>,
}

/// Builds a preset's history: setup as step 0, the script recorded after it, cursor at 0.
pub fn build(preset: Preset) -> BuiltScene {
    let (setup, script) = preset.commands();
    let mut sim = Simulation::new(scene_config());
    for command in setup {
        sim.apply(command).expect("scene setup commands are valid");
    }
    let mut history = History::starting_from(sim);
    let mut captions = BTreeMap::new();
    for step in script {
        let command = match step {
            Step::Say(caption) => {
                captions.insert(history.cursor(), caption);
                continue;
            }
            Step::Run(command) => command,
            Step::CrashBusyInstance(group) => {
                let Some(member) = busy_instance(history.current(), group) else { continue };
                Command::CrashConsumer { group: group.into(), member_id: member }
            }
        };
        history.apply(command).expect("scene script commands are valid");
    }
    history.seek(0);
    BuiltScene { history, captions }
}

/// The scenes' cluster: Kafka's defaults, except two waits a lecture cannot sit through.
pub fn scene_config() -> SimConfig {
    SimConfig {
        // As Kafka's own config/server.properties sets it "for development and testing": a group
        // starts reading as soon as its consumers join (the broker default is 3 s).
        group_initial_rebalance_delay_ms: 0,
        // A teaching shortcut, labelled on screen: consumers notice added partitions 5 s later
        // instead of after metadata.max.age.ms = 5 min.
        metadata_max_age_ms: METADATA_MAX_AGE_MS,
        ..SimConfig::default()
    }
}

/// The scenes' `metadata.max.age.ms` (Kafka's default is 300000, five minutes).
pub const METADATA_MAX_AGE_MS: u64 = 5_000;

fn busy_instance(sim: &Simulation, group: &str) -> Option<String> {
    let members = &sim.group(group)?.members;
    members.values().find(|m| m.is_alive() && m.batch.is_some()).map(|m| m.member_id.clone())
}

/// Consumer settings chosen so that each stage is visible: one record per poll, commits every
/// second of simulated time, a 6 s session timeout (`group.min.session.timeout.ms`, the shortest
/// a broker accepts by default), and new groups read from the beginning.
pub fn teaching_group(assignor: AssignorKind, commit_mode: CommitMode) -> GroupConfig {
    GroupConfig {
        assignor,
        commit_mode,
        auto_offset_reset: OffsetReset::Earliest,
        session_timeout_ms: 6_000,
        auto_commit_interval_ms: 1_000,
        max_poll_records: 1,
        processing_rate: None,
    }
}

fn create_topic(name: &str, partitions: u32) -> Command {
    Command::CreateTopic { name: name.into(), partitions, config: TopicConfig::default() }
}

fn group(name: &str, config: GroupConfig) -> Command {
    Command::CreateGroup { group: name.into(), config }
}

/// Instance `n` of a service: `client.id` `sms-1` for the group `sms-notification-service`.
fn consumer(group: &str, short: &str, n: u32, topic: &str) -> Command {
    Command::AddConsumer { group: group.into(), client_id: format!("{short}-{n}"), group_instance_id: None, topics: vec![topic.into()] }
}

fn producer(client_id: &str, topic: &str) -> Command {
    Command::StartProducer { client_id: client_id.into(), topic: topic.into() }
}

/// The value a streaming Products service publishes: a `ProductCreatedEvent` for the key.
pub const PRODUCT_TEMPLATE: &str = r#"{"productId": "{key}", "title": "iPhone 15", "price": 1129, "quantity": 19}"#;

/// A `ProductCreatedEvent` as the course shows it, for a product id.
pub fn product_created_event(product_id: &str) -> String {
    PRODUCT_TEMPLATE.replace("{key}", product_id)
}

/// The default scene: Products streams 2 `ProductCreatedEvent`s per second, keyed by random
/// product ids, to a 3-partition topic read by three notification services (SMS x2, Push x2,
/// Email x1). Email processes 1 record per second per instance, so its lag grows until a
/// lecturer adds consumers.
pub fn fan_out_setup() -> Vec<Command> {
    let mut commands = vec![create_topic(PRODUCT_TOPIC, 3), producer(PRODUCTS_SERVICE, PRODUCT_TOPIC)];
    let stream = Stream { rate_per_sec: 2, keys: KeyPattern::RandomUuids, value_template: PRODUCT_TEMPLATE.into(), ..Stream::default() };
    commands.push(Command::SetStream { producer: PRODUCTS_SERVICE.into(), stream });
    let services = [("sms-notification-service", "sms", 2, None), ("push-notification-service", "push", 2, None), ("email-notification-service", "email", 1, Some(1))];
    for (name, short, instances, processing_rate) in services {
        commands.push(group(name, GroupConfig { processing_rate, ..teaching_group(AssignorKind::Range, CommitMode::AutoCommit) }));
        commands.extend((1..=instances).map(|n| consumer(name, short, n, PRODUCT_TOPIC)));
    }
    commands
}

fn profile_update(key: Option<&str>, first_name: &str, partitioner: Partitioner) -> Command {
    let value = format!(r#"{{"userId": "{DEMO_USER}", "firstName": "{first_name}"}}"#);
    let mut request = ProduceRequest::new(PROFILE_SERVICE, PROFILE_TOPIC, None, &value);
    request.key = key.map(|k| Bytes::copy_from_slice(k.as_bytes()));
    request.partitioner = partitioner;
    Command::Produce(request)
}

fn ticks(n: usize) -> impl Iterator<Item = Step> {
    std::iter::repeat_n(Step::Run(Command::Tick), n)
}

/// Part 1: keyed updates stay in one partition, in order, and the SMS consumer reads them in
/// order. Part 2: the same updates without a key, sent with `RoundRobinPartitioner`, rotate over
/// the partitions and order is lost.
/// Part 3: adding partitions moves the key to another partition.
fn key_ordering() -> (Vec<Command>, Vec<Step>) {
    let setup = vec![
        create_topic(PROFILE_TOPIC, 3),
        producer(PROFILE_SERVICE, PROFILE_TOPIC),
        group("sms-notification-service", teaching_group(AssignorKind::Range, CommitMode::AutoCommit)),
        consumer("sms-notification-service", "sms", 1, PROFILE_TOPIC),
    ];
    let names = ["Sergei", "Serjei", "Sergey"];
    let mut script: Vec<Step> =
        names.iter().map(|n| Step::Run(profile_update(Some(DEMO_USER), n, Partitioner::default()))).collect();
    script.push(Step::Say("Same key, same partition: all three updates of this user are in partition 0, in order."));
    script.extend(ticks(4));
    script.push(Step::Say("The SMS consumer read Sergei, Serjei, Sergey in the order they were written."));
    script.extend(names.iter().map(|n| Step::Run(profile_update(None, n, Partitioner::RoundRobin))));
    script.push(Step::Say("Now the same updates without a key, sent with RoundRobinPartitioner: they rotate over the partitions and nothing keeps them in order. (The default Java partitioner would keep three small keyless records together on one sticky partition until a batch is full.)"));
    script.extend(ticks(4));
    script.push(Step::Say("Across partitions there is no order: the consumer reads them as its polls rotate."));
    script.push(Step::Run(Command::AddPartitions { topic: PROFILE_TOPIC.into(), total: 6 }));
    script.push(Step::Say("Six partitions now: hash % 6 is not hash % 3."));
    script.push(Step::Run(profile_update(Some(DEMO_USER), "Sergei", Partitioner::default())));
    script.push(Step::Say("The same key moved to partition 3: its new updates are no longer behind its old ones."));
    script.extend(ticks(3));
    script.push(Step::Say("The SMS consumer has not noticed partitions 3 to 5 yet: it learns of them at its next metadata refresh."));
    script.extend(ticks(50));
    script.push(Step::Say("After its metadata refresh the group rebalanced: the consumer now reads all six partitions."));
    (setup, script)
}

/// Two groups on one topic, one per commit mode; both lose an instance mid-batch.
fn consumer_crash() -> (Vec<Command>, Vec<Step>) {
    let mut setup = vec![create_topic(PRODUCT_TOPIC, 3), producer(PRODUCTS_SERVICE, PRODUCT_TOPIC)];
    let groups = [("email-notification-service", "email", CommitMode::ProcessThenCommit), ("sms-notification-service", "sms", CommitMode::CommitThenProcess)];
    for (name, short, mode) in groups {
        let config = GroupConfig { max_poll_records: 2, ..teaching_group(AssignorKind::Range, mode) };
        setup.push(group(name, config));
        setup.extend((1..=2).map(|n| consumer(name, short, n, PRODUCT_TOPIC)));
    }
    let keys = ["order-id-16b77e26", "car-id-4d763028", "852e4839-8db7-4e85-809b-80064674ec2d", "4d763028-998d-4e7f-810c-f79a407c394a"];
    let mut script: Vec<Step> = keys
        .iter()
        .map(|k| Step::Run(Command::Produce(ProduceRequest::new(PRODUCTS_SERVICE, PRODUCT_TOPIC, Some(k), &product_created_event(k)))))
        .collect();
    script.extend(ticks(2));
    script.push(Step::Say("Email processed its batch but has not committed; SMS committed its batch but has not processed it."));
    script.push(Step::CrashBusyInstance("email-notification-service"));
    script.push(Step::CrashBusyInstance("sms-notification-service"));
    script.push(Step::Say("Both crash now. Their partitions wait until session.timeout.ms (6 s) passes."));
    script.extend(ticks(64));
    script.push(Step::Say("Email processed the uncommitted records again (at-least-once); SMS never will process its committed ones (at-most-once)."));
    (setup, script)
}

/// The event a topic carries, for narration: `<Noun><PerformedAction>Event`.
pub fn event_name(topic: &str) -> &'static str {
    if topic == PROFILE_TOPIC { "ProfileUpdatedEvent" } else if topic == PRODUCT_TOPIC { "ProductCreatedEvent" } else { "Record" }
}
