import * as z from 'zod/mini';

/** The answer to an accepted signal: its id, to read back where it stands. */
export const SignalAcceptedSchema = z.object({ signalId: z.uuid(), status: z.literal('received') });
