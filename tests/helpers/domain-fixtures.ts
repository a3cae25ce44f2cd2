// A sending identity and its DKIM key as records planning sees them (pure values, no database).
import type { DkimKey, SendingDomain } from '../../src/domains/model.js';

export const planIdentity: SendingDomain = {
  domain: 'example.jp',
  mailFromDomain: 'bounce.example.jp',
  behaviorOnMxFailure: 'UseDefaultValue',
  dkimMode: 'rsa2048',
  dkimStatus: 'PENDING',
  dkimReason: null,
  mailFromStatus: 'PENDING',
  mailFromReason: null,
  spfStatus: 'PENDING',
  spfReason: null,
  verificationStartedAtMs: 0,
  lastCheckedAtMs: null,
  nextCheckAtMs: null,
  createdAtMs: 0,
  updatedAtMs: 0,
};

export const planKey: DkimKey = {
  id: 'k1',
  domain: 'example.jp',
  selector: 'todoku202601',
  algorithm: 'rsa',
  publicKey: 'M'.repeat(392),
  privateKeyEncrypted: 'sealed',
  createdAtMs: 0,
  activatedAtMs: 0,
  retiredAtMs: null,
};
