/**
 * A screen's frame: the root element with its `data-screen` name, its one <h1>, and a row of
 * actions at the bottom. Focus moves to the heading when the screen changes, so a keyboard or
 * screen-reader user starts reading the new screen from its top.
 */
import { useEffect, useRef, type ReactNode } from 'react';
import type { ScreenName } from '../screen-of.js';

interface ScreenProps {
  name: ScreenName;
  title: string;
  children?: ReactNode;
  actions?: ReactNode;
  /** A layout variant (screens.css): centred, capture, ... */
  layout?: 'centred' | 'capture' | 'document';
  onClick?: (event: React.MouseEvent<HTMLElement>) => void;
}

export function Screen({
  name,
  title,
  children,
  actions,
  layout = 'centred',
  onClick,
}: ScreenProps) {
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    heading.current?.focus({ preventScroll: true });
  }, [name]);
  return (
    <main className={`screen screen-${layout}`} data-screen={name} onClick={onClick}>
      <h1 ref={heading} tabIndex={-1} className="screen-title">
        {title}
      </h1>
      <div className="screen-body">{children}</div>
      {actions === undefined ? null : <div className="screen-actions">{actions}</div>}
    </main>
  );
}
