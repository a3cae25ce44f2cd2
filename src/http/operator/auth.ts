// HTTP Basic auth with the admin access key id and secret, for /_todoku and /admin.
import type { FastifyReply, FastifyRequest } from 'fastify';
import { safeEqual } from '../../core/compare.js';

export interface BasicCredentials {
  accessKeyId: string;
  secretAccessKey: string;
}

/** True when the request carries the admin credentials; otherwise answers 401 and returns false. */
export function requireAdminBasic(req: FastifyRequest, reply: FastifyReply, creds: BasicCredentials): boolean {
  const header = req.headers.authorization ?? '';
  const m = /^Basic\s+([A-Za-z0-9+/=]+)$/i.exec(header);
  if (m) {
    const decoded = Buffer.from(m[1]!, 'base64').toString('utf8');
    const i = decoded.indexOf(':');
    if (i > 0) {
      // Both compared, always: no early exit that tells which half was wrong.
      const idOk = safeEqual(decoded.slice(0, i), creds.accessKeyId);
      const secretOk = safeEqual(decoded.slice(i + 1), creds.secretAccessKey);
      if (idOk && secretOk) return true;
    }
  }
  reply
    .code(401)
    .header('www-authenticate', 'Basic realm="todoku", charset="UTF-8"')
    .send({ error: 'Unauthorized', message: 'Use HTTP Basic auth with the admin access key id and secret.' });
  return false;
}
