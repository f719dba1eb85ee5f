/**
 * Tickets: the short code a customer is given and staff read aloud to find a queued job.
 * Six characters from 31 that cannot be mistaken for one another on paper or over a counter
 * (no 0/O, 1/I/L): 31^6 is about 887 million codes, so a collision among the jobs kept for the
 * retention period is rare, and the store retries with a new code when one happens.
 */
import { randomInt } from 'node:crypto';

export const TICKET_ALPHABET = '23456789ABCDEFGHJKMNPQRSTUVWXYZ';
export const TICKET_LENGTH = 6;

export function newTicket(): string {
  let ticket = '';
  for (let i = 0; i < TICKET_LENGTH; i += 1)
    ticket += TICKET_ALPHABET[randomInt(TICKET_ALPHABET.length)];
  return ticket;
}

/** Accepts what staff type: any case, with spaces or dashes between groups. */
export function normalizeTicket(input: string): string {
  return input.toUpperCase().replace(/[\s-]/g, '');
}
