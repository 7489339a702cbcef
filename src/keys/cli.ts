/**
 * `npm run keys:generate` / `npm run keys:rotate`. Honours KEYS_DIR (./keys),
 * TOKEN_SIGNING_ALG (RS256) and ACCESS_TOKEN_TTL (3600, how long a rotated-out key stays
 * published). Prints key ids, never key material.
 */
import { isSigningAlg, type SigningAlg } from './keyAlgorithms.js';
import { createKeys, rotateKeys } from './keyStore.js';

function fail(message: string): never {
  process.stderr.write(`${message}\n`);
  process.exit(1);
}

function settings(env: NodeJS.ProcessEnv): { dir: string; alg: SigningAlg; ttl: number } {
  const dir = env.KEYS_DIR || './keys';
  const alg = env.TOKEN_SIGNING_ALG || 'RS256';
  if (!isSigningAlg(alg)) fail(`TOKEN_SIGNING_ALG: must be RS256, ES256 or EdDSA`);
  const ttlText = env.ACCESS_TOKEN_TTL || '3600';
  if (!/^\d+$/.test(ttlText) || Number(ttlText) < 1) fail('ACCESS_TOKEN_TTL: must be a whole number of seconds');
  return { dir, alg, ttl: Number(ttlText) };
}

async function main(command: string | undefined): Promise<void> {
  const { dir, alg, ttl } = settings(process.env);
  switch (command) {
    case 'generate': {
      let kid: string;
      try {
        kid = await createKeys(dir, alg);
      } catch (error) {
        fail(`${error instanceof Error ? error.message : String(error)} (npm run keys:rotate)`);
      }
      process.stdout.write(`Generated ${alg} signing key ${kid} in ${dir} (private key mode 0600).\n`);
      return;
    }
    case 'rotate': {
      const result = await rotateKeys({ dir, alg, accessTokenTtlSeconds: ttl });
      process.stdout.write(
        `New ${alg} signing key ${result.kid} in ${dir}; ${result.previousKid} stays in the JWKS for ${ttl} s.\n` +
          (result.pruned.length ? `Removed expired keys: ${result.pruned.join(', ')}\n` : '') +
          'Running servers watch keys.json and sign with the new key within 10 s (nodes sharing this directory; copy it to the others).\n',
      );
      return;
    }
    default:
      fail('usage: tsx src/keys/cli.ts generate|rotate');
  }
}

main(process.argv[2]).catch((error: unknown) => {
  fail(`keys: ${error instanceof Error ? error.message : String(error)}`);
});
