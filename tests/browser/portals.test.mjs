// portals.test.mjs - the agency portal and the customer portal in Debian's
// Chromium (playwright-core) with axe-core.  Run by
// tests/t/t5050-portals-browser.sh, which starts `docket serve` over a
// prepared database and passes:
//   BASE_URL   the server
//   OUTBOX     the outbox folder, where the one-time links arrive
//   REG_LINK   an officer's registration link (asked for by the script)
//   OFFICER    that officer's e-mail address
//   CUSTOMER   a customer's contact address with a sent notice
//   PDF        a PDF file to upload
//   ARTIFACTS  where the screenshots go
// Prints one line per check and exits 1 when any failed.
import { chromium } from 'playwright-core';
import { createHmac } from 'node:crypto';
import { readFileSync, readdirSync, statSync, mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const AXE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
const BASE = process.env.BASE_URL;
const ART = process.env.ARTIFACTS;
mkdirSync(ART, { recursive: true });
const PASSWORD = 'officer-passphrase-in-the-browser';

let n = 0, failed = 0;
function check(cond, what, why = '') {
  n++;
  if (cond) console.log(`ok ${n} - ${what}`);
  else { failed++; console.log(`not ok ${n} - ${what}${why ? ': ' + why : ''}`); }
}

function totp(uri) {
  const secret = new URL(uri).searchParams.get('secret');
  const alpha = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  let bits = '';
  for (const c of secret.replace(/=+$/, '')) bits += alpha.indexOf(c).toString(2).padStart(5, '0');
  const key = Buffer.from(bits.match(/.{8}/g).map((b) => parseInt(b, 2)));
  const msg = Buffer.alloc(8);
  msg.writeBigUInt64BE(BigInt(Math.floor(Date.now() / 1000 / 30)));
  const h = createHmac('sha1', key).update(msg).digest();
  const o = h[h.length - 1] & 15;
  return String((h.readUInt32BE(o) & 0x7fffffff) % 1000000).padStart(6, '0');
}

// The link in the newest outbox message whose name starts with prefix
// (quoted-printable: soft line breaks and =3D undone).
function newestLink(prefix) {
  const files = readdirSync(process.env.OUTBOX).filter((f) => f.startsWith(prefix))
    .map((f) => `${process.env.OUTBOX}/${f}`)
    .sort((a, b) => statSync(b).mtimeMs - statSync(a).mtimeMs);
  if (!files.length) return null;
  const text = readFileSync(files[0], 'latin1').replace(/=\r?\n/g, '').replace(/=3D/g, '=');
  const m = /https?:\/\/\S+token=[A-Za-z0-9_-]+/.exec(text);
  return m ? m[0] : null;
}

async function audit(page, name) {
  await page.screenshot({ path: `${ART}/${name}.png`, fullPage: true });
  await page.evaluate(AXE);
  const res = await page.evaluate(async () => {
    const r = await window.axe.run(document, { resultTypes: ['violations'] });
    return r.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical')
      .map((v) => `${v.id} (${v.impact}): ${v.nodes.map((x) => x.target.join(' ')).join(', ')}`);
  });
  check(res.length === 0, `axe: no serious or critical violation on ${name}`, res.join('; '));
  const size = page.viewportSize();
  await page.setViewportSize({ width: 360, height: 740 });
  const over = await page.evaluate(() =>
    document.documentElement.scrollWidth - document.documentElement.clientWidth);
  check(over <= 0, `${name} does not scroll sideways at 360 px`, `${over} px too wide`);
  await page.setViewportSize(size);
}

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-quic',
    '--no-first-run', '--disable-background-networking', '--disable-component-update',
    '--disable-sync'],
});
const errors = [];
async function newPage() {
  const ctx = await browser.newContext({ viewport: { width: 1200, height: 900 } });
  const page = await ctx.newPage();
  page.on('console', (m) => {
    if (m.type() === 'error' && !/404 \(Not Found\)/.test(m.text())) errors.push(m.text());
  });
  // a missing resource, by its address (the browser asks for /favicon.ico)
  page.on('response', (r) => {
    if (r.status() === 404 && !r.url().endsWith('/favicon.ico')) errors.push(`404 ${r.url()}`);
  });
  return page;
}

