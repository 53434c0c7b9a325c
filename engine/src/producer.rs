//! Producers: the client applications that publish records, and streams that publish on their own.
//!
//! To Kafka a producer is just a client (`client.id`) sending produce requests for a topic; the
//! broker keeps nothing about it beyond those requests. The simulation keeps each producer the
//! course talks about (the Products microservice, the Profile service) so the view can draw it
//! on the left of the stage, count what it sent, and let it *stream*.
//!
//! A stream publishes on its own at `rate_per_sec` records per simulated second, with keys drawn
//! from a [`KeyPattern`]: a fixed set of user ids (per-key order, spread over partitions), one hot
//! key (every record in one partition: a hot partition), null keys (the sticky partitioner), or
//! random UUIDs (the course's product ids). Streams run on the simulated clock and draw keys from
//! the simulation's seeded RNG, so the same seed and commands produce the same records. A tick of
//! `tick_ms` produces `rate × tick_ms / 1000` records, carrying the fraction to the next tick:
//! 2 records/s with 100 ms ticks is one record every fifth tick.
//!
//! The send path follows `KafkaProducer.doSend`: the client's size checks (`max.request.size`), the
//! partitioner (`BuiltInPartitioner`, or the configured one), then the leader's append and the
//! broker's checks (`UnifiedLog.analyzeAndValidateRecords`, `LogValidator`).

use serde::{Deserialize, Serialize};

use crate::acknowledgement::{Acks, InFlightSend, ProducerConfig, SendError, SendState};
use crate::command::ProduceRequest;
use crate::error::EngineError;
use crate::event::{Event, HeldFor};
use crate::partitioner::{PartitionChoice, PartitionContext, Partitioner, StickyState};
use crate::record::{payload_size, Record, TimestampType};
use crate::setting::Setting;
use crate::simulation::{LastSend, Simulation};

/// Fastest stream allowed: 10,000 records per simulated second (1,000 per 100 ms tick).
pub const MAX_STREAM_RATE: u32 = 10_000;
/// Most distinct user ids a [`KeyPattern::UserIds`] stream draws from.
pub const MAX_USER_IDS: u32 = 1_000;
/// Longest value template a stream accepts.
pub const MAX_TEMPLATE_BYTES: usize = 4_096;

/// Where a stream's keys come from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub enum KeyPattern {
    /// `user-1` ... `user-N`, picked uniformly: each user's records stay in order in one partition.
    UserIds,
    /// Always `user-1`: one partition takes every record (a hot partition).
    HotKey,
    /// No key: the partitioner's keyless strategy decides (sticky in the Java client).
    NullKeys,
    /// A new version-4 UUID per record, like the course's product ids.
    #[default]
    RandomUuids,
}

impl Setting for KeyPattern {
    const ALL: &'static [KeyPattern] = &[KeyPattern::UserIds, KeyPattern::HotKey, KeyPattern::NullKeys, KeyPattern::RandomUuids];
    fn name(self) -> &'static str {
        match self {
            KeyPattern::UserIds => "a fixed set of user ids",
            KeyPattern::HotKey => "one hot key (user-1)",
            KeyPattern::NullKeys => "null keys",
            KeyPattern::RandomUuids => "random UUIDs",
        }
    }
}

/// What a producer publishes on its own; a rate of 0 turns the stream off.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Stream {
    /// Records per simulated second.
    pub rate_per_sec: u32,
    pub keys: KeyPattern,
    /// How many user ids [`KeyPattern::UserIds`] draws from.
    pub user_ids: u32,
    pub partitioner: Partitioner,
    /// The record value; `{key}` becomes the key and `{seq}` the producer's record number.
    pub value_template: String,
}

impl Default for Stream {
    fn default() -> Self {
        Stream {
            rate_per_sec: 0,
            keys: KeyPattern::RandomUuids,
            user_ids: 5,
            partitioner: Partitioner::default(),
            value_template: r#"{"key": "{key}", "seq": {seq}}"#.to_string(),
        }
    }
}

