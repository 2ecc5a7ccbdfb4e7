import type { FastifyReply } from 'fastify';
import type { z } from 'zod';

export interface ErrorDetail {
  field: string;
  message: string;
}

/** A refusal the client can act on; rendered as `{error: {code, message, details}}`. */
export class ApiError extends Error {
  constructor(
    readonly statusCode: number,
    readonly code: string,
    message: string,
    readonly details: ErrorDetail[] | Record<string, unknown> = [],
  ) {
    super(message);
  }
}

export function sendError(reply: FastifyReply, err: ApiError): FastifyReply {
  return reply.code(err.statusCode).send({ error: { code: err.code, message: err.message, details: err.details } });
}

function fieldOf(path: readonly PropertyKey[], where: string): string {
  return path.length === 0 ? where : path.map(String).join('.');
}

/** Validates input with a zod schema; a failure names every bad field. */
export function parseInput<S extends z.ZodType>(schema: S, input: unknown, where: string): z.infer<S> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const details = result.error.issues.map((issue) => ({ field: fieldOf(issue.path, where), message: issue.message }));
  const first = details[0];
  throw new ApiError(400, 'invalid_request', `Invalid ${where}: ${first ? `${first.field}: ${first.message}` : 'malformed'}`, details);
}

/** Parses a webhook's raw bytes, after its signature was checked. */
export function parseJsonBody(raw: Buffer | undefined): unknown {
  try {
    return JSON.parse((raw ?? Buffer.alloc(0)).toString('utf8'));
  } catch {
    throw new ApiError(400, 'invalid_json', 'The body is not valid JSON.', [{ field: 'body', message: 'malformed JSON' }]);
  }
}