try {
  // --- an officer registers from the mailed link, signs in, submits a PDF ---
  const op = await newPage();
  await op.goto(process.env.REG_LINK);
  await audit(op, 'agency-register');
  await op.fill('#name', 'Det. Browser');
  await op.fill('#password', PASSWORD);
  await Promise.all([op.waitForLoadState(), op.click('main button[type=submit]')]);
  const uri = (await op.textContent('code.secret') || '').trim();
  check(uri.startsWith('otpauth://totp/'), 'the registration shows the authenticator URI once', uri);
  await op.goto(BASE + '/signin');
  await op.fill('#user', process.env.OFFICER);
  await op.fill('#password', PASSWORD);
  await Promise.all([op.waitForLoadState(), op.click('button[type=submit]')]);
  await op.fill('#code', totp(uri));
  await Promise.all([op.waitForLoadState(), op.click('main button[type=submit]')]);
  check(new URL(op.url()).pathname === '/agency/', 'the officer lands on the agency portal', op.url());
  await audit(op, 'agency-home');
  await op.click('a[href="/agency/new"] >> nth=-1');
  await op.waitForLoadState();
  await audit(op, 'agency-new');
  await op.fill('#ref', 'BROWSER-1');
  await op.selectOption('#kind', 'criminal');
  await op.selectOption('#process', 'search_warrant');
  await op.fill('#issuer', 'Superior Court');
  await op.check('#signed');
  await op.fill('#targets', 'email:alice@example.net');
  await op.check('input[name=categories][value=subscriber]');
  await op.setInputFiles('#documents', process.env.PDF);
  await Promise.all([op.waitForLoadState(), op.click('main form button[type=submit]')]);
  check(/^\/agency\/requests\/\d+$/.test(new URL(op.url()).pathname),
    'the form with its PDF submits the request', op.url());
  check((await op.textContent('h1')).includes('BROWSER-1'), 'its page names it');
  await audit(op, 'agency-request');

  // --- a customer signs in from the link in the outbox and checks the proof ---
  const cp = await newPage();
  await cp.goto(BASE + '/my/sign-in');
  await audit(cp, 'my-sign-in');
  await cp.fill('#email', process.env.CUSTOMER);
  await Promise.all([cp.waitForLoadState(), cp.click('main button[type=submit]')]);
  check((await cp.textContent('main')).includes('on its way'), 'the link is on its way');
  const link = newestLink('my-link');
  check(!!link, 'the sign-in link is in the outbox', link);
  await cp.goto(link);
  check((await cp.textContent('main')).includes('signed in'), 'the link signs the customer in');
  await Promise.all([cp.waitForLoadState(), cp.click('main a[href="/my/"]')]);
  await audit(cp, 'my-requests');
  await Promise.all([cp.waitForLoadState(), cp.click('main a[href^="/my/requests/"] >> nth=0')]);
  await audit(cp, 'my-request');
  const button = cp.locator('#proof-check button');
  check(await button.count() === 1, 'the page offers to check the proof');
  await button.click();
  // polled from here: the page's CSP allows no evaluated script
  let status = '';
  for (let i = 0; i < 150 && !/^(Verified|Not verified)/.test(status); i++) {
    await new Promise((r) => setTimeout(r, 100));
    status = (await cp.textContent('#proof-check [role=status]')) || '';
  }
  check(status.startsWith('Verified'), 'the proof is verified in the page', status);
  await cp.screenshot({ path: `${ART}/my-request-verified.png`, fullPage: true });
} catch (e) {
  check(false, 'the run completes', e.stack || String(e));
} finally {
  await browser.close();
}
check(errors.length === 0, 'no console errors (CSP included)', errors.join('; '));
console.log(`1..${n}`);
process.exit(failed ? 1 : 0);
