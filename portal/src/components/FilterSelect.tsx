/**
 * A list filter kept in the address bar beside the table's own search, sort and page (see
 * lib/list-params.ts), so a filtered view is a link and the back button undoes a change. Changing
 * a filter starts again at the first page.
 */
import { useCallback, useId } from 'react';
import { useSearchParams } from 'react-router';

/** The filters' current values, and a setter that changes several at once (empty removes one). */
export function useUrlFilters<K extends string>(names: readonly K[]) {
  const [search, setSearch] = useSearchParams();
  const values = Object.fromEntries(names.map((name) => [name, search.get(name) ?? ''])) as Record<K, string>;
  const set = useCallback(
    (change: Partial<Record<K, string>>) =>
      setSearch((current) => {
        const next = new URLSearchParams(current);
        for (const [name, value] of Object.entries(change) as Array<[string, string | undefined]>) {
          if (value) next.set(name, value);
          else next.delete(name);
        }
        next.delete('page');
        return next;
      }),
    [setSearch],
  );
  return [values, set] as const;
}

export interface FilterOption {
  readonly value: string;
  readonly label: string;
}

/** A labelled select for a table's toolbar; the first choice ("All …") is the empty value. */
export function FilterSelect({ label, allLabel, options, value, onChange }: { label: string; allLabel: string; options: readonly FilterOption[]; value: string; onChange: (value: string) => void }) {
  const id = useId();
  return (
    <span className="filter">
      <label htmlFor={id}>{label}</label>
      <select id={id} value={value} onChange={(event) => onChange(event.target.value)}>
        <option value="">{allLabel}</option>
        {options.map((option) => (
          <option key={option.value} value={option.value}>
            {option.label}
          </option>
        ))}
      </select>
    </span>
  );
}
