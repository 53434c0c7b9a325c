//! Component tests: the app mounted in headless Chromium (wasm-bindgen-test).
#![cfg(target_arch = "wasm32")]

use gloo_timers::future::TimeoutFuture;
use kafkascope::App;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

/// Mounts the app into a fresh container and returns the container.
async fn mount_app() -> web_sys::HtmlElement {
    let document = web_sys::window().unwrap().document().unwrap();
    let container: web_sys::HtmlElement = document.create_element("div").unwrap().unchecked_into();
    document.body().unwrap().append_child(&container).unwrap();
    let handle = leptos::mount::mount_to(container.clone(), App);
    handle.forget();
    TimeoutFuture::new(0).await;
    container
}

fn lane_labels(container: &web_sys::HtmlElement) -> Vec<String> {
    let lists = container.query_selector_all("[role=list]").unwrap();
    (0..lists.length())
        .map(|i| lists.item(i).unwrap().unchecked_into::<web_sys::Element>().get_attribute("aria-label").unwrap_or_default())
        .collect()
}

#[wasm_bindgen_test]
async fn app_shows_three_partition_lanes() {
    let container = mount_app().await;
    assert_eq!(
        lane_labels(&container),
        vec![
            "Partition 0 of product-created-events-topic",
            "Partition 1 of product-created-events-topic",
            "Partition 2 of product-created-events-topic",
        ]
    );
    container.remove();
}

#[wasm_bindgen_test]
async fn producing_appends_a_cell_to_the_hashed_lane() {
    let container = mount_app().await;
    let key: web_sys::HtmlInputElement = container.query_selector("#produce-key").unwrap().unwrap().unchecked_into();
    key.set_value("16b77e26-6aac-4da5-bd17-ca1caeb91461");
    key.dispatch_event(&web_sys::Event::new("input").unwrap()).unwrap();
    let button: web_sys::HtmlElement = container.query_selector("button[type=submit]").unwrap().unwrap().unchecked_into();
    button.click();
    TimeoutFuture::new(0).await;
    // murmur2 of this key % 3 = partition 0 (Kafka's vector).
    let cell = container.query_selector("[aria-label='Partition 0 of product-created-events-topic'] li").unwrap();
    let label = cell.expect("a cell in lane 0").get_attribute("aria-label").unwrap();
    assert_eq!(label, "Offset 0, key 16b77e26-6aac-4da5-bd17-ca1caeb91461");
    container.remove();
}

mod pure_views {
    use kafkascope::format::short;
    use kafkascope::ui::chrome::narration::narrate;
    use kafkascope::ui::stage::hash_stage::explain;
    use kafkascope_engine::{Command, ProduceRequest, SimConfig, Simulation, TopicConfig};
    use wasm_bindgen_test::*;

    fn produce_events(key: Option<&str>) -> Vec<kafkascope_engine::Event> {
        let mut sim = Simulation::new(SimConfig::default());
        sim.apply(Command::CreateTopic { name: "product-created-events-topic".into(), partitions: 3, config: TopicConfig::default() }).unwrap();
        sim.apply(Command::Produce(ProduceRequest::new("p", "product-created-events-topic", key, "v"))).unwrap()
    }

