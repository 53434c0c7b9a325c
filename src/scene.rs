//! The default scene: the course's example of a Products microservice publishing
//! `ProductCreatedEvent`s to a topic with three partitions.

use kafkascope_engine::{Command, SimConfig, Simulation, TopicConfig};

/// The topic the course uses.
pub const PRODUCT_TOPIC: &str = "product-created-events-topic";
/// Who produces in the default scene.
pub const PRODUCTS_SERVICE: &str = "products-microservice";

/// The commands that set the default scene up.
pub fn default_scene() -> Vec<Command> {
    vec![Command::CreateTopic { name: PRODUCT_TOPIC.to_string(), partitions: 3, config: TopicConfig::default() }]
}

/// A simulation with `commands` applied; the scene's own commands never fail.
pub fn build(commands: Vec<Command>) -> Simulation {
    let mut sim = Simulation::new(SimConfig::default());
    for command in commands {
        sim.apply(command).expect("scene commands are valid");
    }
    sim
}
