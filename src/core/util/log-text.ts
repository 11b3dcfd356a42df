// Log files (logs/main.log, logs/cli.log) are read with cat, tail and less, so a control character in
// a line - from FAL's log lines and error details, a photo's file name, a model's name - would be
// obeyed by the terminal: ESC sequences clear the screen, retitle the window or (OSC 52) set the
// clipboard, and bidi overrides reorder what a line seems to say. Written escaped (\x1b, \u202e), they
// stay readable for whoever looks into the log and drive nothing.

/** C0 controls but tab and line feed, DEL, C1 controls, and the bidi embeddings, overrides and isolates. */
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g;

function escaped(char: string): string {
  const code = char.charCodeAt(0);
  return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
}

/**
 * One log entry as it is written: control characters escaped, and any line after the first (a stack
 * trace, a message with a line break) indented, so no text can pass for an entry of its own.
 */
export function logText(entry: string): string {
  return entry.replace(CONTROL, escaped).replace(/\n(?!$)/g, '\n    ');
}
