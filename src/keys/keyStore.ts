import { createPrivateKey } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { calculateJwkThumbprint, type JWK } from 'jose';
import { generateKeyObjects, type SigningAlg } from './keyAlgorithms.js';
import {
  createManifest,
  manifestExists,
  privateKeyFile,
  publicKeyFile,
  readManifest,
  writeManifest,
  type KeyManifest,
} from './keyManifest.js';
import {
  createKeyRing,
  importSigningKey,
  importVerificationKey,
  unavailableKeyRing,
  type KeyRing,
  type RetiringPrivateKey,
  type VerificationKey,
} from './keyRing.js';

/**
 * Signing keys in KEYS_DIR: `<kid>.private.pem` (mode 0600), `<kid>.public.pem`, and the
 * `keys.json` manifest. The kid is the key's RFC 7638 thumbprint.
 */
export interface LoadKeysOptions {
  dir: string;
  production: boolean;
  alg?: SigningAlg;
  now?: () => Date;
}

/** Writes a new key pair into `dir` and returns its kid; does not touch the manifest. */
export async function generateKeyPair(dir: string, alg: SigningAlg = 'RS256'): Promise<string> {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const { privateKey, publicKey } = generateKeyObjects(alg);
  const kid = await calculateJwkThumbprint(publicKey.export({ format: 'jwk' }) as JWK);
  const privateFile = privateKeyFile(dir, kid);
  writeFileSync(privateFile, privateKey.export({ format: 'pem', type: 'pkcs8' }), { mode: 0o600, flag: 'wx' });
  chmodSync(privateFile, 0o600);
  writeFileSync(publicKeyFile(dir, kid), publicKey.export({ format: 'pem', type: 'spki' }), { mode: 0o644 });
  return kid;
}

/**
 * Creates the first key pair and manifest; refuses when keys already exist — also when
 * another process created them meanwhile (nodes starting together on a shared KEYS_DIR):
 * then its own pair is removed and the other's manifest stands.
 */
export async function createKeys(dir: string, alg: SigningAlg = 'RS256'): Promise<string> {
  if (manifestExists(dir)) throw new Error(`keys already exist in ${dir}; rotate them instead`);
  const kid = await generateKeyPair(dir, alg);
  if (!createManifest(dir, { active: kid, retiring: [] })) {
    for (const file of [privateKeyFile(dir, kid), publicKeyFile(dir, kid)]) if (existsSync(file)) unlinkSync(file);
    throw new Error(`keys already exist in ${dir}; rotate them instead`);
  }
  return kid;
}

/**
 * Development: generate a missing pair. Production: never generate; missing or broken keys
 * make the ring unavailable with the Oro warning. A private key readable by group or others
 * is used but reported.
 */
export async function loadOrCreateKeys(options: LoadKeysOptions): Promise<KeyRing> {
  const { dir, production } = options;
  const now = (options.now ?? (() => new Date()))();
  if (!manifestExists(dir)) {
    if (production) return unavailableKeyRing(`No key manifest in ${dir} (run npm run keys:generate).`);
    await createKeys(dir, options.alg ?? 'RS256').catch((error: unknown) => {
      if (!manifestExists(dir)) throw error; // else another node sharing KEYS_DIR created them first
    });
  }
  try {
    const manifest = readManifest(dir);
    const warnings = permissionWarnings(dir, manifest);
    const signingKey = await importSigningKey(manifest.active, readFileSync(privateKeyFile(dir, manifest.active), 'utf8'));
    if (options.alg && signingKey.alg !== options.alg) {
      warnings.push(`The active signing key ${manifest.active} is ${signingKey.alg}, not the configured ${options.alg}; rotate the keys to switch.`);
    }
    const verificationKeys: VerificationKey[] = [await importVerificationKey(manifest.active, readPublicPem(dir, manifest.active))];
    const retiringPrivateKeys: RetiringPrivateKey[] = [];
    for (const r of manifest.retiring) {
      if (Date.parse(r.retireAfter) <= now.getTime()) continue;
      verificationKeys.push(await importVerificationKey(r.kid, readPublicPem(dir, r.kid), r.retireAfter));
      const privateFile = privateKeyFile(dir, r.kid);
      // Only to open what was sealed under it (console sessions); a missing file is no error.
      if (existsSync(privateFile)) retiringPrivateKeys.push({ kid: r.kid, keyObject: createPrivateKey(readFileSync(privateFile, 'utf8')) });
    }
    return createKeyRing(signingKey, verificationKeys, warnings, retiringPrivateKeys);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    return unavailableKeyRing(`Signing keys in ${dir} could not be loaded: ${message.replace(/-----BEGIN[\s\S]*/, '')}`);
  }
}

function readPublicPem(dir: string, kid: string): string {
  const file = publicKeyFile(dir, kid);
  return readFileSync(existsSync(file) ? file : privateKeyFile(dir, kid), 'utf8');
}

function permissionWarnings(dir: string, manifest: KeyManifest): string[] {
  const warnings: string[] = [];
  for (const kid of [manifest.active, ...manifest.retiring.map((r) => r.kid)]) {
    const file = privateKeyFile(dir, kid);
    if (!existsSync(file)) continue;
    const mode = statSync(file).mode & 0o777;
    if ((mode & 0o077) !== 0) {
      warnings.push(
        `The private key file ${file} is readable by group or others (mode ${mode.toString(8).padStart(4, '0')}); set it to 0600.`,
      );
    }
  }
  return warnings;
}

export interface RotationResult {
  kid: string;
  previousKid: string;
  pruned: string[];
}

/**
 * New active key; the previous one stays published until every token it signed has expired
 * (retireAfter = now + access token TTL). Retiring keys past their time are removed.
 */
export async function rotateKeys(options: {
  dir: string;
  alg?: SigningAlg;
  accessTokenTtlSeconds: number;
  now?: () => Date;
}): Promise<RotationResult> {
  const now = (options.now ?? (() => new Date()))();
  if (!manifestExists(options.dir)) throw new Error(`no keys in ${options.dir} to rotate; generate them first`);
  const manifest = readManifest(options.dir);
  const kid = await generateKeyPair(options.dir, options.alg ?? 'RS256');
  const keep = manifest.retiring.filter((r) => Date.parse(r.retireAfter) > now.getTime());
  const pruned = manifest.retiring.filter((r) => !keep.includes(r)).map((r) => r.kid);
  const retireAfter = new Date(now.getTime() + options.accessTokenTtlSeconds * 1000).toISOString();
  writeManifest(options.dir, {
    active: kid,
    retiring: [...keep, { kid: manifest.active, retireAfter }],
  });
  for (const old of pruned) {
    for (const file of [privateKeyFile(options.dir, old), publicKeyFile(options.dir, old)]) {
      if (existsSync(file)) unlinkSync(file);
    }
  }
  return { kid, previousKid: manifest.active, pruned };
}
