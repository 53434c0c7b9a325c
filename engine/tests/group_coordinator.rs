//! The group coordinator's classic protocol: session timeout bounds, static membership, join
//! phases that wait for members, and the first rebalance's delay.

mod common;

use common::*;
use kafkascope_engine::{Command, CommitMode, EngineError, GroupConfig, SimConfig, Simulation};
use kafkascope_engine::view::InstanceState;

fn create_group_with_session(sim: &mut Simulation, name: &str, session_timeout_ms: u64) -> Result<Vec<kafkascope_engine::Event>, EngineError> {
    let config = GroupConfig { session_timeout_ms, ..group_config(CommitMode::AutoCommit) };
    sim.apply(Command::CreateGroup { group: name.into(), config })
}

/// `GroupCoordinatorService.joinGroup`: INVALID_SESSION_TIMEOUT outside
/// [`group.min.session.timeout.ms`, `group.max.session.timeout.ms`] = [6000, 1800000].
#[test]
fn a_session_timeout_outside_the_brokers_bounds_is_refused() {
    let mut sim = Simulation::new(SimConfig::default());
    let before = sim.fingerprint();
    let err = create_group_with_session(&mut sim, "too-short", 5_999).unwrap_err();
    assert_eq!(err, EngineError::InvalidSessionTimeout { session_timeout_ms: 5_999, min_ms: 6_000, max_ms: 1_800_000 });
    assert!(err.to_string().contains("group.min.session.timeout.ms"), "{err}");
    assert_eq!(sim.fingerprint(), before);
    assert!(matches!(create_group_with_session(&mut sim, "too-long", 1_800_001), Err(EngineError::InvalidSessionTimeout { .. })));
    assert!(create_group_with_session(&mut sim, "shortest", 6_000).is_ok());
    assert!(create_group_with_session(&mut sim, "longest", 1_800_000).is_ok());
}

#[test]
fn a_broker_with_a_lower_minimum_accepts_a_shorter_session() {
    let mut sim = Simulation::new(SimConfig { group_min_session_timeout_ms: 1_000, ..SimConfig::default() });
    assert!(create_group_with_session(&mut sim, "short", 1_000).is_ok());
}

fn join(sim: &mut Simulation, group: &str, client: &str, instance: Option<&str>) -> Vec<kafkascope_engine::Event> {
    sim.apply(Command::AddConsumer {
        group: group.into(),
        client_id: client.into(),
        group_instance_id: instance.map(String::from),
        topics: vec![TOPIC.into()],
    })
    .unwrap()
}

fn joined_id(events: &[kafkascope_engine::Event]) -> String {
    events
        .iter()
        .find_map(|e| match e {
            kafkascope_engine::Event::MemberJoined { member_id, .. } => Some(member_id.clone()),
            _ => None,
        })
        .expect("a join event")
}

fn rebalances(events: &[kafkascope_engine::Event]) -> usize {
    events.iter().filter(|e| matches!(e, kafkascope_engine::Event::RebalanceStarted { .. })).count()
}

/// Two-partition topic, group `g` with a static member (`instance-1`) and a dynamic one; 6 s
/// sessions. Returns (static id, dynamic id).
fn static_and_dynamic() -> (Simulation, String, String) {
    let mut sim = sim_with_topic(2, kafkascope_engine::TopicConfig::default());
    create_group(&mut sim, "g", group_config(CommitMode::AutoCommit));
    let fixed = joined_id(&join(&mut sim, "g", "app-a", Some("instance-1")));
    let dynamic = joined_id(&join(&mut sim, "g", "app-b", None));
    (sim, fixed, dynamic)
}

/// KIP-345: `group.instance.id` + "-" + a UUID for static members, `client.id` + "-" + a UUID for
/// the others (`ClassicGroup.generateMemberId`).
#[test]
fn static_member_ids_start_with_the_instance_id_and_dynamic_ones_with_the_client_id() {
    let (_, fixed, dynamic) = static_and_dynamic();
    assert!(fixed.starts_with("instance-1-") && fixed.len() == "instance-1-".len() + 36, "{fixed}");
    assert!(dynamic.starts_with("app-b-") && dynamic.len() == "app-b-".len() + 36, "{dynamic}");
}

