import type { z } from 'zod';
import { ApiError } from '../errors.js';

/** Validates a request part against its declared schema; the message names each bad field. */
export function validate<T extends z.ZodType>(schema: T, value: unknown): z.infer<T> {
  const result = schema.safeParse(value ?? {});
  if (result.success) return result.data;
  const problems = result.error.issues.map((issue) => `${issue.path.join('.') || 'body'}: ${issue.message}`);
  throw new ApiError('invalid_request', problems.join('; '));
}
