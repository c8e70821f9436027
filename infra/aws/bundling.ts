import { fileURLToPath } from 'node:url';

/**
 * How every handler is bundled, said once: the CDK functions and `npm run bench:coldstart` build with
 * these same esbuild settings.
 */
export const bundling = {
  format: 'esm',
  target: 'node22',
  platform: 'node',
  mainFields: ['module', 'main'],
  minify: true,
  sourceMap: true,
  sourcesContent: false,
  // Some CommonJS dependencies call require(); an ESM bundle has to provide it.
  banner: "import{createRequire as __cr}from'node:module';const require=__cr(import.meta.url);",
  /** Module replacements: on Lambda, credentials come from the environment only (see lambda-credentials.ts). */
  alias: { '@aws-sdk/credential-provider-node': fileURLToPath(new URL('./lambda-credentials.ts', import.meta.url)) },
} as const;

/** The same settings as esbuild's own build options, for building a bundle outside CDK (benchmarks, tests). */
export function esbuildOptions(entry: string, outfile: string) {
  return {
    entryPoints: [entry],
    outfile,
    bundle: true,
    format: bundling.format,
    target: bundling.target,
    platform: bundling.platform,
    mainFields: [...bundling.mainFields],
    minify: bundling.minify,
    sourcemap: bundling.sourceMap,
    sourcesContent: bundling.sourcesContent,
    banner: { js: bundling.banner },
    alias: { ...bundling.alias },
    logLevel: 'error' as const,
  };
}
