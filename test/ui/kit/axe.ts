/** Accessibility checks with axe-core, through @axe-core/playwright. */
import { AxeBuilder } from '@axe-core/playwright';
import type { Page } from 'playwright-core';

export interface AxeOptions {
  /** CSS selectors to check only (default: the whole page). */
  include?: string[];
  /** CSS selectors to leave out (e.g. a third-party widget). */
  exclude?: string[];
  /** Rule ids to skip, each with a reason in the calling suite. */
  disableRules?: string[];
}

/** One failing rule, flattened for messages and reports. */
export interface AxeFinding {
  id: string;
  impact: string;
  help: string;
  helpUrl: string;
  /** CSS selectors of the offending elements. */
  targets: string[];
}

const FAILING_IMPACTS = new Set(['serious', 'critical']);

/** Every violation axe finds, whatever its impact. */
export async function axeFindings(page: Page, options: AxeOptions = {}): Promise<AxeFinding[]> {
  let builder = new AxeBuilder({ page });
  for (const selector of options.include ?? []) builder = builder.include(selector);
  for (const selector of options.exclude ?? []) builder = builder.exclude(selector);
  if (options.disableRules !== undefined) builder = builder.disableRules(options.disableRules);
  const results = await builder.analyze();
  return results.violations.map((violation) => ({
    id: violation.id,
    impact: violation.impact ?? 'unknown',
    help: violation.help,
    helpUrl: violation.helpUrl,
    // A target is one selector per (i)frame level; inside shadow DOM a level is a selector list.
    targets: violation.nodes.map((node) =>
      node.target
        .map((part) => (typeof part === 'string' ? part : JSON.stringify(part)))
        .join(' -> '),
    ),
  }));
}

/**
 * Throws when axe finds a serious or critical violation on the page as it is now, with one
 * line per rule: id, impact, offending elements and what to do.
 */
export async function expectNoSeriousAxeViolations(
  page: Page,
  label: string,
  options: AxeOptions = {},
): Promise<void> {
  const failing = (await axeFindings(page, options)).filter((finding) =>
    FAILING_IMPACTS.has(finding.impact),
  );
  if (failing.length === 0) return;
  const lines = failing.map(
    (f) => `  - ${f.id} [${f.impact}] on ${f.targets.join(', ')}: ${f.help} (${f.helpUrl})`,
  );
  throw new Error(
    `${label}: ${failing.length} serious or critical accessibility violation(s):\n${lines.join('\n')}`,
  );
}
