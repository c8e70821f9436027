/**
 * Content negotiation and conditional requests for GET /v1/statistics, as RFC 9110 describes them
 * (§12.5.1 Accept, §13.1.2 If-None-Match), for the little this route needs.
 */

interface MediaRange {
  type: string;
  subtype: string;
  q: number;
  /** 0 for * / *, 1 for type / *, 2 for type / subtype: the most specific range that matches decides. */
  specificity: number;
}

const TOKEN = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

function mediaRange(text: string): MediaRange | undefined {
  const [essence = '', ...parameters] = text.split(';');
  const [type = '', subtype = '', extra] = essence.trim().toLowerCase().split('/');
  if (extra !== undefined || !TOKEN.test(type) || !TOKEN.test(subtype) || (type === '*' && subtype !== '*')) return undefined;
  let q = 1;
  for (const parameter of parameters) {
    const [name = '', value = ''] = parameter.split('=', 2).map((p) => p.trim());
    if (name.toLowerCase() !== 'q') continue;
    // qvalue = ( "0" [ "." 0*3DIGIT ] ) / ( "1" [ "." 0*3("0") ] ); a range with another q is not understood, so left out.
    if (!/^(0(\.\d{0,3})?|1(\.0{0,3})?)$/.test(value)) return undefined;
    q = Number(value);
  }
  return { type, subtype, q, specificity: type === '*' ? 0 : subtype === '*' ? 1 : 2 };
}

/**
 * Which of the offered media types the Accept header prefers: the highest q of the most specific range
 * that matches each, the first offered on a tie. No header (or only ranges not understood): the first
 * offered. Undefined when the header accepts none of them: a 406.
 */
export function preferredMediaType<T extends string>(accept: string | undefined, offered: readonly [T, ...T[]]): T | undefined {
  const ranges = (accept ?? '').split(',').flatMap((text) => mediaRange(text) ?? []);
  if (ranges.length === 0) return offered[0];
  let best: T | undefined;
  let bestQ = 0;
  for (const media of offered) {
    const [type, subtype] = media.split('/');
    const match = ranges
      .filter((r) => (r.type === '*' || r.type === type) && (r.subtype === '*' || r.subtype === subtype))
      .sort((a, b) => b.specificity - a.specificity)[0];
    if (match && match.q > bestQ) {
      best = media;
      bestQ = match.q;
    }
  }
  return best;
}

/**
 * Whether If-None-Match names the current tag (or is `*`), so the client's copy is current: a 304. The
 * comparison is weak, as RFC 9110 asks for this header: W/"x" matches "x".
 */
export function isNotModified(ifNoneMatch: string | undefined, etag: string): boolean {
  if (ifNoneMatch === undefined) return false;
  if (ifNoneMatch.trim() === '*') return true;
  const opaque = (tag: string) => tag.replace(/^W\//, '');
  return (ifNoneMatch.match(/(?:W\/)?"[^"]*"/g) ?? []).some((tag) => opaque(tag) === opaque(etag));
}
