// Types for scripts/leftover-processes.mjs (tested in test/support/leftover-processes.test.ts).
export interface MarkedProcess {
  pid: number;
  command: string;
}
export function processesWithEnv(name: string, value: string): MarkedProcess[];
export function killLeftovers(name: string, value: string, graceMs?: number): Promise<MarkedProcess[]>;
