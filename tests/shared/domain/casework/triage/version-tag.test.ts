import { describe, expect, it } from 'vitest';
import { ifMatchHolds, versionMoved, versionTag } from '#domain/casework/index.js';

describe('the version as an entity tag', () => {
  it('is the version in quotes, a strong tag', () => {
    expect(versionTag(7)).toBe('"7"');
  });

  it('lets a change go ahead without If-Match, with *, or with the current version among the tags', () => {
    expect(ifMatchHolds(undefined, 7)).toBe(true);
    expect(ifMatchHolds('*', 7)).toBe(true);
    expect(ifMatchHolds('"7"', 7)).toBe(true);
    expect(ifMatchHolds('"5", "7"', 7)).toBe(true);
  });

  it('stops it with another version, a weak tag (If-Match compares strongly), or what is no tag', () => {
    for (const header of ['"6"', 'W/"7"', '7', '', '"07"']) expect(ifMatchHolds(header, 7), header).toBe(false);
  });

  it('answers 412 in Dutch, naming the current version and its tag', () => {
    expect(versionMoved(8)).toMatchObject({
      status: 412,
      type: expect.stringMatching(/precondition-failed$/),
      detail: expect.stringContaining('nu versie 8, ETag "8"'),
    });
  });
});
