// The four Vipps-System-* headers, one fragment for every face (ePayment, Webhooks, Access Token).
// They identify the caller's system and plugin. Decision (docs/decisions.md, issue 11): no length
// limit on any endpoint. The specs write `maxLength: 30` (Order Management: 100), but the platform's
// own access-token guide sends a 33-character Vipps-System-Name, the ePayment spec leaves the
// headers off its GETs and force approve, and the official SDK sends all four on every call.
import { Type } from '@sinclair/typebox';

/** The limit the specs document and vipps-local does not enforce (for reports, not for refusals). */
export const DOCUMENTED_SYSTEM_HEADER_MAX_LENGTH = 30;

/** Header-schema properties (Fastify lower-cases header names). */
export const systemHeaders = {
  'vipps-system-name': Type.Optional(Type.String()),
  'vipps-system-version': Type.Optional(Type.String()),
  'vipps-system-plugin-name': Type.Optional(Type.String()),
  'vipps-system-plugin-version': Type.Optional(Type.String()),
};

export const SystemHeaders = Type.Object(systemHeaders);
