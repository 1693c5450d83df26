import { IncompleteReadError } from '@claude-idp/core';
import type { z } from 'zod';
import { VENDOR } from './onelogin-api-facts';

/** A payload that is valid JSON but not the shape the read relies on: a typed error naming where. */
export function validate<S extends z.ZodType>(schema: S, body: unknown, resource: string): z.infer<S> {
  const parsed = schema.safeParse(body);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const where = issue?.path.length ? issue.path.join('.') : '(root)';
  throw new IncompleteReadError({
    vendor: VENDOR,
    resource,
    reason: 'malformed-response',
    message: `OneLogin ${resource}: unexpected payload at ${where}: ${issue?.message ?? 'invalid'}`,
  });
}
