//! The engine is a functional core: its dependency tree must not contain any web crate.
//! (helix's architecture notes: the boundary nothing enforced is the one that wore away.)

use std::process::Command;

const FORBIDDEN: [&str; 4] = ["leptos", "web-sys", "js-sys", "wasm-bindgen"];

/// `cargo tree` of one workspace package: its normal and build dependencies on every target.
fn tree_of(package: &str) -> String {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let output = Command::new(cargo)
        .args(["tree", "--locked", "-p", package, "-e", "normal,build", "--prefix", "none", "--target", "all"])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .expect("cargo tree runs");
    assert!(output.status.success(), "cargo tree failed: {}", String::from_utf8_lossy(&output.stderr));
    String::from_utf8(output.stdout).unwrap()
}

#[test]
fn engine_dependency_tree_has_no_web_crates() {
    let tree = tree_of("kafkascope-engine");
    let crates: Vec<&str> = tree.lines().filter_map(|l| l.split_whitespace().next()).collect();
    assert!(crates.contains(&"kafkascope-engine"), "the tree lists the engine itself:\n{tree}");
    assert!(crates.contains(&"imbl"), "the tree lists real dependencies:\n{tree}");
    for name in FORBIDDEN {
        assert!(!crates.contains(&name), "engine depends on {name}:\n{tree}");
    }
}

#[test]
fn the_app_tree_does_contain_leptos_so_the_check_can_see_web_crates() {
    let tree = tree_of("kafkascope");
    assert!(tree.lines().any(|l| l.starts_with("leptos ")), "{tree}");
}
