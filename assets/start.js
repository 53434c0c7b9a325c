// Starts the app without an inline script, so the page runs under a strict
// Content-Security-Policy (script-src 'self' 'wasm-unsafe-eval'). Trunk writes the hashed names
// of the wasm-bindgen glue and the wasm module into this tag's data attributes (Trunk.toml,
// pattern_script). The module's memory is left on `globalThis.kafkascopeMemory` so that a long
// run can be measured (scripts/soak.sh).
const tag = document.querySelector('script[data-kafkascope-js]');
const { default: init } = await import(tag.dataset.kafkascopeJs);
const wasm = await init({ module_or_path: tag.dataset.kafkascopeWasm });
globalThis.kafkascopeMemory = wasm.memory;
