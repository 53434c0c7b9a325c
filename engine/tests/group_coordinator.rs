//! The group coordinator's classic protocol: session timeout bounds, static membership, join
//! phases that wait for members, and the first rebalance's delay.

mod common;

use common::*;
use kafkascope_engine::{Command, CommitMode, EngineError, GroupConfig, SimConfig, Simulation};

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
