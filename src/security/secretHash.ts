import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * Client secrets are 256 random bits, so a fast salted hash is enough: there is nothing to
 * guess from a dictionary, and the token endpoint must verify thousands per second. A slow
 * KDF protects low-entropy passwords (passwordHash.ts), not these.
 *
 * Stored form: `sha256$<salt base64url>$<HMAC-SHA256(salt, secret) base64url>`.
 */
const SCHEME = 'sha256';
const SALT_BYTES = 16;
const DIGEST_BYTES = 32;
/** No legitimate secret is longer; bounds the work done for garbage input. */
const MAX_SECRET_LENGTH = 1024;

/** 32 URL-safe characters (192 random bits). */
export const generateClientId = (): string => randomBytes(24).toString('base64url');

/** 32 random bytes (256 bits), base64url: 43 characters. */
export const generateClientSecret = (): string => randomBytes(32).toString('base64url');

const digest = (salt: Buffer, secret: string): Buffer => createHmac('sha256', salt).update(secret, 'utf8').digest();

export const hashSecret = (secret: string): string => {
  const salt = randomBytes(SALT_BYTES);
  return `${SCHEME}$${salt.toString('base64url')}$${digest(salt, secret).toString('base64url')}`;
};

const BASE64URL = /^[A-Za-z0-9_-]+$/;
const DUMMY_SALT = Buffer.alloc(SALT_BYTES);
const DUMMY_DIGEST = Buffer.alloc(DIGEST_BYTES);

const parse = (stored: unknown): { salt: Buffer; expected: Buffer } | null => {
  if (typeof stored !== 'string') return null;
  const parts = stored.split('$');
  if (parts.length !== 3 || parts[0] !== SCHEME || !BASE64URL.test(parts[1]!) || !BASE64URL.test(parts[2]!)) return null;
  const salt = Buffer.from(parts[1]!, 'base64url');
  const expected = Buffer.from(parts[2]!, 'base64url');
  return salt.length > 0 && expected.length === DIGEST_BYTES ? { salt, expected } : null;
};

/**
 * Stored hashes already parsed, by their text: the token endpoint checks the same few hashes on
 * every request. Hashes are not secrets, and which one is looked up depends on the client id
 * only, never on the presented secret. Bounded: emptied when full.
 */
const parsedHashes = new Map<string, ReturnType<typeof parse>>();
const MAX_PARSED_HASHES = 10_000;
const parseOnce = (stored: unknown): ReturnType<typeof parse> => {
  if (typeof stored !== 'string') return null;
  let parsed = parsedHashes.get(stored);
  if (parsed === undefined) {
    parsed = parse(stored);
    if (parsedHashes.size >= MAX_PARSED_HASHES) parsedHashes.clear();
    parsedHashes.set(stored, parsed);
  }
  return parsed;
};

/**
 * Constant-time check of a presented secret against a stored hash. Never throws: garbage
 * input, a malformed or tampered hash and a wrong-length secret all answer false after
 * doing the same work as a real comparison.
 */
export const verifySecret = (secret: unknown, stored: unknown): boolean => {
  const parsed = parseOnce(stored);
  const usable = typeof secret === 'string' && secret.length <= MAX_SECRET_LENGTH;
  const actual = digest(parsed?.salt ?? DUMMY_SALT, usable ? secret : '');
  const same = timingSafeEqual(actual, parsed?.expected ?? DUMMY_DIGEST);
  return same && parsed !== null && usable;
};
