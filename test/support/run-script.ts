import { spawn } from 'node:child_process';
import { ROOT } from './setup.ts';

export interface ScriptResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/**
 * Runs one of the project's scripts as a user would, with only the given configuration variables.
 * `prefix` runs it under another command (e.g. `setpriv …`, to drop root's right to read anything).
 */
export function runScript(script: string, args: string[], vars: Record<string, string>, prefix: readonly string[] = []): Promise<ScriptResult> {
  return new Promise((resolve, reject) => {
    const env = { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', NODE_ENV: 'test', LOG_LEVEL: 'warn', ...vars };
    const [command, ...rest] = [...prefix, process.execPath, '--import', 'tsx', script, ...args];
    const child = spawn(command!, rest, { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}