/// A static member that shuts down sends no LeaveGroup: the group keeps its partitions for it,
/// with no rebalance, until `session.timeout.ms` passes without heartbeats.
#[test]
fn a_static_member_that_closes_keeps_its_partitions_until_its_session_expires() {
    let (mut sim, fixed, _) = static_and_dynamic();
    let owned = sim.group("g").unwrap().members[&fixed].assigned.clone();
    assert_eq!(owned.len(), 1);
    let events = sim.apply(Command::RemoveConsumer { group: "g".into(), member_id: fixed.clone() }).unwrap();
    assert_eq!(rebalances(&events), 0, "{events:?}");
    let member = &sim.group("g").unwrap().members[&fixed];
    assert!(!member.is_alive() && member.assigned == owned);
    assert_eq!(rebalances(&ticks(&mut sim, 59)), 0, "no rebalance before the 6 s session expires");
    let events = ticks(&mut sim, 1);
    assert!(events.iter().any(|e| matches!(e, kafkascope_engine::Event::MemberRemoved { member_id, .. } if *member_id == fixed)));
    assert_eq!(rebalances(&events), 1);
    assert!(!sim.group("g").unwrap().members.contains_key(&fixed));
}

/// `GroupMetadataManager.updateStaticMemberThenRebalanceOrCompleteJoin`: while the group is
/// stable, a restart with the same `group.instance.id` replaces the old member id and keeps its
/// assignment, without a rebalance.
#[test]
fn a_static_member_restarting_with_its_instance_id_takes_over_its_partitions_without_a_rebalance() {
    let (mut sim, fixed, _) = static_and_dynamic();
    let owned = sim.group("g").unwrap().members[&fixed].assigned.clone();
    sim.apply(Command::CrashConsumer { group: "g".into(), member_id: fixed.clone() }).unwrap();
    ticks(&mut sim, 30);
    let events = join(&mut sim, "g", "app-a", Some("instance-1"));
    assert_eq!(rebalances(&events), 0, "{events:?}");
    let restarted = joined_id(&events);
    assert_ne!(restarted, fixed, "a new member id");
    assert!(restarted.starts_with("instance-1-"));
    let group = sim.group("g").unwrap();
    assert!(!group.members.contains_key(&fixed), "the old member id is gone");
    let member = &group.members[&restarted];
    assert!(member.is_alive());
    assert_eq!(member.assigned, owned, "it takes over the old member's partitions");
    assert_eq!(member.positions.len(), owned.len(), "and reads them from where the group committed");
    assert_eq!(rebalances(&ticks(&mut sim, 60)), 0, "the old session does not expire any more");
}

/// Only dynamic members that did not rejoin are dropped when a join completes; a crashed static
/// member stays in the group until its own session expires.
#[test]
fn a_rebalance_does_not_drop_a_crashed_static_member_before_its_session_expires() {
    let (mut sim, fixed, _) = static_and_dynamic();
    sim.apply(Command::CrashConsumer { group: "g".into(), member_id: fixed.clone() }).unwrap();
    let mut events = join(&mut sim, "g", "app-c", None);
    events.extend(ticks(&mut sim, 30));
    assert!(!events.iter().any(|e| matches!(e, kafkascope_engine::Event::MemberRemoved { member_id, .. } if *member_id == fixed)));
    assert!(sim.group("g").unwrap().members.contains_key(&fixed));
}

fn fetched_by(events: &[kafkascope_engine::Event], group_name: &str) -> Vec<String> {
    events
        .iter()
        .filter_map(|e| match e {
            kafkascope_engine::Event::Fetched { group, member_id, .. } if group == group_name => Some(member_id.clone()),
            _ => None,
        })
        .collect()
}

fn completed(events: &[kafkascope_engine::Event]) -> usize {
    events.iter().filter(|e| matches!(e, kafkascope_engine::Event::RebalanceCompleted { .. })).count()
}

