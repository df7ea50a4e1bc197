import { Component, type ErrorInfo, type ReactNode } from 'react';
import { errorText } from './ErrorMessage.js';

/**
 * Keeps a page's rendering bug inside that page: the navigation stays usable and the reader is
 * told what failed. Keyed by the route, so moving to another page starts clean.
 */
export class PageErrorBoundary extends Component<{ children: ReactNode }, { error: unknown }> {
  override state: { error: unknown } = { error: undefined };

  static getDerivedStateFromError(error: unknown) {
    return { error };
  }

  override componentDidCatch(error: unknown, info: ErrorInfo): void {
    console.error('portal page failed', error, info.componentStack);
  }

  override render() {
    if (this.state.error === undefined) return this.props.children;
    return (
      <div className="notice notice-error" role="alert">
        <strong>This page could not be shown.</strong> {errorText(this.state.error)} Reload the page; if it happens again, the browser console has the details for
        your administrator.
      </div>
    );
  }
}
