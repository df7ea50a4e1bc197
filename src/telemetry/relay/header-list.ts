/**
 * Collector headers written the way OTEL_EXPORTER_OTLP_HEADERS is: `key=value,key2=value2`, each
 * value percent-decoded (the W3C baggage format the OpenTelemetry SDKs read), so an operator can
 * copy a vendor's documented header string as is. Values often hold API keys: a parse error names
 * the position of the bad entry, never its text.
 */

export class HeaderListError extends Error {}

export function parseHeaderList(text: string): Record<string, string> {
  const headers: Record<string, string> = {};
  const entries = text.split(',');
  entries.forEach((entry, index) => {
    if (entry.trim() === '') return;
    const equals = entry.indexOf('=');
    const name = equals > 0 ? entry.slice(0, equals).trim().toLowerCase() : '';
    if (!/^[!#$%&'*+.^_`|~0-9a-z-]+$/.test(name)) throw new HeaderListError(`entry ${index + 1} is not a header name followed by =value`);
    try {
      headers[name] = decodeURIComponent(entry.slice(equals + 1).trim());
    } catch {
      throw new HeaderListError(`entry ${index + 1} (${name}) has a malformed percent-encoding`);
    }
  });
  return headers;
}
