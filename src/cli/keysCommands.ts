import type { Config } from '../config/config.js';
import { createKeys, rotateKeys } from '../keys/keyStore.js';
import { manifestExists } from '../keys/keyManifest.js';
import { CliError, EXIT } from './exitCodes.js';

/** `tollgate keys generate|rotate`: key ids on stdout, never key material. */
export async function keysGenerate(config: Config, out: (line: string) => void): Promise<void> {
  if (manifestExists(config.keysDir)) {
    throw new CliError(EXIT.refused, `${config.keysDir} already has signing keys; use "tollgate keys rotate"`);
  }
  const kid = await createKeys(config.keysDir, config.signingAlg);
  out(`Generated ${config.signingAlg} signing key ${kid} in ${config.keysDir} (private key mode 0600).`);
}

export async function keysRotate(config: Config, out: (line: string) => void): Promise<void> {
  if (!manifestExists(config.keysDir)) {
    throw new CliError(EXIT.notFound, `no signing keys in ${config.keysDir} to rotate; run "tollgate keys generate" first`);
  }
  const ttl = config.accessTokenTtl;
  const result = await rotateKeys({ dir: config.keysDir, alg: config.signingAlg, accessTokenTtlSeconds: ttl });
  out(`New ${config.signingAlg} signing key ${result.kid} in ${config.keysDir}; ${result.previousKid} stays in the JWKS for ${ttl} s.`);
  if (result.pruned.length > 0) out(`Removed expired keys: ${result.pruned.join(', ')}`);
  out('Running servers watch keys.json and sign with the new key within 10 s (nodes sharing this directory; copy it to the others).');
}
