export { generateRelief, ReliefInputError, RELIEF_DESCRIPTION, RELIEF_GENERATOR, RELIEF_PROVIDER_NAME } from './relief';
export type { ReliefOptions, ReliefResult } from './relief';
