/** The kernel: what every capability speaks in (dates, Dutch text, the BSN, the region's geography, problem details). */
export * from './bsn.js';
export * from './calendar.js';
export * from './concurrency.js';
export * from './countries.js';
export * from './dutch-date.js';
export * from './geography.js';
export * from './phone.js';
export * from './phone-countries.js';
export * from './problem.js';
export * from './problem-schema.js';
export * from './text.js';
