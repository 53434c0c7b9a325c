//! The simulation: one Kafka cluster's state, changed only by commands.
//!
//! [`Simulation::apply`] takes a [`Command`], checks it completely before changing anything (a
//! refused command leaves the state as it was), and returns the [`Event`]s it caused. Time and
//! randomness are injected: the simulation owns a [`Clock`] that only [`Command::Tick`] advances
//! and a random number generator seeded from [`SimConfig::seed`], so the same seed and the same
//! commands always give the same state, bit for bit.

use std::collections::{BTreeMap, BTreeSet};

use crate::acknowledgement::ProducerSession;
use crate::broker::{self, Broker};
pub use crate::cluster::SimConfig;
use crate::clock::Clock;
use crate::command::Command;
use crate::compaction::compact;
use crate::consumer::{Member, MemberState};
use crate::consumer_group::{ConsumerGroup, GroupConfig, GroupCtx, GroupTiming};
use crate::error::EngineError;
use crate::event::Event;
use crate::log::PartitionLog;
use crate::partitioner::{PartitionChoice, Partitioner, StickyState};
use crate::placement;
use crate::producer::Producer;
use crate::retention::apply_retention;
use crate::topic::{names_collide, validate_topic_name, Topic, TopicConfig, Topics};

/// Most partitions a topic may have here: lanes must stay drawable.
pub const MAX_PARTITIONS: u32 = 1024;

#[derive(Debug, Clone)]
pub struct Simulation {
    pub(crate) config: SimConfig,
    pub(crate) clock: Clock,
    pub(crate) rng: oorandom::Rand64,
    pub(crate) brokers: Vec<Broker>,
    pub(crate) topics: Topics,
    groups: BTreeMap<String, ConsumerGroup>,
    /// Producer clients by `client.id`, with their streams.
    pub(crate) producers: BTreeMap<String, Producer>,
    /// producer -> topic -> keyless-record partitioning state.
    pub(crate) sticky: BTreeMap<String, BTreeMap<String, StickyState>>,
    /// member id -> `client.id` of every consumer that ever joined, so a view can name a member
    /// the group has already removed.
    clients: BTreeMap<String, String>,
    /// Commands applied so far (the step number the history counts).
    applied: u64,
    /// What the latest successful send returned, as a producer's `RecordMetadata` would say.
    pub(crate) last_send: Option<LastSend>,
    /// Per producer `client.id` (started or not): idempotence state and sends in flight.
    pub(crate) sessions: BTreeMap<String, ProducerSession>,
    /// The producer id the next idempotent producer gets (`InitProducerId`).
    pub(crate) next_producer_id: u64,
    /// When `auto.leader.rebalance.enable` next runs a preferred election, once imbalanced.
    pub(crate) next_leader_balance_ms: Option<u64>,
}

/// The latest record sent: where it went and why. Part of the state, so stepping back shows the
/// send that was latest at that step.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LastSend {
    pub topic: String,
    pub partition: u32,
    pub offset: u64,
    pub choice: PartitionChoice,
    /// The partitioner the producer ran (the choice's wording depends on the client).
    pub partitioner: Partitioner,
}

impl Simulation {
    pub fn new(config: SimConfig) -> Simulation {
        Simulation {
            config,
            clock: Clock::new(config.start_time_ms, config.tick_ms),
            rng: oorandom::Rand64::new(u128::from(config.seed)),
            brokers: broker::brokers(config.brokers.max(1)),
            topics: Topics::new(),
            groups: BTreeMap::new(),
            producers: BTreeMap::new(),
            sticky: BTreeMap::new(),
            clients: BTreeMap::new(),
            applied: 0,
            last_send: None,
            sessions: BTreeMap::new(),
            next_producer_id: 0,
            next_leader_balance_ms: None,
        }
    }

