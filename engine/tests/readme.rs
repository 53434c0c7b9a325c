//! The README's list of simplifications is the engine's list, item for item, in order: what the
//! screen says and what the README promises cannot drift apart.

use kafkascope_engine::Simplification;

#[test]
fn the_readme_lists_every_simplification_the_screen_shows() {
    let readme = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../README.md")).expect("README.md");
    let section = readme.split("## What the simulation simplifies").nth(1).expect("the README has the section");
    let section = section.split("\n## ").next().unwrap_or(section);
    let items: Vec<&str> = section.lines().filter_map(|l| l.strip_prefix("- ")).collect();
    let sentences: Vec<&str> = Simplification::ALL.iter().map(|s| s.sentence()).collect();
    assert_eq!(items, sentences);
}
