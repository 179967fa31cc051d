// pages.test.mjs - docket's staff pages in Debian's Chromium (playwright-core)
// with axe-core.  Run by tests/t/t4000-pages-browser.sh, which starts
// `docket serve` over a prepared database and passes:
//   BASE_URL      the server
//   USERS_JSON    {"name": {"password": "...", "mfa": "otpauth://..."}}
//   ARTIFACTS     where the screenshots go (in the build tree)
//   QUEUE_ORDER   references the queue must show in this relative order
// Prints one line per check ("ok N - what" / "not ok N - what: why") and
// exits 1 when any failed.
import { chromium } from 'playwright-core';
import { createHash, createHmac } from 'node:crypto';
import { readFileSync, mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const AXE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
const BASE = process.env.BASE_URL;
const USERS = JSON.parse(readFileSync(process.env.USERS_JSON, 'utf8'));
const ART = process.env.ARTIFACTS;
const ORDER = (process.env.QUEUE_ORDER || '').split(',').filter(Boolean);
mkdirSync(ART, { recursive: true });

let n = 0, failed = 0;
function check(cond, what, why = '') {
  n++;
  if (cond) console.log(`ok ${n} - ${what}`);
  else { failed++; console.log(`not ok ${n} - ${what}${why ? ': ' + why : ''}`); }
}

// RFC 6238 with the otpauth:// URI's secret (SHA-1, 6 digits, 30 s).
function totp(uri, offset = 0) {
  const secret = new URL(uri).searchParams.get('secret');
  const alpha = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  let bits = '';
  for (const c of secret.replace(/=+$/, '')) bits += alpha.indexOf(c).toString(2).padStart(5, '0');
  const key = Buffer.from(bits.match(/.{8}/g).map((b) => parseInt(b, 2)));
  const step = Math.floor(Date.now() / 1000 / 30) + offset;
  const msg = Buffer.alloc(8);
  msg.writeBigUInt64BE(BigInt(step));
  const h = createHmac('sha1', key).update(msg).digest();
  const o = h[h.length - 1] & 15;
  return String((h.readUInt32BE(o) & 0x7fffffff) % 1000000).padStart(6, '0');
}

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-quic',
    '--no-first-run', '--disable-background-networking', '--disable-component-update',
    '--disable-sync'],
});

const dialogs = [];
async function newPage() {
  const ctx = await browser.newContext({ viewport: { width: 1200, height: 900 } });
  const page = await ctx.newPage();
  page.on('dialog', async (d) => { dialogs.push(d.message()); await d.dismiss(); });
  return page;
}

async function signIn(page, user) {
  const u = USERS[user];
  await page.goto(BASE + '/signin');
  await page.fill('#user', user);
  await page.fill('#password', u.password);
  await Promise.all([page.waitForLoadState(), page.click('button[type=submit]')]);
  if (await page.$('#code')) {
    await page.fill('#code', totp(u.mfa));
    await Promise.all([page.waitForLoadState(), page.click('main button[type=submit]')]);
  }
  check(new URL(page.url()).pathname === '/queue', `${user} signs in with password and TOTP`,
    page.url());
}

// Every page: a screenshot, axe-core, no sideways scrolling at 360 px.
const seen = new Set();
async function audit(page, name) {
  if (seen.has(name)) return;
  seen.add(name);
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
  await page.screenshot({ path: `${ART}/${name}-360.png`, fullPage: true });
  check(over <= 0, `${name} does not scroll sideways at 360 px`, `${over} px too wide`);
  await page.setViewportSize(size);
}

// Reach the element matching selector with Tab alone and press Enter.
async function keyboardTo(page, selector, what) {
  await page.evaluate(() => document.activeElement && document.activeElement.blur());
  await page.keyboard.press('Tab');
  for (let i = 0; i < 300; i++) {
    const hit = await page.evaluate((s) => document.activeElement &&
      document.activeElement.matches(s), selector);
    if (hit) {
      await Promise.all([page.waitForNavigation(), page.keyboard.press('Enter')]);
      check(true, `keyboard reaches ${what}`);
      return true;
    }
    await page.keyboard.press('Tab');
  }
  check(false, `keyboard reaches ${what}`, `${selector} never focused`);
  return false;
}