    #[wasm_bindgen_test]
    fn narration_names_event_key_partition_and_offset() {
        let lines = narrate(&produce_events(Some("16b77e26-6aac-4da5-bd17-ca1caeb91461")), str::to_string);
        assert_eq!(lines, vec!["ProductCreatedEvent key 16b77e26… hashed to partition 0, appended at offset 0.".to_string()]);
        // A key of spaces is quoted and its spaces spelled out (HTML would fold them), an empty one
        // quoted, so that both show.
        let lines = narrate(&produce_events(Some(" ")), str::to_string);
        assert!(lines[0].starts_with("ProductCreatedEvent key \"␣\" hashed to partition "), "{lines:?}");
        let lines = narrate(&produce_events(Some("")), str::to_string);
        assert!(lines[0].starts_with("ProductCreatedEvent key \"\" hashed to partition "), "{lines:?}");
        let lines = narrate(&produce_events(None), str::to_string);
        assert!(lines[0].starts_with("ProductCreatedEvent null key, kept sticky by the Java default (3.3+, KIP-794) partitioner, to partition "), "{lines:?}");
        // librdkafka: its default takes an empty key for null; `consistent` hashes a null key.
        let with = |key: Option<&str>, partitioner: kafkascope_engine::Partitioner| {
            let mut sim = Simulation::new(SimConfig::default());
            sim.apply(Command::CreateTopic { name: "product-created-events-topic".into(), partitions: 3, config: TopicConfig::default() }).unwrap();
            let mut request = ProduceRequest::new("p", "product-created-events-topic", key, "v");
            request.partitioner = partitioner;
            narrate(&sim.apply(Command::Produce(request)).unwrap(), str::to_string)
        };
        use kafkascope_engine::partitioner::LibrdkafkaPartitioner as L;
        use kafkascope_engine::Partitioner::Librdkafka;
        assert!(with(Some(""), Librdkafka(L::ConsistentRandom))[0].starts_with("ProductCreatedEvent empty key, taken for null, kept sticky by the librdkafka consistent_random (default) partitioner, to "));
        assert_eq!(with(None, Librdkafka(L::Consistent))[0], "ProductCreatedEvent null key, hashed as zero bytes (librdkafka), to partition 0, appended at offset 0.");
        // Java with partitioner.ignore.keys=true: a key, yet spread like a null one.
        let ignored = kafkascope_engine::Partitioner::JavaDefault { ignore_keys: true };
        assert!(with(Some("user-42"), ignored)[0].starts_with("ProductCreatedEvent key not hashed (partitioner.ignore.keys=true), kept sticky, to "));
        assert!(with(None, ignored)[0].starts_with("ProductCreatedEvent null key, kept sticky, to "));
    }

    #[wasm_bindgen_test]
    fn a_late_append_and_a_single_lost_offset_read_as_sentences() {
        use kafkascope_engine::{Event, TopicPartition};
        let late = Event::Appended { topic: "t".into(), partition: 0, offset: 2, timestamp_ms: 0, leader_epoch: 0 };
        assert_eq!(narrate(&[late], str::to_string), vec!["A record sent earlier went to partition 0, appended at offset 2.".to_string()]);
        let lost = |from, to| Event::RecordsLost { group: "sms".into(), partition: TopicPartition::new("t", 1), from, to };
        assert_eq!(narrate(&[lost(0, 1)], str::to_string)[0], "sms lost offset 0 of partition 1: committed but never processed (at-most-once).");
        assert_eq!(narrate(&[lost(3, 6)], str::to_string)[0], "sms lost offsets 3–5 of partition 1: committed but never processed (at-most-once).");
        // A crash that loses records on two partitions is one sentence, so the three-line cap
        // cannot cut the second (the consumer-crash scene's sms-1 owned P0 and P1).
        let crashed = Event::MemberCrashed { group: "sms".into(), member_id: "sms-1".into() };
        let other = Event::RecordsLost { group: "sms".into(), partition: TopicPartition::new("t", 0), from: 0, to: 1 };
        let lines = narrate(&[crashed, lost(0, 1), other, lost(4, 6)], str::to_string);
        assert_eq!(lines, vec![
            "sms-1 crashed; its partitions wait for the session timeout.".to_string(),
            "sms lost offset 0 of partition 1, offset 0 of partition 0 and offsets 4–5 of partition 1: committed but never processed (at-most-once).".to_string(),
        ]);
    }

