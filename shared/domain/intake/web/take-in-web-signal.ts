import type * as z from 'zod/mini';
import { pseudonym } from '#domain/privacy/index.js';
import { acceptSignal, type IntakePorts } from '../index.js';
import type { RateCounter } from './ports.js';
import { consumeRate, type RateLimits } from './rate-limit.js';
import { givenFormValues, HONEYPOT_FIELD, parseWebSignal, postedFields, referenceOf, type WebSignal, webPrincipal, webSignalInput } from './web-signal.js';

export interface WebIntakePorts extends IntakePorts {
  rates: RateCounter;
  limits: RateLimits;
}

export type WebIntakeOutcome =
  | { outcome: 'accepted'; signalId: string; reference: string; sourceType: string }
  | { outcome: 'invalid'; error: z.core.$ZodError; values: Record<string, string> }
  | { outcome: 'rate-limited'; window: 'minute' | 'day'; retryAfterSeconds: number }
  | { outcome: 'honeypot' };

/**
 * Takes a report from the public meldformulier in: counted against the client's rate limits (by a
 * pseudonym of its address), a filled honeypot dropped unseen, validated by the web schema, then
 * pseudonymised, encrypted and queued like any signal, with channel `web`.
 */
export async function takeInWebSignal(raw: Record<string, unknown>, clientAddress: string, ports: WebIntakePorts): Promise<WebIntakeOutcome> {
  const key = await ports.pseudonymKeys.current();
  const rate = await consumeRate(pseudonym(key, 'rate-limit', clientAddress), ports.limits, ports.rates, ports.now?.());
  if (!rate.allowed) return { outcome: 'rate-limited', window: rate.window, retryAfterSeconds: rate.retryAfterSeconds };

  const fields = postedFields(Object.entries(raw));
  const honeypot = fields[HONEYPOT_FIELD];
  if (honeypot) return { outcome: 'honeypot' };
  delete fields[HONEYPOT_FIELD];
  const parsed = parseWebSignal(fields);
  if (!parsed.success) return { outcome: 'invalid', error: parsed.error, values: givenFormValues(Object.entries(fields)) };

  const form: WebSignal = parsed.data;
  const principal = webPrincipal(form);
  const result = await acceptSignal(
    {
      input: webSignalInput(form),
      principal,
      channel: 'web',
      reporter: { name: form.contactName, phone: form.contactPhone, email: form.contactEmail },
      minorsSuspected: form.minorsSuspected,
    },
    ports,
  );
  if (result.outcome !== 'accepted') throw new Error('a web report has no retry key and states no source type, so it cannot conflict or be refused');
  return { outcome: 'accepted', signalId: result.signalId, reference: referenceOf(result.signalId), sourceType: principal.sourceType };
}
