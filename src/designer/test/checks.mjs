// What the browser scripts share: named checks that count passes and failures, an exact comparison, and where
// Debian's Chromium is.
import { existsSync } from 'node:fs';
import path from 'node:path';

let passed = 0;
let failed = 0;

/** Runs one named check; prints "ok - name" or "not ok - name" with the failure. True when it passed. */
export async function check(name, body) {
  try {
    await body();
    passed++;
    console.log(`ok - ${name}`);
    return true;
  } catch (e) {
    failed++;
    console.log(`not ok - ${name}\n  ${String(e.stack ?? e).split('\n').join('\n  ')}`);
    return false;
  }
}

/** Throws unless both are the same JSON. */
export function expect(actual, expected, what) {
  const a = JSON.stringify(actual);
  const b = JSON.stringify(expected);
  if (a !== b) throw new Error(`${what}: expected ${b}, but got ${a}`);
}

/** Prints "N passed, N failed" and exits 1 when a check failed. */
export function finish() {
  console.log(`${passed} passed, ${failed} failed`);
  process.exit(failed === 0 ? 0 : 1);
}

export function chromiumPath() {
  if (process.env.CHROMIUM) return process.env.CHROMIUM;
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    for (const name of ['chromium', 'chromium-browser']) {
      if (existsSync(path.join(dir, name))) return path.join(dir, name);
    }
  }
  throw new Error('Expected Debian\'s chromium on the PATH (.ci/run installs it)');
}

/**
 * Debian's Chromium, headless, with one page the size of a designer's screen; errors thrown in the page are
 * collected in pageErrors for the scripts' last check.
 */
export async function openDesignerPage() {
  const { chromium } = await import('playwright-core');
  const browser = await chromium.launch({ executablePath: chromiumPath(), args: ['--no-sandbox'] });
  const page = await browser.newPage({ viewport: { width: 1680, height: 960 } });
  const pageErrors = [];
  page.on('pageerror', (e) => pageErrors.push(e.message));
  page.setDefaultTimeout(20000);
  return { browser, page, pageErrors };
}
