//! Kafkascope: an in-browser teaching visualizer for Apache Kafka.
//!
//! The engine (`kafkascope-engine`) simulates Kafka; this crate is the thin shell that sends it
//! commands and draws what it reports. One reactive handle to the simulation ([`state::SimHandle`])
//! is provided through context; components under [`ui`] read narrow views of it.

pub mod credit;
pub mod format;
pub mod persist;
pub mod route;
pub mod scene;
pub mod state;
pub mod ui;

pub use ui::app::App;
