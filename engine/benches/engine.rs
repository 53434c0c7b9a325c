//! Engine benchmarks: print numbers, assert nothing about speed.
//!
//! - produce throughput (hash + append), through `Simulation::apply` and through the bare
//!   partitioner + log;
//! - produce throughput with replication: replication factor 1 against 3 (acks=all, followers
//!   fetching on every tick, one tick per 1,000 records), which must stay above half of RF 1;
//! - memory per retained record, counted by a global allocator wrapper;
//! - seek time anywhere in a 100,000-step history.
//!
//! Goals from the engine issue: >= 5 million records/s natively, seek < 50 ms.

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicIsize, Ordering};
use std::time::{Duration, Instant};

use kafkascope_engine::log::PartitionLog;
use kafkascope_engine::partitioner::java_partition;
use kafkascope_engine::record::{Record, TimestampType};
use kafkascope_engine::{Command, CommitMode, Event, GroupConfig, History, OffsetReset, ProduceRequest, SimConfig, Simulation, TopicConfig};

/// Counts live heap bytes so memory per record can be measured without an external tool.
struct Counting;
static LIVE: AtomicIsize = AtomicIsize::new(0);

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        LIVE.fetch_add(layout.size() as isize, Ordering::Relaxed);
        unsafe { System.alloc(layout) }
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        LIVE.fetch_sub(layout.size() as isize, Ordering::Relaxed);
        unsafe { System.dealloc(ptr, layout) }
    }
}

#[global_allocator]
static ALLOCATOR: Counting = Counting;

const TOPIC: &str = "product-created-events-topic";

fn keys(n: usize) -> Vec<Vec<u8>> {
    (0..n).map(|i| format!("{:08x}-6aac-4da5-bd17-ca1caeb91461", i).into_bytes()).collect()
}

/// The `i`-th request of a run: the next key of `keys` in turn (copied, as a producer's key is a
/// fresh allocation), with the course's small JSON value.
fn keyed_produce(keys: &[Vec<u8>], i: usize) -> Command {
    let mut r = ProduceRequest::new("p", TOPIC, None, "{\"price\":1129}");
    r.key = Some(bytes::Bytes::copy_from_slice(&keys[i % keys.len()]));
    Command::Produce(r)
}

fn topic_sim(partitions: u32) -> Simulation {
    let mut sim = Simulation::new(SimConfig::default());
    sim.apply(Command::CreateTopic { name: TOPIC.into(), partitions, config: TopicConfig::default() }).unwrap();
    sim
}

fn rate(n: usize, elapsed: Duration) -> f64 {
    n as f64 / elapsed.as_secs_f64()
}

fn bare_hash_and_append(n: usize) {
    let keys = keys(10_000);
    let config = TopicConfig::default();
    let mut logs: Vec<PartitionLog> = (0..3).map(PartitionLog::new).collect();
    let value = b"{\"price\":1129}".to_vec();
    let start = Instant::now();
    for i in 0..n {
        let key = &keys[i % keys.len()];
        let p = java_partition(key, 3) as usize;
        let record = Record {
            partition: 0,
            offset: 0,
            timestamp_ms: i as u64,
            timestamp_type: TimestampType::CreateTime,
            key: Some(bytes::Bytes::copy_from_slice(key)),
            value: Some(bytes::Bytes::copy_from_slice(&value)),
            headers: Vec::new(),
            sequence: None,
        };
        logs[p].append(record, &config, i as u64);
    }
    let elapsed = start.elapsed();
    let total: usize = logs.iter().map(PartitionLog::len).sum();
    println!("bench produce (murmur2 + append, bare log): {n} records in {elapsed:.2?} = {:.2} M records/s (stored {total})", rate(n, elapsed) / 1e6);
}

/// The produce figure compared with wasm (`tests/browser_bench.rs` runs the same rounds): each
/// round is a fresh simulation taking `n` keyed requests; the median round is the figure, so one
/// round slowed by the other core's work does not decide the ratio.
fn produce_through_apply(rounds: usize, n: usize) {
    let keys = keys(10_000);
    let mut rates = Vec::with_capacity(rounds);
    let mut events = 0;
    for _ in 0..rounds {
        let mut sim = topic_sim(3);
        let requests: Vec<Command> = (0..n).map(|i| keyed_produce(&keys, i)).collect();
        let start = Instant::now();
        events = 0;
        for command in requests {
            events += sim.apply(command).unwrap().len();
        }
        rates.push(rate(n, start.elapsed()) / 1e6);
    }
    let (median, all) = median_and_list(&mut rates);
    println!("bench produce (Simulation::apply, with events): median of {rounds} rounds of {n} records = {median:.2} M records/s ({events} events a round; rounds {all})");
}

/// The median of `rates` and all of them in run order, for a line that shows the spread.
fn median_and_list(rates: &mut [f64]) -> (f64, String) {
    let all = rates.iter().map(|r| format!("{r:.2}")).collect::<Vec<_>>().join(" ");
    rates.sort_by(f64::total_cmp);
    (rates[rates.len() / 2], all)
}

