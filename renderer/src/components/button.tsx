/** The kiosk's button: a real <button>, at least 88 px tall, with a test id. */
import type { ButtonHTMLAttributes } from 'react';

interface ButtonProps extends ButtonHTMLAttributes<HTMLButtonElement> {
  testId: string;
  variant?: 'primary' | 'secondary' | 'quiet';
}

export function Button({ testId, variant = 'primary', className, ...props }: ButtonProps) {
  return (
    <button
      type="button"
      data-testid={testId}
      className={['button', `button-${variant}`, className].filter(Boolean).join(' ')}
      {...props}
    />
  );
}
