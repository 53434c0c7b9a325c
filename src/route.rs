//! Addresses of states: what the URL fragment says and how it is written.
//!
//! - `#/lesson/<slug>/<step>`: a lesson at a step. Each step of a lesson has its own address, so
//!   the browser's Back and Forward walk the steps and a reload lands on the same step.
//! - `#/s/<payload>`: a whole timeline and its cursor, compressed (the engine's link format), so
//!   a link restores the exact state on another machine.
//!
//! Parsing never fails loudly: anything else is [`Route::None`], and a link whose payload is bad
//! is refused later, by the engine, with a sentence.

/// What a URL fragment asks for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Route {
    Lesson { slug: String, step: usize },
    Link(String),
    None,
}

/// Reads a fragment such as `#/lesson/key-ordering/4` (with or without the `#`).
pub fn parse(fragment: &str) -> Route {
    let path = fragment.strip_prefix('#').unwrap_or(fragment);
    if let Some(payload) = path.strip_prefix("/s/") {
        return Route::Link(payload.to_string());
    }
    let Some(rest) = path.strip_prefix("/lesson/") else { return Route::None };
    let mut parts = rest.splitn(2, '/');
    let slug = parts.next().unwrap_or_default().to_string();
    let step = parts.next().map_or(Some(0), |s| s.parse().ok());
    match step {
        Some(step) if !slug.is_empty() => Route::Lesson { slug, step },
        _ => Route::None,
    }
}

/// The fragment of a lesson at a step.
pub fn lesson(slug: &str, step: usize) -> String {
    format!("#/lesson/{slug}/{step}")
}

/// The fragment of a shared timeline.
pub fn link(payload: &str) -> String {
    format!("#/s/{payload}")
}

#[cfg(test)]
mod tests {
    use super::*;
    use wasm_bindgen_test::wasm_bindgen_test;

    #[wasm_bindgen_test]
    fn reads_lessons_links_and_nothing_else() {
        assert_eq!(parse("#/lesson/key-ordering/4"), Route::Lesson { slug: "key-ordering".into(), step: 4 });
        assert_eq!(parse("/lesson/key-ordering"), Route::Lesson { slug: "key-ordering".into(), step: 0 });
        assert_eq!(parse("#/lesson/key-ordering/four"), Route::None);
        assert_eq!(parse("#/lesson//3"), Route::None);
        assert_eq!(parse("#/s/abc-_"), Route::Link("abc-_".into()));
        assert_eq!(parse("#/s/"), Route::Link(String::new()));
        assert_eq!(parse(""), Route::None);
        assert_eq!(parse("#top"), Route::None);
        assert_eq!(parse(&lesson("fan-out", 7)), Route::Lesson { slug: "fan-out".into(), step: 7 });
        assert_eq!(parse(&link("xyz")), Route::Link("xyz".into()));
    }
}
