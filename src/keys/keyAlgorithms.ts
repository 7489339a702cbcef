import { generateKeyPairSync, type KeyObject, type webcrypto } from 'node:crypto';

/** The JWS algorithms Tollgate signs with (TOKEN_SIGNING_ALG). */
export type SigningAlg = 'RS256' | 'ES256' | 'EdDSA';
export const SIGNING_ALGS: readonly SigningAlg[] = ['RS256', 'ES256', 'EdDSA'];

export const isSigningAlg = (v: unknown): v is SigningAlg =>
  typeof v === 'string' && (SIGNING_ALGS as readonly string[]).includes(v);

/** WebCrypto import parameters per algorithm (jose signs through WebCrypto). */
export const webCryptoParams: Record<
  SigningAlg,
  webcrypto.RsaHashedImportParams | webcrypto.EcKeyImportParams | webcrypto.Algorithm
> = {
  RS256: { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' },
  ES256: { name: 'ECDSA', namedCurve: 'P-256' },
  EdDSA: { name: 'Ed25519' },
};

/** A fresh key pair: 2048-bit RSA (as Oro's generate-keys), P-256 or Ed25519. */
export function generateKeyObjects(alg: SigningAlg): { privateKey: KeyObject; publicKey: KeyObject } {
  switch (alg) {
    case 'RS256':
      return generateKeyPairSync('rsa', { modulusLength: 2048 });
    case 'ES256':
      return generateKeyPairSync('ec', { namedCurve: 'P-256' });
    case 'EdDSA':
      return generateKeyPairSync('ed25519');
  }
}

/** The algorithm a key is used with, read from the key itself; undefined when unsupported. */
export function algorithmOf(key: KeyObject): SigningAlg | undefined {
  switch (key.asymmetricKeyType) {
    case 'rsa':
      return (key.asymmetricKeyDetails?.modulusLength ?? 0) >= 2048 ? 'RS256' : undefined;
    case 'ec':
      return key.asymmetricKeyDetails?.namedCurve === 'prime256v1' ? 'ES256' : undefined;
    case 'ed25519':
      return 'EdDSA';
    default:
      return undefined;
  }
}
