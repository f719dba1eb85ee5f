/**
 * A table whose rows are all the same height, with only the rows in view (and a few either
 * side) in the DOM: 10,000 jobs scroll like 20. The scroller is one focusable region, so the
 * list scrolls by keyboard too; rows are positioned by transform, which the compositor moves
 * without layout.
 */
import { memo, useEffect, useLayoutEffect, useRef, useState, type ReactNode } from 'react';

/** Rows drawn beyond each edge of the view, so a fast flick never shows an empty band. */
const OVERSCAN = 6;

interface RowContent {
  cells: ReactNode;
  attributes?: Record<string, string>;
}

interface RowProps {
  index: number;
  /** The row's data: the row is drawn again only when it (or `row`) changes, not on scroll. */
  item: unknown;
  row(index: number): RowContent;
  rowHeight: number;
}

const VirtualRow = memo(function VirtualRow({ index, row, rowHeight }: RowProps) {
  const { cells, attributes } = row(index);
  return (
    <div
      role="row"
      aria-rowindex={index + 2}
      className="vlist-row"
      style={{ transform: `translateY(${index * rowHeight}px)`, height: rowHeight }}
      {...attributes}
    >
      {cells}
    </div>
  );
});

interface VirtualListProps {
  /** The table's accessible name. */
  label: string;
  rowCount: number;
  rowHeight: number;
  /** The header row's cells (role="columnheader"). */
  header: ReactNode;
  /** One row's cells (role="cell"); the row element is drawn here. */
  row(index: number): RowContent;
  /** The data a row shows (compared by identity: a row whose item is the same is not redrawn). */
  itemAt(index: number): unknown;
  /** A row's React key (its job's id), without drawing it. */
  rowKey(index: number): string;
  /** Rows [first, last] are on view (after scrolling or resizing). */
  onRange(first: number, last: number): void;
  testId: string;
  className?: string;
}

export function VirtualList({
  label,
  rowCount,
  rowHeight,
  header,
  row,
  itemAt,
  rowKey,
  onRange,
  testId,
  className,
}: VirtualListProps) {
  const scroller = useRef<HTMLDivElement>(null);
  const [view, setView] = useState({ top: 0, height: 600 });
  const frame = useRef<number | null>(null);

  useLayoutEffect(() => {
    const element = scroller.current;
    if (element === null) return;
    const measure = (): void =>
      setView({ top: element.scrollTop, height: element.clientHeight || 600 });
    measure();
    const observer = new ResizeObserver(measure);
    observer.observe(element);
    const onScroll = (): void => {
      // One state update per frame, however many scroll events the frame had.
      if (frame.current !== null) return;
      frame.current = requestAnimationFrame(() => {
        frame.current = null;
        measure();
      });
    };
    element.addEventListener('scroll', onScroll, { passive: true });
    return () => {
      observer.disconnect();
      element.removeEventListener('scroll', onScroll);
      if (frame.current !== null) cancelAnimationFrame(frame.current);
    };
  }, []);

  const first = Math.max(0, Math.floor(view.top / rowHeight) - OVERSCAN);
  const last = Math.min(rowCount - 1, Math.ceil((view.top + view.height) / rowHeight) + OVERSCAN);

  useEffect(() => {
    onRange(first, Math.max(first, last));
  }, [first, last, onRange]);

  const rows: ReactNode[] = [];
  for (let index = first; index <= last; index += 1) {
    const item = itemAt(index);
    rows.push(
      <VirtualRow key={rowKey(index)} index={index} item={item} row={row} rowHeight={rowHeight} />,
    );
  }

  return (
    <div
      role="table"
      aria-label={label}
      aria-rowcount={rowCount + 1}
      className={['vlist', className].filter(Boolean).join(' ')}
      data-testid={testId}
    >
      <div role="rowgroup" className="vlist-head">
        <div role="row" aria-rowindex={1} className="vlist-row vlist-header">
          {header}
        </div>
      </div>
      <div
        ref={scroller}
        role="rowgroup"
        className="vlist-scroller"
        tabIndex={0}
        aria-label={label}
        data-testid={`${testId}-scroller`}
      >
        <div className="vlist-spacer" style={{ height: rowCount * rowHeight }}>
          {rows}
        </div>
      </div>
    </div>
  );
}
