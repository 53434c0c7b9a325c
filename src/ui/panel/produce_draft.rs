//! The record being produced by hand: its key on the stage (quick produce), everything else in
//! the editing panel. One draft serves both, so the stage's Produce button sends what the panel
//! set up.
//!
//! An empty Key sends a *null* key (there is no other way to type "no key"); `""` sends an empty
//! key, zero bytes, which the Java client hashes like any other. An empty Partition
//! leaves the choice to the partitioner; a number names the partition outright, which beats every
//! partitioner. Errors from the engine are shown under the Produce button and change nothing.

use kafkascope_engine::partitioner::HashTrace;
use kafkascope_engine::{Bytes, Command, ClusterView, Header, Partitioner, ProduceRequest, Setting};
use leptos::prelude::*;

use crate::scene::{event_for, PRODUCT_TOPIC};
use crate::state::SimHandle;
use crate::ui::panel::parse_count;

/// Who sends a record typed by hand to a topic no producer service publishes to: Kafka's own
/// console producer.
pub const CONSOLE_PRODUCER: &str = "console-producer";

/// A header row being edited: (id for keying, name, value).
pub type HeaderRow = (u32, RwSignal<String>, RwSignal<String>);

#[derive(Clone, Copy)]
pub struct ProduceDraft {
    pub topic: RwSignal<String>,
    pub key: RwSignal<String>,
    pub value: RwSignal<String>,
    pub headers: RwSignal<Vec<HeaderRow>>,
    next_header: StoredValue<u32>,
    pub partitioner: RwSignal<Partitioner>,
    /// Explicit partition as typed; empty = the partitioner decides.
    pub partition: RwSignal<String>,
    /// Send a null value: on a compacted topic, a tombstone that deletes the key.
    pub null_value: RwSignal<bool>,
    pub error: RwSignal<Option<String>>,
    /// The topic a send goes to now ([`ProduceDraft::topic_in`] the stage), for the default value.
    target: Signal<String>,
}

impl ProduceDraft {
    pub fn new() -> ProduceDraft {
        let (saved_topic, saved_key) = crate::persist::draft();
        let (topic0, key0) = (saved_topic.unwrap_or_else(|| PRODUCT_TOPIC.to_string()), saved_key.unwrap_or_else(new_uuid));
        let topic = RwSignal::new(topic0.clone());
        let stage = use_context::<crate::state::StageView>();
        let target = Signal::derive(move || match stage {
            Some(stage) => stage.0.with(|v| existing_topic(topic.get(), v)),
            None => topic.get(),
        });
        let draft = ProduceDraft {
            topic,
            target,
            value: RwSignal::new(event_for(&topic0, &key0)),
            key: RwSignal::new(key0),
            headers: RwSignal::new(Vec::new()),
            next_header: StoredValue::new(0),
            partitioner: RwSignal::new(saved_partitioner()),
            partition: RwSignal::new(String::new()),
            null_value: RwSignal::new(false),
            error: crate::state::use_sim().form_error(),
        };
        // An engineer who picked librdkafka's partitioner to check a key still has it after a reload.
        Effect::new(move |_| crate::persist::save_partitioner(&format!("{:?}", draft.partitioner.get())));
        Effect::new(move |_| draft.key.with(|key| draft.topic.with(|topic| crate::persist::save_draft(topic, key))));
        // The key is the product's (or the user's) id: while the value is still the event made
        // for the old key and topic, a new key (typed, pasted, or set in the panel) or another
        // topic (a scene loaded) gets its own event, so the record's key and its id agree. A
        // value the user edited is left alone.
        Effect::new(move |old: Option<(String, String)>| {
            let now = (draft.target.get(), draft.key.get());
            let old = old.unwrap_or_else(|| (topic0.clone(), now.1.clone()));
            if old != now && draft.value.with_untracked(|v| *v == event_for(&old.0, &old.1)) {
                draft.value.set(event_for(&now.0, &now.1));
            }
            now
        });
        draft
    }

    /// A fresh id as key, and the topic's event for it as value.
    pub fn new_product(&self) {
        let id = new_uuid();
        self.value.set(event_for(&self.target.get_untracked(), &id));
        self.key.set(id);
    }

    pub fn add_header(&self) {
        let id = self.next_header.get_value();
        self.next_header.set_value(id + 1);
        self.headers.update(|h| h.push((id, RwSignal::new(String::new()), RwSignal::new(String::new()))));
    }

    pub fn remove_header(&self, id: u32) {
        self.headers.update(|h| h.retain(|row| row.0 != id));
    }

    /// The chosen topic if it still exists, else the first topic (a scene without it was
    /// loaded). Tracked: for views.
    pub fn topic_in(&self, view: &ClusterView) -> String {
        existing_topic(self.topic.get(), view)
    }

    /// Where the draft's record will go, before it is sent: the named partition, the one its key
    /// hashes to, or word that the partitioner picks at send time (a null key, keys ignored, a
    /// random partitioner). Tracked: for the Key field's hint.
    pub fn destination(&self, view: &ClusterView) -> Destination {
        let topic = self.topic_in(view);
        let partitions = view.topics.iter().find(|t| t.name == topic).map_or(0, |t| t.partitions.len() as u32);
        if view.topics.is_empty() {
            return Destination::NoTopic;
        }
        let named = self.partition.get();
        match parse_count(&named) {
            Some(p) if p < partitions => return Destination::Named(p),
            Some(p) => return Destination::Missing { partition: p, partitions },
            None if !named.trim().is_empty() => return Destination::NotANumber,
            None => {}
        }
        let key = key_bytes(self.key.get());
        match self.partitioner.get().key_hash(key.as_ref()) {
            Some(algorithm) if partitions > 0 => {
                let trace = HashTrace::compute(algorithm, key.as_deref().unwrap_or_default(), partitions);
                Destination::Hashed { partition: trace.partition, partitions, algorithm: algorithm.name() }
            }
            _ if key.is_none() => Destination::PickedNullKey,
            _ => Destination::Picked,
        }
    }

