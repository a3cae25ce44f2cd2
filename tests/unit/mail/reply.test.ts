import { describe, expect, it } from 'vitest';
import { replyCodes } from '../../../src/mail/deliver/reply.js';

describe('replyCodes', () => {
  it('reads the reply code and the RFC 3463 enhanced status the server gave', () => {
    expect(replyCodes('550 5.1.1 <taro..yamada@docomo.ne.jp>: User unknown')).toEqual({ responseCode: 550, enhancedStatus: '5.1.1' });
    expect(replyCodes('421-4.7.28 Our system has detected an unusual rate\n421 4.7.28 of mail')).toEqual({ responseCode: 421, enhancedStatus: '4.7.28' });
    expect(replyCodes('250 2.0.0 Ok: queued as 4Xy')).toEqual({ responseCode: 250, enhancedStatus: '2.0.0' });
  });

  it('has no enhanced status when the server gave none, and no code when there was no reply', () => {
    expect(replyCodes('550 Mailbox unavailable')).toEqual({ responseCode: 550, enhancedStatus: null });
    expect(replyCodes('250 captured (TODOKU_MAIL_MODE=capture)')).toEqual({ responseCode: 250, enhancedStatus: null });
    // Not RFC 3463: class 3 does not exist, subject and detail have at most three digits.
    expect(replyCodes('550 3.1.1 x').enhancedStatus).toBeNull();
    expect(replyCodes('550 5.1.1000 x').enhancedStatus).toBeNull();
    expect(replyCodes('ECONNECTION: connect ECONNREFUSED 127.0.0.1:25')).toEqual({ responseCode: null, enhancedStatus: null });
  });
});
