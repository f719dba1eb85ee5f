/**
 * Every verdict the capture pipeline can send has its words in every language the kiosk
 * speaks, for the selfie and the ID document alike, the face quality gates' included.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { guidanceMessage } from '../../main/capture/guidance-messages.js';
import { CAPTURE_ROLES, GUIDANCE_VERDICTS } from '../../model/guidance.js';
import { LANGUAGES } from '../../model/kiosk-settings.js';

type Catalogue = { guidance: Record<string, Record<string, unknown>> };

function catalogue(language: string): Catalogue {
  const url = new URL(`../../renderer/src/i18n/${language}.json`, import.meta.url);
  return JSON.parse(readFileSync(url, 'utf8')) as Catalogue;
}

describe('guidance in every language', () => {
  it('has the face quality verdicts in the list the renderer words', () => {
    for (const verdict of ['look-straight', 'head-level', 'uneven-light', 'eyes-closed']) {
      expect(GUIDANCE_VERDICTS).toContain(verdict);
    }
  });

  it('words every verdict for both pictures in every language, and in the plain messages', () => {
    for (const language of LANGUAGES) {
      const { guidance } = catalogue(language);
      for (const role of CAPTURE_ROLES) {
        for (const verdict of GUIDANCE_VERDICTS) {
          const words = guidance[role]?.[verdict];
          expect(typeof words, `${language} guidance.${role}.${verdict}`).toBe('string');
          expect((words as string).trim().length).toBeGreaterThan(0);
          expect(guidanceMessage(role, verdict).length).toBeGreaterThan(0);
        }
      }
    }
  });

  it('says something different for each verdict of a role (no copied line)', () => {
    for (const language of LANGUAGES) {
      const { guidance } = catalogue(language);
      for (const role of CAPTURE_ROLES) {
        const lines = GUIDANCE_VERDICTS.map((verdict) => guidance[role]![verdict]);
        expect(new Set(lines).size, `${language} ${role}`).toBe(lines.length);
      }
    }
  });
});
