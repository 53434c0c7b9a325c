//! Leader election by the KRaft controller, and brokers stopping and starting.
//!
//! When a broker stops (a data center goes dark), the controller fences it: it leaves the ISR of
//! every partition, and each partition it led gets a new leader (`ReplicationControlManager.
//! handleBrokerFenced` → `PartitionChangeBuilder`). A *clean* election picks the first replica in
//! assignment order that runs and is in the ISR, so the new leader has every committed record.
//! The leader epoch increments with every change of leader.
//!
//! If no in-sync replica runs, the partition goes *offline*: no leader, so produce and fetch
//! fail. Kafka (without KIP-966's eligible leader replicas) never empties the ISR: the last member
//! stays in it, and when its broker returns it leads again with everything that was committed.
//! With `unclean.leader.election.enable=true` the controller instead lets the first running
//! replica lead even outside the ISR, and sets the ISR to that replica alone: records it lacks are
//! lost, acknowledged ones included.
//!
//! A broker that returns (`handleBrokerUnfenced`) leads partitions that waited for it; elsewhere it
//! is a follower and catches up, truncating first where its history diverged. Leadership moves
//! back to the *preferred* leader, the first replica, only by a preferred election
//! (`kafka-leader-election.sh --election-type preferred`, [`crate::Command::ElectPreferredLeaders`])
//! or by `auto.leader.rebalance.enable`, `leader.imbalance.check.interval.seconds` after an
//! imbalance appeared (`QuorumController.maybeScheduleNextBalancePartitionLeaders`,
//! `ReplicationControlManager.maybeBalancePartitionLeaders`).

use crate::error::EngineError;
use crate::event::{Election, Event, IsrShrinkReason, OffsetRange};
use crate::partition::{PartitionReplicas, Rules};
use crate::replica::FollowerState;
use crate::simulation::Simulation;
use crate::topic::Topic;

/// `PartitionChangeBuilder.electAnyLeader`: the current leader if it may stay, else the first
/// running in-sync replica, else (unclean) the first running replica.
fn choose_leader(state: &PartitionReplicas, rules: &Rules<'_>, unclean: bool) -> Option<(u32, Election)> {
    let eligible = |b: u32| state.in_sync(b) && rules.is_running(b);
    if let Some(leader) = state.leader.filter(|&l| eligible(l)) {
        return Some((leader, Election::Clean));
    }
    if let Some(b) = state.brokers().find(|&b| eligible(b)) {
        return Some((b, Election::Clean));
    }
    state.brokers().find(|&b| unclean && rules.is_running(b)).map(|b| (b, Election::Unclean))
}

/// Gives `partition` the leader `choice` (or takes it offline), with its events.
fn apply_election(topic: &mut Topic, partition: u32, choice: Option<(u32, Election)>, rules: &Rules<'_>, events: &mut Vec<Event>) {
    let Topic { name, partitions, replication, .. } = topic;
    let (log, state) = (&mut partitions[partition as usize], &mut replication[partition as usize]);
    if choice.map(|(b, _)| b) == state.leader {
        return;
    }
    let previous = state.leader;
    let (old_end, old_hw) = (log.log_end_offset(), log.high_watermark());
    let Some((leader, election)) = choice else {
        state.change_leader(None, log, rules.now_ms);
        events.push(Event::PartitionOffline { topic: name.clone(), partition, leader_epoch: state.leader_epoch, isr: state.isr.clone() });
        return;
    };
    if election == Election::Unclean {
        state.isr = vec![leader];
    }
    state.unclean_leader = election == Election::Unclean;
    state.change_leader(Some(leader), log, rules.now_ms);
    let new_end = log.log_end_offset();
    let lost = (new_end < old_end).then_some(OffsetRange { from: new_end, to: old_end });
    let leader_epoch = state.leader_epoch;
    // `resent` is counted once the step is done, where the producers are known
    // (`Simulation::count_resends`).
    let committed_lost = old_hw.saturating_sub(new_end);
    events.push(Event::LeaderElected { topic: name.clone(), partition, leader, previous, leader_epoch, election, lost, resent: 0, committed_lost });
    if let Some(hw) = state.maybe_increment_high_watermark(log, rules) {
        events.push(Event::HighWatermarkAdvanced { topic: name.clone(), partition, from: hw.from, to: hw.to });
    }
}

impl Simulation {
    fn check_broker(&self, broker: u32, running: bool) -> Result<(), EngineError> {
        let Some(b) = self.brokers.iter().find(|b| b.id == broker) else {
            return Err(EngineError::UnknownBroker { broker, brokers: self.brokers.len() as u32 });
        };
        match (b.online, running) {
            (false, true) => Err(EngineError::BrokerAlreadyStopped(broker)),
            (true, false) => Err(EngineError::BrokerAlreadyRunning(broker)),
            _ => Ok(()),
        }
    }

    fn set_online(&mut self, broker: u32, online: bool) {
        if let Some(b) = self.brokers.iter_mut().find(|b| b.id == broker) {
            b.online = online;
        }
    }

