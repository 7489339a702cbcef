import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';

/**
 * The messages of a server's outbox (DATA_DIR/outbox, the mailer without SMTP_URL) whose text
 * contains `needle`. The mailer writes a temp file and renames it: only finished .eml files count.
 */
export async function outboxMessages(dataDir: string, needle: string): Promise<string[]> {
  const outbox = join(dataDir, 'outbox');
  const out: string[] = [];
  for (const file of (await readdir(outbox).catch(() => [] as string[])).filter((f) => f.endsWith('.eml'))) {
    const text = await readFile(join(outbox, file), 'utf8').catch(() => '');
    if (text.includes(needle)) out.push(text);
  }
  return out;
}
