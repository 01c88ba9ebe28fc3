// toolgrade's offline preload for Node servers under a contract run (loaded with
// NODE_OPTIONS=--require=...). It keeps every request on this machine:
//  - a request to an official API base (TOOLGRADE_REDIRECTS, e.g. https://api.portkey.ai/v1)
//    is sent to the mock instead, so servers that hardcode the real host stay testable;
//  - a request to loopback passes;
//  - any other request is refused before it leaves, and reported to the mock's control
//    endpoint, so the run can mark the tool "not testable offline" with the address.
'use strict';

const origin = process.env.TOOLGRADE_MOCK_ORIGIN || '';
let redirects = {};
try {
  redirects = JSON.parse(process.env.TOOLGRADE_REDIRECTS || '{}');
} catch (_) {
  redirects = {};
}
const LOOPBACK = new Set(['127.0.0.1', 'localhost', '::1', '[::1]']);
const realFetch = globalThis.fetch;

function urlOf(input) {
  if (typeof input === 'string') return input;
  if (input instanceof URL) return input.href;
  return input && input.url ? input.url : String(input);
}

function redirected(url) {
  for (const [from, to] of Object.entries(redirects)) {
    if (url === from || url.startsWith(from + '/') || url.startsWith(from + '?')) {
      return to + url.slice(from.length);
    }
  }
  return null;
}

function isLoopback(url) {
  try {
    return LOOPBACK.has(new URL(url).hostname);
  } catch (_) {
    return false;
  }
}

async function reportBlocked(url) {
  if (!origin) return;
  try {
    await realFetch(origin + '/__toolgrade/egress', { method: 'POST', body: url });
  } catch (_) {
    // the run reports what it can; a lost report must not crash the server
  }
}

if (typeof realFetch === 'function') {
  globalThis.fetch = async function toolgradeFetch(input, init) {
    const url = urlOf(input);
    const target = redirected(url);
    if (target !== null) {
      if (typeof Request !== 'undefined' && input instanceof Request) {
        return realFetch(new Request(target, input), init);
      }
      return realFetch(target, init);
    }
    if (isLoopback(url)) return realFetch(input, init);
    await reportBlocked(url);
    throw new TypeError(`toolgrade blocked a request to ${url}: contract runs never leave this machine`);
  };
}

for (const name of ['http', 'https']) {
  const mod = require(name);
  for (const method of ['request', 'get']) {
    const real = mod[method];
    mod[method] = function toolgradeRequest(...args) {
      const first = args[0];
      const host = typeof first === 'string' || first instanceof URL
        ? new URL(String(first)).hostname
        : (first && (first.hostname || first.host)) || 'localhost';
      if (!LOOPBACK.has(String(host).replace(/:\d+$/, ''))) {
        const shown = typeof first === 'string' || first instanceof URL ? String(first) : `${name}://${host}`;
        reportBlocked(shown);
        throw new Error(`toolgrade blocked a request to ${shown}: contract runs never leave this machine`);
      }
      return real.apply(this, args);
    };
  }
}
