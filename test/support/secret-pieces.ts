// For key-leak tests: a secret cut in two (shortened text, a cut body) no longer matches whole, so a
// test looks for any 8 characters of it in a row.

/** The 8-character runs of `secret` found in `text` (empty: no piece of it leaked). */
export function secretPiecesIn(secret: string, text: string): string[] {
  return Array.from({ length: secret.length - 7 }, (_, i) => secret.slice(i, i + 8)).filter((part) => text.includes(part));
}