async function submit(page, formSelector, fields = {}) {
  for (const [k, v] of Object.entries(fields)) {
    const el = await page.$(`${formSelector} [name="${k}"]`);
    const type = await el.getAttribute('type');
    if (type === 'radio' || type === 'checkbox') await page.check(`${formSelector} [name="${k}"][value="${v}"]`);
    else if ((await el.evaluate((e) => e.tagName)) === 'SELECT') await el.selectOption(v);
    else await el.fill(v);
  }
  const [resp] = await Promise.all([page.waitForNavigation(),
    page.click(`${formSelector} button[type=submit]`)]);
  return resp;
}

async function state(page) {
  return (await page.textContent('.summary .state')).trim();
}

try {
  // --- sign-in and the sign-in page itself
  const intake = await newPage();
  await intake.goto(BASE + '/signin');
  await audit(intake, 'signin');
  await intake.fill('#user', 'intake-1');
  await intake.fill('#password', USERS['intake-1'].password);
  await Promise.all([intake.waitForLoadState(), intake.click('button[type=submit]')]);
  check(!!(await intake.$('#code')), 'the password step asks for the TOTP code');
  await audit(intake, 'signin-code');
  await intake.fill('#code', totp(USERS['intake-1'].mfa));
  await Promise.all([intake.waitForLoadState(), intake.click('main button[type=submit]')]);
  check(new URL(intake.url()).pathname === '/queue', 'intake-1 signs in with password and TOTP');
  await audit(intake, 'queue');

  // --- the queue by urgency
  const refs = await intake.$$eval('table.queue tbody td:nth-child(2)', (tds) =>
    tds.map((t) => t.textContent.trim()));
  const pos = ORDER.map((r) => refs.indexOf(r));
  check(pos.every((p) => p >= 0) && pos.every((p, i) => i === 0 || p > pos[i - 1]),
    'the queue is in order of urgency (overdue, EU 8-hour order, 14-day comity window, ...)',
    `queue: ${refs.join(', ')}`);

  // --- intake through the form, with hostile values, by keyboard
  await intake.goto(BASE + '/queue');
  await keyboardTo(intake, 'nav a[href="/intake"]', 'the intake form from the queue');
  check(new URL(intake.url()).pathname === '/intake', 'the intake link opens the intake form');
  await audit(intake, 'intake');
  const HOSTILE = '<script>alert("x")</script><img src=x onerror=alert(2)>"\'&';
  // first an error: no category -> the message at the field, nothing stored
  await submit(intake, 'form.stack', {
    ref: 'WEB-HOSTILE-1', agency: 'us-lapd', kind: 'criminal', process: 'search_warrant',
    issued_by_type: 'court', issued_by_name: HOSTILE, requester_name: HOSTILE,
    requester_email: 'jsmith@lapd.gov', received_at: '', date_from: '2025-13-45',
  });
  check(new URL(intake.url()).pathname === '/intake', 'a bad intake stays on the form');
  const ferr = await intake.$('#e-categories');
  check(!!ferr, 'the error is shown at its field', await intake.textContent('main'));
  check((await intake.inputValue('#f-requester_name')) === HOSTILE,
    'the form keeps what was typed, hostile text included');
  await audit(intake, 'intake-error');
  await intake.fill('#f-date_from', '2025-01-01');
  await intake.fill('#f-date_to', '2026-01-01');
  await intake.fill('#f-targets', 'email: alice@example.net');
  await intake.check('#cat-subscriber');
  await intake.check('#cat-content');
  await intake.check('#f-signed');
  const WARRANT = Buffer.from('%PDF-1.4\nsearch warrant for alice@example.net\n');
  await intake.setInputFiles('#f-documents', { name: 'warrant.pdf', mimeType: 'application/pdf',
    buffer: WARRANT });
  await Promise.all([intake.waitForNavigation(), intake.click('form.stack button[type=submit]')]);
  const reqPath = new URL(intake.url()).pathname;
  check(/^\/requests\/\d+$/.test(reqPath), 'the intake form stores the request', intake.url());
  const reqUrl = BASE + reqPath;
  await audit(intake, 'request-intake-view');

  // --- the uploaded order: listed with its hash, downloadable, the same bytes
  const want = createHash('sha256').update(WARRANT).digest('hex');
  const link = await intake.$(`a[href$="/documents/${want}"]`);
  check(!!link, 'the uploaded document is listed with its SHA-256', await intake.textContent('main'));
  if (link) {
    const got = await intake.evaluate(async (href) => {
      const r = await fetch(href);
      const buf = await r.arrayBuffer();
      const h = await crypto.subtle.digest('SHA-256', buf);
      return { status: r.status, disp: r.headers.get('content-disposition') || '',
        sha: [...new Uint8Array(h)].map((b) => b.toString(16).padStart(2, '0')).join('') };
    }, await link.getAttribute('href'));
    check(got.status === 200 && got.sha === want && /attachment/.test(got.disp),
      'the document downloads as an attachment with the same SHA-256');
  }

  // --- escaping held: the hostile text is text, nothing ran
  const shown = await intake.textContent('main');
  check(shown.includes(HOSTILE), 'the hostile value is shown as text');
  check(await intake.$('main img') === null && await intake.$('main script') === null,
    'no element came from a field value');
  check(dialogs.length === 0, 'no script from a field value ran', dialogs.join(', '));

  // --- an intake-only user is offered no review or approval form
  check(await intake.$('#form-approve') === null && await intake.$('#form-decide') === null &&
    await intake.$('#form-disclose') === null, 'an intake-only user is offered no approval form');

  // --- CSP blocks an injected script
  const hdr = (await intake.goto(reqUrl)).headers()['content-security-policy'] || '';
  check(/default-src 'self'/.test(hdr) && /script-src 'none'/.test(hdr),
    'the page has a strict Content-Security-Policy', hdr);
  const csp = await intake.evaluate(() => new Promise((resolve) => {
    let violated = false;
    document.addEventListener('securitypolicyviolation', () => { violated = true; });
    const s = document.createElement('script');
    s.textContent = 'window.__injected = 1';
    document.body.appendChild(s);
    setTimeout(() => resolve({ ran: window.__injected === 1, violated }), 300);
  }));
  check(!csp.ran && csp.violated, 'CSP blocks an injected inline script', JSON.stringify(csp));

  // --- the reviewer decides
  const rev = await newPage();
  await signIn(rev, 'reviewer-1');
  await rev.goto(reqUrl);
  await audit(rev, 'request-review');
  check(await rev.$('#form-approve') === null, 'a reviewer is offered no approval form');
  // a form posted without its CSRF field is refused
  await rev.evaluate(() => document.querySelector('#form-decide input[name=csrf]').remove());
  const refused = await submit(rev, '#form-decide', { decision: 'approve', reason: 'no csrf' });
  check(refused.status() === 403, 'a form posted without its CSRF field is refused',
    `HTTP ${refused.status()}`);
  await rev.goto(reqUrl);
  check(await state(rev) === 'in_review', 'the refused post changed nothing');
  await submit(rev, '#form-decide', { decision: 'approve', reason: 'warrant in order' });
  check(await state(rev) === 'approved', 'the reviewer approves through the page');

  // --- two approvers in two browser contexts
  const a1 = await newPage(), a2 = await newPage();
  await signIn(a1, 'approver-1');
  await signIn(a2, 'approver-2');
  await a1.goto(reqUrl);
  await audit(a1, 'request-approve');
  await submit(a1, '#form-approve', { reason: 'first approval' });
  check(await state(a1) === 'approved', 'one approval leaves the request approved');
  await a2.goto(reqUrl);
  await submit(a2, '#form-approve', { reason: 'second approval' });
  check(await state(a2) === 'ready', 'the second approver makes it ready');
  await audit(a2, 'request-ready');
  await submit(a2, '#form-disclose', { reason: 'produce' });
  check(await state(a2) === 'disclosed', 'an approver discloses through the page',
    await a2.textContent('main'));
  // --- the production cover letter: drafted, edited, sent, logged by hash
  await rev.goto(reqUrl);
  await keyboardTo(rev, 'a[href$="letters/new?kind=production"]', 'the production cover letter');
  await audit(rev, 'letter');
  const draft = await rev.inputValue('#letter-text');
  check(/^Subject: Your request WEB-HOSTILE-1: production/.test(draft) &&
    draft.includes(HOSTILE), 'the draft is filled from the request', draft);
  const edited = draft.replace('Please confirm receipt.', 'Please confirm receipt by return.');
  await rev.fill('#letter-text', edited);
  await Promise.all([rev.waitForNavigation(), rev.click('main form button[type=submit]')]);
  const wantLetter = createHash('sha256').update(edited.replace(/\r\n/g, '\n')).digest('hex');
  const letters = await rev.textContent('#h-letters ~ ul');
  check(/production to jsmith@lapd\.gov: sent/.test(letters) && letters.includes(wantLetter),
    'the letter is sent and shown with the SHA-256 of the text as edited', `${letters} / ${wantLetter}`);
  await submit(rev, '#form-close', { reason: 'done' });
  check(await state(rev) === 'closed', 'the reviewer closes it');
  const hist = await rev.textContent('#h-history ~ div');
  check(/sign_off|approve/.test(hist) && /disclos/.test(hist) && /close/.test(hist),
    'the history shows every step', hist);
  await audit(rev, 'request-closed');

  // --- other pages, each reached by keyboard
  await rev.goto(BASE + '/queue');
  await keyboardTo(rev, 'nav a[href="/password"]', 'the password page');
  await audit(rev, 'password');
  await rev.goto(BASE + '/queue');
  await keyboardTo(rev, 'nav a[href="/due"]', 'notices, NDOs and holds');
  await audit(rev, 'due');
  await rev.goto(BASE + '/queue');
  await keyboardTo(rev, 'nav a[href="/log"]', 'the log page');
  await audit(rev, 'log');
  await keyboardTo(rev, 'form[action="/log"] button', 'the log verification');
  check((await rev.textContent('main')).includes('The log verifies'), 'the log verifies from its page',
    await rev.textContent('main'));
  await audit(rev, 'log-verified');
  await rev.goto(BASE + '/queue');
  await keyboardTo(rev, 'table.queue a', 'a request from the queue');
  check(/^\/requests\/\d+$/.test(new URL(rev.url()).pathname), 'Enter on a queue row opens it');
  // the page README shows: an EU emergency order under review
  await rev.goto(BASE + '/queue');
  const eu = await rev.$('table.queue a:text("Q-EU-8H")');
  check(!!eu, 'the EU order is in the queue');
  if (eu) {
    await Promise.all([rev.waitForNavigation(), eu.click()]);
    await audit(rev, 'request-eu-emergency');
  }
  await rev.goto(BASE + '/queue?q=alice');
  await audit(rev, 'queue-search');
  await rev.goto(BASE + '/queue');
  await keyboardTo(rev, 'nav a[href="/reports"]', 'the report preview');
  await audit(rev, 'reports');
  check(/Totals/.test(await rev.textContent('main')), 'the report preview shows the totals');
  check(await rev.$('nav a[href="/admin"]') === null, 'a reviewer is offered no admin page');

  // --- users and tokens, for an admin
  const adm = await newPage();
  await signIn(adm, 'root');
  await adm.goto(BASE + '/queue');
  await keyboardTo(adm, 'nav a[href="/admin"]', 'the admin page');
  await audit(adm, 'admin');
  await adm.fill('#token-user', 'intake-1');
  await adm.check('#token-role-intake');
  await Promise.all([adm.waitForNavigation(), adm.click('form[action="/admin/tokens"] button')]);
  const tok = await adm.textContent('.warn code');
  check(/^dkt_/.test(tok || ''), 'a new token is shown once', tok);
  await adm.goto(BASE + '/admin');
  check(!(await adm.textContent('main')).includes(tok), 'and never again');
  await audit(adm, 'admin-tokens');

  await rev.goto(BASE + '/requests/999999');
  await audit(rev, 'error');
  await keyboardTo(rev, 'form.signout button', 'sign-out');
  check(new URL(rev.url()).pathname === '/signin', 'sign-out ends the session');
  await rev.goto(BASE + '/queue');
  check(new URL(rev.url()).pathname === '/signin', 'after sign-out the queue asks to sign in');
} catch (e) {
  check(false, 'the browser run finished', e.stack);
} finally {
  await browser.close();
}
console.log(`1..${n}`);
process.exit(failed ? 1 : 0);
