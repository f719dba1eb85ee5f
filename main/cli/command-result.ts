/** What a command hands back to main.ts to print: JSON on stdout, or text for a terminal. */
export type CommandResult =
  | { value: unknown; exitCode?: number; text?: undefined }
  | { text: string; exitCode?: number; value?: undefined };
