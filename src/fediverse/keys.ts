import { exportJwk, generateCryptoKeyPair, importJwk } from './fedify.js';

// 2048-bit RSA, as Mastodon's own keys: Fedify's default of 4096 takes seconds to make and every signature costs more.
const makeRsa = () => crypto.subtle.generateKey({ name: 'RSASSA-PKCS1-v1_5', modulusLength: 2048, publicExponent: new Uint8Array([1, 0, 1]), hash: 'SHA-256' }, true, ['sign', 'verify']);
import type { FediKeysRepository, KeyAlgorithm } from '../repositories/fedi-keys.js';

const ALGORITHMS: KeyAlgorithm[] = ['RSASSA-PKCS1-v1_5', 'Ed25519'];

/**
 * The blog actor's key pairs, RSA first (HTTP Signatures; Mastodon reads the first key) then Ed25519 (object integrity
 * proofs): made the first time they are asked for, kept in fedi_keys, imported once per process.
 */
export function createKeyPairs(repo: FediKeysRepository, now: () => number = Date.now) {
  let loaded: Promise<CryptoKeyPair[]> | undefined;
  const load = async () => {
    const have = new Set(repo.all().map((row) => row.algorithm));
    for (const algorithm of ALGORITHMS.filter((a) => !have.has(a))) {
      const pair = algorithm === 'Ed25519' ? await generateCryptoKeyPair(algorithm) : await makeRsa();
      repo.add({ algorithm, privateJwk: JSON.stringify(await exportJwk(pair.privateKey)), publicJwk: JSON.stringify(await exportJwk(pair.publicKey)) }, now());
    }
    return Promise.all(
      repo.all().map(async (row) => ({
        privateKey: await importJwk(JSON.parse(row.privateJwk), 'private'),
        publicKey: await importJwk(JSON.parse(row.publicJwk), 'public'),
      })),
    );
  };
  return () => {
    loaded ??= load().catch((err: unknown) => {
      loaded = undefined;
      throw err;
    });
    return loaded;
  };
}
