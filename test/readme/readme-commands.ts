// What the README shows a user to type: the lines of its shell code blocks (comments dropped), and
// the model endpoints of its models table.
export interface ReadmeCommand {
  /** The command exactly as shown, without its trailing `# comment`. */
  command: string;
  /** The heading the block sits under, to name the test. */
  section: string;
}

const FENCE = /^```(\w*)\s*$/;
const SHELL_LANGUAGES = new Set(['sh', 'bash', 'shell', 'console']);

export function readmeShellCommands(markdown: string): ReadmeCommand[] {
  const commands: ReadmeCommand[] = [];
  let section = '';
  let inFence: string | null = null;
  for (const line of markdown.split('\n')) {
    const fence = FENCE.exec(line);
    if (fence) {
      inFence = inFence === null ? (fence[1] ?? '') : null;
      continue;
    }
    if (inFence === null) {
      const heading = /^#+\s+(.*)$/.exec(line);
      if (heading) section = heading[1]!.trim();
      continue;
    }
    if (!SHELL_LANGUAGES.has(inFence)) continue;
    const command = line.replace(/(^|\s+)#.*$/, '').trim();
    if (command) commands.push({ command, section });
  }
  return commands;
}

/** The endpoints in the models table (the table whose header has an `endpoint` column). */
export function readmeModelEndpoints(markdown: string): string[] {
  const lines = markdown.split('\n');
  const header = lines.findIndex((line) => line.startsWith('|') && line.split('|').some((cell) => cell.trim() === 'endpoint'));
  if (header < 0) return [];
  const column = lines[header]!.split('|').findIndex((cell) => cell.trim() === 'endpoint');
  const endpoints: string[] = [];
  for (const row of lines.slice(header + 2)) {
    if (!row.startsWith('|')) break;
    const cell = /`([^`]+)`/.exec(row.split('|')[column] ?? '');
    if (cell) endpoints.push(cell[1]!);
  }
  return endpoints;
}
