/**
 * One setting of the form: its label, its control, and, when the bank's policy manages it, a
 * lock and "Set by your bank's policy" with the control disabled. Every control carries
 * data-testid="setting-<path>" (the dotted path of model/kiosk-settings.ts).
 */
import { useEffect, useId, useState, type ReactNode } from 'react';
import { useConsoleWords } from './format.js';

/** A padlock drawn, not an emoji: the kiosk's fonts may have no emoji. */
function LockIcon() {
  return (
    <svg className="lock-icon" viewBox="0 0 16 16" width="16" height="16" aria-hidden="true">
      <path
        d="M4.5 7V5a3.5 3.5 0 0 1 7 0v2h.5a1 1 0 0 1 1 1v6a1 1 0 0 1-1 1H4a1 1 0 0 1-1-1V8a1 1 0 0 1 1-1h.5zm1.5 0h4V5a2 2 0 0 0-4 0v2z"
        fill="currentColor"
      />
    </svg>
  );
}

interface FieldFrameProps {
  path: string;
  label: string;
  hint?: string;
  /** What is wrong with the value typed, next to it. */
  error?: string;
  locked: boolean;
  children(props: { id: string; describedBy: string | undefined; disabled: boolean }): ReactNode;
}

export function FieldFrame({ path, label, hint, error, locked, children }: FieldFrameProps) {
  const { t } = useConsoleWords();
  const id = useId();
  const hintId = `${id}-hint`;
  const lockId = `${id}-lock`;
  const errorId = `${id}-error`;
  const describedBy = [
    error === undefined ? null : errorId,
    hint === undefined ? null : hintId,
    locked ? lockId : null,
  ]
    .filter(Boolean)
    .join(' ');
  return (
    <div className={locked ? 'field field-locked' : 'field'} data-path={path}>
      <label htmlFor={id}>{label}</label>
      {children({
        id,
        describedBy: describedBy === '' ? undefined : describedBy,
        disabled: locked,
      })}
      {error === undefined ? null : (
        <p id={errorId} className="field-error" data-testid={`error-${path}`}>
          {error}
        </p>
      )}
      {hint === undefined ? null : (
        <p id={hintId} className="field-hint">
          {hint}
        </p>
      )}
      {locked ? (
        <p id={lockId} className="field-lock" data-testid={`locked-${path}`}>
          <LockIcon />
          {t('settings.locked')}
        </p>
      ) : null}
    </div>
  );
}

interface NumberFieldProps {
  path: string;
  label: string;
  hint?: string;
  /** The main process's refusal of this value, if any. */
  error?: string;
  locked: boolean;
  value: number;
  min: number;
  max: number;
  step: number;
  onChange(value: number): void;
}

/** A number as typed: the text is kept while it is not (yet) a number, e.g. "0." */
export function NumberField({ value, onChange, min, max, step, ...frame }: NumberFieldProps) {
  const [text, setText] = useState(String(value));
  useEffect(() => {
    setText((now) => (Number(now) === value && now.trim() !== '' ? now : String(value)));
  }, [value]);
  const { t } = useConsoleWords();
  const number = Number(text);
  const invalid = text.trim() === '' || !Number.isFinite(number) || number < min || number > max;
  return (
    <FieldFrame {...frame} {...(invalid ? { error: t('settings.range', { min, max }) } : {})}>
      {({ id, describedBy, disabled }) => (
        <input
          id={id}
          type="number"
          inputMode="decimal"
          min={min}
          max={max}
          step={step}
          value={text}
          disabled={disabled}
          aria-describedby={describedBy}
          aria-invalid={invalid || frame.error !== undefined}
          data-testid={`setting-${frame.path}`}
          onChange={(event) => {
            setText(event.target.value);
            const parsed = Number(event.target.value);
            onChange(event.target.value.trim() === '' ? Number.NaN : parsed);
          }}
        />
      )}
    </FieldFrame>
  );
}

interface TextFieldProps {
  path: string;
  label: string;
  hint?: string;
  error?: string;
  locked: boolean;
  value: string;
  placeholder?: string;
  type?: 'text' | 'url';
  onChange(value: string): void;
}

export function TextField({
  value,
  onChange,
  placeholder,
  type = 'text',
  ...frame
}: TextFieldProps) {
  return (
    <FieldFrame {...frame}>
      {({ id, describedBy, disabled }) => (
        <input
          id={id}
          type={type}
          value={value}
          placeholder={placeholder}
          autoComplete="off"
          spellCheck={false}
          disabled={disabled}
          aria-describedby={describedBy}
          aria-invalid={frame.error !== undefined}
          data-testid={`setting-${frame.path}`}
          onChange={(event) => onChange(event.target.value)}
        />
      )}
    </FieldFrame>
  );
}

interface SelectFieldProps<V extends string> {
  path: string;
  label: string;
  hint?: string;
  error?: string;
  locked: boolean;
  value: V;
  options: readonly { value: V; label: string }[];
  onChange(value: V): void;
}

export function SelectField<V extends string>({
  value,
  options,
  onChange,
  ...frame
}: SelectFieldProps<V>) {
  return (
    <FieldFrame {...frame}>
      {({ id, describedBy, disabled }) => (
        <select
          id={id}
          value={value}
          disabled={disabled || options.length < 2}
          aria-describedby={describedBy}
          data-testid={`setting-${frame.path}`}
          onChange={(event) => onChange(event.target.value as V)}
        >
          {options.map((option) => (
            <option key={option.value} value={option.value}>
              {option.label}
            </option>
          ))}
        </select>
      )}
    </FieldFrame>
  );
}

interface CheckFieldProps {
  path: string;
  label: string;
  locked: boolean;
  checked: boolean;
  testId?: string;
  onChange(checked: boolean): void;
}

export function CheckField({ path, label, locked, checked, testId, onChange }: CheckFieldProps) {
  const { t } = useConsoleWords();
  const id = useId();
  return (
    <div
      className={locked ? 'field field-check field-locked' : 'field field-check'}
      data-path={path}
    >
      <input
        id={id}
        type="checkbox"
        checked={checked}
        disabled={locked}
        data-testid={testId ?? `setting-${path}`}
        aria-describedby={locked ? `${id}-lock` : undefined}
        onChange={(event) => onChange(event.target.checked)}
      />
      <label htmlFor={id}>{label}</label>
      {locked ? (
        <p id={`${id}-lock`} className="field-lock" data-testid={`locked-${path}`}>
          <LockIcon />
          {t('settings.locked')}
        </p>
      ) : null}
    </div>
  );
}
