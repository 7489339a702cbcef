import { readFileSync } from 'node:fs';
import { ensurePrivateDir, PRIVATE_FILE_MODE } from '../../src/security/privateFiles.js';
import { open, rename } from 'node:fs/promises';
import { join } from 'node:path';
import type { CheckpointStore } from './checkpointStore.js';

/** One small JSON file per name in `dir` (DATA_DIR/checkpoints), replaced atomically. */
export function createFileCheckpointStore(dir: string): CheckpointStore {
  ensurePrivateDir(dir);
  const fileOf = (name: string): string => join(dir, `${name.replace(/[^A-Za-z0-9._-]/g, '_')}.json`);
  return {
    async load(name) {
      try {
        const { position } = JSON.parse(readFileSync(fileOf(name), 'utf8')) as { position: unknown };
        return typeof position === 'number' ? position : undefined;
      } catch {
        return undefined;
      }
    },
    async store(name, position) {
      const file = fileOf(name);
      const tmp = `${file}.tmp`;
      const handle = await open(tmp, 'w', PRIVATE_FILE_MODE);
      try {
        await handle.writeFile(JSON.stringify({ position }));
        await handle.sync();
      } finally {
        await handle.close();
      }
      await rename(tmp, file);
    },
    async close() {},
  };
}
