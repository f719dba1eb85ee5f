/**
 * Every setting of model/kiosk-settings.ts as a form, grouped as staff think of them. The
 * bank's policy locks some (shown disabled, with a lock); a settings file that could not be
 * used, or a policy not fully applied, is an alert on top. Save sends the top-level keys that
 * changed (a nested group whole, as the contract asks).
 */
import { useCallback, useEffect, useState, type FormEvent } from 'react';
import type { SettingsPatch, SettingsView } from '../../../preload/contract.js';
import {
  API_DISPLAY_NAME,
  DEFAULT_BASE_URL,
  VENDOR_DISPLAY_NAME,
  type ApiId,
  type VendorId,
} from '../../../model/apis.js';
import type { KioskSettings, Language, SessionKind } from '../../../model/kiosk-settings.js';
import { attempt, useConsole } from './console-context.js';
import { useConsoleWords } from './format.js';
import { CheckField, FieldFrame, NumberField, SelectField, TextField } from './setting-fields.js';

// Written out here, not imported: model/kiosk-settings.ts's values bring zod into the bundle.
const LANGUAGE_IDS = ['en', 'ru', 'kk'] as const satisfies readonly Language[];
const LANGUAGE_NAMES: Record<Language, string> = { en: 'English', ru: 'Русский', kk: 'Қазақша' };
const KINDS = ['liveness', 'liveness-and-match'] as const satisfies readonly SessionKind[];
const LIVENESS_APIS = [
  'kairos-liveness-v0.2',
  'kairos-liveness-v0.1',
  'biometric-kz-liveness-short',
] as const satisfies readonly ApiId[];
const VENDORS = ['kairos', 'biometric-kz'] as const satisfies readonly VendorId[];

type Key = keyof KioskSettings;

/** The top-level keys whose value differs (each whole): whether there is anything to save. */
export function settingsPatch(before: KioskSettings, after: KioskSettings): SettingsPatch {
  const patch: Record<string, unknown> = {};
  for (const key of Object.keys(after) as Key[]) {
    if (JSON.stringify(after[key]) !== JSON.stringify(before[key])) patch[key] = after[key];
  }
  return patch as SettingsPatch;
}