    #[wasm_bindgen_test]
    fn a_refused_commit_and_a_failed_offset_reset_read_as_sentences() {
        use kafkascope_engine::{Event, TopicPartition};
        let refused = |member: &str, p| Event::CommitRefused { group: "sms".into(), member_id: member.into(), partition: TopicPartition::new("t", p), offset: 4 };
        let lines = narrate(&[refused("sms-2", 0), refused("sms-2", 1), refused("sms-3", 2)], str::to_string);
        assert_eq!(lines, vec!["sms-2's commit failed: sms is rebalancing (RebalanceInProgressException), so whoever owns those partitions next reads the records again.".to_string()]);
        let failed = |out_of_range| Event::OffsetResetFailed { group: "sms".into(), member_id: "sms-1".into(), partition: TopicPartition::new("t", 2), out_of_range };
        assert_eq!(narrate(&[failed(None)], str::to_string)[0], "sms-1 has no committed offset for partition 2 and auto.offset.reset=none: NoOffsetForPartitionException, so it does not read it.");
        assert_eq!(narrate(&[failed(Some(3))], str::to_string)[0], "sms-1's offset 3 of partition 2 is no longer in the log and auto.offset.reset=none: OffsetOutOfRangeException, so it does not read it.");
    }

    #[wasm_bindgen_test]
    fn a_reset_past_what_retention_deleted_says_what_goes_unread_and_an_ordinary_start_says_nothing() {
        use kafkascope_engine::{Event, OffsetReset, TopicPartition};
        let reset = |offset, policy, out_of_range| Event::OffsetReset { group: "sms".into(), member_id: "sms-1".into(), partition: TopicPartition::new("t", 0), offset, policy, out_of_range };
        assert!(narrate(&[reset(0, OffsetReset::Earliest, None)], str::to_string).is_empty());
        assert_eq!(narrate(&[reset(7, OffsetReset::Earliest, Some(2))], str::to_string), vec![
            "sms-1's offset 2 of partition 0 was deleted by retention: auto.offset.reset=earliest moves it to 7, and it never reads offsets 2–6.".to_string(),
        ]);
        assert_eq!(narrate(&[reset(3, OffsetReset::Latest, Some(2))], str::to_string)[0],
            "sms-1's offset 2 of partition 0 was deleted by retention: auto.offset.reset=latest moves it to 3, and it never reads offset 2.");
        assert_eq!(narrate(&[reset(4, OffsetReset::Earliest, Some(9))], str::to_string)[0],
            "sms-1's offset 9 of partition 0 is past the log end (an election cut the log back): auto.offset.reset=earliest moves it to 4.");
    }

    #[wasm_bindgen_test]
    fn two_groups_losing_a_member_in_one_tick_are_both_told_within_three_sentences() {
        use kafkascope_engine::{Event, RebalanceReason, TopicPartition};
        let removed = |group: &str, member: &str| Event::MemberRemoved { group: group.into(), member_id: member.into() };
        let rebalance = |group: &str| Event::RebalanceStarted { group: group.into(), generation: 2, reason: RebalanceReason::SessionTimeout };
        let read = |p| Event::Fetched { group: "email".into(), member_id: "email-2".into(), partition: TopicPartition::new("t", p), offsets: vec![0] };
        let lines = narrate(&[removed("email", "email-1"), rebalance("email"), read(0), read(1), removed("sms", "sms-1"), rebalance("sms")], str::to_string);
        assert_eq!(lines, vec![
            "email removed email-1 and rebalances: a crashed consumer's session timed out.".to_string(),
            "email-2 read offset 0 of partition 0 and offset 0 of partition 1.".to_string(),
            "sms removed sms-1 and rebalances: a crashed consumer's session timed out.".to_string(),
        ]);
        // A rebalance without a removal before it keeps its own sentence.
        assert_eq!(narrate(&[rebalance("sms")], str::to_string), vec!["sms rebalances: a crashed consumer's session timed out.".to_string()]);
    }

