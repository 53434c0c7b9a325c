// The Content-Security-Policy the app must run under: no inline scripts or styles, wasm allowed,
// and no frame-ancestors, so the page can still be embedded in slides.
export const CSP = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; object-src 'none'; base-uri 'none'";