/// Two partitions read by `a` and `b` of group `g` (6 s sessions); `a` crashes, then `c` joins.
fn crash_then_join(assignor: kafkascope_engine::AssignorKind) -> (Simulation, String, String, Vec<kafkascope_engine::Event>) {
    let mut sim = sim_with_topic(2, kafkascope_engine::TopicConfig::default());
    create_group(&mut sim, "g", GroupConfig { assignor, ..group_config(CommitMode::AutoCommit) });
    let a = joined_id(&join(&mut sim, "g", "a", None));
    let b = joined_id(&join(&mut sim, "g", "b", None));
    ticks(&mut sim, 1); // the cooperative follow-up gives b its partition
    let mut events = sim.apply(Command::CrashConsumer { group: "g".into(), member_id: a.clone() }).unwrap();
    events.extend(join(&mut sim, "g", "c", None));
    (sim, a, b, events)
}

/// `maybeCompleteJoinPhase` waits until every known member has rejoined; a crashed one never
/// does, so the eager group stops reading until its session expires
/// (`expireClassicGroupMemberHeartbeat` removes it and completes the join).
#[test]
fn a_rebalance_waits_for_a_crashed_members_session_and_nobody_reads_meanwhile() {
    let (mut sim, a, _, events) = crash_then_join(kafkascope_engine::AssignorKind::Range);
    assert_eq!(rebalances(&events), 1);
    assert_eq!(completed(&events), 0, "the join waits for the crashed member: {events:?}");
    assert!(events.iter().any(|e| matches!(e, kafkascope_engine::Event::RebalanceWaiting { waiting_for, .. } if *waiting_for == vec![a.clone()])));
    assert_eq!(sim.group("g").unwrap().join_phase.as_ref().map(|r| r.waiting_for.clone()), Some(vec![a.clone()]));
    for i in 0..6 {
        produce(&mut sim, Some(&format!("key-{i}")), "v");
    }
    let waiting = ticks(&mut sim, 59);
    assert!(fetched_by(&waiting, "g").is_empty(), "eager: everyone revoked, nobody reads");
    assert!(events.iter().any(|e| matches!(e, kafkascope_engine::Event::RebalanceWaiting { cooperative: false, .. })));
    let states: Vec<_> = sim.view(8).groups[0].members.iter().map(|m| m.state).collect();
    assert_eq!(states, [InstanceState::Crashed, InstanceState::Waiting, InstanceState::Waiting]);
    assert_eq!(completed(&waiting), 0);
    let expired = ticks(&mut sim, 1);
    assert!(expired.iter().any(|e| matches!(e, kafkascope_engine::Event::MemberRemoved { member_id, .. } if *member_id == a)));
    assert_eq!(completed(&expired), 1);
    assert!(sim.group("g").unwrap().join_phase.is_none());
    assert_eq!(fetched_by(&expired, "g").iter().collect::<std::collections::BTreeSet<_>>().len(), 2, "b and c read again");
}