export function SettingsPanel() {
  const context = useConsole();
  const { t } = useConsoleWords();
  const [view, setView] = useState<SettingsView | null>(null);
  const [draft, setDraft] = useState<KioskSettings | null>(null);
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState<{ text: string; bad: boolean } | null>(null);
  const [loadProblem, setLoadProblem] = useState<string | null>(null);
  /** The main process's refusal, by the setting it names ("baseUrls.kairos: must be ..."). */
  const [refused, setRefused] = useState<{ path: string; message: string } | null>(null);

  const load = useCallback(() => {
    void attempt(context, (api) => api.getSettings()).then((answer) => {
      if (answer.ok) {
        setView(answer.value);
        setDraft(answer.value.settings);
        setLoadProblem(null);
      } else setLoadProblem(answer.failure.message);
    });
  }, [context]);
  useEffect(load, [load]);

  if (view === null || draft === null) {
    return (
      <div className="panel-stack">
        <h2 className="panel-title">{t('settings.title')}</h2>
        {loadProblem === null ? (
          <p>{t('console.loading')}</p>
        ) : (
          <p className="console-error" role="alert">
            {t('console.error', { message: loadProblem })}
          </p>
        )}
      </div>
    );
  }

  const locked = (path: string): boolean =>
    view.locked.some((at) => at === path || at.startsWith(`${path}.`) || path.startsWith(`${at}.`));
  const change = <K extends Key>(key: K, value: KioskSettings[K]): void => {
    setMessage(null);
    setRefused(null);
    setDraft((now) => (now === null ? now : { ...now, [key]: value }));
  };
  const patch = settingsPatch(view.settings, draft);
  const changed = Object.keys(patch).length > 0;

  const save = async (event: FormEvent): Promise<void> => {
    event.preventDefault();
    const form = event.currentTarget as HTMLFormElement;
    const wrong = form.querySelector<HTMLElement>('[aria-invalid="true"]');
    if (wrong !== null) {
      setMessage({ text: t('settings.fix-fields'), bad: true });
      wrong.focus();
      return;
    }
    if (!changed) {
      setMessage({ text: t('settings.unchanged'), bad: false });
      return;
    }
    setBusy(true);
    // Every key, not only the changed ones: the contract's SettingsPatchSchema fills each key a
    // patch leaves out with its default (zod 4 applies .default() inside .optional()), so a
    // patch of the changed keys alone would reset every other setting. A managed key sent with
    // its managed value is accepted, so the whole form can go back. Reported to the lead.
    const answer = await attempt(context, (api) => api.updateSettings({ ...draft }));
    setBusy(false);
    if (answer.ok) {
      setView(answer.value);
      setDraft(answer.value.settings);
      setMessage({ text: t('settings.saved'), bad: false });
    } else {
      const named = /^(?:settings:update:\s*)?([\w.-]+):\s*(.+)$/.exec(answer.failure.message);
      setRefused(named === null ? null : { path: named[1]!, message: named[2]! });
      setMessage({
        text:
          answer.failure.code === 'setting-locked'
            ? `${t('console.locked-error')} ${answer.failure.message}`
            : t('settings.not-saved', {
                // "settings:update: livenessThreshold: Too big" names the command first.
                message: answer.failure.message.replace(/^settings:update:\s*/, ''),
              }),
        bad: true,
      });
    }
  };

  const common = (path: string, label: string, hint?: string) => ({
    path,
    label,
    locked: locked(path),
    ...(hint === undefined ? {} : { hint }),
    ...(refused?.path === path ? { error: refused.message } : {}),
  });

  return (
    <form className="panel-stack settings" onSubmit={(event) => void save(event)} noValidate>
      <h2 className="panel-title">{t('settings.title')}</h2>
      {view.problem === null ? null : (
        <div
          className="console-banner console-banner-bad"
          role="alert"
          data-testid="banner-settings-problem"
        >
          <p>{t('settings.problem', { message: view.problem })}</p>
        </div>
      )}
      {view.policyProblem === null ? null : (
        <div
          className="console-banner console-banner-warn"
          role="alert"
          data-testid="banner-policy-problem"
        >
          <p>{t('settings.policy-problem', { message: view.policyProblem })}</p>
        </div>
      )}

      <fieldset>
        <legend>{t('settings.group-vendors')}</legend>
        <SelectField
          {...common('apis.liveness', t('settings.apis-liveness'))}
          value={draft.apis.liveness}
          options={LIVENESS_APIS.map((api) => ({ value: api, label: API_DISPLAY_NAME[api] }))}
          onChange={(value) => change('apis', { ...draft.apis, liveness: value })}
        />
        <SelectField
          {...common(
            'apis.liveness-and-match',
            t('settings.apis-liveness-and-match'),
            t('settings.apis-match-hint'),
          )}
          value={draft.apis['liveness-and-match']}
          options={[
            { value: 'kairos-biometric-v0.1', label: API_DISPLAY_NAME['kairos-biometric-v0.1'] },
          ]}
          onChange={() => undefined}
        />
        {VENDORS.map((vendor) => (
          <TextField
            key={vendor}
            {...common(
              `baseUrls.${vendor}`,
              t('settings.base-url', { vendor: VENDOR_DISPLAY_NAME[vendor] }),
              t('settings.base-url-hint', { url: DEFAULT_BASE_URL[vendor] }),
            )}
            type="url"
            value={draft.baseUrls[vendor] ?? ''}
            placeholder={DEFAULT_BASE_URL[vendor]}
            onChange={(value) =>
              change('baseUrls', {
                ...draft.baseUrls,
                [vendor]: value.trim() === '' ? null : value.trim(),
              })
            }
          />
        ))}
        <NumberField
          {...common(
            'livenessThreshold',
            t('settings.liveness-threshold'),
            t('settings.liveness-threshold-hint'),
          )}
          value={draft.livenessThreshold}
          min={0}
          max={1}
          step={0.01}
          onChange={(value) => change('livenessThreshold', value)}
        />
      </fieldset>

      <fieldset>
        <legend>{t('settings.group-customer')}</legend>
        <SelectField
          {...common('defaultSessionKind', t('settings.default-session-kind'))}
          value={draft.defaultSessionKind}
          options={KINDS.map((kind) => ({ value: kind, label: t(`settings.kind-${kind}`) }))}
          onChange={(value) => change('defaultSessionKind', value)}
        />
        <FieldFrame
          {...common('languages', t('settings.languages'))}
          {...(draft.languages.length === 0 ? { error: t('settings.no-language') } : {})}
        >
          {({ id, disabled }) => (
            <div className="field-checks" id={id} role="group" aria-label={t('settings.languages')}>
              {LANGUAGE_IDS.map((language) => (
                <label key={language} className="field-check-inline">
                  <input
                    type="checkbox"
                    disabled={disabled}
                    checked={draft.languages.includes(language)}
                    aria-invalid={draft.languages.length === 0}
                    data-testid={`setting-languages.${language}`}
                    onChange={(event) =>
                      change(
                        'languages',
                        LANGUAGE_IDS.filter((each) =>
                          each === language ? event.target.checked : draft.languages.includes(each),
                        ),
                      )
                    }
                  />
                  <span lang={language}>{LANGUAGE_NAMES[language]}</span>
                </label>
              ))}
            </div>
          )}
        </FieldFrame>
        <SelectField
          {...common('defaultLanguage', t('settings.default-language'))}
          {...(draft.languages.length > 0 && !draft.languages.includes(draft.defaultLanguage)
            ? {
                error: t('settings.default-language-not-offered', {
                  language: LANGUAGE_NAMES[draft.languages[0]!],
                }),
              }
            : {})}
          value={draft.defaultLanguage}
          options={LANGUAGE_IDS.map((language) => ({
            value: language,
            label: LANGUAGE_NAMES[language],
          }))}
          onChange={(value) => change('defaultLanguage', value)}
        />
      </fieldset>

      <fieldset>
        <legend>{t('settings.group-timeouts')}</legend>
        <NumberField
          {...common('idle.resultSeconds', t('settings.idle-result'))}
          value={draft.idle.resultSeconds}
          min={5}
          max={600}
          step={1}
          onChange={(value) => change('idle', { ...draft.idle, resultSeconds: value })}
        />
        <NumberField
          {...common('idle.otherSeconds', t('settings.idle-other'))}
          value={draft.idle.otherSeconds}
          min={10}
          max={1800}
          step={1}
          onChange={(value) => change('idle', { ...draft.idle, otherSeconds: value })}
        />
      </fieldset>

      <fieldset>
        <legend>{t('settings.group-keeping')}</legend>
        <NumberField
          {...common('retentionDays', t('settings.retention-days'))}
          value={draft.retentionDays}
          min={1}
          max={3650}
          step={1}
          onChange={(value) => change('retentionDays', value)}
        />
        <NumberField
          {...common('maxQueueDays', t('settings.max-queue-days'))}
          value={draft.maxQueueDays}
          min={0.5}
          max={30}
          step={0.5}
          onChange={(value) => change('maxQueueDays', value)}
        />
      </fieldset>

      <fieldset>
        <legend>{t('settings.group-camera')}</legend>
        <TextField
          {...common('camera', t('settings.camera'), t('settings.camera-hint'))}
          value={draft.camera ?? ''}
          onChange={(value) => change('camera', value.trim() === '' ? null : value)}
        />
        <NumberField
          {...common('capture.selfieMinFaceRatio', t('settings.selfie-min'))}
          value={draft.capture.selfieMinFaceRatio}
          min={0.05}
          max={0.9}
          step={0.01}
          onChange={(value) => change('capture', { ...draft.capture, selfieMinFaceRatio: value })}
        />
        <NumberField
          {...common('capture.selfieMaxFaceRatio', t('settings.selfie-max'))}
          value={draft.capture.selfieMaxFaceRatio}
          min={0.1}
          max={1}
          step={0.01}
          onChange={(value) => change('capture', { ...draft.capture, selfieMaxFaceRatio: value })}
        />
        <NumberField
          {...common('capture.autoCaptureSteadyMs', t('settings.auto-capture'))}
          value={draft.capture.autoCaptureSteadyMs}
          min={300}
          max={5000}
          step={100}
          onChange={(value) => change('capture', { ...draft.capture, autoCaptureSteadyMs: value })}
        />
        <NumberField
          {...common('capture.manualCaptureAfterSeconds', t('settings.manual-after'))}
          value={draft.capture.manualCaptureAfterSeconds}
          min={0}
          max={120}
          step={1}
          onChange={(value) =>
            change('capture', { ...draft.capture, manualCaptureAfterSeconds: value })
          }
        />
      </fieldset>

      <fieldset>
        <legend>{t('settings.group-training')}</legend>
        <CheckField
          path="training"
          label={t('settings.training')}
          locked={locked('training')}
          checked={draft.training}
          onChange={(value) => change('training', value)}
        />
      </fieldset>

      <div className="settings-actions">
        {message === null ? null : (
          <p
            className={message.bad ? 'console-error' : 'console-ok'}
            role={message.bad ? 'alert' : 'status'}
            data-testid="settings-message"
          >
            {message.text}
          </p>
        )}
        <button
          type="button"
          className="cbutton cbutton-secondary"
          data-testid="settings-reset"
          disabled={!changed || busy}
          onClick={() => {
            setDraft(view.settings);
            setMessage(null);
            setRefused(null);
          }}
        >
          {t('settings.reset')}
        </button>
        <button
          type="submit"
          className="cbutton cbutton-primary"
          data-testid="settings-save"
          disabled={busy}
        >
          {busy ? t('settings.saving') : t('settings.save')}
        </button>
      </div>
    </form>
  );
}
