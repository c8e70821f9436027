import { readFile } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { extname, join, resolve, sep } from 'node:path';
import { SECURITY_HEADERS } from '../../web/pages/html.js';
import { noticePage } from '../../web/pages/notice-page.js';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
};

/** A path whose %-encoding does not decode names no file (the gateway answers such a path 400 before this). */
function decodedOrEmpty(path: string): string {
  try {
    return decodeURIComponent(path);
  } catch {
    return '';
  }
}

/**
 * Plays CloudFront in front of the private site bucket: GET and HEAD outside /v1/ are answered from
 * web/dist (/ is index.html), with the same security headers as the response headers policy.
 * Returns false for what belongs to the API.
 */
export async function serveStatic(req: IncomingMessage, res: ServerResponse, path: string, siteDir: string): Promise<boolean> {
  if ((req.method !== 'GET' && req.method !== 'HEAD') || path.startsWith('/v1/')) return false;
  const root = resolve(siteDir);
  const file = resolve(join(root, path === '/' ? 'index.html' : decodedOrEmpty(path)));
  let body: Buffer | undefined;
  if (file.startsWith(root + sep)) body = await readFile(file).catch(() => undefined);
  const headers = { ...SECURITY_HEADERS, 'content-type': TYPES[extname(file)] ?? 'application/octet-stream' };
  if (!body) {
    res.writeHead(404, { ...SECURITY_HEADERS, 'content-type': TYPES['.html']! });
    res.end(req.method === 'HEAD' ? undefined : noticePage('Pagina niet gevonden', 'Deze pagina bestaat niet. Wilt u iets melden? Gebruik het meldformulier.'));
    return true;
  }
  res.writeHead(200, { ...headers, 'cache-control': extname(file) === '.html' ? 'no-cache' : 'public, max-age=300' });
  res.end(req.method === 'HEAD' ? undefined : body);
  return true;
}