/// Cooperative rebalancing (KIP-429) keeps the partitions that do not move: while the join waits
/// for the crashed member, the live member keeps reading what it owns.
#[test]
fn a_cooperative_rebalance_waiting_for_a_crashed_member_lets_the_others_keep_reading() {
    let (mut sim, _, b, events) = crash_then_join(kafkascope_engine::AssignorKind::CooperativeSticky);
    assert_eq!(completed(&events), 0);
    for i in 0..6 {
        produce(&mut sim, Some(&format!("key-{i}")), "v");
    }
    let waiting = ticks(&mut sim, 20);
    assert!(fetched_by(&waiting, "g").contains(&b), "{waiting:?}");
    // It reads, but its commits fail until the group is stable (RebalanceInProgressException).
    let refused = waiting.iter().filter(|e| matches!(e, kafkascope_engine::Event::CommitRefused { member_id, .. } if *member_id == b)).count();
    assert!(refused > 0, "{waiting:?}");
    assert!(!waiting.iter().any(|e| matches!(e, kafkascope_engine::Event::Committed { .. })), "{waiting:?}");
    // The event and the stage say so: b reads on, only the newcomer c (owning nothing) waits.
    assert!(events.iter().any(|e| matches!(e, kafkascope_engine::Event::RebalanceWaiting { cooperative: true, .. })));
    let view = sim.view(8);
    let states: Vec<_> = view.groups[0].members.iter().map(|m| (m.client_id.as_str(), m.state)).collect();
    assert_eq!(states, [("a", InstanceState::Crashed), ("b", InstanceState::Reading), ("c", InstanceState::Waiting)]);
    // Once a's session expires and the join completes, b's commits go through again.
    let mut after = Vec::new();
    for _ in 0..200 {
        after.extend(ticks(&mut sim, 1));
        if completed(&after) > 0 {
            break;
        }
    }
    assert_eq!(completed(&after), 1);
    produce(&mut sim, Some("key-9"), "v");
    let stable = ticks(&mut sim, 40);
    assert!(stable.iter().any(|e| matches!(e, kafkascope_engine::Event::Committed { member_id, .. } if *member_id == b)), "{stable:?}");
    assert!(!stable.iter().any(|e| matches!(e, kafkascope_engine::Event::CommitRefused { .. })), "{stable:?}");
}

/// A static member that restarts while a join waits for it rejoins at once, so the join completes
/// without waiting for its old session to expire.
#[test]
fn a_static_member_restarting_during_a_waiting_rebalance_completes_it() {
    let (mut sim, fixed, _) = static_and_dynamic();
    sim.apply(Command::CrashConsumer { group: "g".into(), member_id: fixed.clone() }).unwrap();
    let events = join(&mut sim, "g", "app-c", None);
    assert_eq!(completed(&events), 0);
    ticks(&mut sim, 20);
    let events = join(&mut sim, "g", "app-a", Some("instance-1"));
    assert_eq!(completed(&events), 1, "{events:?}");
    let group = sim.group("g").unwrap();
    assert_eq!(group.members.len(), 3);
    assert!(group.members.values().all(|m| m.is_alive()));
}

/// When a member's session is longer than the rebalance timeout (`max.poll.interval.ms`, 5
/// minutes), the join completes at the timeout and drops the dynamic member that did not rejoin.
#[test]
fn a_join_gives_up_on_a_missing_dynamic_member_at_the_rebalance_timeout() {
    let mut sim = sim_with_topic(2, kafkascope_engine::TopicConfig::default());
    create_group(&mut sim, "g", GroupConfig { session_timeout_ms: 600_000, ..group_config(CommitMode::AutoCommit) });
    let a = joined_id(&join(&mut sim, "g", "a", None));
    join(&mut sim, "g", "b", None);
    sim.apply(Command::CrashConsumer { group: "g".into(), member_id: a.clone() }).unwrap();
    join(&mut sim, "g", "c", None);
    assert_eq!(completed(&ticks(&mut sim, 2_999)), 0);
    let events = ticks(&mut sim, 1);
    assert_eq!(completed(&events), 1);
    assert!(events.iter().any(|e| matches!(e, kafkascope_engine::Event::MemberRemoved { member_id, .. } if *member_id == a)));
}

