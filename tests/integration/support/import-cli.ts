import { spawn } from 'node:child_process';
import { resolve } from 'node:path';

const root = resolve(import.meta.dirname, '../../..');

export interface ImportRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs `npm run import` as a person would, against `apiUrl`, with the key in the environment, not on the command line. */
export function runImportCli(apiUrl: string, key: string, path: string, ...args: string[]): Promise<ImportRun> {
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'infra/import.ts', path, '--url', apiUrl, ...args], {
      cwd: root,
      env: { ...process.env, MELDROUTE_API_KEY: key, NODE_NO_WARNINGS: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const run: ImportRun = { code: null, stdout: '', stderr: '' };
    child.stdout.on('data', (d) => (run.stdout += d));
    child.stderr.on('data', (d) => (run.stderr += d));
    child.on('error', fail);
    child.on('exit', (code) => {
      run.code = code;
      done(run);
    });
  });
}
