import { createHash } from 'node:crypto';
import { cellKeyOf } from './record-key.js';

/**
 * The key that decides whether a 0 in a table is shown as null (zeroHidden): the first byte of SHA-256 of
 * its label and the cell keys of the table it is in (`relation`: the table's total first, then its cells, in
 * a fixed order). A cell with no signals has no key of its own; this one depends on signals the public
 * cannot name, mixes the keys of several figures (so that which zeros are hidden says little about any
 * one of them), and is the same wherever the same table is published. Undefined when the table's total is
 * 0: then every cell is 0, and the 0 around them says so.
 */
export function zeroKeyOf(label: string, relation: readonly { count: number; keySum: number }[]): number | undefined {
  if (relation.length === 0 || relation[0]!.count === 0) return undefined;
  const hash = createHash('sha256').update(label, 'utf8');
  for (const cell of relation) hash.update(`|${cellKeyOf(cell.keySum)}`);
  return hash.digest()[0]!;
}
