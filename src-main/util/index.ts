export { createLineSplitter } from './line-splitter.js';
