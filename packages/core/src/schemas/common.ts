import { z } from 'zod';

export const IDP_KINDS = ['okta', 'entra', 'google', 'onelogin', 'generic'] as const;
export const IdpKindSchema = z.enum(IDP_KINDS).describe('The identity provider the snapshot was read from.');
export type IdpKind = z.infer<typeof IdpKindSchema>;

/** ISO 8601 timestamp with offset. */
export const IsoDateTimeSchema = z.iso.datetime({ offset: true });