    pub fn config(&self) -> &SimConfig {
        &self.config
    }
    pub fn clock(&self) -> &Clock {
        &self.clock
    }
    pub fn now_ms(&self) -> u64 {
        self.clock.now_ms()
    }
    pub fn brokers(&self) -> &[Broker] {
        &self.brokers
    }
    pub fn topics(&self) -> &Topics {
        &self.topics
    }
    pub fn topic(&self, name: &str) -> Option<&Topic> {
        self.topics.get(name)
    }
    /// The log of one partition, if the topic and partition exist.
    pub fn log(&self, topic: &str, partition: u32) -> Option<&PartitionLog> {
        self.topics.get(topic)?.partitions.get(partition as usize)
    }
    pub fn groups(&self) -> &BTreeMap<String, ConsumerGroup> {
        &self.groups
    }
    pub fn group(&self, name: &str) -> Option<&ConsumerGroup> {
        self.groups.get(name)
    }
    pub fn producers(&self) -> &BTreeMap<String, Producer> {
        &self.producers
    }
    pub fn producer(&self, client_id: &str) -> Option<&Producer> {
        self.producers.get(client_id)
    }
    /// The `client.id` of a consumer member, even after it left its group.
    pub fn client_id_of(&self, member_id: &str) -> Option<&str> {
        self.clients.get(member_id).map(String::as_str)
    }
    /// The latest record sent, if any.
    pub fn last_send(&self) -> Option<&LastSend> {
        self.last_send.as_ref()
    }

    /// Number of commands applied since the start.
    pub fn commands_applied(&self) -> u64 {
        self.applied
    }

    /// Advances one tick (shorthand for `apply(Command::Tick)`).
    pub fn step(&mut self) -> Vec<Event> {
        self.apply(Command::Tick).expect("a tick cannot fail")
    }

    /// Applies one command. On `Err` nothing changed.
    pub fn apply(&mut self, command: Command) -> Result<Vec<Event>, EngineError> {
        let command = self.resolve_client_ids(command)?;
        let events = match command {
            Command::Tick => Ok(self.tick()),
            Command::CreateTopic { name, partitions, config } => self.create_topic(name, partitions, config),
            Command::AddPartitions { topic, total } => self.add_partitions(&topic, total),
            Command::Produce(request) => self.produce(request),
            Command::StartProducer { client_id, topic } => self.start_producer(client_id, topic),
            Command::SetStream { producer, stream } => self.set_stream(&producer, stream),
            Command::CreateGroup { group, config } => self.create_group(group, config),
            Command::DeleteGroup { group } => self.delete_group(group),
            Command::AddConsumer { group, client_id, group_instance_id, topics } => {
                self.add_consumer(group, client_id, group_instance_id, topics)
            }
            Command::RemoveConsumer { group, member_id } => self.with_member(&group, &member_id, true, |g, ctx| g.remove_member(&member_id, ctx)),
            Command::CrashConsumer { group, member_id } => self.with_member(&group, &member_id, true, |g, ctx| g.crash_member(&member_id, ctx)),
            Command::Subscribe { group, member_id, topics } => {
                let topics = self.check_subscription(topics)?;
                self.with_member(&group, &member_id, false, |g, ctx| g.subscribe(&member_id, topics, ctx))
            }
            Command::SetAssignor { group, assignor } => self.with_group(&group, |g, ctx| g.set_assignor(assignor, ctx)),
            Command::SetCommitMode { group, mode } => self.with_group(&group, |g, ctx| g.set_commit_mode(mode, ctx)),
            Command::SetProcessingRate { group, rate } => {
                crate::consumer_group::check_processing_rate(rate)?;
                self.with_group(&group, |g, _| g.config.processing_rate = rate)
            }
            Command::CleanLogs => Ok(self.clean_logs(true)),
            Command::StopBroker { broker } => self.stop_broker(broker),
            Command::StartBroker { broker } => self.start_broker(broker),
            Command::ElectPreferredLeaders => Ok(self.elect_preferred_leaders()),
            Command::LoseAcknowledgement { producer } => self.lose_acknowledgement(&producer),
            Command::ConfigureProducer { producer, config } => self.configure_producer(&producer, config),
        }?;
        let mut events = events;
        self.count_resends(&mut events);
        self.applied += 1;
        Ok(events)
    }

