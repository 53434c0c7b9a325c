// Serves ../dist (what `trunk build --release` made) on 127.0.0.1, so the tests see exactly what
// ships: no live-reload script, no dev server. Every response carries the strict
// Content-Security-Policy the app must run under (no inline scripts or styles); framing stays
// allowed so the page can be embedded in slides. /test-pages/ serves the tests' own pages (a slide
// deck that embeds the app), without the app's policy. Usage: node serve-dist.mjs PORT
import { createServer } from 'node:http';
import { readFile } from 'node:fs/promises';
import { extname, join, normalize, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

import { CSP } from './csp.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const dist = join(here, '..', 'dist');
const port = Number(process.argv[2] || 8081);
const types = { '.html': 'text/html', '.js': 'text/javascript', '.wasm': 'application/wasm', '.css': 'text/css', '.svg': 'image/svg+xml', '.json': 'application/json' };

createServer(async (req, res) => {
  const path = normalize(decodeURIComponent(new URL(req.url, 'http://x').pathname)).replace(/^(\.\.[/\\])+/, '');
  const testPage = path.startsWith('/test-pages/');
  const file = testPage ? join(here, path) : join(dist, path.endsWith('/') ? join(path, 'index.html') : path);
  try {
    const body = await readFile(file);
    const headers = { 'content-type': types[extname(file)] || 'application/octet-stream' };
    if (!testPage) headers['content-security-policy'] = CSP;
    res.writeHead(200, headers);
    res.end(body);
  } catch {
    res.writeHead(404, { 'content-type': 'text/plain', 'content-security-policy': CSP });
    res.end('not found');
  }
}).listen(port, '127.0.0.1', () => console.log(`serving ${dist} on http://127.0.0.1:${port}`));