    #[wasm_bindgen_test]
    fn a_held_send_says_what_it_waits_for() {
        use kafkascope_engine::Event;
        let mut events = produce_events(Some("16b77e26-6aac-4da5-bd17-ca1caeb91461"));
        events.retain(|e| matches!(e, Event::Produced { .. }));
        use kafkascope_engine::HeldFor;
        let held = |why, behind: Option<u32>| Event::SendHeld { producer: "p".into(), topic: "product-created-events-topic".into(), partition: 0, sequence: behind.map(|b| b + 1), behind, why };
        assert_eq!(narrate(&[events.clone(), vec![held(HeldFor::Retry, Some(3))]].concat(), str::to_string), vec![
            "ProductCreatedEvent key 16b77e26… hashed to partition 0 and waits behind sequence 3, still to be sent again: an idempotent producer keeps a partition's order.".to_string(),
        ]);
        assert_eq!(narrate(&[events.clone(), vec![held(HeldFor::Retry, None)]].concat(), str::to_string), vec![
            "ProductCreatedEvent key 16b77e26… hashed to partition 0 and waits in the producer behind a record it will retry: a retry goes back to the front of the partition's queue.".to_string(),
        ]);
        assert_eq!(narrate(&[events.clone(), vec![held(HeldFor::Leader, None)]].concat(), str::to_string), vec![
            "ProductCreatedEvent key 16b77e26… hashed to partition 0 and waits in the producer: the partition has no leader. It is sent when one is elected, or fails after delivery.timeout.ms.".to_string(),
        ]);
        assert_eq!(narrate(&[events, vec![held(HeldFor::InFlightLimit, Some(3))]].concat(), str::to_string), vec![
            "ProductCreatedEvent key 16b77e26… hashed to partition 0 and waits in the producer: five earlier batches are unanswered, the most an idempotent producer has out (max.in.flight.requests.per.connection).".to_string(),
        ]);
        // Sends that fail alike in one step are one sentence; another error is its own.
        use kafkascope_engine::SendError;
        let failed = |partition, error| Event::SendFailed { producer: "shop".into(), topic: "t".into(), partition, offset: None, error, retrying: true };
        let stopped = [failed(0, SendError::NotLeaderOrFollower), failed(1, SendError::NotLeaderOrFollower), failed(0, SendError::NotLeaderOrFollower), failed(0, SendError::RequestTimedOut)];
        let said = narrate(&stopped, str::to_string);
        assert_eq!(said.len(), 3, "{said:?}");
        assert!(said[0].starts_with("shop's 2 sends to partition 0: NOT_LEADER_OR_FOLLOWER") && said[0].ends_with("It retries after retry.backoff.ms."), "{said:?}");
        assert!(said[1].starts_with("shop's send to partition 1: NOT_LEADER_OR_FOLLOWER"), "{said:?}");
        assert!(said[2].starts_with("shop's send to partition 0: REQUEST_TIMED_OUT"), "{said:?}");
        // Released together, the earlier records of a partition are one sentence.
        let late = |offset| Event::Appended { topic: "t".into(), partition: 0, offset, timestamp_ms: 0, leader_epoch: 1 };
        assert_eq!(narrate(&[late(1), late(2), late(3)], str::to_string), vec![
            "3 records sent earlier went to partition 0, appended at offsets 1–3.".to_string(),
        ]);
    }

    #[wasm_bindgen_test]
    fn one_offset_reads_as_one_and_an_election_says_what_it_dropped() {
        use kafkascope_engine::{Election, Event, OffsetRange};
        let truncated = Event::ReplicaTruncated { topic: "t".into(), partition: 0, broker: 3, from: 2, to: 1 };
        assert_eq!(narrate(&[truncated], str::to_string), vec!["t-0: broker 3 truncated offset 1: not in the new leader's history.".to_string()]);
        let elected_losing = |election, to, resent, committed_lost| Event::LeaderElected {
            topic: "t".into(), partition: 2, leader: 2, previous: Some(1), leader_epoch: 3, election, lost: Some(OffsetRange { from: 2, to }), resent, committed_lost,
        };
        // Only an unclean election loses committed records (one, here).
        let elected = |election, to, resent| elected_losing(election, to, resent, if election == Election::Unclean { 1 } else { 0 });
        let clean = narrate(&[elected(Election::Preferred, 3, 1)], str::to_string);
        assert!(clean[0].ends_with(" Offset 2, never committed, is gone: a producer still waiting for acks=all sends it again."), "{clean:?}");
        // Acknowledged with acks=1 on the old leader's append: nobody sends it again.
        let acked = narrate(&[elected(Election::Clean, 3, 0)], str::to_string);
        assert!(acked[0].ends_with(" Offset 2, never committed, is lost for good: no producer waits for it (acknowledged with acks=1, or sent with acks=0)."), "{acked:?}");
        let mixed = narrate(&[elected(Election::Clean, 5, 2)], str::to_string);
        assert!(mixed[0].ends_with(" Offsets 2–4, never committed, are gone: a producer still waiting for acks=all sends 2 of them again; the rest are lost for good."), "{mixed:?}");
        let unclean = narrate(&[elected(Election::Unclean, 5, 0)], str::to_string);
        assert!(unclean[0].ends_with(" Offsets 2–4 the old leader had are lost, committed records among them."), "{unclean:?}");
        // An unclean election that loses only records above the old high watermark says so.
        let above_hw = narrate(&[elected_losing(Election::Unclean, 5, 0, 0)], str::to_string);
        assert!(above_hw[0].ends_with(" Offsets 2–4, never committed, are lost for good: no producer waits for them (acknowledged with acks=1, or sent with acks=0)."), "{above_hw:?}");
    }