    /// One tick: followers fetch from leaders (the high watermark follows), producers hear
    /// about their sends in flight, leaders drop followers that lag from the ISR, consumers
    /// read what is committed, streams produce, then the controller's leader balance and the
    /// periodic log cleaning. A streamed record is read on the next tick at the earliest.
    fn tick(&mut self) -> Vec<Event> {
        let now_ms = self.clock.advance();
        let timing = self.group_timing();
        let mut events = vec![Event::TimeAdvanced { tick: self.clock.tick(), now_ms }];
        self.replicate(&mut events);
        self.deliver_in_flight(&mut events);
        self.shrink_lagging_isrs(&mut events);
        for group in self.groups.values_mut() {
            group.tick(&mut GroupCtx { topics: &self.topics, now_ms, events: &mut events, timing });
        }
        self.run_streams(&mut events);
        self.balance_leaders_if_due(&mut events);
        if self.clock.crossed(self.config.retention_check_interval_ms) {
            events.extend(self.clean_logs(false));
        }
        events
    }

    fn create_topic(&mut self, name: String, partitions: u32, config: TopicConfig) -> Result<Vec<Event>, EngineError> {
        validate_topic_name(&name)?;
        config.validate()?;
        if self.topics.contains_key(&name) {
            return Err(EngineError::TopicExists(name));
        }
        if let Some(existing) = self.topics.keys().find(|t| names_collide(t, &name)) {
            return Err(EngineError::TopicNameCollision { name, existing: existing.clone() });
        }
        check_partition_count(partitions)?;
        let replication_factor = config.replication_factor.unwrap_or(self.config.default_replication_factor);
        let replicas = self.place_replicas(partitions, replication_factor)?;
        let topic = Topic::new(&name, config, replicas, &self.brokers, self.clock.now_ms()).ok_or(EngineError::NoBrokerRunning)?;
        self.topics.insert(name.clone(), topic);
        Ok(vec![Event::TopicCreated { topic: name, partitions }])
    }

    fn add_partitions(&mut self, topic_name: &str, total: u32) -> Result<Vec<Event>, EngineError> {
        let topic = self.topics.get(topic_name).ok_or_else(|| EngineError::UnknownTopic(topic_name.to_string()))?;
        let (current, replication_factor) = (topic.partition_count(), topic.replication_factor());
        if total <= current {
            return Err(EngineError::CannotShrinkPartitions { topic: topic_name.to_string(), current, requested: total });
        }
        check_partition_count(total)?;
        // A fresh placement, as the controller does for every CreatePartitions.
        let replicas = self.place_replicas(total - current, replication_factor)?;
        let now_ms = self.clock.now_ms();
        let topic = self.topics.get_mut(topic_name).expect("checked above");
        topic.add_partitions(replicas, &self.brokers, now_ms).ok_or(EngineError::NoBrokerRunning)?;
        Ok(vec![Event::PartitionsAdded { topic: topic_name.to_string(), from: current, to: total }])
    }

    /// Replica lists for `partitions` new partitions from the striped placer, seeded by the
    /// simulation's generator.
    fn place_replicas(&mut self, partitions: u32, replication_factor: u32) -> Result<Vec<Vec<u32>>, EngineError> {
        let rng = &mut self.rng;
        let mut random = |n: usize| rng.rand_range(0..n.max(1) as u64) as usize;
        placement::place(&self.brokers, partitions, replication_factor, &mut random)
    }

    fn create_group(&mut self, group: String, config: GroupConfig) -> Result<Vec<Event>, EngineError> {
        // The Java consumer refuses group management without a group.id (InvalidGroupIdException).
        if group.trim().is_empty() {
            return Err(EngineError::InvalidConfig { name: "group.id".into(), reason: "give the consumer group a name, for example email-notification-service".into() });
        }
        if self.groups.contains_key(&group) {
            return Err(EngineError::GroupExists(group));
        }
        crate::consumer_group::check_processing_rate(config.processing_rate)?;
        config.validate(self.config.group_min_session_timeout_ms, self.config.group_max_session_timeout_ms)?;
        self.groups.insert(group.clone(), ConsumerGroup::new(&group, config));
        Ok(vec![Event::GroupCreated { group }])
    }

