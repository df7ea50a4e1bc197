/** A scripted browser for sign-in tests: the gateway's pages, the IdP's forms, cookies and redirects. */
export interface Hop {
  readonly url: string;
  readonly status: number;
  readonly location: string | null;
}

/**
 * A browser as far as sign-in needs one: cookies per host:port, redirects followed by hand (so
 * tests see every hop), forms posted with the CSRF field of the last page read, and the test
 * IdP's development login and consent forms submitted (oidc-idp.ts).
 */
export class Browser {
  private readonly jar = new Map<string, Map<string, string>>();
  /** The last page read through `get` or `post`: its CSRF field goes with the next `post`. */
  lastPage = '';

  /** `base` is the origin that `get` and `post` paths are relative to. */
  constructor(private readonly base = '') {}

  get csrf(): string {
    return /name="csrf" value="([^"]+)"/.exec(this.lastPage)?.[1] ?? '';
  }

  async get(path: string): Promise<{ status: number; html: string }> {
    return this.read(await this.fetch(`${this.base}${path}`));
  }

  /** Posts a form; the CSRF field from the last page is included unless `fields` overrides it. */
  async post(path: string, fields: Record<string, string>): Promise<{ status: number; html: string }> {
    const body = new URLSearchParams({ csrf: this.csrf, ...fields }).toString();
    return this.read(await this.fetch(`${this.base}${path}`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body }));
  }

  private async read(response: Response): Promise<{ status: number; html: string }> {
    this.lastPage = await response.text();
    return { status: response.status, html: this.lastPage };
  }

  cookie(url: string, name: string): string | undefined {
    return this.jar.get(new URL(url).host)?.get(name);
  }

  async fetch(url: string, init: RequestInit = {}): Promise<Response> {
    const target = new URL(url);
    const cookies = [...(this.jar.get(target.host) ?? new Map<string, string>())].map(([name, value]) => `${name}=${value}`).join('; ');
    const headers = new Headers(init.headers);
    if (cookies) headers.set('cookie', cookies);
    const response = await fetch(target, { ...init, headers, redirect: 'manual' });
    const jar = this.jar.get(target.host) ?? new Map<string, string>();
    this.jar.set(target.host, jar);
    for (const line of response.headers.getSetCookie()) {
      const [pair = '', ...attributes] = line.split(';').map((part) => part.trim());
      const name = pair.slice(0, pair.indexOf('='));
      const value = pair.slice(pair.indexOf('=') + 1);
      const expires = attributes.find((a) => a.toLowerCase().startsWith('expires='));
      const maxAge = attributes.find((a) => a.toLowerCase().startsWith('max-age='));
      const gone = value === '' || (expires && Date.parse(expires.slice(8)) <= Date.now()) || maxAge?.toLowerCase() === 'max-age=0';
      if (gone) jar.delete(name);
      else jar.set(name, value);
    }
    return response;
  }

  /**
   * Opens `url` and follows redirects, signing in at the IdP as `login` (any account id) and
   * consenting when asked, until a page that is not a redirect or an IdP form.
   */
  async navigate(url: string, login: string): Promise<{ url: string; response: Response; hops: Hop[] }> {
    const hops: Hop[] = [];
    let next: { url: string; init?: RequestInit } = { url };
    for (let step = 0; step < 20; step++) {
      const response = await this.fetch(next.url, next.init);
      const location = response.headers.get('location');
      hops.push({ url: next.url, status: response.status, location });
      if (location && response.status >= 300 && response.status < 400) {
        next = { url: new URL(location, next.url).href };
        continue;
      }
      const html = (response.headers.get('content-type') ?? '').includes('text/html') ? await response.clone().text() : '';
      const action = /<form[^>]*action="([^"]+)"[^>]*method="post"/.exec(html)?.[1];
      const prompt = /name="prompt" value="(\w+)"/.exec(html)?.[1];
      if (!action || !prompt) return { url: next.url, response, hops };
      const form: Record<string, string> = prompt === 'login' ? { prompt, login, password: 'any' } : { prompt };
      next = {
        url: new URL(action.replaceAll('&amp;', '&'), next.url).href,
        init: { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(form).toString() },
      };
    }
    throw new Error(`sign-in did not finish: ${JSON.stringify(hops)}`);
  }
}
