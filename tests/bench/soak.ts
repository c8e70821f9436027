/**
 * npm run soak — mixed traffic at a fixed rate against the local stack as `npm start` runs it: partner
 * POSTs and PATCHes, statistics reads, mail over SMTP, meldformulier posts, and 5 % hostile requests.
 * Every minute it prints p50/p99, errors and the runner's memory; at the end it checks that every signal
 * answered 202 is stored once and counted, and whether memory kept growing.
 *
 * SOAK_MINUTES (default 10) and SOAK_RATE (requests a second, default 20) set the load.
 */
import { existsSync, readFileSync } from 'node:fs';
import { TestStack } from '../integration/support/local-stack.js';

const MINUTES = Number(process.env.SOAK_MINUTES ?? 10);
const RATE = Number(process.env.SOAK_RATE ?? 20);
// A year of its own, so that the soak's signals can be counted apart from anything else.
const YEAR = 2011;

type Kind = 'post' | 'patch' | 'statistics' | 'mail' | 'web' | 'hostile';
const MIX: [Kind, number][] = [
  ['post', 45],
  ['patch', 10],
  ['statistics', 20],
  ['mail', 5],
  ['web', 15],
  ['hostile', 5],
];

const municipalities = ['GM0114', 'GM0106', 'GM0014', 'GM0080', 'GM1900'];
const forms = ['seksueel', 'arbeid', 'crimineel', 'onbekend'];
const day = (i: number) => `${YEAR}-${String((i % 12) + 1).padStart(2, '0')}-${String((i % 27) + 1).padStart(2, '0')}`;

function pick(i: number): Kind {
  let roll = (i * 7919) % 100;
  for (const [kind, share] of MIX) {
    if (roll < share) return kind;
    roll -= share;
  }
  return 'post';
}

/** Requests a client may get wrong, each answered with a 4xx: none may stop the process or count. */
const hostile = (stack: TestStack, i: number): Promise<Response> => {
  const api = stack.ready.apiUrl;
  switch (i % 6) {
    case 0:
      return stack.post('{"observedAt": ', {});
    case 1:
      return stack.post({ observedAt: day(i), municipality: 'GM0114', form: 'arbeid' }, { 'content-type': 'text/plain' });
    case 2:
      return stack.post({ observedAt: day(i), municipality: 'GM0114', form: 'arbeid', unknown: 1 });
    case 3:
      return fetch(`${api}/v1/signals`, {
        method: 'POST',
        headers: { authorization: 'Bearer mr_local_wrong', 'content-type': 'application/json' },
        body: '{}',
      });
    case 4:
      return fetch(`${api}/v1/signals/%E0%A4%A`, { headers: { authorization: `Bearer ${stack.key('signals:write')}` } });
    default:
      return stack.post({ observedAt: day(i), municipality: 'GM0114', form: 'arbeid', description: 'x'.repeat(70_000) });
  }
};

const percentile = (sorted: number[], p: number) => (sorted.length ? sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]! : 0);
/** The runner's resident memory; NaN once it is gone, which the soak reports as a failure. */
const rssMb = (pid: number | undefined) => {
  if (!pid || !existsSync(`/proc/${pid}/status`)) return Number.NaN;
  const match = /VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return match ? Number(match[1]) / 1024 : Number.NaN;
};

const stack = await TestStack.start({ env: { WEB_RATE_LIMIT_PER_MINUTE: '100000', WEB_RATE_LIMIT_PER_DAY: '10000000' } });
const accepted = new Set<string>();
let mailsAccepted = 0;
let webAccepted = 0;
const unexpected = new Map<string, number>();
const note = (what: string) => unexpected.set(what, (unexpected.get(what) ?? 0) + 1);

