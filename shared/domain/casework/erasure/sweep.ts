import { unlink } from '#domain/linking/index.js';
import type { RetentionPorts } from './ports.js';
import { candidateCutoff, isRetentionDue, type RetentionPolicy } from './retention.js';
import { stripPersonalData } from './strip.js';

const DEFAULT_ATTEMPTS = 8;

/** What one run of the sweep did, in counts (its log line). */
export interface SweepReport {
  /** Candidates read and decided on. */
  examined: number;
  /** Signals stripped of their person. */
  stripped: number;
  /** Signals taken out of the link index (the stripped ones, and any an earlier run stripped but left linked). */
  unlinked: number;
  /** Signals stored before the sweep that lost their whole-item expiry, so that their classification stays. */
  expiryDropped: number;
  /** Signals another change kept moving, left for the next run. */
  skipped: number;
  /** False when the run stopped at its deadline; the next run goes on where the candidates still are. */
  complete: boolean;
}

type Decision = 'stripped' | 'unlinked' | 'expiry-dropped' | 'kept' | 'skipped';

/**
 * Decides on one candidate as it stands now (it may have changed since it was read): strips it when its
 * retention has passed and unlinks it, or else drops a whole-item expiry it still carries. Every write is
 * conditional on the version read; when another change came first, it reads again.
 */
async function sweepOne(signalId: string, policy: RetentionPolicy, ports: RetentionPorts, now: Date): Promise<Decision> {
  for (let attempt = 1; attempt <= DEFAULT_ATTEMPTS; attempt++) {
    const signal = await ports.signals.get(signalId);
    if (!signal) return 'kept';
    if (isRetentionDue(signal, policy, now)) {
      const plan = stripPersonalData(signal, now.toISOString());
      if (plan && !(await ports.signals.update(signalId, signal.version, plan.changes, plan.remove))) continue;
      const { keys } = await unlink(signalId, { links: ports.links });
      return plan ? 'stripped' : keys > 0 ? 'unlinked' : 'kept';
    }
    if (signal.expiresAt === undefined) return 'kept';
    // Not a change of the signal: changedAt stays, and retention with it.
    if (await ports.signals.update(signalId, signal.version, {}, ['expiresAt'])) return 'expiry-dropped';
  }
  return 'skipped';
}

/**
 * The retention sweep: strips every signal whose retention has passed (retentionEndOf: its region's period
 * after its last change) of its person, exactly as an erasure does, and unlinks it. The classification
 * stays, and so do the counts (the aggregator sees the same contribution under a newer version). No audit
 * entry: nobody looked or acted; the run's counts are logged. It stops at `deadline` (epoch ms); what is
 * left is found again by the next run, since a stripped signal is no longer a candidate.
 */
export async function sweepRetention(policy: RetentionPolicy, ports: RetentionPorts, options: { deadline?: number } = {}): Promise<SweepReport> {
  const now = (ports.now ?? (() => new Date()))();
  const report: SweepReport = { examined: 0, stripped: 0, unlinked: 0, expiryDropped: 0, skipped: 0, complete: true };
  for await (const page of ports.candidates.pages(candidateCutoff(policy, now))) {
    for (const candidate of page) {
      if (options.deadline !== undefined && Date.now() >= options.deadline) return { ...report, complete: false };
      report.examined++;
      const decision = await sweepOne(candidate.signalId, policy, ports, now);
      if (decision === 'stripped') report.stripped++;
      if (decision === 'stripped' || decision === 'unlinked') report.unlinked++;
      if (decision === 'expiry-dropped') report.expiryDropped++;
      if (decision === 'skipped') report.skipped++;
    }
  }
  return report;
}
