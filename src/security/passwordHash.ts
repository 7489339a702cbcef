import { randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto';

/**
 * User passwords are low-entropy, so they get a slow, memory-hard KDF: scrypt with
 * N=16384, r=8, p=1 (16 MiB, the interactive-login parameters of the scrypt paper).
 * Stored form (PHC-like): `scrypt$<N>$<r>$<p>$<salt base64url>$<hash base64url>`.
 */
export const SCRYPT_PARAMS = { N: 16384, r: 8, p: 1 } as const;
const KEY_LENGTH = 32;
const SALT_BYTES = 16;
/** Longer inputs are refused outright; nobody types 1 kB passwords and it bounds the work. */
export const MAX_PASSWORD_LENGTH = 1024;
// Stored parameters are honoured (so they can be raised later) only within these bounds, so
// a tampered hash cannot make verification allocate gigabytes.
const MAX_N = 1 << 20;
const MAX_R = 32;
const MAX_P = 16;

const derive = (password: string, salt: Buffer, { N, r, p }: { N: number; r: number; p: number }) =>
  new Promise<Buffer>((resolve, reject) => {
    const options: ScryptOptions = { N, r, p, maxmem: 128 * N * r * p + 32 * 1024 * 1024 };
    scrypt(password.normalize('NFC'), salt, KEY_LENGTH, options, (error, key) =>
      error ? reject(error) : resolve(key),
    );
  });

export const hashPassword = async (password: string): Promise<string> => {
  const salt = randomBytes(SALT_BYTES);
  const key = await derive(password, salt, SCRYPT_PARAMS);
  const { N, r, p } = SCRYPT_PARAMS;
  return `scrypt$${N}$${r}$${p}$${salt.toString('base64url')}$${key.toString('base64url')}`;
};

interface ParsedHash {
  N: number;
  r: number;
  p: number;
  salt: Buffer;
  key: Buffer;
}

const BASE64URL = /^[A-Za-z0-9_-]+$/;
const INTEGER = /^[1-9][0-9]{0,7}$/;

const parse = (stored: unknown): ParsedHash | null => {
  if (typeof stored !== 'string') return null;
  const parts = stored.split('$');
  if (parts.length !== 6 || parts[0] !== 'scrypt') return null;
  const [, n, r, p, salt, key] = parts as [string, string, string, string, string, string];
  if (![n, r, p].every((x) => INTEGER.test(x)) || !BASE64URL.test(salt) || !BASE64URL.test(key)) return null;
  const parsed = { N: Number(n), r: Number(r), p: Number(p), salt: Buffer.from(salt, 'base64url'), key: Buffer.from(key, 'base64url') };
  const powerOfTwo = parsed.N > 1 && (parsed.N & (parsed.N - 1)) === 0;
  if (!powerOfTwo || parsed.N > MAX_N || parsed.r > MAX_R || parsed.p > MAX_P) return null;
  return parsed.key.length === KEY_LENGTH && parsed.salt.length > 0 ? parsed : null;
};

const DUMMY_SALT = Buffer.alloc(SALT_BYTES, 7);

/**
 * Constant-time check. Never throws and never answers faster for a malformed hash or an
 * unusable password: those run the same scrypt work against a dummy and answer false.
 */
export const verifyPassword = async (password: unknown, stored: unknown): Promise<boolean> => {
  const parsed = parse(stored);
  const usable = typeof password === 'string' && password.length <= MAX_PASSWORD_LENGTH;
  try {
    const key = await derive(usable ? password : '', parsed?.salt ?? DUMMY_SALT, parsed ?? SCRYPT_PARAMS);
    const same = timingSafeEqual(key, parsed?.key ?? Buffer.alloc(KEY_LENGTH));
    return same && parsed !== null && usable;
  } catch {
    return false;
  }
};

/**
 * For an unknown username: costs what a real verification costs, so response times do not
 * tell whether a user exists. Always false.
 */
export const dummyPasswordVerify = async (password?: unknown): Promise<false> => {
  await verifyPassword(typeof password === 'string' ? password : '', null);
  return false;
};
