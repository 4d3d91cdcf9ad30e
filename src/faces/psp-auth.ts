// A PSP's principal, on the PSP API and on ePayment with Psp-Id (card passthrough): the PSP's own
// subscription key and access token (the same for all its merchants), its Psp-Id, and the merchant's Merchant-Serial-Number, resolved by the directory. The
// gateway answers 401 for missing or wrong credentials and 403 for a sales unit the PSP does not act
// for, in the wording of the platform's knowledge base ("Invalid MSN: … not valid for the provided
// PSP ID"), as the Access Token API answers a PSP's token request for such a sales unit.
import type { FastifyRequest } from 'fastify';
import type { Directory, PspPrincipal } from '../engine/directory.ts';
import type { AccessTokens } from '../platform/access-tokens.ts';
import { bearerClaims, GatewayError, header, subscriptionKeyOwner } from './merchant-auth.ts';

const invalidMsn = (msn: string) => new GatewayError(403, `Invalid MSN: ${msn}. This MSN is not valid for the provided PSP ID.`);

export function authenticatePsp(req: FastifyRequest, directory: Directory, tokens: AccessTokens): PspPrincipal {
  const keyOwner = subscriptionKeyOwner(req, directory);
  if (keyOwner.kind !== 'psp') {
    throw new GatewayError(401, `Access denied: this is the subscription key of merchant "${keyOwner.merchant.name}". The PSP API takes the PSP's own subscription key.`);
  }
  const claims = bearerClaims(req, tokens);
  const pspId = header(req, 'psp-id');
  if (!pspId) throw new GatewayError(401, 'Access denied due to missing Psp-Id header. Send the Psp-Id Vipps gave the PSP.');
  const client = directory.clientById(claims.clientId);
  if (!client) throw new GatewayError(401, 'Access denied due to invalid access token: the client no longer exists.');
  if (client.kind !== 'psp') throw new GatewayError(401, `Access denied: the access token was issued to merchant "${client.merchant.name}". The PSP API takes the PSP's own access token.`);
  if (client.psp !== keyOwner.psp) throw new GatewayError(401, 'Access denied: the subscription key and the access token belong to different PSPs.');
  const msn = header(req, 'merchant-serial-number') ?? '';
  if (msn === '') throw new GatewayError(403, 'Invalid MSN: (none). The Merchant-Serial-Number header is required: the sales unit the PSP acts for.');
  const resolved = directory.pspPrincipal({ pspId, tokenClientId: claims.clientId, msn });
  if ('refused' in resolved) {
    switch (resolved.refused) {
      case 'unknown-psp-id':
        throw new GatewayError(401, `Access denied: unknown Psp-Id ${pspId}.`);
      case 'psp-id-not-the-token-client':
        throw new GatewayError(401, `Access denied: Psp-Id ${pspId} is not the PSP the access token was issued to.`);
      case 'msn-not-the-psp':
        throw invalidMsn(msn);
    }
  }
  // A token requested for one sales unit acts for that one only.
  if (claims.msn !== undefined && claims.msn !== msn) throw invalidMsn(msn);
  return resolved;
}
