//! Scenes and lessons: the course's examples as scenario files, built into the app.
//!
//! Every preset scene and every lesson is a versioned scenario JSON file in `assets/` (setup,
//! captioned steps, chapters with "Try it" tasks), read by the engine exactly as an imported file
//! or a shared link would be. The three scenes are the sandbox's starting points; the eight
//! lessons follow the course chapter by chapter.

use kafkascope_engine::{History, Scenario, ScenarioError};

/// The topic of the default scene.
pub const PRODUCT_TOPIC: &str = "product-created-events-topic";
/// The topic of the key ordering demo.
pub const PROFILE_TOPIC: &str = "profile-updated-event-topic";

/// One built-in scenario: its URL slug, its title (the file's `name`) and its JSON.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Entry {
    pub slug: &'static str,
    pub title: &'static str,
    json: &'static str,
}

impl Entry {
    /// The scenario, checked as any file would be.
    pub fn scenario(&self) -> Result<Scenario, ScenarioError> {
        Scenario::from_json(self.json)
    }

    /// The scenario replayed into a history, cursor at its start.
    pub fn history(&self) -> Result<(Scenario, History), ScenarioError> {
        let scenario = self.scenario()?;
        let history = History::from_scenario(&scenario)?;
        Ok((scenario, history))
    }
}

macro_rules! entry {
    ($slug:literal, $title:literal, $path:literal) => {
        Entry { slug: $slug, title: $title, json: include_str!(concat!("../assets/", $path)) }
    };
}

/// The sandbox scenes, in button order.
pub const SCENES: [Entry; 5] = [
    entry!("key-ordering", "Key ordering demo", "scenes/key-ordering.json"),
    entry!("fan-out", "Fan-out", "scenes/fan-out.json"),
    entry!("consumer-crash", "Consumer crash", "scenes/consumer-crash.json"),
    entry!("data-center-outage", "Data center outage", "scenes/data-center-outage.json"),
    entry!("acks-1-loses-data", "acks=1 loses data", "scenes/acks-1-loses-data.json"),
];

/// The scene the app opens with.
pub const DEFAULT_SCENE: usize = 1;

/// The lessons, in the course's order.
pub const LESSONS: [Entry; 9] = [
    entry!("events-and-messages", "1. Events and messages", "lessons/events-and-messages.json"),
    entry!("topics-and-offsets", "2. Topics: append-only logs", "lessons/topics-and-offsets.json"),
    entry!("partitions-and-keys", "3. Partitions and keys", "lessons/partitions-and-keys.json"),
    entry!("key-ordering", "4. Ordering by key", "lessons/key-ordering.json"),
    entry!("fan-out", "5. Publish/subscribe and consumer groups", "lessons/fan-out.json"),
    entry!("scaling-a-group", "6. Scaling a consumer group", "lessons/scaling-a-group.json"),
    entry!("offsets-and-commits", "7. Offsets, commits and a crash", "lessons/offsets-and-commits.json"),
    entry!("retention-and-compaction", "8. Retention and compaction", "lessons/retention-and-compaction.json"),
    entry!("replicas-and-data-centers", "9. Replicas and data centers", "lessons/replicas-and-data-centers.json"),
];

/// The lesson with this URL slug.
pub fn lesson(slug: &str) -> Option<usize> {
    LESSONS.iter().position(|l| l.slug == slug)
}

/// Where the state on the stage came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Source {
    Scene(usize),
    Lesson(usize),
    /// A scenario file that was imported, or a shared link that was opened.
    Opened,
    /// A session restored from the browser's storage.
    Restored,
}

impl Source {
    /// How the source is remembered with a saved session: `scene:<slug>` or `lesson:<slug>`.
    pub fn key(self) -> Option<String> {
        match self {
            Source::Scene(i) => Some(format!("scene:{}", SCENES.get(i)?.slug)),
            Source::Lesson(i) => Some(format!("lesson:{}", LESSONS.get(i)?.slug)),
            Source::Opened | Source::Restored => None,
        }
    }

