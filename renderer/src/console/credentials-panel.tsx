/**
 * The vendors' credentials, write-only: set or not set and when they last changed, never a
 * value. Inputs are password fields, cleared after saving. Saving while in training asks
 * first (it ends training); removing asks first (the last one returns the kiosk to
 * training). Test connection sends one real request and says what staff can do about the answer.
 */
import { useCallback, useEffect, useState } from 'react';
import type { CredentialsView, TestConnectionResult } from '../../../preload/contract.js';
import { VENDOR_DISPLAY_NAME, type VendorId } from '../../../model/apis.js';
import { ConfirmDialog, type ConfirmRequest } from './confirm-dialog.js';
import { attempt, useConsole } from './console-context.js';
import { useConsoleWords } from './format.js';
import { useKioskEvents } from './use-kiosk-events.js';

const VENDORS = ['kairos', 'biometric-kz'] as const satisfies readonly VendorId[];
/** The fields each vendor's credentials have (preload/console-contract.ts SetCredentialsSchema). */
const FIELDS = {
  kairos: [
    { name: 'appId', label: 'credentials.app-id' },
    { name: 'appKey', label: 'credentials.app-key' },
  ],
  'biometric-kz': [{ name: 'apiKey', label: 'credentials.api-key' }],
} as const;

type Values = Record<string, string>;

function VendorCard({
  vendor,
  view,
  onView,
  confirm,
}: {
  vendor: VendorId;
  view: CredentialsView;
  onView(view: CredentialsView): void;
  confirm(request: ConfirmRequest): void;
}) {
  const context = useConsole();
  const { t, formats } = useConsoleWords();
  const name = VENDOR_DISPLAY_NAME[vendor];
  const state = view.vendors[vendor];
  const [values, setValues] = useState<Values>({});
  const [message, setMessage] = useState<{ text: string; bad: boolean } | null>(null);
  const [test, setTest] = useState<TestConnectionResult | null>(null);
  const [testProblem, setTestProblem] = useState<string | null>(null);
  const [testing, setTesting] = useState(false);
  const fields = FIELDS[vendor];
  const complete = fields.every((field) => (values[field.name] ?? '').trim() !== '');

  const save = async (): Promise<void> => {
    const input =
      vendor === 'kairos'
        ? { vendor, appId: values.appId ?? '', appKey: values.appKey ?? '' }
        : { vendor, apiKey: values.apiKey ?? '' };
    const answer = await attempt(context, (api) => api.setCredentials(input));
    // Typed secrets leave the page's memory whatever the answer.
    setValues({});
    if (answer.ok) {
      onView(answer.value);
      setMessage({ text: t('credentials.saved', { vendor: name }), bad: false });
    } else setMessage({ text: t('console.error', { message: answer.failure.message }), bad: true });
  };

  const askSave = (): void => {
    if (!view.training || view.trainingForced) {
      void save();
      return;
    }
    confirm({
      title: t('credentials.confirm-live-title'),
      body: t('credentials.confirm-live-body'),
      confirm: t('credentials.confirm-live-ok'),
      cancel: t('credentials.cancel'),
      onConfirm: () => void save(),
    });
  };

  const remove = async (): Promise<void> => {
    const answer = await attempt(context, (api) => api.removeCredentials(vendor));
    if (answer.ok) {
      onView(answer.value);
      setMessage({ text: t('credentials.removed', { vendor: name }), bad: false });
    } else setMessage({ text: t('console.error', { message: answer.failure.message }), bad: true });
  };

  const othersSet = VENDORS.some((other) => other !== vendor && view.vendors[other].set);
  const askRemove = (): void =>
    confirm({
      title: t('credentials.confirm-remove-title', { vendor: name }),
      body: `${t('credentials.confirm-remove-body', { vendor: name })}${
        othersSet ? '' : ` ${t('credentials.confirm-remove-last')}`
      }`,
      confirm: t('credentials.confirm-remove-ok'),
      cancel: t('credentials.cancel'),
      danger: true,
      onConfirm: () => void remove(),
    });

  const runTest = async (): Promise<void> => {
    setTesting(true);
    setTest(null);
    setTestProblem(null);
    const answer = await attempt(context, (api) => api.testConnection(vendor));
    setTesting(false);
    if (answer.ok) setTest(answer.value);
    else setTestProblem(answer.failure.message);
  };

  return (
    <section className="credential-card" aria-labelledby={`credential-${vendor}-title`}>
      <div className="credential-head">
        <h3 id={`credential-${vendor}-title`}>{name}</h3>
        <p
          className={state.set ? 'tag tag-good' : 'tag tag-muted'}
          data-testid={`credential-state-${vendor}`}
        >
          {state.set ? t('credentials.set') : t('credentials.not-set')}
        </p>
        <p className="console-hint">
          {state.changedAt === null
            ? t('credentials.never-changed')
            : t('credentials.changed', { time: formats.dateTime(Date.parse(state.changedAt)) })}
        </p>
      </div>
      <form
        className="credential-form"
        autoComplete="off"
        onSubmit={(event) => {
          event.preventDefault();
          if (complete) askSave();
        }}
      >
        {fields.map((field) => (
          <div className="field" key={field.name}>
            <label htmlFor={`credential-${vendor}-${field.name}`}>{t(field.label)}</label>
            <input
              id={`credential-${vendor}-${field.name}`}
              type="password"
              autoComplete="off"
              spellCheck={false}
              value={values[field.name] ?? ''}
              data-testid={`credential-${vendor}-${field.name}`}
              onChange={(event) =>
                setValues((now) => ({ ...now, [field.name]: event.target.value }))
              }
            />
          </div>
        ))}
        <div className="console-row">
          <button
            type="submit"
            className="cbutton cbutton-primary"
            data-testid={`credentials-save-${vendor}`}
            disabled={!complete}
          >
            {t('credentials.save')}
          </button>
          <button
            type="button"
            className="cbutton cbutton-danger-quiet"
            data-testid={`credentials-remove-${vendor}`}
            disabled={!state.set}
            onClick={askRemove}
          >
            {t('credentials.remove')}
          </button>
        </div>
      </form>
      {message === null ? null : (
        <p
          className={message.bad ? 'console-error' : 'console-ok'}
          role={message.bad ? 'alert' : 'status'}
          data-testid={`credentials-message-${vendor}`}
        >
          {message.text}
        </p>
      )}
      <div className="console-row credential-test">
        <button
          type="button"
          className="cbutton cbutton-secondary"
          data-testid={`test-connection-${vendor}`}
          disabled={testing}
          onClick={() => void runTest()}
        >
          {testing ? t('credentials.testing') : t('credentials.test')}
        </button>
      </div>
      <div role="status" data-testid={`connection-result-${vendor}`} className="connection-result">
        {test === null ? null : test.ok ? (
          <div className="console-ok" data-result="ok">
            <p>
              {t('credentials.test-ok', {
                endpoint: test.endpoint,
                ms: Math.round(test.ms),
                answer: test.answer,
              })}
            </p>
            {test.requestId === null ? null : (
              <p className="console-hint">
                {t('credentials.test-request', { id: test.requestId })}
              </p>
            )}
            {test.training ? (
              <p className="console-hint">{t('credentials.test-training')}</p>
            ) : null}
          </div>
        ) : (
          <div className="console-error" data-result={test.problem}>
            <p className="strong">{t(`credentials.problem-${test.problem}`)}</p>
            <p className="console-hint">
              {t('credentials.problem-detail', { message: test.message })}
            </p>
          </div>
        )}
        {testProblem === null ? null : (
          <p className="console-error">{t('console.error', { message: testProblem })}</p>
        )}
      </div>
    </section>
  );
}

