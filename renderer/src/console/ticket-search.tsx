/** The ticket a customer reads out: typed into a search box, matched as a prefix. */
import { useConsoleWords } from './format.js';

/** Letters and digits only, upper case: "k7q-2mx" and "K7Q 2MX" find the same job. */
export function normalizeTicket(text: string): string {
  return text
    .replace(/[^0-9a-z]/gi, '')
    .toUpperCase()
    .slice(0, 32);
}

export function TicketSearch({
  value,
  onChange,
}: {
  value: string;
  onChange(value: string): void;
}) {
  const { t } = useConsoleWords();
  return (
    <div className="console-search" role="search">
      <label htmlFor="ticket-search">{t('queue.search')}</label>
      <input
        id="ticket-search"
        type="search"
        inputMode="text"
        autoComplete="off"
        spellCheck={false}
        placeholder={t('queue.search-placeholder')}
        value={value}
        data-testid="ticket-search"
        onChange={(event) => onChange(event.target.value)}
      />
      {value === '' ? null : (
        <button
          type="button"
          className="cbutton cbutton-secondary"
          data-testid="ticket-search-clear"
          onClick={() => onChange('')}
        >
          {t('queue.search-clear')}
        </button>
      )}
    </div>
  );
}