impl Stream {
    /// Refuses settings that cannot run, with the reason.
    pub fn validate(&self) -> Result<(), EngineError> {
        let invalid = |name: &str, reason: String| EngineError::InvalidConfig { name: name.to_string(), reason };
        if self.rate_per_sec > MAX_STREAM_RATE {
            return Err(invalid("rate", format!("a stream produces at most {MAX_STREAM_RATE} records per second here")));
        }
        if self.keys == KeyPattern::UserIds && !(1..=MAX_USER_IDS).contains(&self.user_ids) {
            return Err(invalid("user ids", format!("choose between 1 and {MAX_USER_IDS} user ids")));
        }
        if self.value_template.len() > MAX_TEMPLATE_BYTES {
            return Err(invalid("value template", format!("keep it under {MAX_TEMPLATE_BYTES} bytes")));
        }
        Ok(())
    }

    /// Whether this stream sends records without a key.
    pub fn sends_null_keys(&self) -> bool {
        self.keys == KeyPattern::NullKeys
    }

    /// The value of record number `seq` with `key`.
    pub fn value_for(&self, key: Option<&str>, seq: u64) -> String {
        self.value_template.replace("{key}", key.unwrap_or("null")).replace("{seq}", &seq.to_string())
    }
}

/// A producer client and its stream.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Producer {
    /// `client.id`, the name the stage shows.
    pub client_id: String,
    /// The topic it publishes to.
    pub topic: String,
    pub stream: Stream,
    /// Records sent so far (streamed and by hand); numbers the next streamed value.
    pub sent: u64,
    /// Streamed records the leader refused (NotEnoughReplicas under `min.insync.replicas`, or no
    /// leader at all). A new send the broker refuses fails at once here (see
    /// [`crate::acknowledgement`]'s simplifications); the count keeps the refusals in sight.
    #[serde(default)]
    pub refused: u64,
    /// Thousandths of a record owed by the stream, carried between ticks.
    pub(crate) credit_milli: u64,
    /// `acks` and `enable.idempotence` of its streamed sends (set with
    /// [`crate::Command::ConfigureProducer`]); a view sends by hand with the same.
    #[serde(default)]
    pub config: ProducerConfig,
}

impl Producer {
    pub fn new(client_id: &str, topic: &str) -> Producer {
        Producer {
            client_id: client_id.to_string(),
            topic: topic.to_string(),
            stream: Stream::default(),
            sent: 0,
            refused: 0,
            credit_milli: 0,
            config: ProducerConfig::default(),
        }
    }

    /// How many records the stream sends in a tick of `tick_ms`, carrying the remainder.
    pub(crate) fn due(&mut self, tick_ms: u64) -> u64 {
        self.credit_milli += u64::from(self.stream.rate_per_sec) * tick_ms;
        let due = self.credit_milli / 1000;
        self.credit_milli %= 1000;
        due
    }
}

/// The send path and the producer commands.
impl Simulation {
    pub(crate) fn start_producer(&mut self, client_id: String, topic: String) -> Result<Vec<Event>, EngineError> {
        if client_id.trim().is_empty() {
            return Err(EngineError::InvalidConfig { name: "client.id".into(), reason: "give the producer a name".into() });
        }
        if self.producers.contains_key(&client_id) {
            return Err(EngineError::ProducerExists(client_id));
        }
        if !self.topics.contains_key(&topic) {
            return Err(EngineError::UnknownTopic(topic));
        }
        self.producers.insert(client_id.clone(), Producer::new(&client_id, &topic));
        Ok(vec![Event::ProducerStarted { producer: client_id, topic }])
    }

    pub(crate) fn set_stream(&mut self, client_id: &str, stream: Stream) -> Result<Vec<Event>, EngineError> {
        stream.validate()?;
        let producer = self.producers.get(client_id).ok_or_else(|| EngineError::UnknownProducer(client_id.to_string()))?;
        let compacted = self.topics.get(&producer.topic).is_some_and(|t| t.config.cleanup_policy.compacts());
        if compacted && stream.sends_null_keys() && stream.rate_per_sec > 0 {
            return Err(EngineError::KeylessRecordOnCompactedTopic(producer.topic.clone()));
        }
        let producer = self.producers.get_mut(client_id).expect("checked above");
        producer.stream = stream.clone();
        Ok(vec![Event::StreamChanged { producer: client_id.to_string(), rate_per_sec: stream.rate_per_sec }])
    }