async function one(i: number): Promise<void> {
  const kind = pick(i);
  switch (kind) {
    case 'post': {
      const response = await stack.post({
        observedAt: day(i),
        municipality: municipalities[i % 5],
        form: forms[i % 4],
        externalId: `SOAK-${i}`,
        subject: { name: `Persoon ${i}`, dateOfBirth: '1990-01-01' },
      });
      if (response.status === 202) accepted.add(((await response.json()) as { signalId: string }).signalId);
      else note(`post ${response.status}`);
      return;
    }
    case 'patch': {
      const ids = [...accepted];
      const id = ids[i % Math.max(1, ids.length)];
      if (!id) return;
      const response = await stack.request('PATCH', `/v1/signals/${id}`, { form: forms[(i + 1) % 4] });
      await response.arrayBuffer();
      // 404 while the signal is still on its way to the store; 409 when two corrections meet.
      if (![200, 404, 409].includes(response.status)) note(`patch ${response.status}`);
      return;
    }
    case 'statistics': {
      const response = await fetch(`${stack.ready.apiUrl}/v1/statistics?year=${YEAR}`, { headers: { 'x-api-key': stack.key('statistics:read') } });
      await response.arrayBuffer();
      if (response.status !== 200) note(`statistics ${response.status}`);
      return;
    }
    case 'mail': {
      await stack.sendMail({
        from: `melder${i}@example.org`,
        subject: `Signaal ${i}`,
        messageId: `<soak-${i}@example.org>`,
        text: `Gemeente: Emmen\nVorm: arbeid\nDatum: ${day(i).split('-').reverse().join('-')}\nToelichting: soak ${i}`,
      });
      mailsAccepted++;
      return;
    }
    case 'web': {
      const response = await fetch(`${stack.ready.apiUrl}/v1/web/signals`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          reporterType: 'burger',
          description: 'Ik zag mensen die lange dagen werken.',
          municipality: 'GM0106',
          observedAt: day(i),
          form: 'arbeid',
          minorsSuspected: 'nee',
        }),
      });
      await response.arrayBuffer();
      if (response.status === 202) webAccepted++;
      else note(`web ${response.status}`);
      return;
    }
    case 'hostile': {
      const response = await hostile(stack, i);
      await response.arrayBuffer();
      if (response.status < 400 || response.status >= 500) note(`hostile ${response.status}`);
    }
  }
}

console.log(`soak: ${MINUTES} min at ${RATE} requests/s; mix ${MIX.map(([k, s]) => `${k} ${s}%`).join(', ')}`);
console.log('minute  requests    p50 ms    p99 ms  errors  runner RSS MB');
const memory: number[] = [];
let i = 0;
let errors = 0;
for (let minute = 1; minute <= MINUTES; minute++) {
  const latencies: number[] = [];
  const inFlight: Promise<void>[] = [];
  const end = Date.now() + 60_000;
  for (let tick = Date.now(); tick < end; tick += 1000 / RATE) {
    const wait = tick - Date.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    const started = performance.now();
    inFlight.push(
      one(i++)
        .catch((error: Error) => void note(`threw ${error.name}`))
        .finally(() => latencies.push(performance.now() - started)),
    );
  }
  await Promise.all(inFlight);
  latencies.sort((a, b) => a - b);
  const errorsNow = [...unexpected.values()].reduce((a, b) => a + b, 0);
  memory.push(rssMb(stack.pid));
  console.log(
    `${String(minute).padStart(6)}  ${String(latencies.length).padStart(8)}  ${percentile(latencies, 50).toFixed(1).padStart(8)}  ${percentile(latencies, 99).toFixed(1).padStart(8)}  ${String(errorsNow - errors).padStart(6)}  ${memory.at(-1)!.toFixed(0).padStart(13)}`,
  );
  errors = errorsNow;
  if (Number.isNaN(memory.at(-1)!)) {
    console.log(`the runner stopped; its last lines:\n${stack.logs.split('\n').slice(-15).join('\n')}`);
    process.exit(1);
  }
}

await stack.settle(300_000);
const stored = new Set((await stack.scan('meldroute-signals')).map((s) => s.signalId as string));
const missing = [...accepted].filter((id) => !stored.has(id));
const statistics = await stack.statistics(`year=${YEAR}`);
const expected = accepted.size + webAccepted + mailsAccepted;
console.log(`\n202s: ${accepted.size} partner, ${webAccepted} web; mails accepted by SMTP: ${mailsAccepted}`);
console.log(`stored: every partner 202 stored: ${missing.length === 0 ? 'yes' : `no, ${missing.length} missing`}`);
console.log(`counted: ${statistics.total} in ${YEAR}, expected ${expected}: ${statistics.total === expected ? 'exact' : 'NOT EXACT'}`);
console.log(`unexpected answers: ${unexpected.size ? JSON.stringify(Object.fromEntries(unexpected)) : 'none'}`);
const settled = memory.slice(1);
const growth = settled.length > 1 ? settled.at(-1)! / Math.min(...settled) : 1;
console.log(`runner memory: ${memory.map((m) => m.toFixed(0)).join(' → ')} MB; last/lowest after the first minute ${growth.toFixed(2)}x`);
await stack.stop();
process.exit(missing.length === 0 && statistics.total === expected && unexpected.size === 0 ? 0 : 1);
