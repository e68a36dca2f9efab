export { createLineSplitter } from './line-splitter.js';
export { formatIssues } from './format-issues.js';
export type { Issue } from './format-issues.js';
