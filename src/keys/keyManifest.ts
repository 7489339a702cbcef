import { existsSync, linkSync, readFileSync, renameSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';

/**
 * `keys.json` in KEYS_DIR: which key signs (`active`) and which older keys stay published in
 * the JWKS until the tokens they signed have expired (`retiring[].retireAfter`).
 */
const kid = z.string().regex(/^[A-Za-z0-9_-]{1,128}$/, 'a key id of URL-safe characters');

export const keyManifestSchema = z
  .object({
    active: kid,
    retiring: z
      .array(z.object({ kid, retireAfter: z.iso.datetime({ offset: true }) }).strict())
      .default([]),
  })
  .strict();

export type KeyManifest = z.infer<typeof keyManifestSchema>;

export const MANIFEST_FILE = 'keys.json';
export const privateKeyFile = (dir: string, keyId: string): string => join(dir, `${keyId}.private.pem`);
export const publicKeyFile = (dir: string, keyId: string): string => join(dir, `${keyId}.public.pem`);
export const manifestFile = (dir: string): string => join(dir, MANIFEST_FILE);

export class KeyManifestError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'KeyManifestError';
  }
}

export const manifestExists = (dir: string): boolean => existsSync(manifestFile(dir));

export function readManifest(dir: string): KeyManifest {
  const file = manifestFile(dir);
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new KeyManifestError(
      `${file} ${error instanceof SyntaxError ? 'is not valid JSON' : 'cannot be read'}`,
    );
  }
  const parsed = keyManifestSchema.safeParse(raw);
  if (!parsed.success) {
    const why = parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ');
    throw new KeyManifestError(`${file} is invalid: ${why}`);
  }
  return parsed.data;
}

/**
 * The first manifest, only if there is none: written to a temporary file and hard-linked into
 * place (atomic, and refused when the file exists), so two nodes starting together on one
 * empty KEYS_DIR agree on one key. Returns false when another writer came first.
 */
export function createManifest(dir: string, manifest: KeyManifest): boolean {
  const file = manifestFile(dir);
  const tmp = `${file}.${process.pid}.${Date.now()}.tmp`;
  writeFileSync(tmp, JSON.stringify(manifest, null, 2) + '\n', { mode: 0o644 });
  try {
    linkSync(tmp, file);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  } finally {
    unlinkSync(tmp);
  }
}

/** Written to a temporary file and renamed, so a reader never sees half a manifest. */
export function writeManifest(dir: string, manifest: KeyManifest): void {
  const file = manifestFile(dir);
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, JSON.stringify(manifest, null, 2) + '\n', { mode: 0o644 });
  renameSync(tmp, file);
}
