/**
 * A table whose rows the server sorts, filters and pages: the portal never holds more than one
 * page. Column headers sort (aria-sort tells screen readers the order), the search box filters,
 * the footer pages, and "Export CSV" fetches every page of the current filter and downloads it.
 */
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import type { ReactNode } from 'react';
import type { ListEnvelope } from '../api/client.js';
import { csvFileName, toCsv, type CsvValue } from '../lib/csv.js';
import { listBodyOf, nextOrder } from '../lib/list-body.js';
import { PAGE_SIZES, useListParams, type ListParams } from '../lib/list-params.js';
import { useAction } from '../lib/use-action.js';
import { ErrorMessage, errorText } from './ErrorMessage.js';
import { EmptyState } from './EmptyState.js';
import { Loading } from './Loading.js';
import { TableBody } from './SimpleTable.js';
import { TableScroll } from './TableScroll.js';

export interface Column<T> {
  readonly header: string;
  /** The API's sort field; a column without one does not sort. */
  readonly sort?: string;
  readonly render: (row: T) => ReactNode;
  /** The value exported to CSV; columns without one are left out (e.g. action buttons). */
  readonly csv?: (row: T) => CsvValue;
  readonly align?: 'left' | 'right';
  /** Exported to CSV but not shown, for detail a cell summarises (e.g. a tier price). */
  readonly csvOnly?: boolean;
}

export interface DataTableProps<T> {
  /** The table's accessible name and CSV file name. */
  readonly label: string;
  readonly queryKey: readonly unknown[];
  readonly fetchPage: (params: ListParams) => Promise<ListEnvelope<T>>;
  readonly columns: readonly Column<T>[];
  readonly rowKey: (row: T) => string;
  readonly defaultSort: { sort: string; order: 'asc' | 'desc' };
  /** Shown when the list is empty with no search: what to do first. */
  readonly empty: ReactNode;
  readonly searchLabel?: string;
  readonly toolbar?: ReactNode;
  readonly exportCsv?: boolean;
  /** URL parameter prefix, for a page with more than one table. */
  readonly stateKey?: string;
  readonly pageSize?: number;
}

const EXPORT_PAGE = 1000;

function download(name: string, text: string): void {
  const url = URL.createObjectURL(new Blob([text], { type: 'text/csv;charset=utf-8' }));
  const link = document.createElement('a');
  link.href = url;
  link.download = name;
  link.click();
  window.setTimeout(() => URL.revokeObjectURL(url), 1000);
}

/** Sortable column headers; `aria-sort` tells screen readers the order. */
function TableHead<T>({ columns, params, onSort }: { columns: readonly Column<T>[]; params: ListParams; onSort: (sort: string, order: 'asc' | 'desc') => void }) {
  return (
    <thead>
      <tr>
        {columns.map((column) => {
          const sorted = column.sort !== undefined && params.sort === column.sort;
          return (
            <th key={column.header} scope="col" className={column.align === 'right' ? 'num' : undefined} aria-sort={sorted ? (params.order === 'asc' ? 'ascending' : 'descending') : undefined}>
              {column.sort ? (
                <button type="button" className="sort-button" onClick={() => onSort(column.sort!, nextOrder(sorted, params.order, column.align === 'right'))}>
                  {column.header}
                  <span className="sort-mark" aria-hidden="true">
                    {sorted ? (params.order === 'asc' ? '▲' : '▼') : '↕'}
                  </span>
                </button>
              ) : (
                column.header
              )}
            </th>
          );
        })}
      </tr>
    </thead>
  );
}

export function DataTable<T>(props: DataTableProps<T>) {
  const { params, update } = useListParams({ ...props.defaultSort, limit: props.pageSize }, props.stateKey);
  const { busy: exporting, error: exportError, run } = useAction();
  const query = useQuery({
    queryKey: [...props.queryKey, params],
    queryFn: () => props.fetchPage(params),
    placeholderData: keepPreviousData,
  });
  const rows = query.data?.data ?? [];
  const total = query.data?.total ?? rows.length;

  const exportAll = () =>
    run(async () => {
      const all: T[] = [];
      for (let offset = 0; ; offset += EXPORT_PAGE) {
        const page = await props.fetchPage({ ...params, limit: EXPORT_PAGE, offset });
        all.push(...page.data);
        if (page.data.length < EXPORT_PAGE || all.length >= (page.total ?? 0)) break;
      }
      const columns = props.columns.flatMap((column) => (column.csv ? [{ header: column.header, value: column.csv }] : []));
      download(csvFileName(props.label), toCsv(columns, all));
    });

  const body = listBodyOf({ pending: query.isPending, failed: query.isError, total, rows: rows.length, searching: params.q !== '' });
  const shown = props.columns.filter((column) => !column.csvOnly);
  const first = total === 0 ? 0 : params.offset + 1;
  const last = Math.min(params.offset + rows.length, total);
  const page = Math.floor(params.offset / params.limit) + 1;

  return (
    <div className="data-table">
      <div className="table-toolbar">
        {props.searchLabel ? (
          <input
            type="search"
            className="table-search"
            aria-label={props.searchLabel}
            placeholder={props.searchLabel}
            defaultValue={params.q}
            onChange={(event) => update({ q: event.target.value.trim() })}
          />
        ) : null}
        {props.toolbar}
        {props.exportCsv !== false ? (
          <button type="button" className="button button-small" disabled={exporting || total === 0} onClick={() => void exportAll()}>
            {exporting ? 'Exporting…' : 'Export CSV'}
          </button>
        ) : null}
      </div>
      {exportError ? <p className="form-error" role="alert">CSV export failed: {errorText(exportError)}</p> : null}
      {query.isError ? <ErrorMessage error={query.error} /> : null}
      {body === 'loading' ? <Loading /> : null}
      {body === 'no-match' ? <EmptyState title={`Nothing matches “${params.q}”.`}>Try another search.</EmptyState> : null}
      {body === 'empty' ? props.empty : null}
      {body === 'past-end' ? (
        <EmptyState title="This page is empty.">
          <button type="button" className="button button-small" onClick={() => update({ page: 1 })}>
            Back to the first page
          </button>
        </EmptyState>
      ) : null}
      {body === 'rows' ? (
        <>
          <TableScroll label={props.label}>
            <table aria-label={props.label} aria-busy={query.isFetching}>
              <TableHead columns={shown} params={params} onSort={(sort, order) => update({ sort, order })} />
              <TableBody columns={shown} rows={rows} rowKey={props.rowKey} />
            </table>
          </TableScroll>
          <div className="table-footer">
            <span>
              {first}–{last} of {total}
            </span>
            <label className="page-size">
              Rows per page{' '}
              <select value={params.limit} onChange={(event) => update({ limit: Number(event.target.value) })}>
                {PAGE_SIZES.map((size) => (
                  <option key={size} value={size}>
                    {size}
                  </option>
                ))}
              </select>
            </label>
            <button type="button" className="button button-small" disabled={page <= 1} onClick={() => update({ page: page - 1 })}>
              Previous
            </button>
            <button type="button" className="button button-small" disabled={last >= total} onClick={() => update({ page: page + 1 })}>
              Next
            </button>
          </div>
        </>
      ) : null}
    </div>
  );
}