    #[wasm_bindgen_test]
    fn a_stopped_broker_is_narrated_once_then_the_elections() {
        let config = TopicConfig { replication_factor: Some(3), ..TopicConfig::default() };
        let mut sim = Simulation::new(SimConfig::default());
        sim.apply(Command::CreateTopic { name: "t".into(), partitions: 3, config }).unwrap();
        let leader = sim.topic("t").unwrap().leader(0).unwrap();
        let events = sim.apply(Command::StopBroker { broker: leader }).unwrap();
        let shrinks = events.iter().filter(|e| matches!(e, kafkascope_engine::Event::IsrShrunk { .. })).count();
        assert_eq!(shrinks, 3, "the broker leaves all three ISRs");
        let lines = narrate(&events, str::to_string);
        assert!(lines[0].starts_with(&format!("Broker {leader} stopped")), "{lines:?}");
        assert!(lines[1].starts_with("t-0: broker ") && lines[1].contains("leads now"), "{lines:?}");
        assert!(!lines.iter().any(|l| l.contains("left the ISR")), "{lines:?}");
    }

    #[wasm_bindgen_test]
    fn hash_stage_shows_each_step_of_the_java_math() {
        let events = produce_events(Some("foobar"));
        let choice = events.iter().find_map(|e| match e {
            kafkascope_engine::Event::Produced { choice, .. } => Some(choice.clone()),
            _ => None,
        });
        let lines = explain(&choice.unwrap(), kafkascope_engine::Partitioner::default());
        // Kafka's own vector: murmur2("foobar") = -790332482; the mask and modulo are written
        // out by hand here, not computed with the expression under test.
        assert_eq!(lines[0], "key \"foobar\"");
        assert_eq!(lines[1], "UTF-8 bytes (6): 66 6f 6f 62…");
        assert_eq!(lines[2], "murmur2(bytes) = -790332482");
        assert_eq!(lines[3], "& 0x7fffffff = 1357151166");
        assert_eq!(lines[4], "% 3 = partition 0");
        // The hand-written arithmetic behind the expectation above, checked too.
        #[allow(clippy::eq_op)]
        {
            assert_eq!(1357151166 % 3, 0);
        }
    }

    #[wasm_bindgen_test]
    fn the_round_robin_math_is_java_int_arithmetic() {
        use kafkascope_engine::partitioner::PartitionChoice;
        // The legacy counter started at a random int and has turned negative: its sign bit is
        // cleared before the modulo (-1890887867 & 0x7fffffff = 256595781, written out by hand).
        let legacy = PartitionChoice::RoundRobin { partition: 0, counter: -1_890_887_867, of: 3 };
        let lines = explain(&legacy, kafkascope_engine::Partitioner::JavaLegacy);
        assert_eq!(lines, ["null key: round-robin (Java up to 2.3)", "counter = -1890887867", "& 0x7fffffff = 256595781", "% 3 = partition 0"]);
        let plain = PartitionChoice::RoundRobin { partition: 1, counter: 4, of: 3 };
        assert_eq!(explain(&plain, kafkascope_engine::Partitioner::RoundRobin), ["RoundRobinPartitioner ignores keys", "counter = 4", "% 3 = partition 1"]);
    }

