//! Commands name a consumer by its member id or by its `client.id`, so a script written in
//! advance never has to know the coordinator's random member ids.

mod common;

use common::*;
use kafkascope_engine::{Command, CommitMode, EngineError, Event, TopicConfig};

const GROUP: &str = "sms-notification-service";

fn crash(sim: &mut kafkascope_engine::Simulation, name: &str) -> Result<Vec<Event>, EngineError> {
    sim.apply(Command::CrashConsumer { group: GROUP.into(), member_id: name.into() })
}

#[test]
fn a_client_id_names_the_running_member_that_has_it() {
    let mut sim = sim_with_topic(3, TopicConfig::default());
    create_group(&mut sim, GROUP, group_config(CommitMode::AutoCommit));
    add_consumer(&mut sim, GROUP, "sms-1");
    let second = add_consumer(&mut sim, GROUP, "sms-2");
    let events = crash(&mut sim, "sms-2").unwrap();
    assert!(events.contains(&Event::MemberCrashed { group: GROUP.into(), member_id: second.clone() }), "{events:?}");
    // Once it crashed, the same name still finds it, and the refusal says why.
    let err = crash(&mut sim, "sms-2").unwrap_err();
    assert_eq!(err, EngineError::MemberAlreadyCrashed { group: GROUP.into(), member: second });
}

#[test]
fn a_member_id_still_works_and_an_unknown_name_is_refused() {
    let mut sim = sim_with_topic(3, TopicConfig::default());
    create_group(&mut sim, GROUP, group_config(CommitMode::AutoCommit));
    let id = add_consumer(&mut sim, GROUP, "sms-1");
    assert!(sim.apply(Command::RemoveConsumer { group: GROUP.into(), member_id: id.clone() }).is_ok());
    let err = crash(&mut sim, "sms-9").unwrap_err();
    assert_eq!(err, EngineError::UnknownMember { group: GROUP.into(), member: "sms-9".into() });
}

#[test]
fn two_running_members_with_one_client_id_are_ambiguous() {
    let mut sim = sim_with_topic(3, TopicConfig::default());
    create_group(&mut sim, GROUP, group_config(CommitMode::AutoCommit));
    add_consumer(&mut sim, GROUP, "sms");
    add_consumer(&mut sim, GROUP, "sms");
    let before = sim.fingerprint();
    let err = crash(&mut sim, "sms").unwrap_err();
    assert_eq!(err, EngineError::AmbiguousClientId { group: GROUP.into(), client_id: "sms".into(), count: 2 });
    assert!(err.to_string().contains("member id"), "{err}");
    assert_eq!(sim.fingerprint(), before, "a refused command changes nothing");
}

#[test]
fn subscribe_accepts_a_client_id() {
    let mut sim = sim_with_topic(3, TopicConfig::default());
    sim.apply(Command::CreateTopic { name: "other".into(), partitions: 1, config: TopicConfig::default() }).unwrap();
    create_group(&mut sim, GROUP, group_config(CommitMode::AutoCommit));
    let id = add_consumer(&mut sim, GROUP, "sms-1");
    sim.apply(Command::Subscribe { group: GROUP.into(), member_id: "sms-1".into(), topics: vec!["other".into()] }).unwrap();
    assert!(sim.group(GROUP).unwrap().members[&id].topics.contains("other"));
}
