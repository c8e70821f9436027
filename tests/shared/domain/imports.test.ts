import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const domainDir = join(import.meta.dirname, '../../../shared/domain');

describe('the domain', () => {
  it('imports nothing from AWS, so it runs the same on AWS, locally and in tests', () => {
    const files = readdirSync(domainDir).filter((f) => f.endsWith('.ts'));
    expect(files.length).toBeGreaterThan(5);
    for (const file of files) {
      const source = readFileSync(join(domainDir, file), 'utf8');
      expect(source, file).not.toMatch(/from ['"](@aws-sdk|@aws-lambda-powertools|aws-lambda|@middy)/);
      expect(source, file).not.toMatch(/from ['"]\.\.\/adapters/);
    }
  });
});
