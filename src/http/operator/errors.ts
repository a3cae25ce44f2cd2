// The operator API's protocol edge: its refusals are {error, field?, message} (README "Operator
// API") whatever refuses the request — a route, the JSON parser, the body limit, the router —
// while POST / answers in Cognito's shape (cognito/dispatch.ts). Both share one Fastify
// instance, so the shared stages (body parsing, not-found, the error handler) ask which side
// a request is on.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';

export const OPERATOR_PREFIX = '/_todoku';

export function isOperatorRequest(req: FastifyRequest): boolean {
  const path = req.url.split('?', 1)[0]!;
  return path === OPERATOR_PREFIX || path.startsWith(OPERATOR_PREFIX + '/');
}

export function sendOperatorError(reply: FastifyReply, status: number, error: string, message: string, field?: string): FastifyReply {
  return reply
    .code(status)
    .header('content-type', 'application/json; charset=utf-8')
    .send({ error, ...(field !== undefined ? { field } : {}), message });
}

/**
 * Fastify's own refusals, in operator words. `bodyLimitBytes` is TODOKU_BODY_LIMIT_BYTES.
 * Unknown errors are not answered here: the caller logs them and answers 500.
 */
export function operatorRefusal(
  err: Error & { statusCode?: number; code?: string; validation?: SchemaFailure[]; validationContext?: string },
  bodyLimitBytes: number,
): { status: number; error: string; message: string; field?: string } | undefined {
  if (err.validation && err.validation.length > 0) return schemaRefusal(err.validation[0]!, err.validationContext ?? 'request');
  switch (err.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return { status: 413, error: 'PayloadTooLarge', message: `The request body is larger than ${bodyLimitBytes} bytes.` };
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return { status: 415, error: 'UnsupportedMediaType', message: 'Send the request body as application/json.' };
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return { status: 400, error: 'InvalidParameter', field: 'body', message: 'The request body is not valid JSON.' };
  }
  if (err.statusCode !== undefined && err.statusCode >= 400 && err.statusCode < 500) {
    return { status: err.statusCode, error: 'BadRequest', message: err.message };
  }
  return undefined;
}

/**
 * An operator route that needs no body (verify, rotate) may still be sent
 * `content-type: application/json` with an empty one — curl -H and most HTTP clients do — which
 * Fastify's JSON parser refuses (FST_ERR_CTP_EMPTY_JSON_BODY). Its parser is kept for every
 * non-empty body (with its __proto__ and constructor poisoning checks); an empty body is no body,
 * and a route that needs one says which field is missing. POST / does not read application/json
 * (Cognito's bodies are application/x-amz-json-1.1), so it refuses as before.
 */
export function registerOperatorProtocol(app: FastifyInstance): void {
  const parseJson = app.getDefaultJsonParser('error', 'error');
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (req, body, done) => {
    if ((body as string).trim() === '') return done(null, undefined);
    return parseJson(req, body as string, done);
  });

  // The router's 404 for unknown operator paths (and methods), in the operator shape; other
  // paths keep Fastify's answer.
  app.register(
    async (scope) => {
      scope.setNotFoundHandler((req, reply) => sendOperatorError(reply, 404, 'NotFound', `There is no ${req.method} ${req.url.split('?', 1)[0]} in the operator API.`));
    },
    { prefix: OPERATOR_PREFIX },
  );
}

/** The part of an Ajv error a route schema's refusal is built from. */
interface SchemaFailure {
  keyword: string;
  instancePath: string;
  params: Record<string, unknown>;
  message?: string;
}

/**
 * A route schema's refusal (Fastify's validation, err.validation) in operator words, naming the
 * offending key: the query string, path parameter or body field, not Ajv's JSON pointer.
 */
function schemaRefusal(f: SchemaFailure, where: string): { status: number; error: string; message: string; field: string } {
  const place = where === 'querystring' ? 'query parameter' : where === 'params' ? 'path parameter' : 'field';
  if (f.keyword === 'additionalProperties') {
    const field = String(f.params.additionalProperty);
    return { status: 400, error: 'InvalidParameter', field, message: `Unknown ${place} ${field}.` };
  }
  if (f.keyword === 'required') {
    const field = String(f.params.missingProperty);
    return { status: 400, error: 'InvalidParameter', field, message: `The ${place} ${field} is required.` };
  }
  const field = f.instancePath.split('/')[1] ?? where;
  const message =
    f.keyword === 'type' && f.params.type === 'string'
      ? `The ${place} ${field} is given more than once or is not a string; give it once.`
      : f.keyword === 'type'
        ? `The ${place} ${field} must be ${String(f.params.type)}${where === 'querystring' ? ', given once' : ''}.`
        : f.keyword === 'maxLength'
          ? `The ${place} ${field} is longer than ${String(f.params.limit)} characters.`
          : f.keyword === 'pattern'
            ? `The ${place} ${field} contains a character it may not (a control character).`
            : `The ${place} ${field} ${f.message ?? 'is invalid'}.`;
  return { status: 400, error: 'InvalidParameter', field, message };
}
