/**
 * The audit trail: Verify (intact with its entry count, or the first broken entry and why),
 * and a CSV export for a range of days, downloaded through a Blob and an <a download>.
 */
import { useEffect, useState } from 'react';
import { ConfirmDialog, type ConfirmRequest } from './confirm-dialog.js';
import type { AuditVerify } from '../../../preload/contract.js';
import { attempt, useConsole } from './console-context.js';
import { useConsoleWords } from './format.js';

/** YYYY-MM-DD of a time, in UTC: the audit export's days are the kiosk's UTC days. */
function utcDay(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

/** Hands a file to the browser as a download (Chromium and Electron save it to Downloads). */
function download(content: Blob, fileName: string): void {
  const url = URL.createObjectURL(content);
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName;
  link.style.display = 'none';
  document.body.append(link);
  link.click();
  link.remove();
  // The download has its own copy by the next task; the page need not keep the CSV.
  setTimeout(() => URL.revokeObjectURL(url), 0);
}

/** What an action ended in: a status line, or an alert when it went wrong. */
function Outcome({
  outcome,
  testId,
}: {
  outcome: { text: string; bad: boolean } | null;
  testId: string;
}) {
  if (outcome === null) return null;
  return (
    <p
      className={outcome.bad ? 'console-error' : 'console-ok'}
      role={outcome.bad ? 'alert' : 'status'}
      data-testid={testId}
    >
      {outcome.text}
    </p>
  );
}

export function AuditPanel() {
  const context = useConsole();
  const { t } = useConsoleWords();
  const [verifying, setVerifying] = useState(false);
  const [verify, setVerify] = useState<AuditVerify | null>(null);
  const [verifyProblem, setVerifyProblem] = useState<string | null>(null);
  const today = utcDay(Date.now());
  const [from, setFrom] = useState(utcDay(Date.now() - 6 * 86_400_000));
  const [to, setTo] = useState(today);
  const [exporting, setExporting] = useState(false);
  const [exported, setExported] = useState<{ text: string; bad: boolean } | null>(null);
  const [saving, setSaving] = useState(false);
  const [saved, setSaved] = useState<{ text: string; bad: boolean } | null>(null);
  const [canQuit, setCanQuit] = useState(false);
  const [confirm, setConfirm] = useState<ConfirmRequest | null>(null);

  useEffect(() => {
    void context.api.getInfo().then(
      (info) => setCanQuit(info.canQuit),
      () => setCanQuit(false),
    );
  }, [context]);

  const saveDiagnostics = async (): Promise<void> => {
    setSaving(true);
    setSaved(null);
    const answer = await attempt(context, (api) => api.saveDiagnostics());
    setSaving(false);
    if (!answer.ok) {
      setSaved({ text: t('console.error', { message: answer.failure.message }), bad: true });
      return;
    }
    const bytes = Uint8Array.from(atob(answer.value.base64), (char) => char.charCodeAt(0));
    download(new Blob([bytes], { type: 'application/gzip' }), answer.value.fileName);
    setSaved({
      text: t('audit.diagnostics-saved', {
        file: answer.value.fileName,
        kb: Math.max(1, Math.round(answer.value.bytes / 1024)),
      }),
      bad: false,
    });
  };

  const askQuit = (): void =>
    setConfirm({
      title: t('audit.quit-title'),
      body: t('audit.quit-body'),
      confirm: t('audit.quit-confirm'),
      cancel: t('audit.quit-cancel'),
      danger: true,
      onConfirm: () => void attempt(context, (api) => api.quitApp()),
    });

  const runVerify = async (): Promise<void> => {
    setVerifying(true);
    setVerify(null);
    setVerifyProblem(null);
    const answer = await attempt(context, (api) => api.verifyAudit());
    setVerifying(false);
    if (answer.ok) setVerify(answer.value);
    else setVerifyProblem(answer.failure.message);
  };

  const runExport = async (): Promise<void> => {
    if (from > to) {
      setExported({ text: t('audit.bad-range'), bad: true });
      return;
    }
    setExporting(true);
    setExported(null);
    const answer = await attempt(context, (api) => api.exportAudit({ from, to }));
    setExporting(false);
    if (!answer.ok) {
      setExported({ text: t('console.error', { message: answer.failure.message }), bad: true });
      return;
    }
    download(
      new Blob([answer.value.csv], { type: 'text/csv;charset=utf-8' }),
      answer.value.fileName,
    );
    setExported({
      text: t('audit.exported', { rows: answer.value.rows, file: answer.value.fileName }),
      bad: false,
    });
  };

  return (
    <div className="panel-stack">
      <h2 className="panel-title">{t('audit.title')}</h2>
      <section className="audit-block" aria-labelledby="audit-verify-heading">
        <h3 id="audit-verify-heading">{t('audit.verify-heading')}</h3>
        <p className="console-hint">{t('audit.verify-body')}</p>
        <div className="console-row">
          <button
            type="button"
            className="cbutton cbutton-primary"
            data-testid="audit-verify"
            disabled={verifying}
            onClick={() => void runVerify()}
          >
            {verifying ? t('audit.verifying') : t('audit.verify')}
          </button>
        </div>
        <div role="status" data-testid="audit-result">
          {verify === null ? null : verify.ok ? (
            <div className="console-ok" data-result="ok">
              <p className="strong">{t('audit.ok', { entries: verify.entries })}</p>
              {verify.firstSeq === null || verify.lastSeq === null ? null : (
                <p>{t('audit.ok-range', { first: verify.firstSeq, last: verify.lastSeq })}</p>
              )}
            </div>
          ) : (
            <div className="console-error" data-result="broken">
              <p className="strong">
                {t('audit.broken', { seq: verify.seq, reason: verify.reason })}
              </p>
              <p>{t('audit.broken-detail', { checked: verify.entriesChecked })}</p>
            </div>
          )}
          {verifyProblem === null ? null : (
            <p className="console-error">{t('console.error', { message: verifyProblem })}</p>
          )}
        </div>
      </section>
      <section className="audit-block" aria-labelledby="audit-export-heading">
        <h3 id="audit-export-heading">{t('audit.export-heading')}</h3>
        <div className="console-row">
          <div className="field">
            <label htmlFor="audit-from">{t('audit.from')}</label>
            <input
              id="audit-from"
              type="date"
              value={from}
              max={today}
              data-testid="audit-from"
              onChange={(event) => setFrom(event.target.value)}
            />
          </div>
          <div className="field">
            <label htmlFor="audit-to">{t('audit.to')}</label>
            <input
              id="audit-to"
              type="date"
              value={to}
              max={today}
              data-testid="audit-to"
              onChange={(event) => setTo(event.target.value)}
            />
          </div>
          <button
            type="button"
            className="cbutton cbutton-primary audit-export"
            data-testid="audit-export"
            disabled={exporting || from === '' || to === ''}
            onClick={() => void runExport()}
          >
            {exporting ? t('audit.exporting') : t('audit.export')}
          </button>
        </div>
        <Outcome outcome={exported} testId="audit-export-result" />
      </section>
      <section className="audit-block" aria-labelledby="support-heading">
        <h3 id="support-heading">{t('audit.support-heading')}</h3>
        <p className="console-hint">{t('audit.diagnostics-body')}</p>
        <div className="console-row">
          <button
            type="button"
            className="cbutton cbutton-secondary"
            data-testid="diagnostics-save"
            disabled={saving}
            onClick={() => void saveDiagnostics()}
          >
            {saving ? t('audit.diagnostics-saving') : t('audit.diagnostics')}
          </button>
          {canQuit ? (
            <button
              type="button"
              className="cbutton cbutton-secondary"
              data-testid="app-quit"
              onClick={askQuit}
            >
              {t('audit.quit')}
            </button>
          ) : null}
        </div>
        <Outcome outcome={saved} testId="diagnostics-result" />
      </section>
      <ConfirmDialog request={confirm} onClose={() => setConfirm(null)} />
    </div>
  );
}
