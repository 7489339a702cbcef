import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { AuditorResults } from './auditorClients.js';

const SCRIPT = fileURLToPath(new URL('./auditorClients.ts', import.meta.url));

export interface AuditorProcess {
  /** Stops the auditors and returns what they measured. */
  stop(): Promise<AuditorResults>;
}

/** Starts `auditors` auditor clients in a child process (bench/lib/auditorClients.ts) and waits until they run. */
export async function startAuditorClients(options: {
  historyUrl: string;
  origin: string;
  token: string;
  auditors: number;
}): Promise<AuditorProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', SCRIPT], {
    env: {
      PATH: process.env['PATH'] ?? '',
      HOME: process.env['HOME'] ?? '',
      AUDITOR_URL: options.historyUrl,
      AUDITOR_ORIGIN: options.origin,
      AUDITOR_TOKEN: options.token,
      AUDITORS: String(options.auditors),
    },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout!.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (stderr = (stderr + chunk).slice(-4000)));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  await new Promise<void>((resolve, reject) => {
    const check = () => {
      if (stdout.includes('READY\n')) {
        child.stdout!.off('data', check);
        resolve();
      }
    };
    child.stdout!.on('data', check);
    void exited.then((code) => reject(new Error(`auditor clients exited (${code}) before starting:\n${stderr}`)));
  });
  return {
    async stop() {
      child.stdin!.end('stop\n');
      const code = await exited;
      const line = stdout.split('\n').find((l) => l.startsWith('{'));
      if (code !== 0 || line === undefined) throw new Error(`auditor clients failed (${code}):\n${stderr}`);
      return JSON.parse(line) as AuditorResults;
    },
  };
}