/// `n` keyed acks=all records with one tick (followers fetch, the HW moves, acknowledgements
/// arrive) per 1,000 records, on a 3-partition topic with `replication_factor` replicas.
fn produce_replicated(n: usize, replication_factor: u32) -> f64 {
    let keys = keys(10_000);
    let mut sim = Simulation::new(SimConfig::default());
    let config = TopicConfig { replication_factor: Some(replication_factor), min_insync_replicas: replication_factor.min(2), ..TopicConfig::default() };
    sim.apply(Command::CreateTopic { name: TOPIC.into(), partitions: 3, config }).unwrap();
    let requests: Vec<Command> = (0..n).map(|i| keyed_produce(&keys, i)).collect();
    let start = Instant::now();
    let (mut events, mut acknowledged) = (0, 0);
    for (i, command) in requests.into_iter().enumerate() {
        let produced = sim.apply(command).unwrap();
        events += produced.len();
        acknowledged += produced.iter().filter(|e| matches!(e, Event::Acknowledged { .. })).count();
        if i % 1_000 == 999 {
            let ticked = sim.step();
            events += ticked.len();
            acknowledged += ticked.iter().filter(|e| matches!(e, Event::Acknowledged { .. })).count();
        }
    }
    let elapsed = start.elapsed();
    let per_sec = rate(n, elapsed);
    let hw: u64 = (0..3).map(|p| sim.log(TOPIC, p).unwrap().high_watermark()).sum();
    println!(
        "bench produce RF {replication_factor} (acks=all, a tick per 1,000 records): {n} records in {elapsed:.2?} = {:.2} M records/s ({events} events, {acknowledged} acknowledged, HW sum {hw})",
        per_sec / 1e6
    );
    per_sec
}

fn replication_throughput(n: usize) {
    let rf1 = produce_replicated(n, 1);
    let rf3 = produce_replicated(n, 3);
    let verdict = if rf3 * 2.0 >= rf1 { "at least half: ok" } else { "BELOW HALF" };
    println!("bench produce RF 3 / RF 1 = {:.2} ({verdict})", rf3 / rf1);
}

fn memory_per_record(n: usize) {
    let keys = keys(10_000);
    let mut sim = topic_sim(3);
    let payload = 36 + 14;
    let before = LIVE.load(Ordering::Relaxed);
    for i in 0..n {
        // Each request's key is a fresh allocation, as a real producer's would be.
        sim.apply(keyed_produce(&keys, i)).unwrap();
    }
    let after = LIVE.load(Ordering::Relaxed);
    let per = (after - before) as f64 / n as f64;
    println!("bench memory: {per:.1} bytes per retained record ({payload} bytes of key + value), {n} records");
    drop(sim);
}

fn seek_in_history(steps: usize) {
    let mut history = History::new(SimConfig::default());
    history.apply(Command::CreateTopic { name: TOPIC.into(), partitions: 3, config: TopicConfig::default() }).unwrap();
    let config = GroupConfig { auto_offset_reset: OffsetReset::Earliest, commit_mode: CommitMode::ProcessThenCommit, ..GroupConfig::default() };
    history.apply(Command::CreateGroup { group: "sms".into(), config }).unwrap();
    for i in 0..2 {
        history
            .apply(Command::AddConsumer { group: "sms".into(), client_id: format!("sms-{i}"), group_instance_id: None, topics: vec![TOPIC.into()] })
            .unwrap();
    }
    let keys = keys(1_000);
    let build = Instant::now();
    // The history folds its oldest steps away past MAX_STEPS, so count the commands applied
    // rather than waiting for `len()` to reach `steps` (it never would).
    for i in 0..steps {
        let command = if i % 4 == 0 {
            Command::Tick
        } else {
            keyed_produce(&keys, i)
        };
        history.apply(command).unwrap();
    }
    let built = build.elapsed();
    let kept = history.len();
    let mut rng = oorandom_like(7);
    let mut worst = Duration::ZERO;
    let mut total = Duration::ZERO;
    let seeks = 200;
    for _ in 0..seeks {
        let target = (rng() % kept as u64) as usize;
        let start = Instant::now();
        history.seek(target);
        let took = start.elapsed();
        worst = worst.max(took);
        total += took;
    }
    let start = Instant::now();
    history.seek(kept);
    history.step_back();
    let back = start.elapsed();
    println!(
        "bench seek: {steps} commands applied in {built:.2?} ({kept} steps kept, {} folded away); {seeks} random seeks: mean {:.3?}, worst {worst:.3?}; step back at the end {back:.3?}",
        history.folded(),
        total / seeks
    );
}

/// A tiny xorshift for picking seek targets (the bench's own randomness, not the engine's).
fn oorandom_like(mut state: u64) -> impl FnMut() -> u64 {
    move || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state
    }
}

fn main() {
    // `cargo bench` passes --bench; a quick mode for `cargo test --benches` is not needed.
    bare_hash_and_append(5_000_000);
    produce_through_apply(5, 500_000);
    replication_throughput(2_000_000);
    memory_per_record(1_000_000);
    seek_in_history(100_000);
}
