/**
 * The one list of commands and events between the renderer and the main process. zod schemas,
 * so both sides share the types and the main side validates every message it receives.
 * Pure zod: the renderer, the preload and the main process all import this file.
 */
import { z } from 'zod';

export const AppInfoSchema = z.object({
  version: z.string(),
  /** True when no vendor credentials are set and the embedded emulator answers. */
  trainingMode: z.boolean(),
  platform: z.string(),
});
export type AppInfo = z.infer<typeof AppInfoSchema>;

/** Request/response commands: channel -> input and output schemas. */
export const COMMANDS = {
  'app:get-info': { input: z.void(), output: AppInfoSchema },
} as const;

export type CommandName = keyof typeof COMMANDS;
export type CommandInput<C extends CommandName> = z.infer<(typeof COMMANDS)[C]['input']>;
export type CommandOutput<C extends CommandName> = z.infer<(typeof COMMANDS)[C]['output']>;

/** The API the preload exposes as window.kiosk: one typed function per command. */
export interface KioskApi {
  getInfo(): Promise<AppInfo>;
}