    /// Sends the draft as one record; on refusal the error is kept for the form to show.
    pub fn produce(&self, sim: SimHandle, view: &ClusterView) {
        if view.topics.is_empty() {
            return self.error.set(Some(format!("There is {NO_TOPIC}.")));
        }
        let topic = existing_topic(self.topic.get_untracked(), view);
        let producer = view.producers.iter().find(|p| p.topic == topic);
        let client = producer.map_or(CONSOLE_PRODUCER, |p| p.client_id.as_str());
        let key = self.key.get_untracked();
        let mut request = ProduceRequest::new(client, &topic, None, &self.value.get_untracked());
        if let Some(p) = producer {
            request = request.with_config(p.config);
        }
        request.key = key_bytes(key);
        if self.null_value.get_untracked() {
            request.value = None;
        }
        request.partitioner = self.partitioner.get_untracked();
        request.headers = self
            .headers
            .get_untracked()
            .iter()
            .map(|(_, k, v)| Header { key: k.get_untracked(), value: Some(Bytes::from(v.get_untracked().into_bytes())) })
            .collect();
        let partition = self.partition.get_untracked();
        if !partition.trim().is_empty() {
            match parse_count(&partition) {
                Some(p) => request.partition = Some(p),
                None => return self.error.set(Some("Type a partition number (0, 1, 2, ...), or leave Partition empty.".into())),
            }
        }
        self.error.set(sim.apply(Command::Produce(request)).err().map(|e| e.to_string()));
    }
}

impl Default for ProduceDraft {
    fn default() -> Self {
        ProduceDraft::new()
    }
}

/// Where a record typed by hand will go (see [`ProduceDraft::destination`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Destination {
    Named(u32),
    /// A named partition the topic does not have: the send would be refused.
    Missing { partition: u32, partitions: u32 },
    /// The Partition field holds something that is not a partition number (a "-1").
    NotANumber,
    Hashed { partition: u32, partitions: u32, algorithm: &'static str },
    PickedNullKey,
    Picked,
    /// There is no topic at all (an imported file without one).
    NoTopic,
}

impl Destination {
    /// A send to it would be refused: the hint is a warning.
    pub fn refused(&self) -> bool {
        matches!(self, Destination::Missing { .. } | Destination::NotANumber | Destination::NoTopic)
    }

    /// The short form beside the Key label, for a column with no room for the hint's line: the
    /// partition the record lands in (drawn as its chip), or who picks it. `None` for a send that
    /// would be refused, whose warning always has its line.
    pub fn short(&self) -> Option<(String, Option<u32>)> {
        match self {
            Destination::Named(p) | Destination::Hashed { partition: p, .. } => Some((format!("P{p}"), Some(*p))),
            // The field shows there is no key; the column has no room to say it again.
            Destination::PickedNullKey | Destination::Picked => Some(("picked".to_string(), None)),
            Destination::Missing { .. } | Destination::NotANumber | Destination::NoTopic => None,
        }
    }

    /// The Key field's hint after "to <topic>".
    pub fn hint(&self) -> String {
        match self {
            Destination::Named(p) => format!("partition {p}, as named"),
            Destination::Missing { partition, partitions } => {
                format!("no partition {partition} (it has 0 to {}), so the send would be refused", partitions - 1)
            }
            Destination::NotANumber => "Partition must be a number (0, 1, 2, …) or empty".to_string(),
            Destination::Hashed { partition, partitions, algorithm } => format!("{algorithm} % {partitions} → partition {partition}"),
            Destination::PickedNullKey => "null key, so the partitioner picks one (\"\" is the empty key)".to_string(),
            Destination::Picked => "the partitioner picks one, not the key".to_string(),
            Destination::NoTopic => NO_TOPIC.to_string(),
        }
    }
}

/// The partitioner this browser last picked, or the Java client's default.
fn saved_partitioner() -> Partitioner {
    let saved = crate::persist::partitioner().unwrap_or_default();
    Partitioner::ALL.iter().copied().find(|p| format!("{p:?}") == saved).unwrap_or_default()
}

/// What to do when there is no topic to send to.
const NO_TOPIC: &str = "no topic yet: add one in Edit → Topics (Add topic)";

/// The Key field's text as a record key: empty is a null key, `""` the empty key.
fn key_bytes(typed: String) -> Option<Bytes> {
    match typed.as_str() {
        "" => None,
        "\"\"" => Some(Bytes::new()),
        _ => Some(Bytes::from(typed.into_bytes())),
    }
}

fn existing_topic(wanted: String, view: &ClusterView) -> String {
    if view.topics.iter().any(|t| t.name == wanted) {
        wanted
    } else {
        view.topics.first().map(|t| t.name.clone()).unwrap_or_default()
    }
}

fn new_uuid() -> String {
    uuid::Uuid::new_v4().to_string()
}

pub fn use_draft() -> ProduceDraft {
    expect_context::<ProduceDraft>()
}
