import { ApiProblem } from '../api/client.js';

/** An error as a sentence a person can act on: the API's own message, else a generic one. */
export function errorText(error: unknown): string {
  if (error instanceof ApiProblem) return error.message;
  if (error instanceof Error && error.message) return error.message;
  return 'Something went wrong.';
}

export function ErrorMessage({ error, title = 'Could not load this' }: { error: unknown; title?: string }) {
  if (!error) return null;
  return (
    <div className="notice notice-error" role="alert">
      <strong>{title}.</strong> {errorText(error)}
    </div>
  );
}
