/**
 * The gateway's base URL as browsers, IdPs and Claude Code reach it: `CCAG_PUBLIC_URL` when set
 * (behind a proxy or load balancer the request's own origin may be internal), else the origin the
 * request came to. Every absolute URL the gateway hands out starts here.
 */
export function publicBaseOf(request: { readonly protocol: string; readonly host: string }, publicUrl: string | undefined): string {
  return publicUrl ?? `${request.protocol}://${request.host}`;
}
