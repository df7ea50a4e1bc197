import type { ReactNode } from 'react';

/**
 * A wide table's horizontal scroller. It takes keyboard focus, so someone without a mouse can
 * scroll it with the arrow keys, and is named after its table for the region list.
 */
export function TableScroll({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div className="table-scroll" role="region" aria-label={label} tabIndex={0}>
      {children}
    </div>
  );
}
