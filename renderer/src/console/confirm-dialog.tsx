/**
 * A modal question before anything that cannot be undone (discard a job, remove or save
 * credentials). The native <dialog> shown modally: focus moves into it and stays there, Esc
 * cancels, the page behind cannot be touched.
 */
import { useEffect, useRef } from 'react';

export interface ConfirmRequest {
  title: string;
  body: string;
  confirm: string;
  cancel: string;
  /** Red confirm button: something is deleted. */
  danger?: boolean;
  onConfirm(): void;
}

export function ConfirmDialog({
  request,
  onClose,
}: {
  request: ConfirmRequest | null;
  onClose(): void;
}) {
  const dialog = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const element = dialog.current;
    if (element === null) return;
    if (request !== null && !element.open) element.showModal();
    if (request === null && element.open) element.close();
  }, [request]);
  return (
    <dialog
      ref={dialog}
      className="console-dialog"
      data-testid="confirm-dialog"
      aria-labelledby="confirm-title"
      aria-describedby="confirm-body"
      onClose={onClose}
    >
      {request === null ? null : (
        <>
          <h2 id="confirm-title">{request.title}</h2>
          <p id="confirm-body">{request.body}</p>
          <div className="console-dialog-actions">
            <button
              type="button"
              className="cbutton cbutton-secondary"
              data-testid="confirm-cancel"
              autoFocus
              onClick={onClose}
            >
              {request.cancel}
            </button>
            <button
              type="button"
              className={`cbutton ${request.danger === true ? 'cbutton-danger' : 'cbutton-primary'}`}
              data-testid="confirm-ok"
              onClick={() => {
                request.onConfirm();
                onClose();
              }}
            >
              {request.confirm}
            </button>
          </div>
        </>
      )}
    </dialog>
  );
}
