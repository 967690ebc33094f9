/* eslint-disable jsx-a11y/no-redundant-roles, jsx-a11y/no-interactive-element-to-noninteractive-role --
   The roles are explicit on purpose: a browser may drop a table's semantics when CSS changes
   its display (the cards below 640 px), and the roles keep it a table for screen readers. */
import type { Key, ReactNode } from 'react';

export interface Column<Row> {
  /** Stable id of the column (React key). */
  id: string;
  header: ReactNode;
  /** The column's name in a card (narrow screens), when the header is not plain text. */
  label?: string;
  cell: (row: Row) => ReactNode;
  /** This column names the row (a <th scope="row">): first in a card, as its title. */
  rowHeader?: boolean;
  /** Numbers and short codes: never wrapped ("318 / 318 (100%)" stays on one line). */
  nowrap?: boolean;
}

interface TableProps<Row> {
  caption: string;
  /** The caption is for screen readers only (a heading says it already). */
  captionHidden?: boolean;
  columns: Column<Row>[];
  rows: readonly Row[];
  rowKey: (row: Row) => Key;
  /** Shown in place of the rows when there are none. */
  empty?: ReactNode;
}

/**
 * A table whose words never break mid-word (styles.css: `.data-table`) and which, under
 * 640 px, shows each row as a card: the cells stack, each under its column's name.
 *
 * The explicit roles keep it a table for screen readers in both layouts: a browser drops
 * table semantics from table elements whose CSS display is changed. In a card the column's
 * name is shown for sighted readers only (aria-hidden): screen readers announce the header.
 */
export function Table<Row>({
  caption,
  captionHidden,
  columns,
  rows,
  rowKey,
  empty,
}: TableProps<Row>) {
  return (
    <div className="table-wrap" tabIndex={0} role="region" aria-label={caption}>
      <table className="data-table" role="table">
        <caption className={captionHidden ? 'visually-hidden' : undefined}>{caption}</caption>
        <thead role="rowgroup">
          <tr role="row">
            {columns.map((column) => (
              <th key={column.id} scope="col" role="columnheader">
                {column.header}
              </th>
            ))}
          </tr>
        </thead>
        <tbody role="rowgroup">
          {rows.map((row) => (
            <tr key={rowKey(row)} role="row">
              {columns.map((column) => {
                const label =
                  column.label ?? (typeof column.header === 'string' ? column.header : '');
                const content = (
                  <>
                    {!column.rowHeader && label && (
                      <span className="cell-label" aria-hidden="true">
                        {label}
                      </span>
                    )}
                    <span className="cell-value">{column.cell(row)}</span>
                  </>
                );
                const className = column.nowrap ? 'nowrap' : undefined;
                return column.rowHeader ? (
                  <th key={column.id} scope="row" role="rowheader" className={className}>
                    {content}
                  </th>
                ) : (
                  <td key={column.id} role="cell" className={className}>
                    {content}
                  </td>
                );
              })}
            </tr>
          ))}
          {rows.length === 0 && empty && (
            <tr role="row" className="empty-row">
              <td role="cell" colSpan={columns.length}>
                {empty}
              </td>
            </tr>
          )}
        </tbody>
      </table>
    </div>
  );
}
