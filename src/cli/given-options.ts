// Which of a command's options the user typed (or set through the environment), as they typed them:
// `--no-weld`, not `--weld`. Defaults do not count.
import type { Command } from 'commander';

export function givenOptions(command: Command, except: readonly string[] = []): string[] {
  const given: string[] = [];
  for (const option of command.options) {
    const key = option.attributeName();
    const source = command.getOptionValueSource(key);
    if (source !== 'cli' && source !== 'env') continue;
    // A --x/--no-x pair shares one value: only the one that set it was given.
    if (option.negate !== (command.getOptionValue(key) === false) && command.options.some((o) => o !== option && o.attributeName() === key)) continue;
    const flag = option.long ?? option.flags;
    if (!except.includes(flag) && !given.includes(flag)) given.push(flag);
  }
  return given;
}
