import { connect } from 'node:net';

/** What came back over a raw connection: the parsed answer, if any, and how the connection ended. */
export interface RawAnswer {
  /** Everything the server sent, as latin1 (a byte per character). */
  raw: string;
  status?: number;
  headers: Record<string, string>;
  body: string;
  /** The server closed the connection (or reset it) before the timeout. */
  closed: boolean;
  timedOut: boolean;
}

export interface RawRequestOptions {
  /** Close our side for writing after sending, so the server sees the end of what was announced. */
  endAfterWrite?: boolean;
  /** Reset the connection this long after sending: a client that leaves mid-upload. */
  destroyAfterMs?: number;
  /** Give up waiting for the server after this long. */
  timeoutMs?: number;
}

/**
 * Sends bytes as they are over TCP, for requests fetch refuses to send (malformed targets, bare CRs,
 * conflicting lengths), and reads the first answer. Resolves once the answer's body is complete, the
 * server closes the connection, or the timeout passes; it never rejects.
 */
export function rawRequest(url: string, bytes: string | Buffer, options: RawRequestOptions = {}): Promise<RawAnswer> {
  const { hostname, port } = new URL(url);
  const timeoutMs = options.timeoutMs ?? 3_000;
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let settled = false;
    const socket = connect(Number(port), hostname === 'localhost' ? '127.0.0.1' : hostname);
    const finish = (closed: boolean, timedOut = false) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket.destroy();
      resolve({ ...parseAnswer(Buffer.concat(chunks).toString('latin1')), closed, timedOut });
    };
    const timer = setTimeout(() => finish(false, true), timeoutMs);
    socket.on('data', (chunk: Buffer) => {
      chunks.push(chunk);
      const answer = parseAnswer(Buffer.concat(chunks).toString('latin1'));
      // An answer that says it closes the connection is read until it does, so `closed` tells.
      if (answer.complete && answer.headers.connection !== 'close') finish(false);
    });
    socket.on('close', () => finish(true));
    socket.on('error', () => finish(true));
    socket.on('connect', () => {
      socket.write(bytes, () => {
        if (options.endAfterWrite) socket.end();
        if (options.destroyAfterMs !== undefined) setTimeout(() => finish(true), options.destroyAfterMs);
      });
    });
  });
}

function parseAnswer(raw: string): Omit<RawAnswer, 'closed' | 'timedOut'> & { complete: boolean } {
  const end = raw.indexOf('\r\n\r\n');
  if (end < 0) return { raw, headers: {}, body: '', complete: false };
  const [statusLine = '', ...lines] = raw.slice(0, end).split('\r\n');
  const headers = Object.fromEntries(lines.map((line) => [line.slice(0, line.indexOf(':')).trim().toLowerCase(), line.slice(line.indexOf(':') + 1).trim()]));
  const status = Number(/^HTTP\/1\.[01] (\d{3})/.exec(statusLine)?.[1]) || undefined;
  const rest = raw.slice(end + 4);
  const chunked = headers['transfer-encoding'] === 'chunked' ? dechunk(rest) : undefined;
  const body = chunked?.body ?? rest;
  const length = headers['content-length'] === undefined ? undefined : Number(headers['content-length']);
  const complete = chunked ? chunked.complete : length !== undefined && rest.length >= length;
  return { raw, status, headers, body: Buffer.from(body, 'latin1').toString('utf8'), complete };
}

/** A chunked body's content, and whether its last chunk has come. */
function dechunk(raw: string): { body: string; complete: boolean } {
  let body = '';
  let at = 0;
  for (;;) {
    const lineEnd = raw.indexOf('\r\n', at);
    if (lineEnd < 0) return { body, complete: false };
    const size = Number.parseInt(raw.slice(at, lineEnd), 16);
    if (Number.isNaN(size)) return { body, complete: false };
    if (size === 0) {
      const trailer = raw.slice(lineEnd + 2);
      return { body, complete: trailer.startsWith('\r\n') || trailer.includes('\r\n\r\n') };
    }
    body += raw.slice(lineEnd + 2, lineEnd + 2 + size);
    at = lineEnd + 2 + size + 2;
  }
}
