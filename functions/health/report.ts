import * as z from 'zod/mini';

const CheckStateSchema = z.enum(['ok', 'unavailable']);

/** GET /v1/health's answer, 200 and 503 alike: the whole and each check, by name and state only. */
export const HealthReportSchema = z.object({
  status: CheckStateSchema,
  checks: z.record(z.string(), CheckStateSchema),
});

export type CheckState = z.infer<typeof CheckStateSchema>;