    fn delete_group(&mut self, group: String) -> Result<Vec<Event>, EngineError> {
        let g = self.groups.get(&group).ok_or_else(|| EngineError::UnknownGroup(group.clone()))?;
        if !g.members.is_empty() {
            let stopped = g.members.values().filter(|m| !m.is_alive()).count();
            return Err(EngineError::GroupNotEmpty { members: g.members.len(), stopped, group });
        }
        self.groups.remove(&group);
        Ok(vec![Event::GroupDeleted { group }])
    }

    fn check_subscription(&self, topics: Vec<String>) -> Result<BTreeSet<String>, EngineError> {
        if topics.is_empty() {
            return Err(EngineError::EmptySubscription);
        }
        for topic in &topics {
            if !self.topics.contains_key(topic) {
                return Err(EngineError::UnknownTopic(topic.clone()));
            }
        }
        Ok(crate::sorted::by_insertion(topics))
    }

    /// Starts a consumer: a new member, or a static member's restart in place of its stopped
    /// predecessor (see [`crate::membership`]).
    fn add_consumer(
        &mut self,
        group: String,
        client_id: String,
        group_instance_id: Option<String>,
        topics: Vec<String>,
    ) -> Result<Vec<Event>, EngineError> {
        // Kafka would make one up ("consumer-<group>-1"); here the stage shows it, so it is asked for.
        if client_id.trim().is_empty() {
            return Err(EngineError::InvalidConfig { name: "client.id".into(), reason: "give the consumer a name, for example email-1".into() });
        }
        let topics = self.check_subscription(topics)?;
        let predecessor = match (&group_instance_id, self.groups.get(&group)) {
            (Some(instance), Some(g)) => match g.static_member(instance) {
                Some(m) if m.is_alive() => return Err(EngineError::DuplicateInstanceId { group, instance: instance.clone() }),
                Some(m) => Some(m.member_id.clone()),
                None => None,
            },
            _ => None,
        };
        let mut events = Vec::new();
        if !self.groups.contains_key(&group) {
            events.extend(self.create_group(group.clone(), GroupConfig::default())?);
        }
        // `ClassicGroup.generateMemberId`: the instance id for static members, else the client id.
        let member_id = format!("{}-{}", group_instance_id.as_deref().unwrap_or(&client_id), self.next_uuid());
        self.clients.insert(member_id.clone(), client_id.clone());
        let now_ms = self.clock.now_ms();
        let member = Member::new(member_id, client_id, group_instance_id, topics, now_ms);
        let timing = self.group_timing();
        let g = self.groups.get_mut(&group).expect("created above");
        let mut ctx = GroupCtx { topics: &self.topics, now_ms, events: &mut events, timing };
        match predecessor {
            Some(old) => g.replace_static_member(&old, member, &mut ctx),
            None => g.add_member(member, &mut ctx),
        }
        Ok(events)
    }

    fn group_timing(&self) -> GroupTiming {
        GroupTiming {
            initial_rebalance_delay_ms: self.config.group_initial_rebalance_delay_ms,
            metadata_max_age_ms: self.config.metadata_max_age_ms,
            tick_ms: self.clock.tick_ms(),
        }
    }

    /// A version-4 UUID from the seeded RNG, as the coordinator appends to member ids.
    pub(crate) fn next_uuid(&mut self) -> String {
        let (a, b) = (self.rng.rand_u64(), self.rng.rand_u64());
        format!(
            "{:08x}-{:04x}-4{:03x}-{:04x}-{:012x}",
            a >> 32,
            (a >> 16) & 0xffff,
            a & 0x0fff,
            0x8000 | ((b >> 48) & 0x3fff),
            b & 0xffff_ffff_ffff
        )
    }

