import { randomBytes, randomInt, randomUUID } from 'node:crypto';

/** Randomness is passed in; tests may replace it to make codes predictable. */
export interface Random {
  bytes(size: number): Buffer;
  /** A string of `length` decimal digits, uniformly distributed. */
  digits(length: number): string;
  uuid(): string;
  /** A string of `length` characters drawn uniformly from `alphabet`. */
  pick(alphabet: string, length: number): string;
}

export const cryptoRandom: Random = {
  bytes: (size) => randomBytes(size),
  digits: (length) => {
    let out = '';
    for (let i = 0; i < length; i++) out += String(randomInt(10));
    return out;
  },
  uuid: () => randomUUID(),
  pick: (alphabet, length) => {
    let out = '';
    for (let i = 0; i < length; i++) out += alphabet[randomInt(alphabet.length)];
    return out;
  },
};