    /// Every streaming producer sends what falls due in this tick.
    pub(crate) fn run_streams(&mut self, events: &mut Vec<Event>) {
        let tick_ms = self.clock.tick_ms();
        let ids: Vec<String> = self.producers.iter().filter(|(_, p)| p.stream.rate_per_sec > 0).map(|(id, _)| id.clone()).collect();
        for id in ids {
            let due = self.producers.get_mut(&id).map_or(0, |p| p.due(tick_ms));
            for _ in 0..due {
                let request = self.streamed_request(&id);
                match self.produce(request) {
                    Ok(sent) => events.extend(sent),
                    Err(error) => {
                        if let Some(p) = self.producers.get_mut(&id) {
                            p.refused += 1;
                        }
                        events.push(Event::StreamRefused { producer: id.clone(), reason: error.to_string() });
                        break;
                    }
                }
            }
        }
    }

    /// The next record of a producer's stream, its key drawn from the seeded RNG.
    fn streamed_request(&mut self, client_id: &str) -> ProduceRequest {
        let producer = &self.producers[client_id];
        let (stream, topic, seq, config) = (producer.stream.clone(), producer.topic.clone(), producer.sent, producer.config);
        let key = match stream.keys {
            KeyPattern::UserIds => Some(format!("user-{}", self.rng.rand_range(1..u64::from(stream.user_ids) + 1))),
            KeyPattern::HotKey => Some("user-1".to_string()),
            KeyPattern::NullKeys => None,
            KeyPattern::RandomUuids => Some(self.next_uuid()),
        };
        let mut request = ProduceRequest::new(client_id, &topic, key.as_deref(), &stream.value_for(key.as_deref(), seq));
        request.partitioner = stream.partitioner;
        request.with_config(config)
    }

    /// A producer's send: the client's checks, its partitioner, then the partition leader's
    /// append and the answer [`crate::acknowledgement`] describes. A send the broker refuses
    /// changes nothing, the partitioner's state included.
    pub(crate) fn produce(&mut self, request: ProduceRequest) -> Result<Vec<Event>, EngineError> {
        let (num_partitions, available) = self.check_send(&request)?;
        let size = payload_size(request.key.as_deref(), request.value.as_deref(), &request.headers);
        let now_ms = self.clock.now_ms();
        // What to put back if the leader refuses the send (only possible with a partition offline
        // or under min ISR).
        let undo = self.may_refuse(&request.topic, request.acks).then(|| (self.rng, self.sticky.get(&request.producer).and_then(|t| t.get(&request.topic)).cloned()));
        let choice = self.choose_partition(&request, num_partitions, size, available.as_deref());
        let partition = choice.partition();
        let stamp = request.is_idempotent().then(|| self.peek_sequence(&request.producer, &request.topic, partition));
        // What a new record waits for in the producer: (the sequence it is behind, with
        // idempotence, and why it waits).
        let behind = (|| {
            let topic = self.topics.get(&request.topic)?;
            if !topic.is_online(partition) {
                return Some((None, HeldFor::Leader));
            }
            let session = self.sessions.get(&request.producer)?;
            let epoch = topic.replication.get(partition as usize)?.leader_epoch;
            // Usually nothing can be ahead: skip the look through the queue.
            let may_wait = session.may_wait(&request.topic, partition, epoch);
            if stamp.is_none() {
                let retried = |s: &InFlightSend| matches!(s.state, SendState::Backoff { .. }) || !s.state.was_sent();
                return (may_wait && session.plainly_waiting(&request.topic, partition, retried)).then_some((None, HeldFor::Retry));
            }
            let waits = may_wait.then(|| self.must_wait(session, &request.topic, partition, None, false)).flatten();
            let unanswered = |s: &InFlightSend| s.state.was_sent();
            let at_limit = || session.at_in_flight_limit(&request.topic, partition, now_ms).then(|| session.earliest_blocking(&request.topic, partition, None, unanswered)).flatten();
            waits.map(|b| (Some(b), HeldFor::Retry)).or_else(|| at_limit().map(|b| (Some(b), HeldFor::InFlightLimit)))
        })();
        let topic = self.topics.get_mut(&request.topic).expect("checked above");
        let (timestamp_type, timestamp_ms) = match topic.config.message_timestamp_type {
            TimestampType::CreateTime => (TimestampType::CreateTime, request.timestamp_ms.unwrap_or(now_ms)),
            TimestampType::LogAppendTime => (TimestampType::LogAppendTime, now_ms),
        };
        let record = Record { partition, offset: 0, timestamp_ms, timestamp_type, key: request.key, value: request.value, headers: request.headers, sequence: stamp };
        if let Some(behind) = behind {
            let request = ProduceRequest { key: None, value: None, headers: Vec::new(), ..request };
            return Ok(self.hold(request, record, choice, size, stamp, behind));
        }
        let rules = topic.rules(&self.brokers, self.config.replica_lag_time_max_ms, now_ms);
        let appended = match topic.append_to_leader(partition, record, request.acks, false, &rules) {
            Ok(appended) => appended,
            Err(error) => {
                let isr = topic.replication[partition as usize].isr.clone();
                if let Some(undo) = undo {
                    self.undo_partition_choice(&request.producer, &request.topic, undo);
                }
                return Err(refusal(error, &request.topic, partition, isr));
            }
        };
        match stamp {
            Some(stamp) => self.use_sequence(&request.producer, &request.topic, partition, stamp),
            None => self.note_client(&request.producer),
        }
        self.record_send(&request.topic, partition, appended.offset, &choice, request.partitioner);
        if let Some(producer) = self.producers.get_mut(&request.producer) {
            producer.sent += 1;
        }
        let mut events = Vec::with_capacity(4);
        events.push(Event::Produced { producer: request.producer.clone(), topic: request.topic.clone(), choice, partitioner: request.partitioner, size });
        self.appended_events(&request.topic, partition, &appended, timestamp_ms, &mut events);
        self.answer_new_send(request.producer, request.topic, partition, request.acks, &appended, &mut events);
        Ok(events)
    }

