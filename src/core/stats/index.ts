// Request statistics: the recorder the engine calls, the aggregate report and its exports.
export { createStatsRecorder, type RequestOutcome, type StatsRecorder, type StatsWriter } from './recorder';
export { createStatsReader, type StatsReader } from './report';
export { toPrometheus } from './prometheus';
export { outcomeOfJob, trackRequestOutcomes } from './job-outcomes';