/// `GroupMetadataManager.prepareRebalance` / `tryCompleteInitialRebalanceElseSchedule`: an empty
/// group's first rebalance waits `group.initial.rebalance.delay.ms` (3 s) for more members, and
/// each member that joins meanwhile extends the wait by another delay.
#[test]
fn an_empty_groups_first_rebalance_waits_group_initial_rebalance_delay_ms() {
    let mut sim = Simulation::new(SimConfig::default());
    assert_eq!(SimConfig::default().group_initial_rebalance_delay_ms, 3_000);
    sim.apply(Command::CreateTopic { name: TOPIC.into(), partitions: 2, config: kafkascope_engine::TopicConfig::default() }).unwrap();
    create_group(&mut sim, "g", group_config(CommitMode::AutoCommit));
    let start = sim.now_ms();
    let events = join(&mut sim, "g", "a", None);
    assert_eq!((rebalances(&events), completed(&events)), (1, 0), "{events:?}");
    assert!(events.iter().any(|e| matches!(e, kafkascope_engine::Event::RebalanceDelayed { until_ms, .. } if *until_ms == start + 3_000)));
    let mut events = ticks(&mut sim, 10);
    events.extend(join(&mut sim, "g", "b", None)); // joins the waiting rebalance at 1 s
    events.extend(ticks(&mut sim, 20)); // 3 s: b joined meanwhile, so the wait is extended to 6 s
    assert_eq!((rebalances(&events), completed(&events)), (0, 0), "{events:?}");
    assert!(sim.group("g").unwrap().members.values().all(|m| m.assigned.is_empty()));
    let events = ticks(&mut sim, 29);
    assert_eq!(completed(&events), 0);
    let events = ticks(&mut sim, 1); // 6 s
    assert_eq!(completed(&events), 1);
    assert!(sim.group("g").unwrap().members.values().all(|m| m.assigned.len() == 1));
}

/// A consumer learns of new partitions only from a metadata refresh, every
/// `metadata.max.age.ms` (5 minutes by default); with `auto.offset.reset=latest` it then skips
/// what was written to them before (`ConsumerCoordinator.rejoinNeededOrPending`: the leader
/// rejoins when its metadata no longer matches the assignment's).
#[test]
fn a_consumer_notices_new_partitions_only_at_its_next_metadata_refresh() {
    assert_eq!(SimConfig::default().metadata_max_age_ms, 300_000);
    let config = SimConfig { metadata_max_age_ms: 10_000, group_initial_rebalance_delay_ms: 0, ..SimConfig::default() };
    let mut sim = Simulation::new(config);
    sim.apply(Command::CreateTopic { name: TOPIC.into(), partitions: 1, config: kafkascope_engine::TopicConfig::default() }).unwrap();
    let latest = GroupConfig { auto_offset_reset: kafkascope_engine::OffsetReset::Latest, ..group_config(CommitMode::AutoCommit) };
    create_group(&mut sim, "g", latest);
    let member = joined_id(&join(&mut sim, "g", "a", None)); // metadata fetched at 0 s
    ticks(&mut sim, 10);
    sim.apply(Command::AddPartitions { topic: TOPIC.into(), total: 2 }).unwrap();
    let to_new_partition = |sim: &mut Simulation| {
        let mut request = kafkascope_engine::ProduceRequest::new("p", TOPIC, Some("k"), "v");
        request.partition = Some(1);
        sim.apply(Command::Produce(request)).unwrap();
    };
    for _ in 0..3 {
        to_new_partition(&mut sim);
    }
    // The stage says which topic has partitions the group has not noticed, and when it will.
    let waiting = |sim: &Simulation| {
        let view = sim.view(8);
        let g = view.groups.iter().find(|g| g.name == "g").unwrap();
        (g.stale_metadata.clone(), g.metadata_refresh_in_ms)
    };
    assert_eq!(waiting(&sim), (vec![TOPIC.to_string()], Some(9_000)), "added at 1 s; refreshed at 0 s, every 10 s");
    let events = ticks(&mut sim, 89);
    assert_eq!(rebalances(&events), 0, "the consumer's metadata is 9.9 s old: it does not know partition 1 yet");
    assert_eq!(waiting(&sim), (vec![TOPIC.to_string()], Some(100)));
    let events = ticks(&mut sim, 1); // 10 s: metadata refresh
    assert_eq!(waiting(&sim), (vec![], None), "the refresh found partition 1");
    assert!(events.iter().any(|e| matches!(e, kafkascope_engine::Event::RebalanceStarted { reason: kafkascope_engine::RebalanceReason::PartitionsChanged, .. })));
    assert_eq!(sim.group("g").unwrap().members[&member].positions.get(&tp(1)), Some(&3), "latest: offsets 0..3 are skipped");
    to_new_partition(&mut sim);
    let events = ticks(&mut sim, 2);
    let read: Vec<u64> = events
        .iter()
        .filter_map(|e| match e {
            kafkascope_engine::Event::Fetched { partition, offsets, .. } if *partition == tp(1) => Some(offsets.clone()),
            _ => None,
        })
        .flatten()
        .collect();
    assert_eq!(read, vec![3]);
}

