/**
 * Words that change while the customer waits or moves: a polite live region. React writes the
 * DOM only when the text changes, so a screen reader hears each new message once, not every
 * frame.
 */
import type { ReactNode } from 'react';

interface StatusTextProps {
  children: ReactNode;
  className?: string;
  testId?: string;
}

export function StatusText({ children, className, testId }: StatusTextProps) {
  return (
    <p
      className={className}
      role="status"
      aria-live="polite"
      aria-atomic="true"
      data-testid={testId}
    >
      {children}
    </p>
  );
}
