/** LabApi's contract: self-contained plain types and the command list, importable by every shell. */
export * from './commands.js';
export type * from './events.js';
export type * from './views.js';
export type * from './report.js';
export type * from './timeline.js';
