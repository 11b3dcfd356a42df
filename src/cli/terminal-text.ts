// Text the CLI prints on a terminal comes partly from outside: model names (a photo's file name, a
// rename from the window), FAL's log lines and error messages. Control characters in it would be
// obeyed by the terminal - ESC sequences can clear the screen, retitle the window or, through OSC 52,
// set the clipboard - and bidi overrides reorder what the line seems to say. They are shown, not obeyed.

/** Line breaks and tabs inside one field: a space keeps the line a line. */
const SPACING = /[\t\n\v\f\r]/g;
/** C0 and C1 controls, DEL, and the bidi embeddings, overrides and isolates. */
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g;

/** `text` safe to print as (part of) one terminal line. */
export function terminalText(text: string): string {
  return text.replace(SPACING, ' ').replace(CONTROL, '\ufffd');
}
