//! Benchmark in the browser: stepping stays fast with 100,000 records per partition, because
//! lanes draw only a window of offsets. Prints numbers; asserts only that the work was done.
#![cfg(target_arch = "wasm32")]

use gloo_timers::future::TimeoutFuture;
use kafkascope::state::SimHandle;
use kafkascope::ui::app::Shell;
use kafkascope_engine::{Bytes, Command, History, ProduceRequest, SimConfig, Simulation, TopicConfig};
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

const TOPIC: &str = "product-created-events-topic";
const PER_PARTITION: u64 = 100_000;

fn now_ms() -> f64 {
    web_sys::window().unwrap().performance().unwrap().now()
}

#[wasm_bindgen_test]
async fn stepping_with_100k_records_per_partition() {
    let build = now_ms();
    let mut sim = Simulation::new(SimConfig::default());
    sim.apply(Command::CreateTopic { name: TOPIC.into(), partitions: 3, config: TopicConfig::default() }).unwrap();
    for i in 0..3 * PER_PARTITION {
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
    let start = now_ms();
    for i in 0..steps {
        let mut r = ProduceRequest::new("p", TOPIC, Some(&format!("k{i}")), "v");
        r.partition = Some(0);
        handle.apply(Command::Produce(r)).unwrap();
        TimeoutFuture::new(0).await;
    }
    let produce_steps = (now_ms() - start) / f64::from(steps);
    let start = now_ms();
    for _ in 0..steps {
        handle.step_back();
        TimeoutFuture::new(0).await;
    }
    let back_steps = (now_ms() - start) / f64::from(steps);
    let leo = container.query_selector("[aria-label='Partition 0 of product-created-events-topic'] li:last-child").unwrap().unwrap();
    assert_eq!(leo.get_attribute("aria-label").unwrap(), format!("Offset {}, key user-{}", PER_PARTITION - 1, 3 * PER_PARTITION - 3));
    let report = format!(
        "bench ui: {} records built in {built:.0} ms; page mounted in {mounted:.0} ms with {cells} cells drawn; \
         produce + render {produce_steps:.1} ms/step; step back + render {back_steps:.1} ms/step",
        3 * PER_PARTITION
    );
    wasm_bindgen_test::console_log!("{report}");
    container.remove();
}
