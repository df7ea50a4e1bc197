import type { ReactNode } from 'react';
import { TableScroll } from './TableScroll.js';

export interface SimpleColumn<T> {
  readonly header: string;
  readonly render: (row: T) => ReactNode;
  /** Right-aligns the header and the cells (counts, row actions). */
  readonly align?: 'left' | 'right';
  /** Cells in the monospace font, for identifiers such as IAM actions and key prefixes. */
  readonly mono?: boolean;
  /** The cell that names its row: a row header, which screen readers read out with the row's other cells. */
  readonly rowHeader?: boolean;
}

function cellClass(column: Pick<SimpleColumn<unknown>, 'align' | 'mono'>): string | undefined {
  return [column.align === 'right' ? 'num' : '', column.mono ? 'mono' : ''].filter(Boolean).join(' ') || undefined;
}

/** A table's rows, one cell per column; DataTable draws its page of rows with it too. */
export function TableBody<T>({ columns, rows, rowKey }: { columns: readonly SimpleColumn<T>[]; rows: readonly T[]; rowKey: (row: T) => string }) {
  return (
    <tbody>
      {rows.map((row) => (
        <tr key={rowKey(row)}>
          {columns.map((column) =>
            column.rowHeader ? (
              <th key={column.header} scope="row" className="row-heading">
                {column.render(row)}
              </th>
            ) : (
              <td key={column.header} className={cellClass(column)}>
                {column.render(row)}
              </td>
            ),
          )}
        </tr>
      ))}
    </tbody>
  );
}

/**
 * A short table the page already holds in full, with no sorting, search or paging (DataTable is
 * for the lists the server pages). Its label names both the table and its scroll region.
 */
export function SimpleTable<T>({ label, columns, rows, rowKey }: { label: string; columns: readonly SimpleColumn<T>[]; rows: readonly T[]; rowKey: (row: T) => string }) {
  return (
    <TableScroll label={label}>
      <table aria-label={label}>
        <thead>
          <tr>
            {columns.map((column) => (
              <th key={column.header} scope="col" className={column.align === 'right' ? 'num' : undefined}>
                {column.header}
              </th>
            ))}
          </tr>
        </thead>
        <TableBody columns={columns} rows={rows} rowKey={rowKey} />
      </table>
    </TableScroll>
  );
}
