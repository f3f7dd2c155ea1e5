import type { Db } from '../db/open.js';

export type KeyAlgorithm = 'RSASSA-PKCS1-v1_5' | 'Ed25519';

export interface StoredKeyPair {
  algorithm: KeyAlgorithm;
  privateJwk: string;
  publicJwk: string;
}

/** The blog actor's key pairs, as JWK JSON; made once, then read. */
export function createFediKeysRepository(db: Db) {
  const all = db.prepare<[], StoredKeyPair>('SELECT algorithm, private_jwk AS privateJwk, public_jwk AS publicJwk FROM fedi_keys ORDER BY algorithm DESC');
  // Two processes making keys at once: the first one's stay.
  const insert = db.prepare('INSERT OR IGNORE INTO fedi_keys (algorithm, private_jwk, public_jwk, created_at) VALUES (?, ?, ?, ?)');
  return {
    all: () => all.all(),
    add: (pair: StoredKeyPair, now: number) => void insert.run(pair.algorithm, pair.privateJwk, pair.publicJwk, now),
  };
}

export type FediKeysRepository = ReturnType<typeof createFediKeysRepository>;
