import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';
import { buildSync } from 'esbuild';
import { formPage } from './pages/form-page.js';

const webRoot = resolve(import.meta.dirname);
const require = createRequire(import.meta.url);

/**
 * Builds the static site into web/dist: the form page, the NL Design System styles and the bundled
 * scripts (the form's, and the monitor's: its page is rendered by GET /cijfers, its assets are here).
 * Synchronous, so the CDK app can build it before deploying it.
 */
export function buildWeb(outDir = join(webRoot, 'dist')): string {
  const assets = join(outDir, 'assets');
  mkdirSync(assets, { recursive: true });
  writeFileSync(join(outDir, 'index.html'), formPage());
  copyFileSync(require.resolve('@utrecht/design-tokens/dist/theme.css'), join(assets, 'design-tokens.css'));
  copyFileSync(require.resolve('@utrecht/component-library-css/dist/index.css'), join(assets, 'component-library.css'));
  copyFileSync(join(webRoot, 'assets', 'site.css'), join(assets, 'site.css'));
  copyFileSync(join(webRoot, 'assets', 'cijfers.css'), join(assets, 'cijfers.css'));
  buildSync({
    entryPoints: [join(webRoot, 'client', 'form.ts'), join(webRoot, 'client', 'cijfers.ts')],
    outdir: assets,
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2020',
    minify: true,
    legalComments: 'none',
    // The capability indexes also name server-side modules (node:crypto); tree shaking drops them, and the
    // check below makes sure none is left in what a browser loads.
    external: ['node:*'],
  });
  for (const script of ['form.js', 'cijfers.js']) {
    if (/["']node:/.test(readFileSync(join(assets, script), 'utf8'))) throw new Error(`the browser bundle ${script} imports a Node.js module`);
  }
  return outDir;
}

if (process.argv[1] && resolve(process.argv[1]) === resolve(import.meta.filename)) console.log(`built ${buildWeb()}`);