    /// `StopBroker`: the broker's data center goes dark; the controller fences it.
    pub(crate) fn stop_broker(&mut self, broker: u32) -> Result<Vec<Event>, EngineError> {
        self.check_broker(broker, true)?;
        self.set_online(broker, false);
        let mut events = vec![Event::BrokerStopped { broker }];
        let now_ms = self.clock.now_ms();
        for topic in self.topics.values_mut() {
            let rules = topic.rules(&self.brokers, self.config.replica_lag_time_max_ms, now_ms);
            for partition in 0..topic.partition_count() {
                fence(topic, partition, broker, &rules, &mut events);
            }
            topic.sync_leaders();
        }
        Ok(events)
    }

    /// `StartBroker`: the broker registers again and is unfenced.
    pub(crate) fn start_broker(&mut self, broker: u32) -> Result<Vec<Event>, EngineError> {
        self.check_broker(broker, false)?;
        self.set_online(broker, true);
        let mut events = vec![Event::BrokerStarted { broker }];
        let now_ms = self.clock.now_ms();
        for topic in self.topics.values_mut() {
            let rules = topic.rules(&self.brokers, self.config.replica_lag_time_max_ms, now_ms);
            let unclean = topic.config.unclean_leader_election_enable;
            for partition in 0..topic.partition_count() {
                let state = &mut topic.replication[partition as usize];
                let Some(replica) = state.replica_mut(broker) else { continue };
                replica.state = FollowerState::reset(now_ms, false);
                replica.fetch = None;
                if state.is_offline() {
                    let choice = choose_leader(state, &rules, unclean);
                    apply_election(topic, partition, choice, &rules, &mut events);
                }
            }
            topic.sync_leaders();
        }
        Ok(events)
    }

    /// `ElectPreferredLeaders`: every partition whose preferred leader runs and is in sync but
    /// does not lead gets it back as leader.
    pub(crate) fn elect_preferred_leaders(&mut self) -> Vec<Event> {
        let mut events = Vec::new();
        let now_ms = self.clock.now_ms();
        for topic in self.topics.values_mut() {
            let rules = topic.rules(&self.brokers, self.config.replica_lag_time_max_ms, now_ms);
            for partition in 0..topic.partition_count() {
                let state = &topic.replication[partition as usize];
                let Some(preferred) = state.preferred_leader() else { continue };
                let valid = state.in_sync(preferred) && rules.is_running(preferred);
                if valid && state.leader != Some(preferred) && !state.is_offline() {
                    apply_election(topic, partition, Some((preferred, Election::Preferred)), &rules, &mut events);
                }
            }
            topic.sync_leaders();
        }
        events
    }

    /// `auto.leader.rebalance.enable`: once an imbalance appears, a preferred election runs
    /// `leader.imbalance.check.interval.seconds` later, and again while one remains.
    pub(crate) fn balance_leaders_if_due(&mut self, events: &mut Vec<Event>) {
        if !self.config.auto_leader_rebalance_enable {
            return;
        }
        let now_ms = self.clock.now_ms();
        let imbalanced = self.topics.values().flat_map(|t| &t.replication).any(|s| s.leader.is_some() && s.leader != s.preferred_leader());
        match self.next_leader_balance_ms {
            _ if !imbalanced => self.next_leader_balance_ms = None,
            None => self.next_leader_balance_ms = Some(now_ms.saturating_add(self.config.leader_imbalance_check_interval_ms)),
            Some(due) if now_ms >= due => {
                events.extend(self.elect_preferred_leaders());
                self.next_leader_balance_ms = Some(now_ms.saturating_add(self.config.leader_imbalance_check_interval_ms));
            }
            Some(_) => {}
        }
    }
}

/// The controller fences `broker` for one partition: out of the ISR (unless it is the last
/// member), and a new leader if it led.
fn fence(topic: &mut Topic, partition: u32, broker: u32, rules: &Rules<'_>, events: &mut Vec<Event>) {
    let unclean = topic.config.unclean_leader_election_enable;
    let name = topic.name.clone();
    let state = &mut topic.replication[partition as usize];
    let Some(replica) = state.replica_mut(broker) else { return };
    replica.fetch = None;
    if state.in_sync(broker) && state.isr.len() > 1 {
        state.isr.retain(|&b| b != broker);
        events.push(Event::IsrShrunk { topic: name.clone(), partition, broker, isr: state.isr.clone(), reason: IsrShrinkReason::BrokerStopped });
    }
    if state.leader == Some(broker) {
        let choice = choose_leader(state, rules, unclean);
        apply_election(topic, partition, choice, rules, events);
        return;
    }
    let Topic { partitions, replication, .. } = topic;
    if let Some(hw) = replication[partition as usize].maybe_increment_high_watermark(&mut partitions[partition as usize], rules) {
        events.push(Event::HighWatermarkAdvanced { topic: name, partition, from: hw.from, to: hw.to });
    }
}
