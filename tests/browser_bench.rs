//! Benchmarks in the browser (headless Chromium, wasm-bindgen-test). They print numbers and
//! assert only that the work was done; the test command prints the wasm/native ratio from them.
//!
//! - Engine speed in wasm: the same produce workload as the native `cargo bench`
//!   (`Simulation::apply` with events, 10,000 distinct keys, 3 partitions; five rounds of 500,000
//!   records on a fresh simulation each, the median round compared). The first round in wasm also
//!   grows linear memory, so it is the slow one; every round is printed.
//! - A million records held: produce, step back and step forward, each with the page re-rendered,
//!   and the memory (wasm linear memory plus the JS heap). Lanes draw only a window of offsets,
//!   so the cost of a step does not grow with the log.
#![cfg(target_arch = "wasm32")]

use gloo_timers::future::TimeoutFuture;
use kafkascope::state::SimHandle;
use kafkascope::ui::app::Shell;
use kafkascope_engine::{Bytes, Command, Event, History, ProduceRequest, SimConfig, Simulation, TopicConfig};
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

const TOPIC: &str = "product-created-events-topic";
const RECORDS: u64 = 1_000_000;

fn now_ms() -> f64 {
    web_sys::window().unwrap().performance().unwrap().now()
}

fn topic_sim() -> Simulation {
    let mut sim = Simulation::new(SimConfig::default());
    sim.apply(Command::CreateTopic { name: TOPIC.into(), partitions: 3, config: TopicConfig::default() }).unwrap();
    sim
}

/// The same rounds as the native `produce_through_apply` bench: a fresh simulation per round,
/// `N` keyed requests each, the median round printed with all of them.
#[wasm_bindgen_test]
fn produce_throughput_in_wasm() {
    const ROUNDS: usize = 5;
    const N: usize = 500_000;
    let keys: Vec<Vec<u8>> = (0..10_000).map(|i| format!("{:08x}-6aac-4da5-bd17-ca1caeb91461", i).into_bytes()).collect();
    let mut rates = Vec::with_capacity(ROUNDS);
    let mut events = 0;
    for _ in 0..ROUNDS {
        let mut sim = topic_sim();
        let requests: Vec<Command> = (0..N)
            .map(|i| {
                let mut r = ProduceRequest::new("p", TOPIC, None, "{\"price\":1129}");
                r.key = Some(Bytes::copy_from_slice(&keys[i % keys.len()]));
                Command::Produce(r)
            })
            .collect();
        let start = now_ms();
        let mut produced = 0;
        events = 0;
        for command in requests {
            let out = sim.apply(command).unwrap();
            produced += out.iter().filter(|e| matches!(e, Event::Produced { .. })).count();
            events += out.len();
        }
        rates.push(N as f64 / ((now_ms() - start) / 1000.0) / 1e6);
        assert_eq!(produced, N, "every request appended one record");
    }
    let all = rates.iter().map(|r| format!("{r:.2}")).collect::<Vec<_>>().join(" ");
    rates.sort_by(f64::total_cmp);
    wasm_bindgen_test::console_log!(
        "bench wasm produce (Simulation::apply, with events): median of {ROUNDS} rounds of {N} records = {:.2} M records/s ({events} events a round; rounds {all})",
        rates[ROUNDS / 2]
    );
}

fn memory_mb() -> (f64, f64) {
    let wasm = wasm_bindgen::memory().unchecked_into::<js_sys::WebAssembly::Memory>().buffer().unchecked_into::<js_sys::ArrayBuffer>().byte_length() as f64;
    let performance = web_sys::window().unwrap().performance().unwrap();
    let js = js_sys::Reflect::get(&performance, &"memory".into())
        .and_then(|m| js_sys::Reflect::get(&m, &"usedJSHeapSize".into()))
        .ok()
        .and_then(|v| v.as_f64())
        .unwrap_or(0.0);
    (wasm / 1e6, js / 1e6)
}

async fn timed(steps: u32, mut act: impl FnMut(u32)) -> f64 {
    let start = now_ms();
    for i in 0..steps {
        act(i);
        TimeoutFuture::new(0).await;
    }
    (now_ms() - start) / f64::from(steps)
}

#[wasm_bindgen_test]
async fn a_million_records_held() {
    let build = now_ms();
    let mut sim = topic_sim();
    for i in 0..RECORDS {
        let mut r = ProduceRequest::new("p", TOPIC, None, "v");
        r.partition = Some((i % 3) as u32);
        r.key = Some(Bytes::from(format!("user-{i}")));
        sim.apply(Command::Produce(r)).unwrap();
    }
    let built = now_ms() - build;
    let handle = SimHandle::from_history(History::starting_from(sim));
    let document = web_sys::window().unwrap().document().unwrap();
    let container: web_sys::HtmlElement = document.create_element("div").unwrap().unchecked_into();
    document.body().unwrap().append_child(&container).unwrap();
    let mount = now_ms();
    leptos::mount::mount_to(container.clone(), move || leptos::view! { <Shell sim=handle/> }).forget();
    TimeoutFuture::new(0).await;
    let mounted = now_ms() - mount;
    let cells = container.query_selector_all(".cells li").unwrap().length();
    assert!(cells > 0 && cells < 100, "only a window of cells is drawn, got {cells}");
    let steps = 20;
    let produce = timed(steps, |i| {
        let mut r = ProduceRequest::new("p", TOPIC, Some(&format!("k{i}")), "v");
        r.partition = Some(0);
        handle.apply(Command::Produce(r)).unwrap();
    })
    .await;
    let back = timed(steps, |_| handle.step_back()).await;
    let forward = timed(steps, |_| handle.step_forward()).await;
    let last = container.query_selector("[aria-label='Partition 0 of product-created-events-topic'] li:last-child").unwrap().unwrap();
    assert_eq!(last.get_attribute("aria-label").unwrap(), format!("Offset {}, key k{}", RECORDS / 3 + 1 + u64::from(steps) - 1, steps - 1));
    let (wasm_mb, js_mb) = memory_mb();
    wasm_bindgen_test::console_log!(
        "bench million: {RECORDS} records built in {built:.0} ms; page mounted in {mounted:.0} ms with {cells} cells drawn; \
         produce + render {produce:.1} ms/step; step back + render {back:.1} ms/step; step forward + render {forward:.1} ms/step; \
         memory {wasm_mb:.0} MB wasm + {js_mb:.0} MB JS heap = {:.0} MB",
        wasm_mb + js_mb
    );
    container.remove();
}
