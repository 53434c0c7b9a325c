//! Addresses of states: what the URL fragment says and how it is written.
//!
//! - `#/lesson/<slug>/<step>`: a lesson at a step. Each step of a lesson has its own address, so
//!   the browser's Back and Forward walk the steps and a reload lands on the same step.
//! - `#/s/<payload>`: a whole timeline and its cursor, compressed (the engine's link format), so
//!   a link restores the exact state on another machine.
//!
//! Parsing never fails loudly: a fragment that is none of these is [`Route::Unknown`], a lesson
//! step that is not a number is [`Route::BadStep`], and the page says so in a sentence; a link
//! whose payload is bad is refused later, by the engine, with a sentence.

/// What a URL fragment asks for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Route {
    Lesson { slug: String, step: usize },
    /// A lesson with a step that is not a step number ("four", "-1", "1/extra").
    BadStep { slug: String, step: String },
    Link(String),
    /// Some other fragment, kept to be quoted.
    Unknown(String),
    /// No fragment.
    None,
}

/// Reads a fragment such as `#/lesson/key-ordering/4` (with or without the `#`).
pub fn parse(fragment: &str) -> Route {
    let path = fragment.strip_prefix('#').unwrap_or(fragment);
    if path.is_empty() {
        return Route::None;
    }
    if let Some(payload) = path.strip_prefix("/s/") {
        return Route::Link(payload.to_string());
    }
    let Some(rest) = path.strip_prefix("/lesson/") else { return Route::Unknown(format!("#{path}")) };
    // No step, or a trailing slash, is the lesson's start.
    let (slug, step) = rest.split_once('/').unwrap_or((rest, ""));
    let step = if step.is_empty() { "0" } else { step };
    let slug = slug.to_string();
    // Digits past usize (a step beyond any lesson) go to the lesson's last step, as 999 does.
    match crate::format::whole_number(step, usize::MAX) {
        Some(step) => Route::Lesson { slug, step },
        None => Route::BadStep { slug, step: step.to_string() },
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
        assert_eq!(parse("#/lesson/key-ordering/"), Route::Lesson { slug: "key-ordering".into(), step: 0 });
        let bad = |step: &str| Route::BadStep { slug: "key-ordering".into(), step: step.into() };
        for step in ["four", "-1", " 2", "1/extra"] {
            assert_eq!(parse(&format!("#/lesson/key-ordering/{step}")), bad(step), "{step:?}");
        }
        assert_eq!(parse("#/lesson/key-ordering/18446744073709551616"), Route::Lesson { slug: "key-ordering".into(), step: usize::MAX });
        assert_eq!(parse("#/lesson//3"), Route::Lesson { slug: String::new(), step: 3 });
        assert_eq!(parse("#/s/abc-_"), Route::Link("abc-_".into()));
        assert_eq!(parse("#/s/"), Route::Link(String::new()));
        assert_eq!(parse(""), Route::None);
        assert_eq!(parse("#"), Route::None);
        assert_eq!(parse("#top"), Route::Unknown("#top".into()));
        assert_eq!(parse("#/foo"), Route::Unknown("#/foo".into()));
        assert_eq!(parse(&lesson("fan-out", 7)), Route::Lesson { slug: "fan-out".into(), step: 7 });
        assert_eq!(parse(&link("xyz")), Route::Link("xyz".into()));
    }
}