    /// The client's and the broker's checks on a record, in Kafka's order; returns the
    /// partition count and, when some partition is offline, the partitions that have a leader.
    fn check_send(&self, request: &ProduceRequest) -> Result<(u32, Option<Vec<u32>>), EngineError> {
        let topic = self.topics.get(&request.topic).ok_or_else(|| EngineError::UnknownTopic(request.topic.clone()))?;
        let num_partitions = topic.partition_count();
        if let Some(partition) = request.partition.filter(|&p| p >= num_partitions) {
            return Err(EngineError::PartitionOutOfRange { topic: request.topic.clone(), partition, partitions: num_partitions });
        }
        let size = payload_size(request.key.as_deref(), request.value.as_deref(), &request.headers);
        if size > self.config.max_request_size {
            return Err(EngineError::RecordExceedsMaxRequestSize { size, max: self.config.max_request_size });
        }
        // The broker's checks, in `UnifiedLog.analyzeAndValidateRecords` then `LogValidator` order.
        if size > topic.config.max_message_bytes {
            return Err(EngineError::RecordTooLarge { topic: request.topic.clone(), size, max: topic.config.max_message_bytes });
        }
        if topic.config.cleanup_policy.compacts() && request.key.is_none() {
            return Err(EngineError::KeylessRecordOnCompactedTopic(request.topic.clone()));
        }
        let now_ms = self.clock.now_ms();
        topic.config.check_timestamp(&request.topic, request.timestamp_ms.unwrap_or(now_ms), now_ms)?;
        let offline = topic.replication.iter().any(|r| r.is_offline());
        let available = offline.then(|| (0..num_partitions).filter(|&p| topic.is_online(p)).collect());
        Ok((num_partitions, available))
    }

    /// Whether the leader of some partition of `topic` could refuse a send with `acks`.
    fn may_refuse(&self, topic: &str, acks: Acks) -> bool {
        let Some(topic) = self.topics.get(topic) else { return false };
        let min_insync_replicas = topic.config.min_insync_replicas;
        acks == Acks::All && topic.replication.iter().any(|r| r.is_under_min_isr(min_insync_replicas))
    }

