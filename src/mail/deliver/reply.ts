// Reading an SMTP reply: the code that decides, and the enhanced status code that says why.

/** RFC 3463 §2: class "." subject "." detail — class 2, 4 or 5; subject and detail 1–3 digits. */
const ENHANCED_STATUS = /^[245]\.\d{1,3}\.\d{1,3}$/;

export interface ReplyCodes {
  /** RFC 5321 §4.2: three digits at the start of the reply; null when there are none. */
  responseCode: number | null;
  /** RFC 2034: the enhanced status code follows the reply code and a space; null when absent. */
  enhancedStatus: string | null;
}

/** Codes of a reply as the server sent it (`550 5.1.1 Unknown user`; of a multi-line reply, its first line). */
export function replyCodes(reply: string): ReplyCodes {
  const m = /^(\d{3})(?:[ -](\S+))?/.exec(reply.trimStart());
  if (!m) return { responseCode: null, enhancedStatus: null };
  const enhanced = m[2] !== undefined && ENHANCED_STATUS.test(m[2]) ? m[2] : null;
  return { responseCode: Number(m[1]), enhancedStatus: enhanced };
}