export function CredentialsPanel() {
  const context = useConsole();
  const { t } = useConsoleWords();
  const [view, setView] = useState<CredentialsView | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const [confirm, setConfirm] = useState<ConfirmRequest | null>(null);

  const load = useCallback(() => {
    void attempt(context, (api) => api.getCredentials()).then((answer) => {
      if (answer.ok) setView(answer.value);
      else setProblem(answer.failure.message);
    });
  }, [context]);
  useEffect(load, [load]);
  useKioskEvents(
    useCallback(
      (event) => {
        if (event.type === 'mode-changed') load();
      },
      [load],
    ),
  );

  return (
    <div className="panel-stack">
      <h2 className="panel-title">{t('credentials.title')}</h2>
      {problem === null ? null : (
        <p className="console-error" role="alert">
          {t('console.error', { message: problem })}
        </p>
      )}
      {view === null ? (
        problem === null ? (
          <p>{t('console.loading')}</p>
        ) : null
      ) : (
        <>
          <p
            className={
              view.training
                ? 'console-banner console-banner-training'
                : 'console-banner console-banner-live'
            }
            data-testid="credentials-mode"
            data-training={view.training}
          >
            {view.training
              ? view.trainingForced
                ? t('credentials.mode-training-forced')
                : t('credentials.mode-training')
              : t('credentials.mode-live')}
          </p>
          <p className="console-hint">{t('credentials.write-only')}</p>
          <div className="credential-cards">
            {VENDORS.map((vendor) => (
              <VendorCard
                key={vendor}
                vendor={vendor}
                view={view}
                onView={setView}
                confirm={setConfirm}
              />
            ))}
          </div>
        </>
      )}
      <ConfirmDialog request={confirm} onClose={() => setConfirm(null)} />
    </div>
  );
}
