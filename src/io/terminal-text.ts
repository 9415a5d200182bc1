/**
 * Characters that a terminal acts on rather than shows: C0 controls but tab and line feed
 * (ESC starts a command that can recolour, retitle or clear the screen; CR overwrites the
 * line), DEL, C1 controls (CSI among them), and bidirectional overrides that reorder text.
 */
// biome-ignore lint/suspicious/noControlCharactersInRegex: these are the characters it takes out
const ACTS_ON_TERMINAL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g;

/**
 * Text safe to print: every character a terminal would act on is shown as its `\uXXXX`
 * escape instead. Messages echo values from the user's files (an id, a name, a header),
 * and a file must not be able to write commands to the terminal of whoever runs `pilot`.
 */
export function safeForTerminal(text: string): string {
  return text.replace(ACTS_ON_TERMINAL, (c) => `\\u${c.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}`);
}
