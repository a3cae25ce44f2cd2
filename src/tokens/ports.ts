export interface StoredSigningKey {
  kid: string;
  alg: string;
  publicJwk: string;
  /** Encrypted PKCS#8 PEM. */
  privateKey: string;
  createdAtMs: number;
  activatedAtMs: number | null;
  retiredAtMs: number | null;
}

export interface KeysPort {
  /** Oldest first; keys created in the same millisecond by kid. */
  listKeys(): Promise<StoredSigningKey[]>;
  insertKey(key: StoredSigningKey): Promise<void>;
  activateKey(kid: string, nowMs: number): Promise<void>;
  retireKey(kid: string, nowMs: number): Promise<void>;
  deleteKey(kid: string): Promise<void>;
}

export interface SettingsPort {
  getSetting(name: string): Promise<string | undefined>;
  /** Writes the value unless one exists; returns whichever value is stored afterwards. */
  putSettingIfAbsent(name: string, value: string): Promise<string>;
}
