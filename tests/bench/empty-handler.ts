/** The floor for bench:coldstart: a handler with no dependencies, bundled like the real ones. */
export const handler = async () => ({ statusCode: 204 });