    /// The source a saved key names; anything unknown is a restored session.
    pub fn from_key(key: Option<&str>) -> Source {
        let find = |list: &[Entry], slug: &str| list.iter().position(|e| e.slug == slug);
        match key.and_then(|k| k.split_once(':')) {
            Some(("scene", slug)) => find(&SCENES, slug).map_or(Source::Restored, Source::Scene),
            Some(("lesson", slug)) => find(&LESSONS, slug).map_or(Source::Restored, Source::Lesson),
            _ => Source::Restored,
        }
    }

    /// The built-in entry, for scenes and lessons.
    pub fn entry(self) -> Option<&'static Entry> {
        match self {
            Source::Scene(i) => SCENES.get(i),
            Source::Lesson(i) => LESSONS.get(i),
            Source::Opened | Source::Restored => None,
        }
    }
}

/// The event a topic carries, for narration: `<Noun><PerformedAction>Event`.
pub fn event_name(topic: &str) -> &'static str {
    if topic == PROFILE_TOPIC { "ProfileUpdatedEvent" } else if topic == PRODUCT_TOPIC { "ProductCreatedEvent" } else { "Record" }
}

/// A `ProductCreatedEvent` as the course shows it, for a product id: JSON whatever the id holds
/// (a quote or a backslash pasted into the key is escaped).
pub fn product_created_event(product_id: &str) -> String {
    let id = serde_json::Value::from(product_id);
    format!(r#"{{"productId": {id}, "title": "iPhone 15", "price": 1129, "quantity": 19}}"#)
}

/// The event a record typed by hand carries until its value is edited: a `ProfileUpdatedEvent`
/// for a user id on the profile topic (as the key-ordering scene sends), else a
/// `ProductCreatedEvent` for a product id.
pub fn event_for(topic: &str, key: &str) -> String {
    if topic == PROFILE_TOPIC {
        let id = serde_json::Value::from(key);
        format!(r#"{{"userId": {id}, "firstName": "Sergei"}}"#)
    } else {
        product_created_event(key)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use wasm_bindgen_test::wasm_bindgen_test;

    #[wasm_bindgen_test]
    fn every_built_in_scenario_opens_under_its_title() {
        for entry in SCENES.iter().chain(LESSONS.iter()) {
            let (scenario, history) = entry.history().unwrap_or_else(|e| panic!("{}: {e}", entry.slug));
            assert_eq!(scenario.name, entry.title, "{}", entry.slug);
            assert_eq!(history.cursor(), 0);
        }
        assert_eq!(lesson("key-ordering"), Some(3));
        assert_eq!(lesson("nope"), None);
        for source in [Source::Scene(0), Source::Scene(2), Source::Lesson(7)] {
            assert_eq!(Source::from_key(source.key().as_deref()), source);
        }
        assert_eq!(Source::from_key(Some("lesson:nope")), Source::Restored);
        assert_eq!(Source::from_key(None), Source::Restored);
    }

    #[wasm_bindgen_test]
    fn a_profile_topic_gets_a_profile_event_and_any_other_a_product_event() {
        let profile: serde_json::Value = serde_json::from_str(&event_for(PROFILE_TOPIC, "u \"1\"")).unwrap();
        assert_eq!(profile["userId"], "u \"1\"");
        assert_eq!(profile["firstName"], "Sergei");
        let product: serde_json::Value = serde_json::from_str(&event_for(PRODUCT_TOPIC, "p-1")).unwrap();
        assert_eq!(product["productId"], "p-1");
    }

    #[wasm_bindgen_test]
    fn a_product_created_event_is_json_whatever_its_id_holds() {
        for id in ["852e4839-8db7-4e85-809b-80064674ec2d", r#"say "hi"\n"#, "", "ключ 🔑"] {
            let value: serde_json::Value = serde_json::from_str(&product_created_event(id)).unwrap_or_else(|e| panic!("{id}: {e}"));
            assert_eq!(value["productId"], id);
            assert_eq!(value["price"], 1129);
        }
    }
}