    fn with_group(
        &mut self,
        group: &str,
        act: impl FnOnce(&mut ConsumerGroup, &mut GroupCtx<'_>),
    ) -> Result<Vec<Event>, EngineError> {
        let timing = self.group_timing();
        let g = self.groups.get_mut(group).ok_or_else(|| EngineError::UnknownGroup(group.to_string()))?;
        let mut events = Vec::new();
        act(g, &mut GroupCtx { topics: &self.topics, now_ms: self.clock.now_ms(), events: &mut events, timing });
        Ok(events)
    }

    fn with_member(
        &mut self,
        group: &str,
        member_id: &str,
        must_be_alive: bool,
        act: impl FnOnce(&mut ConsumerGroup, &mut GroupCtx<'_>),
    ) -> Result<Vec<Event>, EngineError> {
        let g = self.groups.get(group).ok_or_else(|| EngineError::UnknownGroup(group.to_string()))?;
        let member = g.members.get(member_id).ok_or_else(|| EngineError::UnknownMember { group: group.to_string(), member: member_id.to_string() })?;
        let (group_name, member_name) = (group.to_string(), member_id.to_string());
        match member.state {
            _ if !must_be_alive => {}
            MemberState::Running => {}
            MemberState::Crashed { .. } => return Err(EngineError::MemberAlreadyCrashed { group: group_name, member: member_name }),
            MemberState::Closed { .. } => return Err(EngineError::MemberAlreadyClosed { group: group_name, member: member_name }),
        }
        self.with_group(group, act)
    }

    /// Retention (`LogManager`'s scheduled task) then the log cleaner (compaction) on every
    /// partition, per its topic's `cleanup.policy`.
    fn clean_logs(&mut self, force: bool) -> Vec<Event> {
        let now_ms = self.clock.now_ms();
        let mut events = Vec::new();
        for topic in self.topics.values_mut() {
            let policy = topic.config.cleanup_policy;
            for (log, state) in topic.partitions.iter_mut().zip(&topic.replication) {
                // A stopped broker cleans nothing; followers copy the leader's result.
                if state.is_offline() {
                    continue;
                }
                let partition = log.partition();
                if policy.deletes() {
                    for deletion in apply_retention(log, &topic.config, now_ms) {
                        events.push(Event::SegmentsDeleted { topic: topic.name.clone(), partition, deletion });
                    }
                }
                if policy.compacts() {
                    if let Some(compaction) = compact(log, &topic.config, now_ms, force) {
                        events.push(Event::Compacted { topic: topic.name.clone(), partition, compaction });
                    }
                }
            }
        }
        events
    }

    /// A stable digest of the whole state, for replay and history checks.
    pub fn fingerprint(&self) -> String {
        let topics: Vec<String> = self
            .topics
            .values()
            .map(|t| {
                let logs: Vec<String> = t
                    .partitions
                    .iter()
                    .map(|l| format!("{:?}|{:?}|{}|{}|{}", l.records().collect::<Vec<_>>(), l.segments(), l.log_start_offset(), l.high_watermark(), l.log_end_offset()))
                    .collect();
                format!("{}:{:?}:{:?}:{:?}:{}:{:?}", t.name, t.config, t.replicas, t.leaders, logs.join(";"), t.replication)
            })
            .collect();
        format!(
            "tick={} rng={:?} applied={} last_send={:?} topics=[{}] groups={:?} sticky={:?} producers={:?} brokers={:?} sessions={:?} next_pid={} balance={:?}",
            self.clock.tick(),
            self.rng.state(),
            self.applied,
            self.last_send,
            topics.join(","),
            self.groups,
            self.sticky,
            self.producers,
            self.brokers,
            self.sessions,
            self.next_producer_id,
            self.next_leader_balance_ms
        )
    }
}

fn check_partition_count(partitions: u32) -> Result<(), EngineError> {
    match partitions {
        0 => Err(EngineError::ZeroPartitions),
        n if n > MAX_PARTITIONS => Err(EngineError::TooManyPartitions { max: MAX_PARTITIONS }),
        _ => Ok(()),
    }
}