/// `kafka-consumer-groups.sh --delete`: refused while the group has members
/// (`GroupNotEmptyException`), and once it is empty the group goes with its committed offsets,
/// so a group created again under the same name starts from its reset.
#[test]
fn a_group_is_deleted_only_once_empty_and_takes_its_commits_with_it() {
    let mut sim = sim_with_topic(1, kafkascope_engine::TopicConfig::default());
    let config = GroupConfig { session_timeout_ms: 6_000, ..group_config(CommitMode::AutoCommit) };
    create_group(&mut sim, "billing", config);
    let member = add_consumer(&mut sim, "billing", "billing-1");
    produce(&mut sim, Some("k"), "v");
    ticks(&mut sim, 30);
    assert!(!sim.group("billing").unwrap().committed.is_empty(), "it read and committed");
    let before = sim.fingerprint();
    let err = sim.apply(Command::DeleteGroup { group: "billing".into() }).unwrap_err();
    assert_eq!(err, EngineError::GroupNotEmpty { group: "billing".into(), members: 1, stopped: 0 });
    assert!(err.to_string().contains("Remove its consumers"), "{err}");
    assert_eq!(sim.fingerprint(), before, "a refusal changes nothing");
    sim.apply(Command::RemoveConsumer { group: "billing".into(), member_id: member }).unwrap();
    let events = sim.apply(Command::DeleteGroup { group: "billing".into() }).unwrap();
    assert_eq!(events, vec![kafkascope_engine::Event::GroupDeleted { group: "billing".into() }]);
    assert!(sim.group("billing").is_none());
    assert_eq!(sim.apply(Command::DeleteGroup { group: "billing".into() }).unwrap_err(), EngineError::UnknownGroup("billing".into()));
    create_group(&mut sim, "billing", config);
    assert!(sim.group("billing").unwrap().committed.is_empty(), "the old commits went with the group");
}

/// A crashed consumer still counts until its session times out, so the refusal says to wait,
/// not to press "−" (which removes only running consumers); once the session ends, the group
/// can go.
#[test]
fn a_group_whose_consumers_crashed_is_deleted_once_their_sessions_time_out() {
    let mut sim = sim_with_topic(2, kafkascope_engine::TopicConfig::default());
    let config = GroupConfig { session_timeout_ms: 6_000, ..group_config(CommitMode::AutoCommit) };
    create_group(&mut sim, "billing", config);
    let first = add_consumer(&mut sim, "billing", "billing-1");
    add_consumer(&mut sim, "billing", "billing-2");
    ticks(&mut sim, 10);
    sim.apply(Command::CrashConsumer { group: "billing".into(), member_id: first }).unwrap();
    let err = sim.apply(Command::DeleteGroup { group: "billing".into() }).unwrap_err();
    assert_eq!(err, EngineError::GroupNotEmpty { group: "billing".into(), members: 2, stopped: 1 });
    assert!(err.to_string().contains("(1 crashed or shut down)") && err.to_string().contains("Remove the running ones (−)"), "{err}");
    let running = sim.group("billing").unwrap().members.values().find(|m| m.is_alive()).unwrap().member_id.clone();
    sim.apply(Command::CrashConsumer { group: "billing".into(), member_id: running }).unwrap();
    let err = sim.apply(Command::DeleteGroup { group: "billing".into() }).unwrap_err();
    assert_eq!(err, EngineError::GroupNotEmpty { group: "billing".into(), members: 2, stopped: 2 });
    assert!(err.to_string().contains("2 consumers that crashed or shut down") && err.to_string().contains("step forward, then delete it"), "{err}");
    assert!(!err.to_string().contains("(−)"), "no button to press: {err}");
    ticks(&mut sim, 70);
    assert!(sim.group("billing").unwrap().members.is_empty(), "both sessions timed out");
    sim.apply(Command::DeleteGroup { group: "billing".into() }).unwrap();
}