    /// Puts the random generator and the producer's sticky state back as they were.
    fn undo_partition_choice(&mut self, producer: &str, topic: &str, (rng, sticky): (oorandom::Rand64, Option<StickyState>)) {
        self.rng = rng;
        let Some(states) = self.sticky.get_mut(producer) else { return };
        match sticky {
            Some(state) => {
                states.insert(topic.to_string(), state);
            }
            None => {
                states.remove(topic);
                if states.is_empty() {
                    self.sticky.remove(producer);
                }
            }
        }
    }

    /// Remembers the latest send, reusing the topic name's allocation on the hot produce path.
    fn record_send(&mut self, topic: &str, partition: u32, offset: u64, choice: &PartitionChoice, partitioner: Partitioner) {
        match &mut self.last_send {
            Some(last) if last.topic == topic => {
                last.partition = partition;
                last.offset = offset;
                last.choice.clone_from(choice);
                last.partitioner = partitioner;
            }
            last => *last = Some(LastSend { topic: topic.to_string(), partition, offset, choice: choice.clone(), partitioner }),
        }
    }

    fn choose_partition(&mut self, request: &ProduceRequest, num_partitions: u32, size: u64, available: Option<&[u32]>) -> PartitionChoice {
        if let Some(partition) = request.partition {
            return PartitionChoice::Explicit { partition };
        }
        if !self.sticky.get(&request.producer).is_some_and(|t| t.contains_key(&request.topic)) {
            self.sticky.entry(request.producer.clone()).or_default().insert(request.topic.clone(), StickyState::default());
        }
        let state = self.sticky.get_mut(&request.producer).and_then(|t| t.get_mut(&request.topic)).expect("inserted above");
        let rng = &mut self.rng;
        let mut random = |n: u32| rng.rand_range(0..u64::from(n.max(1))) as u32;
        let mut ctx = PartitionContext {
            num_partitions,
            batch_size: self.config.batch_size,
            sticky_linger_ms: self.config.sticky_linger_ms,
            now_ms: self.clock.now_ms(),
            available,
            random: &mut random,
        };
        let choice = request.partitioner.choose(request.key.as_ref(), state, &mut ctx);
        state.record_produced(&choice, size);
        choice
    }
}

/// The engine error for a new send the leader refused.
fn refusal(error: SendError, topic: &str, partition: u32, isr: Vec<u32>) -> EngineError {
    let topic = topic.to_string();
    match error {
        SendError::NotEnoughReplicas { isr, min_insync_replicas } => EngineError::NotEnoughReplicas { topic, partition, isr, min_insync_replicas },
        _ => EngineError::PartitionOffline { topic, partition, isr },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn two_records_per_second_is_one_every_fifth_tick_of_100_ms() {
        let mut p = Producer::new("products", "t");
        p.stream.rate_per_sec = 2;
        let due: Vec<u64> = (0..10).map(|_| p.due(100)).collect();
        assert_eq!(due, vec![0, 0, 0, 0, 1, 0, 0, 0, 0, 1]);
        p.stream.rate_per_sec = 25;
        assert_eq!((0..4).map(|_| p.due(100)).collect::<Vec<_>>(), vec![2, 3, 2, 3]);
    }

    #[test]
    fn values_fill_the_template() {
        let s = Stream { value_template: r#"{"productId": "{key}", "n": {seq}}"#.into(), ..Stream::default() };
        assert_eq!(s.value_for(Some("abc"), 7), r#"{"productId": "abc", "n": 7}"#);
        assert_eq!(s.value_for(None, 0), r#"{"productId": "null", "n": 0}"#);
    }

    #[test]
    fn refuses_impossible_streams() {
        let too_fast = Stream { rate_per_sec: MAX_STREAM_RATE + 1, ..Stream::default() };
        assert!(matches!(too_fast.validate(), Err(EngineError::InvalidConfig { name, .. }) if name == "rate"));
        let no_users = Stream { keys: KeyPattern::UserIds, user_ids: 0, ..Stream::default() };
        assert!(matches!(no_users.validate(), Err(EngineError::InvalidConfig { name, .. }) if name == "user ids"));
        assert!(Stream::default().validate().is_ok());
    }
}
