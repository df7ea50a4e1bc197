import type { ReactNode } from 'react';

export interface KeyValueItem {
  readonly label: string;
  readonly value: ReactNode;
}

/** Facts about one thing (a gateway, a setting) as label–value pairs: a description list, so screen readers pair them. */
export function KeyValueList({ items }: { items: readonly KeyValueItem[] }) {
  return (
    <dl className="kv-list">
      {items.map((item) => (
        <div className="kv-item" key={item.label}>
          <dt>{item.label}</dt>
          <dd>{item.value}</dd>
        </div>
      ))}
    </dl>
  );
}
