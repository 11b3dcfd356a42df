/** A word for a POSIX shell, as a command the CLI suggests is copied: quoted when it holds anything but plain characters. */
export const shellWord = (word: string) => (/^[\w@%+=:,./-]+$/.test(word) ? word : `'${word.replaceAll("'", "'\\''")}'`);
