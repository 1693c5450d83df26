import { z } from 'zod';

/**
 * The parts of OneLogin's payloads this client reads, as zod schemas. Field names are OneLogin's
 * own (API reference pages and the official SDK models); unknown fields are ignored, so new
 * fields never break a read, while a missing or mistyped field the read needs is an error.
 */

const id = z.number().int().nonnegative();
const text = z.string().nullable().optional();

/** POST /auth/oauth2/v2/token (RFC 6749 §5.1 style; python SDK OauthToken). */
export const TokenSchema = z.object({
  access_token: z.string().min(1),
  expires_in: z.number().positive().optional(),
  token_type: z.string().optional(),
  created_at: z.string().optional(),
  account_id: z.number().optional(),
});

/** GET /api/2/apps (list-apps). */
export const AppSummarySchema = z.object({ id, name: z.string() });

/** One entry of an app's `parameters` object (go-sdk models.Parameter; python AppParameters). */
export const AppParameterSchema = z.object({
  id: id.optional(),
  label: text,
  user_attribute_mappings: z.string().nullable().optional(),
  user_attribute_macros: z.string().nullable().optional(),
  include_in_saml_assertion: z.boolean().nullable().optional(),
});
export type AppParameter = z.infer<typeof AppParameterSchema>;

/** GET /api/2/apps/{id} (get-app, app-resource). */
export const AppSchema = z.object({
  id,
  name: z.string(),
  connector_id: z.number().nullable().optional(),
  auth_method: z.number().int().nullable().optional(),
  role_ids: z.array(id).nullable().optional(),
  provisioning: z.object({ enabled: z.boolean().optional() }).nullable().optional(),
  parameters: z.record(z.string(), AppParameterSchema).nullable().optional(),
});
export type OneLoginApp = z.infer<typeof AppSchema>;

/** GET /api/2/apps/{id}/users (list-users): minimal user objects. */
export const AppUserSchema = z.object({ id, email: text, username: text });

/** GET /api/2/roles with fields=id,name,apps (list-roles; python Role). */
/** GET /api/2/roles with `fields=id,name,apps,users` (list-roles): `users` holds the member ids. */
export const RoleSchema = z.object({
  id,
  name: z.string(),
  apps: z.array(id).nullable().optional(),
  users: z.array(id).nullable().optional(),
});
export type OneLoginRole = z.infer<typeof RoleSchema>;

/** GET /api/2/roles/{id}/users (get-role-users): `assigned` is false only with include_unassigned. */
export const RoleUserSchema = z.object({ id, username: text, assigned: z.boolean().optional() });

/** GET /api/2/users (list-users / get-user), as requested with `fields`. */
export const UserSchema = z
  .object({
    id,
    email: text,
    username: text,
    /** 0–8; there is no 6 (python SDK models/user.py). */
    status: z.union([
      z.literal(0),
      z.literal(1),
      z.literal(2),
      z.literal(3),
      z.literal(4),
      z.literal(5),
      z.literal(7),
      z.literal(8),
    ]),
    group_id: id.nullable().optional(),
    custom_attributes: z.record(z.string(), z.unknown()).nullable().optional(),
  })
  .catchall(z.unknown());
export type OneLoginUser = z.infer<typeof UserSchema>;

/** GET /api/1/groups: the v1 envelope with body pagination (api-docs/1/groups/get-groups). */
export const GroupsV1PageSchema = z.object({
  status: z.object({ error: z.boolean(), code: z.number() }).partial().optional(),
  pagination: z
    .object({ after_cursor: z.string().nullable().optional(), next_link: z.string().nullable().optional() })
    .nullable()
    .optional(),
  data: z.array(z.object({ id, name: z.string() })),
});

/** v2 error body: `{"message": "...", "statusCode": 404, "name": "NotFoundError"}`. */
export const ErrorV2Schema = z.object({
  message: z.string(),
  statusCode: z.number().optional(),
  name: z.string().optional(),
});
/** v1 error body: `{"status": {"error": true, "code": 401, "type": "Unauthorized", "message": "..."}}`. */
export const ErrorV1Schema = z.object({
  status: z.object({
    error: z.literal(true),
    code: z.number().optional(),
    type: z.string().optional(),
    message: z.unknown(),
  }),
});