    #[wasm_bindgen_test]
    fn librdkafka_null_and_empty_keys_are_told_apart_on_the_hash_stage() {
        use kafkascope_engine::partitioner::{HashAlgorithm, HashTrace, LibrdkafkaPartitioner, PartitionChoice, Unhashed};
        use kafkascope_engine::Partitioner;
        // `consistent` hashes a null key as zero bytes: crc32 of nothing is 0, partition 0.
        let consistent = Partitioner::Librdkafka(LibrdkafkaPartitioner::Consistent);
        let zero_bytes = HashTrace::compute(HashAlgorithm::Crc32, b"", 3);
        let null = PartitionChoice::KeyHash(HashTrace { null_key: true, ..zero_bytes.clone() });
        assert_eq!(explain(&null, consistent)[0], "null key: librdkafka hashes it as zero bytes");
        assert_eq!(explain(&PartitionChoice::KeyHash(zero_bytes), consistent)[0], "key \"\" (empty, not null)");
        // `consistent_random` takes an empty key for a null one.
        let default = Partitioner::Librdkafka(LibrdkafkaPartitioner::ConsistentRandom);
        let empty = PartitionChoice::Sticky { partition: 1, switched: true, unhashed: Unhashed::EmptyTakenForNull };
        let null = PartitionChoice::Sticky { partition: 1, switched: true, unhashed: Unhashed::NullKey };
        assert_eq!(explain(&empty, default)[0], "key \"\" (empty): consistent_random treats it as null");
        assert_eq!(explain(&null, default)[0], "null key: nothing to hash");
    }

    #[wasm_bindgen_test]
    fn long_text_is_shortened_by_characters_not_bytes() {
        assert_eq!(short("héllo wörld", 5), "héllo…");
    }
}

/// Past `MAX_STEPS` the history folds its oldest steps away: the timeline says how many, and the
/// session can no longer be exported, linked or saved (it says why).
#[wasm_bindgen_test]
async fn a_long_run_folds_the_timeline_and_says_so() {
    use kafkascope::state::SimHandle;
    use kafkascope::ui::app::Shell;
    use kafkascope_engine::history::{FOLD_STEPS, MAX_STEPS};
    let handle = SimHandle::new();
    let document = web_sys::window().unwrap().document().unwrap();
    let container: web_sys::HtmlElement = document.create_element("div").unwrap().unchecked_into();
    document.body().unwrap().append_child(&container).unwrap();
    leptos::mount::mount_to(container.clone(), move || leptos::view! { <Shell sim=handle/> }).forget();
    TimeoutFuture::new(0).await;
    let folded = || container.query_selector(".timeline .folded").unwrap().expect("the timeline's folded read-out");
    assert!(folded().has_attribute("hidden"), "nothing is folded at the start");
    assert!(handle.not_exportable().is_none());
    for _ in 0..=MAX_STEPS {
        handle.apply(kafkascope_engine::Command::Tick).unwrap();
    }
    TimeoutFuture::new(0).await;
    assert!(!folded().has_attribute("hidden"));
    assert_eq!(folded().text_content().unwrap(), format!("+{FOLD_STEPS}"));
    assert_eq!(folded().get_attribute("aria-label").unwrap(), format!("{FOLD_STEPS} earlier steps folded"));
    let step = container.query_selector(".timeline .slider-value").unwrap().unwrap().text_content().unwrap();
    let kept = MAX_STEPS + 1 - FOLD_STEPS;
    // Past a thousand steps the count drops its "step" (room for the slider at 1280 px).
    assert!(kept >= 1000);
    assert_eq!(step, format!("{kept} / {kept}"));
    assert!(handle.not_exportable().is_some_and(|why| why.contains("folded away")));
    container.remove();
}

