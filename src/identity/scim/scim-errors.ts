/**
 * SCIM's own error shape (RFC 7644 §3.12): IdP clients (Okta, Entra ID) read `status` and
 * `scimType`, not the Anthropic envelope or the admin API's `{error:{code}}`.
 */
/** The media type of SCIM bodies (RFC 7644 §8.1); IdPs also send plain JSON. */
export const SCIM_CONTENT_TYPE = 'application/scim+json';
export const SCIM_ERROR_SCHEMA = 'urn:ietf:params:scim:api:messages:2.0:Error';

export type ScimType = 'invalidFilter' | 'invalidValue' | 'invalidSyntax' | 'invalidPath' | 'uniqueness' | 'mutability' | 'noTarget';

export class ScimError extends Error {
  constructor(
    readonly status: number,
    detail: string,
    readonly scimType?: ScimType,
  ) {
    super(detail);
    this.name = 'ScimError';
  }

  toBody(): { schemas: string[]; status: string; detail: string; scimType?: ScimType } {
    return { schemas: [SCIM_ERROR_SCHEMA], status: String(this.status), detail: this.message, ...(this.scimType && { scimType: this.scimType }) };
  }
}

export const invalidValue = (detail: string) => new ScimError(400, detail, 'invalidValue');
export const invalidSyntax = (detail: string) => new ScimError(400, detail, 'invalidSyntax');
export const notFound = (what: string, id: string) => new ScimError(404, `${what} ${id} not found`);
