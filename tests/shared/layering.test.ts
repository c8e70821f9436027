import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = resolve(import.meta.dirname, '../..');
const domainDir = join(root, 'shared/domain');
const adaptersDir = join(root, 'shared/adapters');

function sourcesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.ts'))
    .map((f) => join(dir, f));
}

/** Every module specifier a file imports or re-exports, with the line it is on. */
function importsOf(file: string): string[] {
  const source = readFileSync(file, 'utf8');
  const sideEffect = [...source.matchAll(/^\s*import\s+['"]([^'"]+)['"]/gm)];
  const named = [...source.matchAll(/^\s*(?:import|export)\s[^;'"]*?\sfrom\s+['"]([^'"]+)['"]/gm)];
  return [...sideEffect, ...named].map((m) => m[1] as string);
}

/** Where an import lands, from the project root: a relative or `#domain`/`#adapters` path, or a package name. */
function targetOf(file: string, specifier: string): string {
  if (specifier.startsWith('#domain/')) return `shared/domain/${specifier.slice('#domain/'.length)}`;
  if (specifier.startsWith('#adapters/')) return `shared/adapters/${specifier.slice('#adapters/'.length)}`;
  if (specifier.startsWith('.'))
    return relative(root, resolve(dirname(file), specifier))
      .split(sep)
      .join('/');
  return specifier;
}

/** The capability folder a domain file belongs to: the deepest folder above it with an index.ts. */
function capabilityOf(path: string): string {
  const parts = path
    .replace(/^shared\/domain\//, '')
    .split('/')
    .slice(0, -1);
  while (parts.length > 1 && !readdirSync(join(domainDir, ...parts)).includes('index.ts')) parts.pop();
  return parts.join('/');
}

/** What the domain may use besides itself: validation, phone numbers and Node's own modules, nothing that does I/O elsewhere. */
const DOMAIN_PACKAGES = /^(zod(\/.*)?|libphonenumber-js(\/.*)?|node:.*)$/;

describe('the layering', () => {
  const domainFiles = sourcesUnder(domainDir);

  it('has no loose files in shared/domain: every file sits in a capability folder with an index.ts and the folder ports.ts where it has ports', () => {
    expect(
      readdirSync(domainDir, { withFileTypes: true })
        .filter((e) => e.isFile())
        .map((e) => e.name),
    ).toEqual([]);
    for (const folder of readdirSync(domainDir, { withFileTypes: true }).filter((e) => e.isDirectory())) {
      expect(readdirSync(join(domainDir, folder.name)), folder.name).toContain('index.ts');
    }
  });

  it('keeps the domain free of AWS, adapters, functions and infrastructure, so it runs the same on AWS, locally and in tests', () => {
    expect(domainFiles.length).toBeGreaterThan(30);
    for (const file of domainFiles) {
      const name = relative(root, file);
      for (const specifier of importsOf(file)) {
        const target = targetOf(file, specifier);
        if (target.startsWith('shared/domain/')) continue;
        expect(target, `${name} imports ${specifier}`).toMatch(DOMAIN_PACKAGES);
      }
    }
  });

  it('lets one capability use another only through its index.ts (a side-effect import of the Dutch messages excepted)', () => {
    for (const file of domainFiles) {
      const name = relative(root, file).split(sep).join('/');
      const own = capabilityOf(name);
      for (const specifier of importsOf(file)) {
        const target = targetOf(file, specifier);
        if (!target.startsWith('shared/domain/') || target.endsWith('/kernel/dutch-messages.js')) continue;
        const theirs = capabilityOf(target);
        if (theirs === own || theirs.startsWith(`${own}/`)) continue;
        expect(target, `${name} imports ${specifier}`).toBe(`shared/domain/${theirs}/index.js`);
      }
    }
  });

  it('keeps adapters free of functions and infrastructure: they serve handlers, never the other way round', () => {
    const adapterFiles = sourcesUnder(adaptersDir);
    expect(adapterFiles.length).toBeGreaterThan(10);
    for (const file of adapterFiles) {
      for (const specifier of importsOf(file)) {
        expect(targetOf(file, specifier), `${relative(root, file)} imports ${specifier}`).not.toMatch(/^(functions|infra|web|tests)\//);
      }
    }
  });

  it('catches an import against the layering (the check itself is not blind)', () => {
    const fake = join(domainDir, 'signal', 'fake.ts');
    expect(targetOf(fake, '#adapters/sqs/signal-queue.js')).not.toMatch(DOMAIN_PACKAGES);
    expect(targetOf(fake, '../../../functions/routes.js')).toBe('functions/routes.js');
    expect(targetOf(fake, '@aws-sdk/client-sqs')).not.toMatch(DOMAIN_PACKAGES);
    expect(capabilityOf('shared/domain/intake/web/web-signal.ts')).toBe('intake/web');
  });
});