/// One beat of Play passes quiet ticks, at most `PLAY_BEAT` of them, and stops at the first step
/// with something to tell; a commit alone is such a step, and the narration says it (it used to
/// read "nothing sent or read" at the very moment a crash would lose or repeat records).
#[wasm_bindgen_test]
fn a_beat_of_play_passes_quiet_ticks_and_stops_for_a_commit() {
    use kafkascope::state::SimHandle;
    use kafkascope::ui::chrome::controls::PLAY_BEAT;
    use kafkascope::ui::chrome::narration::{commits_told, narrate, worth_telling};
    use kafkascope_engine::history::History;
    use kafkascope_engine::{Command, Event, ProduceRequest, SimConfig, TopicConfig};
    let handle = SimHandle::from_history(History::new(SimConfig::default()));
    let topic = "t";
    handle.apply(Command::CreateTopic { name: topic.into(), partitions: 1, config: TopicConfig::default() }).unwrap();
    let now = || handle.with_untracked(|s| s.now_ms());
    let cursor = || handle.with_state_untracked(|s| s.history.cursor());
    // Nothing happens: a beat is PLAY_BEAT ticks.
    let (before, at) = (now(), cursor());
    handle.play_beat(PLAY_BEAT, worth_telling);
    assert_eq!(cursor(), at + PLAY_BEAT);
    assert_eq!(now() - before, PLAY_BEAT as u64 * 100);
    // A group reads one record; then beats until its auto-commit.
    handle.apply(Command::AddConsumer { group: "sms".into(), client_id: "sms-1".into(), group_instance_id: None, topics: vec![topic.into()] }).unwrap();
    handle.apply(Command::Produce(ProduceRequest::new("p", topic, Some("k"), "v"))).unwrap();
    let committed = |s: &kafkascope::state::SimState| s.last_events.iter().any(|e| matches!(e, Event::Committed { offset: 1, .. }));
    let (start, mut beats) = (cursor(), 0);
    // Beats of 7 ticks: a length the 5 s auto-commit interval is no multiple of, so landing on
    // the commit is the beat stopping there, not a beat that happened to end there.
    while beats < 200 && !handle.with_state_untracked(committed) {
        handle.play_beat(7, worth_telling);
        beats += 1;
    }
    assert!(handle.with_state_untracked(committed), "the beat stopped on the commit's step");
    assert!(handle.with_state_untracked(worth_telling));
    let steps = cursor() - start;
    assert!(steps > beats, "quiet ticks were passed several to a beat: {steps} steps in {beats} beats");
    let events = handle.with_state_untracked(|s| s.last_events.clone());
    assert!(narrate(&events, str::to_string).is_empty(), "the commit is the step's only news: {events:?}");
    let said = commits_told(&events).expect("a sentence for the commit");
    assert!(said.starts_with("sms committed offset 1 of partition 0."), "{said}");
}

#[wasm_bindgen_test]
fn compaction_tells_superseded_records_and_expired_tombstones_apart() {
    use kafkascope::ui::chrome::narration::narrate;
    use kafkascope_engine::compaction::Compaction;
    use kafkascope_engine::Event;
    let compacted = |superseded: Vec<u64>, tombstones_removed: Vec<u64>| Event::Compacted {
        topic: "t".into(),
        partition: 0,
        compaction: Compaction { superseded, tombstones_removed, cleaned_up_to: 9 },
    };
    assert_eq!(narrate(&[compacted(vec![0, 1], vec![])], str::to_string), vec!["Compaction removed 2 older records whose key has a newer value from t-0.".to_string()]);
    assert_eq!(narrate(&[compacted(vec![], vec![4])], str::to_string), vec!["Compaction removed 1 tombstone past delete.retention.ms from t-0.".to_string()]);
    assert_eq!(
        narrate(&[compacted(vec![3], vec![4])], str::to_string),
        vec!["Compaction removed 1 older record whose key has a newer value and 1 tombstone past delete.retention.ms from t-0.".to_string()]
    );
}
