/** Import from a file: a spreadsheet's rows made into batch signals, each with a stable externalId. The file reading is the CLI's (infra/import.ts). */
export * from './columns.js';
export * from './rows.js';
